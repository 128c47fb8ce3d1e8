"""Rows of the CSV exports, as typed Python values (None for an empty cell)."""

from __future__ import annotations

from typing import Any

from ..dataset import Record
from ..issuerange import point_position
from ..model import KnownIssue, Mitigation, Point
from .snapshot import Snapshot

Row = dict[str, Any]


def disputed(record: dict[str, Any]) -> list[str]:
    """Names of the fields of ``record`` with a recorded disagreement, sorted, once each."""
    return sorted({c["field"] for c in record.get("conflicts", [])})


def release_rows(snap: Snapshot) -> list[Row]:
    rows = []
    for build, rel in snap.releases():
        rows.append(
            {
                "jwst_version": rel["jwst_version"],
                "build": build.id,
                "dms_build": rel["dms_label"],
                "kind": rel["kind"],
                "sdp_version": rel["sdp_version"],
                "crds_context": rel["crds_context"],
                "released": rel["released"],
                "ops_install": rel["ops_install"],
                "build_status": build.data["status"],
                "note": rel["note"],
                "dms_version": rel["dms_version"],
                "candidate": rel.get("candidate"),
                "pre_launch": build.data["pre_launch"],
                "also_labelled": [a["dms_label"] for a in rel.get("also_labelled", [])],
                "disputed": disputed(rel),
                "sources": list(rel["sources"]),
            }
        )
    return rows


def _build_row(snap: Snapshot, build: Record) -> Row:
    data = build.data
    return {
        "id": build.id,
        "status": data["status"],
        "pre_launch": data["pre_launch"],
        "candidate_released": data["candidate_released"],
        "operations_installed": data["operations_installed"],
        "crds_context": data["crds_context"],
        "context_policy": data["context_policy"],
        "sdp_version": data["sdp_version"],
        "release_notes": data["release_notes"],
        "summary": data.get("summary"),
        "jwst_versions": [r["jwst_version"] for r in data["releases"]],
        "known_issues": [i.id for i in snap.issues_by_build[build.id]],
        "changes": len(snap.fragments_by_build[build.id]),
        "disputed": disputed(data),
        "sources": list(data["sources"]),
        "fixed_issues": [i.id for i in snap.fixed_by_build[build.id]],
    }


def build_rows(snap: Snapshot) -> list[Row]:
    return [_build_row(snap, b) for b in snap.builds]


def _mitigation(m: Mitigation) -> str:
    return f"{m.kind}:{m.step}" if m.step else m.kind


def _point(p: Point) -> str:
    """A point in one cell: its jwst tag when the record names one, else its build id."""
    return p.release or p.build


def fix_needs(issue: KnownIssue) -> str | None:
    """software, reference-files or both: what data need to be fixed (None: no fix yet)."""
    if issue.fixed is not None and issue.context_fixed is not None:
        return "both"
    if issue.fixed is not None:
        return "software"
    return "reference-files" if issue.context_fixed is not None else None


def default_mitigation_from(issue: KnownIssue) -> Point | None:
    """The earliest point from which one of the issue's remedies runs by default."""
    points = [m.default_from for m in issue.mitigations if m.default_from is not None]
    return min(points, key=point_position, default=None)


def _issue_row(snap: Snapshot, issue: KnownIssue) -> Row:
    sc, fix = issue.scope, issue.fixed
    gone = snap.issue_records[issue.id].data["withdrawn"] or {}
    intro, last, default = issue.introduced, issue.last_affected, default_mitigation_from(issue)
    return {
        "id": issue.id,
        "title": issue.title,
        "status": issue.status,
        "impact": issue.impact,
        "data_issue": issue.data_issue,
        "instruments": list(sc.instruments),
        "mode_groups": list(sc.mode_groups),
        "exp_types": snap.exp_types(issue),
        "subarray": sc.subarray,
        "readpatt": list(sc.readpatt),
        "detectors": list(sc.detectors),
        "products": list(sc.products),
        "steps": list(sc.steps),
        "conditions": sc.conditions,
        "introduced_build": intro.build if intro else None,
        "introduced_release": intro.release if intro else None,
        "documented_from_build": issue.documented_from.build,
        "documented_from_release": issue.documented_from.release,
        "last_affected_build": last.build if last else None,
        "last_affected_release": last.release if last else None,
        "fixed_build": fix.build if fix else None,
        "fixed_release": fix.release if fix else None,
        "fixed_changelog": [f"{c.version}#{c.pr}" for c in fix.changelog] if fix else [],
        "context_introduced": issue.context_introduced,
        "context_fixed": issue.context_fixed,
        "reftypes": list(issue.reftypes),
        "fix_needs": fix_needs(issue),
        "mitigations": [_mitigation(m) for m in issue.mitigations],
        "default_mitigation_from": _point(default) if default else None,
        "affected_builds": snap.builds_of_issue(issue.id),
        "summary": issue.summary,
        "symptoms": list(issue.symptoms),
        "workaround": issue.workaround,
        "mitigation_plan": issue.plan,
        "planned_build": issue.planned_build,
        "discovered": issue.discovered,
        "last_reviewed": issue.last_reviewed,
        "withdrawn": gone.get("date"),
        "withdrawn_reason": issue.withdrawn_reason,
        "replaced_by": issue.replaced_by,
        "related": list(issue.related),
        "notes": issue.notes,
        "disputed": sorted({c.field for c in issue.conflicts}),
        "sources": list(issue.sources),
        "documented_until_build": issue.documented_until.build if issue.documented_until else None,
        "documented_until_release": issue.documented_until.release
        if issue.documented_until
        else None,
    }


def issue_rows(snap: Snapshot) -> list[Row]:
    return [_issue_row(snap, i) for i in snap.issues]
