"""Questions asked of the data: which known issues affect a build, a release, a file.

The answers are plain dicts ready for JSON; their form is described by
``schema/affects.schema.json`` (and docs/affects-json.md). Text rendering lives in
:mod:`jwst_builds.querytext`.
"""

from __future__ import annotations

import datetime as dt
import difflib
import json
from dataclasses import dataclass, replace
from functools import cache
from pathlib import Path
from typing import Any

from .dataset import Dataset, Record, version_key
from .issuerange import Position, active, affects_build, issue_range, position, release_builds
from .lookup import (
    CONTEXT,
    INSTRUMENTS,
    canonical_instrument,
    context_number,
    instrument_of,
    nearest,
)

#: version of the JSON answers of `affects`, `show` and `operations`; bump the
#: minor number for added fields, the major number for anything else.
SCHEMA_VERSION = "1.0"


class QueryError(Exception):
    """A question the data cannot answer (unknown version, malformed value): one line."""


@dataclass(frozen=True)
class Question:
    """What `affects` is asked: the header values of a product, or some of them."""

    cal_ver: str
    crds_ctx: str | None = None
    instrument: str | None = None
    exp_type: str | None = None
    readpatt: str | None = None
    subarray: str | None = None
    file: str | None = None
    #: header keywords the file lacks (only for questions read from a file)
    missing_keywords: tuple[str, ...] = ()


def issues_for_build(ds: Dataset, build_id: str) -> list[Record]:
    """Known issues (not withdrawn) whose affected range includes a release of the build, by id."""
    homes = release_builds(ds)
    build = ds.builds.get(build_id)
    found = [
        i for i in ds.issues.values() if active(i) and affects_build(i, build, build_id, homes)
    ]
    return sorted(found, key=lambda r: r.id)


# --- checking the question ------------------------------------------------------


@cache
def _exp_types(schema_folder: Path) -> tuple[str, ...]:
    try:
        schema = json.loads((schema_folder / "issue.schema.json").read_text(encoding="utf-8"))
        return tuple(schema["$defs"]["exp_type"]["enum"])
    except (OSError, ValueError, KeyError):
        return ()


def normalize(ds: Dataset, q: Question) -> Question:
    """Check every value of the question against the data; raise QueryError naming the bad one."""
    known = release_builds(ds)
    if q.cal_ver not in known:
        if not version_key(q.cal_ver):
            raise QueryError(f"CAL_VER '{q.cal_ver}' is not a jwst version such as 1.14.0")
        near = " and ".join(nearest(known, q.cal_ver))
        hint = f" (nearest known: {near})" if near else " (the data hold no releases)"
        raise QueryError(f"unknown CAL_VER '{q.cal_ver}': no jwst release has that version{hint}")
    ctx = q.crds_ctx.strip() if q.crds_ctx is not None else None
    if ctx is not None and not CONTEXT.match(ctx):
        hint = f" (write it in full: jwst_{ctx}.pmap)" if ctx.isdigit() and len(ctx) == 4 else ""
        raise QueryError(f"CRDS_CTX '{ctx}' is not a CRDS context such as jwst_1240.pmap{hint}")
    instrument = None
    if q.instrument is not None:
        instrument = canonical_instrument(q.instrument)
        if instrument is None:
            raise QueryError(
                f"unknown instrument '{q.instrument}' (one of {', '.join(INSTRUMENTS)})"
            )
    exp_type = q.exp_type.strip().upper() if q.exp_type is not None else None
    if exp_type is not None:
        exp_types = _exp_types(ds.root / "schema")
        if exp_types and exp_type not in exp_types:
            close = difflib.get_close_matches(exp_type, exp_types, n=1)
            hint = f" (did you mean {close[0]}?)" if close else ""
            raise QueryError(f"unknown EXP_TYPE '{q.exp_type}'{hint}")
        owner = instrument_of(exp_type)
        if instrument is None:
            instrument = owner
        elif owner != instrument:
            raise QueryError(
                f"EXP_TYPE {exp_type} is a {owner} mode, but the instrument is {instrument}"
            )
    return replace(
        q,
        crds_ctx=ctx,
        instrument=instrument,
        exp_type=exp_type,
        readpatt=_upper(q.readpatt),
        subarray=_upper(q.subarray),
    )


def _upper(value: str | None) -> str | None:
    return value.strip().upper() if value is not None else None


# --- operations -------------------------------------------------------------------


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


def _installs(ds: Dataset) -> list[tuple[str, Record]]:
    """(operations_installed, build) for every build ever installed, in install order."""
    pairs = [(b.data["operations_installed"], b) for b in ds.builds.values()]
    return sorted(((d, b) for d, b in pairs if d), key=lambda p: (p[0], version_key(p[1].id)))


