"""`jwst-builds export`: CSV, JSON and Markdown exports and a Frictionless data package.

:func:`runner.run` is the whole export: the data must pass `jwst-builds validate`;
then every file is rendered in memory (render.py and the module of each format)
and written with :func:`atomic.write_files`, so an export either replaces all
files of the previous one or leaves them untouched.
"""

from __future__ import annotations

__all__: list[str] = []
