"""The rules that look at one record alone.

They run when a file is loaded, right after its schema passes, and what they find
is kept in the per-file cache with the record (:mod:`jwst_builds.cache`): an
unchanged file is not judged again. Rules that compare records, or that need
sources.yaml or the file system, stay in the other check modules and always run.
"""

from __future__ import annotations

from ..cache import Result
from ..dataset import Record
from ..problems import Problem
from . import builds, sources


def judge(record: Record, problems: list[Problem]) -> Result:
    """What a file whose record passed its schema gave: ``problems`` (only a modeline
    can be wrong by then), the findings of the rules and the sources it cites."""
    findings: list[Problem] = []
    if record.kind == "build":
        findings += builds.one_build(record)
    if record.kind in ("build", "issue"):
        findings += sources.one_record(record)
        return Result(record.data, problems, tuple(findings), sources.cited(record.data))
    return Result(record.data, problems, tuple(findings))