def _events(ds: Dataset) -> list[tuple[str, Position, dict[str, Any], Record]]:
    """Every installation in operations: (date, position, release, build), oldest first."""
    out: list[tuple[str, Position, dict[str, Any], Record]] = []
    for day, build in _installs(ds):
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
    installs = _installs(ds)
    before = [(d, b) for d, b in installs if d <= day]
    if not before:
        first = f" (the first was installed on {installs[0][0]})" if installs else ""
        raise QueryError(f"no build was in operations on {day}{first}")
    installed, build = before[-1]
    later = [d for d, _ in installs if d > day]
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


def _operations(ds: Dataset) -> dict[str, Any] | None:
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


# --- affects ------------------------------------------------------------------------


def _ctx(value: str | None) -> int | None:
    return context_number(value) if value else None


def _fix(ds: Dataset, rec: Record, homes: dict[str, str], ctx: int | None) -> dict[str, Any] | None:
    fixed = rec.data["fixed"]
    if not any(fixed.values()):
        return None
    rng = issue_range(rec, homes)
    fix_ctx = _ctx(fixed["crds_context"])

    def carries(pos: Position, context: str | None) -> bool:
        sw = rng.fix is None or pos >= rng.fix
        refs = fix_ctx is None or (context is not None and context_number(context) >= fix_ctx)
        return sw and refs

    ops = operations_build(ds)
    in_ops = False
    if ops is not None:
        rel = operational_release(ops)
        in_ops = carries(position(ops.id, rel["jwst_version"]), ops.data["crds_context"])
    since = next(
        (
            day
            for day, pos, rel, build in _events(ds)
            if carries(pos, rel["crds_context"] or build.data["crds_context"])
        ),
        None,
    )
    return {
        "build": fixed["build"],
        "release": fixed["release"],
        "crds_context": fixed["crds_context"],
        "context_has_fix": None if fix_ctx is None or ctx is None else ctx >= fix_ctx,
        "in_operations": in_ops,
        "in_archive_since": since,
    }


def _action(rec: Record, fix: dict[str, Any] | None) -> str:
    if rec.data["impact"] != "installation" and fix is not None:
        return "redownload" if fix["in_operations"] else "reprocess"
    return "workaround" if rec.data["workaround"] else "none"


def _issue_entry(
    ds: Dataset, rec: Record, q: Question, pos: Position, homes: dict[str, str]
) -> dict[str, Any] | None:
    """The answer for one issue, or None when it does not apply."""
    data = rec.data
    rng = issue_range(rec, homes)
    if not rng.spans(pos):
        return None
    unchecked = []
    for axis, wanted, listed in (
        ("instrument", q.instrument, data["instruments"]),
        ("exp_type", q.exp_type, data["exp_types"]),
    ):
        if listed and wanted is None:
            unchecked.append(axis)
        elif listed and wanted not in listed:
            return None
    ctx = _ctx(q.crds_ctx)
    fix_ctx = _ctx(data["fixed"]["crds_context"])
    sw_fixed = rng.fixed_at(pos)
    if rng.fix is not None and not sw_fixed:
        pass  # the software lacks the fix: affected whatever the context
    elif fix_ctx is not None:
        if ctx is None:
            unchecked.append("crds_ctx")
        elif ctx >= fix_ctx and (rng.fix is None or sw_fixed):
            return None
    elif sw_fixed:
        return None
    fix = _fix(ds, rec, homes, ctx)
    plan = data["mitigation_plan"]
    return {
        "id": rec.id,
        "title": data["title"],
        "summary": " ".join(data["summary"].split()),
        "status": data["status"],
        "impact": data["impact"],
        "applies": "possibly" if unchecked else "yes",
        "unchecked": unchecked,
        "instruments": list(data["instruments"]),
        "exp_types": list(data["exp_types"]),
        "steps": list(data["steps"]),
        "symptoms": list(data["symptoms"]),
        "workaround": " ".join(data["workaround"].split()) if data["workaround"] else None,
        "fix": fix,
        "mitigation_plan": " ".join(plan["summary"].split()) if plan else None,
        "planned_build": plan["planned_build"] if plan else None,
        "action": _action(rec, fix),
    }


def _row_matches(row: dict[str, Any], q: Question) -> bool | None:
    """Whether an in-flight table row's readout conditions match (None: cannot tell)."""
    verdicts = []
    if row["readpatt"] is not None:
        verdicts.append(None if q.readpatt is None else q.readpatt in row["readpatt"])
    if row["subarray"] is not None:
        if q.subarray is None:
            verdicts.append(None)
        else:
            verdicts.append((q.subarray == "FULL") == (row["subarray"] == "full"))
    if False in verdicts:
        return False
    return None if None in verdicts else True


