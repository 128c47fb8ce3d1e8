"""Questions asked of the data: which known issues affect a build, a release, a file.

The answers are plain dicts ready for JSON; their form is described by
``schema/affects.schema.json`` (and docs/affects-json.md). Text rendering lives in
:mod:`jwst_builds.querytext`.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, replace
from functools import cache
from pathlib import Path
from typing import Any

from .dataset import Dataset, Record, version_key
from .errors import SCHEMA_VERSION
from .errors import QueryError as QueryError
from .fixhistory import fix_history
from .inflight import inflight_answer
from .issuerange import (
    Position,
    Product,
    Verdict,
    affects_build,
    fixed_in_build,
    known_issues,
    mitigation_state,
    mode_groups,
    position,
    release_builds,
    scope_modes,
    verdict,
)
from .lookup import (
    CONTEXT,
    INSTRUMENTS,
    canonical_instrument,
    context_number,
    instrument_of,
    nearest,
)
from .model import KnownIssue, Point
from .operations import operational_release, operations_build, operations_now
from .operations import operations_on as operations_on
from .schemas import short
from .versions import CalVer, read_cal_ver


@dataclass(frozen=True)
class Question:
    """What `affects` is asked: the header values of a product, or some of them."""

    cal_ver: str
    crds_ctx: str | None = None
    instrument: str | None = None
    exp_type: str | None = None
    readpatt: str | None = None
    subarray: str | None = None
    detector: str | None = None
    file: str | None = None
    #: header keywords the file lacks (only for questions read from a file)
    missing_keywords: tuple[str, ...] = ()


def issues_for_build(ds: Dataset, build_id: str) -> list[KnownIssue]:
    """Known issues (not withdrawn) whose documented range includes a release of the build, by id."""
    build = ds.builds.get(build_id)
    return [i for i in known_issues(ds) if affects_build(i, build, build_id)]


def issues_fixed_in(ds: Dataset, build_id: str) -> list[KnownIssue]:
    """Known issues whose software fix first came with the build, by id."""
    return [i for i in known_issues(ds) if fixed_in_build(i, build_id)]


# --- checking the question ------------------------------------------------------


@cache
def _exp_types(schema_folder: Path) -> tuple[str, ...]:
    import json  # only when an EXP_TYPE is asked about

    try:
        schema = json.loads((schema_folder / "issue.schema.json").read_text(encoding="utf-8"))
        return tuple(schema["$defs"]["exp_type"]["enum"])
    except (OSError, ValueError, KeyError):
        return ()


def normalize(ds: Dataset, q: Question) -> tuple[Question, CalVer]:
    """Check every value of the question against the data; raise QueryError naming the bad one.

    CAL_VER becomes the known tag the answer is for; the second value says how it was read.
    """
    reading = read_cal_ver(q.cal_ver, release_builds(ds))
    ctx = q.crds_ctx.strip() if q.crds_ctx is not None else None
    if ctx is not None and not CONTEXT.match(ctx):
        four_digits = ctx.isascii() and ctx.isdigit() and len(ctx) == 4
        hint = f" (write it in full: jwst_{ctx}.pmap)" if four_digits else ""
        raise QueryError(
            f"CRDS_CTX '{short(ctx)}' is not a CRDS context such as jwst_1240.pmap{hint}"
        )
    instrument = None
    if q.instrument is not None:
        instrument = canonical_instrument(q.instrument)
        if instrument is None:
            raise QueryError(
                f"unknown instrument '{short(q.instrument)}' (one of {', '.join(INSTRUMENTS)})"
            )
    exp_type = q.exp_type.strip().upper() if q.exp_type is not None else None
    if exp_type is not None:
        exp_types = _exp_types(ds.root / "schema")
        if exp_types and exp_type not in exp_types:
            import difflib  # only to suggest a mode for a misspelt one

            close = difflib.get_close_matches(exp_type, exp_types, n=1)
            hint = f" (did you mean {close[0]}?)" if close else ""
            raise QueryError(f"unknown EXP_TYPE '{short(exp_type)}'{hint}")
        owner = instrument_of(exp_type)
        if instrument is None:
            instrument = owner
        elif owner != instrument:
            raise QueryError(
                f"EXP_TYPE {exp_type} is a {owner} mode, but the instrument is {instrument}"
            )
    question = replace(
        q,
        cal_ver=reading.release,
        crds_ctx=ctx,
        instrument=instrument,
        exp_type=exp_type,
        readpatt=_upper(q.readpatt),
        subarray=_upper(q.subarray),
        detector=_upper(q.detector),
    )
    return question, reading


def _upper(value: str | None) -> str | None:
    return value.strip().upper() if value is not None else None


# --- affects ------------------------------------------------------------------------


def _ctx(value: str | None) -> int | None:
    return context_number(value) if value else None


def _point(p: Point | None) -> dict[str, Any] | None:
    return None if p is None else {"build": p.build, "release": p.release}


def _fix(ds: Dataset, issue: KnownIssue, verdict: Verdict | None) -> dict[str, Any] | None:
    if issue.fixed is None and issue.context_fixed is None:
        return None
    needs = (
        "both"
        if issue.fixed and issue.context_fixed
        else ("software" if issue.fixed else "reference-files")
    )
    in_ops, since = fix_history(ds, issue)
    sw = issue.fixed
    return {
        "needs": needs,
        "build": sw.build if sw else None,
        "release": sw.release if sw else None,
        "changelog": [
            {"version": c.version, "pr": c.pr, "category": c.category} for c in sw.changelog
        ]
        if sw
        else [],
        "crds_context": issue.context_fixed,
        "release_has_fix": verdict.release_has_fix if verdict else None,
        "context_has_fix": verdict.context_has_fix if verdict else None,
        "in_operations": in_ops,
        "in_archive_since": since,
    }


def _mitigations(ds: Dataset, issue: KnownIssue, pos: Position) -> list[dict[str, Any]]:
    ops = operations_build(ds)
    ops_pos = position(ops.id, operational_release(ops)["jwst_version"]) if ops else None
    return [
        {
            "summary": m.summary,
            "kind": m.kind,
            "step": m.step,
            "available_from": _point(m.available_from),
            "default_from": _point(m.default_from),
            "in_your_release": mitigation_state(m.available_from, m.default_from, pos),
            "in_operations": mitigation_state(m.available_from, m.default_from, ops_pos)
            if ops_pos
            else None,
        }
        for m in issue.mitigations
    ]


def _action(
    issue: KnownIssue, fix: dict[str, Any] | None, mitigations: list[dict[str, Any]]
) -> str:
    if issue.data_issue and fix is not None:
        return "redownload" if fix["in_operations"] else "reprocess"
    if any(m["in_operations"] == "optional" for m in mitigations):
        return "mitigate"
    return "workaround" if issue.workaround else "none"


def _issue_entry(
    ds: Dataset, issue: KnownIssue, q: Question, pos: Position, groups: dict[str, tuple[str, ...]]
) -> dict[str, Any] | None:
    """The answer for one issue, or None when it does not apply."""
    found = verdict(
        issue,
        Product(
            position=pos,
            crds_ctx=q.crds_ctx,
            instrument=q.instrument,
            exp_type=q.exp_type,
            subarray=q.subarray,
            readpatt=q.readpatt,
            detector=q.detector,
        ),
        groups,
    )
    if found is None:
        return None
    fix = _fix(ds, issue, found)
    mitigations = _mitigations(ds, issue, pos)
    sc = issue.scope
    return {
        "id": issue.id,
        "title": issue.title,
        "summary": issue.summary,
        "status": issue.status,
        "impact": issue.impact,
        "data_issue": issue.data_issue,
        "applies": found.applies,
        "unchecked": list(found.unchecked),
        "documented_from": _point(issue.documented_from),
        "introduced": _point(issue.introduced),
        "undocumented": found.undocumented,
        "documented_until": _point(issue.documented_until),
        "unassessed": found.unassessed,
        "scope": {
            "instruments": list(sc.instruments),
            "mode_groups": list(sc.mode_groups),
            "exp_types": list(scope_modes(issue, groups)),
            "subarray": sc.subarray,
            "readpatt": list(sc.readpatt),
            "detectors": list(sc.detectors),
            "products": list(sc.products),
            "steps": list(sc.steps),
            "conditions": sc.conditions,
        },
        "symptoms": list(issue.symptoms),
        "workaround": issue.workaround,
        "mitigations": mitigations,
        "fix": fix,
        "mitigation_plan": issue.plan,
        "planned_build": issue.planned_build,
        "sources": list(issue.sources),
        "action": _action(issue, fix, mitigations),
    }


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


def affects(ds: Dataset, question: Question, include_all: bool = False) -> dict[str, Any]:
    """The whole answer to "which known issues affect data made with these values?".

    Data issues (wrong or missing science data) are listed; installation, speed and
    usability issues only with ``include_all``, and are counted otherwise.
    """
    q, reading = normalize(ds, question)
    found = ds.release(q.cal_ver)
    assert found is not None  # normalize() checked it
    build, rel = found
    pos = position(build.id, rel["jwst_version"])
    groups = mode_groups(ds.root / "schema")
    entries = [_issue_entry(ds, issue, q, pos, groups) for issue in known_issues(ds)]
    found_entries = [e for e in entries if e is not None]
    hidden = 0 if include_all else sum(not e["data_issue"] for e in found_entries)
    if not include_all:
        found_entries = [e for e in found_entries if e["data_issue"]]
    # Data issues first: they are what a product's owner came for.
    found_entries.sort(key=lambda e: (not e["data_issue"], e["applies"] != "yes", e["id"]))
    ops = operations_now(ds)
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
            "detector": q.detector,
            "file": q.file,
            "missing_keywords": list(q.missing_keywords),
            "cal_ver_given": reading.given,
            "cal_ver_note": None
            if reading.level is None
            else {"kind": reading.kind, "level": reading.level, "message": reading.message},
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
        "all_issues": include_all,
        "records_checked": len(entries),
        "other_issues": hidden,
        "issues": found_entries,
        "inflight_reference_files": inflight_answer(ds, q),
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
            raise QueryError(f"unknown build '{short(ident)}'{hint}")
        build = found[0]
    affected = issues_for_build(ds, build.id)
    fixed_here = issues_fixed_in(ds, build.id)
    return {
        "schema_version": SCHEMA_VERSION,
        "build": {**_build_info(build), "summary": build.data.get("summary")},
        "releases": [_release_info(build, r) for r in build.data["releases"]],
        "issues": [_brief(r) for r in affected],
        "fixed_issues": [_brief(r) for r in fixed_here],
        "operations": operations_now(ds),
    }


def _brief(issue: KnownIssue) -> dict[str, Any]:
    return {
        "id": issue.id,
        "title": issue.title,
        "status": issue.status,
        "impact": issue.impact,
        "data_issue": issue.data_issue,
    }


_DAY = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def parse_day(text: str) -> str:
    """A calendar date written YYYY-MM-DD, or ValueError with a one-line message.

    Only that form: Python also reads ISO week dates (2024-W01-1) and other
    spellings, which a user who typed them did not mean as a day.
    """
    if _DAY.fullmatch(text):
        try:
            return dt.date.fromisoformat(text).isoformat()
        except ValueError:
            pass
    raise ValueError(f"'{short(text)}' is not a date such as 2024-06-12")
