"""Which build was in operations, and with which release, on a day or today.

The answers are plain dicts ready for JSON (schema/affects.schema.json, $defs/operations_on).
"""

from __future__ import annotations

from typing import Any

from .dataset import Dataset, Record, version_key
from .errors import SCHEMA_VERSION, QueryError
from .issuerange import Position, position


def operations_build(ds: Dataset) -> Record | None:
    """The build whose status is operations today."""
    return next((b for b in ds.builds.values() if b.data["status"] == "operations"), None)


def operational_release(build: Record, day: str | None = None) -> dict[str, Any]:
    """The release of a build that ran in operations (by ``day``, if given).

    The last release with an Ops Install date (on or before ``day``); failing that,
    the last final or patch release; failing that, the last release.
    """
    rels: list[dict[str, Any]] = build.data["releases"]
    installed = [r for r in rels if r["ops_install"] and (day is None or r["ops_install"] <= day)]
    if installed:
        return installed[-1]
    finals = [r for r in rels if r["kind"] in ("final", "patch")]
    return (finals or rels)[-1]


def installs(ds: Dataset) -> list[tuple[str, Record]]:
    """(operations_installed, build) for every build ever installed, in install order."""
    pairs = [(b.data["operations_installed"], b) for b in ds.builds.values()]
    return sorted(((d, b) for d, b in pairs if d), key=lambda p: (p[0], version_key(p[1].id)))


def events(ds: Dataset) -> list[tuple[str, Position, dict[str, Any], Record]]:
    """Every installation in operations: (date, position, release, build), oldest first."""
    out: list[tuple[str, Position, dict[str, Any], Record]] = []
    for day, build in installs(ds):
        dated = [r for r in build.data["releases"] if r["ops_install"]]
        if dated:
            out.extend(
                (r["ops_install"], position(build.id, r["jwst_version"]), r, build) for r in dated
            )
        else:
            rel = operational_release(build)
            out.append((day, position(build.id, rel["jwst_version"]), rel, build))
    return sorted(out, key=lambda e: (e[0], e[1]))


def operations_on(ds: Dataset, day: str) -> dict[str, Any]:
    """Which build (and release) was in operations on ``day`` (YYYY-MM-DD)."""
    history = installs(ds)
    before = [(d, b) for d, b in history if d <= day]
    if not before:
        first = f" (the first was installed on {history[0][0]})" if history else ""
        raise QueryError(f"no build was in operations on {day}{first}")
    installed, build = before[-1]
    later = [d for d, _ in history if d > day]
    rel = operational_release(build, day)
    return {
        "schema_version": SCHEMA_VERSION,
        "date": day,
        "build": build.id,
        "release": rel["jwst_version"],
        "crds_context": build.data["crds_context"],
        "installed": installed,
        "replaced": later[0] if later else None,
        "status_today": build.data["status"],
    }


def operations_now(ds: Dataset) -> dict[str, Any] | None:
    build = operations_build(ds)
    if build is None:
        return None
    rel = operational_release(build)
    return {
        "build": build.id,
        "release": rel["jwst_version"],
        "since": build.data["operations_installed"],
        "crds_context": build.data["crds_context"],
    }