def _inflight(ds: Dataset, q: Question) -> dict[str, Any] | None:
    if ds.inflight is None:
        return None
    table = ds.inflight.data
    out: dict[str, Any] = {
        "as_of": table["as_of"],
        "verdict": "unchecked",
        "modes": [],
        "advice": " ".join(table["advice"].split()),
    }
    if q.exp_type is None:
        return out
    ctx = _ctx(q.crds_ctx)
    rows = []
    for row in table["modes"]:
        if q.exp_type not in row["exp_types"]:
            continue
        match = _row_matches(row, q)
        minimum = row["minimum_context"]
        if minimum is None:
            verdict = "no-minimum"
        elif ctx is None:
            verdict = "unknown"
        else:
            verdict = "ok" if ctx >= context_number(minimum) else "older"
        rows.append(
            {
                "instrument": row["instrument"],
                "mode": row["mode"],
                "readpatt": row["readpatt"],
                "subarray": row["subarray"],
                "conditions_match": match,
                "minimum_context": minimum,
                "status": row["status"],
                "verdict": verdict,
            }
        )
    out["modes"] = rows
    considered = {r["verdict"] for r in rows if r["conditions_match"] is not False}
    for verdict in ("older", "unknown", "no-minimum", "ok"):
        if verdict in considered:
            out["verdict"] = verdict
            break
    else:
        out["verdict"] = "not-listed"
    return out


def _release_info(build: Record, rel: dict[str, Any]) -> dict[str, Any]:
    keys = (
        "jwst_version",
        "kind",
        "dms_label",
        "dms_version",
        "crds_context",
        "released",
        "ops_install",
        "note",
    )
    return {"build": build.id, **{k: rel[k] for k in keys}}


def _build_info(build: Record) -> dict[str, Any]:
    keys = (
        "status",
        "candidate_released",
        "operations_installed",
        "crds_context",
        "context_policy",
        "sdp_version",
        "release_notes",
    )
    return {"id": build.id, **{k: build.data[k] for k in keys}}


def affects(ds: Dataset, question: Question) -> dict[str, Any]:
    """The whole answer to "which known issues affect data made with these values?"."""
    q = normalize(ds, question)
    found = ds.release(q.cal_ver)
    assert found is not None  # normalize() checked it
    build, rel = found
    homes = release_builds(ds)
    pos = position(build.id, rel["jwst_version"])
    entries = [
        _issue_entry(ds, rec, q, pos, homes) for _, rec in sorted(ds.issues.items()) if active(rec)
    ]
    ops = _operations(ds)
    ctx = _ctx(q.crds_ctx)
    ops_ctx = _ctx(ops["crds_context"]) if ops else None
    return {
        "schema_version": SCHEMA_VERSION,
        "query": {
            "cal_ver": q.cal_ver,
            "crds_ctx": q.crds_ctx,
            "instrument": q.instrument,
            "exp_type": q.exp_type,
            "readpatt": q.readpatt,
            "subarray": q.subarray,
            "file": q.file,
            "missing_keywords": list(q.missing_keywords),
        },
        "release": _release_info(build, rel),
        "build": _build_info(build),
        "operations": ops,
        "crds_context": {
            "value": q.crds_ctx,
            "release_context": rel["crds_context"],
            "operations_context": ops["crds_context"] if ops else None,
            "older_than_operations": None if ctx is None or ops_ctx is None else ctx < ops_ctx,
        },
        "issues": [e for e in entries if e is not None],
        "inflight_reference_files": _inflight(ds, q),
    }


# --- show ------------------------------------------------------------------------------


def show(ds: Dataset, ident: str) -> dict[str, Any]:
    """One build (named by id, or by one of its jwst versions) with its releases and issues."""
    build = ds.builds.get(ident)
    if build is None:
        found = ds.release(ident)
        if found is None:
            near = " and ".join(nearest(ds.builds, ident)) if version_key(ident) else ""
            hint = f" (known builds nearby: {near})" if near else ""
            raise QueryError(f"unknown build '{ident}'{hint}")
        build = found[0]
    homes = release_builds(ds)
    affected = issues_for_build(ds, build.id)
    fixed_here = sorted(
        (
            r
            for r in ds.issues.values()
            if active(r)
            and (
                homes.get(r.data["fixed"]["release"] or "") == build.id
                or r.data["fixed"]["build"] == build.id
            )
        ),
        key=lambda r: r.id,
    )
    return {
        "schema_version": SCHEMA_VERSION,
        "build": {**_build_info(build), "summary": build.data.get("summary")},
        "releases": [_release_info(build, r) for r in build.data["releases"]],
        "issues": [_brief(r) for r in affected],
        "fixed_issues": [_brief(r) for r in fixed_here],
        "operations": _operations(ds),
    }


def _brief(rec: Record) -> dict[str, Any]:
    data = rec.data
    return {
        "id": rec.id,
        "title": data["title"],
        "status": data["status"],
        "impact": data["impact"],
    }


def parse_day(text: str) -> str:
    """A calendar date as YYYY-MM-DD, or ValueError with a one-line message."""
    try:
        if len(text) == 10:
            return dt.date.fromisoformat(text).isoformat()
    except ValueError:
        pass
    raise ValueError(f"'{text}' is not a date such as 2024-06-12")
