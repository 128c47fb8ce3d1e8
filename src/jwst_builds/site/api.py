"""The documents of the static JSON API (schema/api.schema.json describes every field).

Build, release, issue and source objects are the export's own (export/jsonout.py), so a
client of the export reads them the same way here.
"""

from __future__ import annotations

from typing import Any

from ..dataset import Record
from ..export.contract import SCHEMA_VERSION as EXPORT_VERSION
from ..export.jsonout import build_object, issue_object, release_object, source_object
from ..lookup import INSTRUMENTS
from ..model import KnownIssue
from ..query import _fix as fix_status  # the fix part of an `affects` answer
from .contract import API_VERSION
from .data import Lifetime, Period, SiteData


def build_path(build_id: str) -> str:
    return f"builds/{build_id}.json"


def release_path(version: str) -> str:
    return f"releases/{version}.json"


def issue_path(issue_id: str) -> str:
    return f"issues/{issue_id}.json"


def _envelope(site: SiteData) -> dict[str, Any]:
    commit = site.snap.commit
    return {"api_version": API_VERSION, "commit": commit.sha, "commit_date": commit.date}


def _period(p: Period) -> dict[str, Any]:
    return {
        "build": p.build,
        "release": p.release,
        "crds_context": p.crds_context,
        "start": p.start,
        "end": p.end,
    }


def _lifetime(site: SiteData, build_id: str) -> Lifetime:
    return next(life for life in site.lifetimes if life.build == build_id)


def _release_summary(rel: dict[str, Any]) -> dict[str, Any]:
    keys = ("jwst_version", "kind", "dms_label", "dms_version", "crds_context", "released")
    return {
        **{k: rel[k] for k in keys},
        "ops_install": rel["ops_install"],
        "path": release_path(rel["jwst_version"]),
    }


def build_summary(site: SiteData, build: Record) -> dict[str, Any]:
    data = build.data
    keys = (
        "id",
        "status",
        "pre_launch",
        "candidate_released",
        "operations_installed",
        "crds_context",
        "context_policy",
        "sdp_version",
        "release_notes",
    )
    return {
        **{k: data[k] for k in keys},
        "end": _lifetime(site, build.id).end,
        "releases": [_release_summary(r) for r in data["releases"]],
        "path": build_path(build.id),
    }


def _sources(site: SiteData, ids: set[str]) -> list[dict[str, Any]]:
    return [source_object(s) for s in site.snap.sources if s["id"] in ids]


def index(site: SiteData) -> dict[str, Any]:
    return {
        **_envelope(site),
        "export_schema_version": EXPORT_VERSION,
        "as_of": site.as_of,
        "operations": site.operations,
        "documents": {
            "builds": "builds.json",
            "issues": "issues.json",
            "operations": "operations.json",
            "openapi": "openapi.json",
        },
        "instruments": list(INSTRUMENTS),
        "exp_types": list(site.exp_types),
        "mode_groups": {k: list(v) for k, v in sorted(site.snap.groups.items())},
    }


def builds(site: SiteData) -> dict[str, Any]:
    return {**_envelope(site), "builds": [build_summary(site, b) for b in site.snap.builds]}


def build(site: SiteData, record: Record) -> dict[str, Any]:
    cited = set(record.data["sources"])
    for rel in record.data["releases"]:
        cited |= set(rel["sources"])
    return {
        **_envelope(site),
        "build": build_object(site.snap, record),
        "end": _lifetime(site, record.id).end,
        "operations": [_period(p) for p in site.history if p.build == record.id],
        "sources": _sources(site, cited),
    }


def release(site: SiteData, record: Record, rel: dict[str, Any]) -> dict[str, Any]:
    summary = build_summary(site, record)
    version = rel["jwst_version"]
    return {
        **_envelope(site),
        "release": release_object(rel),
        "build": {
            k: summary[k]
            for k in (
                "id",
                "status",
                "crds_context",
                "candidate_released",
                "operations_installed",
                "end",
                "path",
            )
        },
        "in_operations": [_period(p) for p in site.history if p.release == version],
        "known_issues": [
            {
                "id": a.issue.id,
                "data_issue": a.issue.data_issue,
                "applies": a.verdict.applies,
                "unchecked": list(a.verdict.unchecked),
                "undocumented": a.verdict.undocumented,
                "unassessed": a.verdict.unassessed,
            }
            for a in site.applicable[version]
        ],
    }


def issues(site: SiteData) -> dict[str, Any]:
    out = []
    for issue in site.snap.issues:
        data = site.snap.issue_records[issue.id].data
        out.append(
            {
                "id": issue.id,
                "title": issue.title,
                "status": issue.status,
                "impact": issue.impact,
                "data_issue": issue.data_issue,
                "scope": data["scope"],
                "software": data["software"],
                "reference_files": data["reference_files"],
                "affected_builds": site.snap.builds_of_issue(issue.id),
                "path": issue_path(issue.id),
            }
        )
    return {**_envelope(site), "issues": out}


def fix(site: SiteData, issue: KnownIssue) -> dict[str, Any] | None:
    found = fix_status(site.ds, issue, None)
    if found is None:
        return None
    # release_has_fix and context_has_fix describe one product: not part of this answer
    return {k: v for k, v in found.items() if k not in ("release_has_fix", "context_has_fix")}


def issue(site: SiteData, known: KnownIssue) -> dict[str, Any]:
    return {
        **_envelope(site),
        "issue": issue_object(site.snap, known),
        "exp_types": site.snap.exp_types(known),
        "fix": fix(site, known),
        "sources": _sources(site, set(known.sources)),
    }


def operations(site: SiteData) -> dict[str, Any]:
    return {
        **_envelope(site),
        "current": site.operations,
        "history": [_period(p) for p in site.history],
    }


def documents(site: SiteData) -> dict[str, dict[str, Any]]:
    """Path under the API root -> document, for every document but openapi.json."""
    out = {
        "index.json": index(site),
        "builds.json": builds(site),
        "issues.json": issues(site),
        "operations.json": operations(site),
    }
    for record in site.snap.builds:
        out[build_path(record.id)] = build(site, record)
    for record, rel in site.snap.releases():
        out[release_path(rel["jwst_version"])] = release(site, record, rel)
    for known in site.snap.issues:
        out[issue_path(known.id)] = issue(site, known)
    return out
