"""`jwst-builds site`: a static website and a versioned JSON API made from the records.

runner.run is the whole build: data.py gathers what the pages need beyond the export
snapshot, api.py and openapi.py make the JSON API and its OpenAPI description, pages.py
and feeds.py the HTML, the Atom feed and the calendar; timeline.py places the builds
on the home page's timeline. static/ holds the style sheet and the scripts of the
check page (verdict.js follows issuerange.verdict).
"""

from __future__ import annotations

__all__: list[str] = []
