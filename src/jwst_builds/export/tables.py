"""Rows of the CSV exports, as typed Python values (None for an empty cell)."""

from __future__ import annotations

from typing import Any

from ..dataset import Record
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
    }


def build_rows(snap: Snapshot) -> list[Row]:
    return [_build_row(snap, b) for b in snap.builds]


def _issue_row(snap: Snapshot, issue: Record) -> Row:
    data = issue.data
    aff, fix = data["affected"], data["fixed"]
    plan = data["mitigation_plan"] or {}
    gone = data["withdrawn"] or {}
    return {
        "id": issue.id,
        "title": data["title"],
        "status": data["status"],
        "impact": data["impact"],
        "instruments": list(data["instruments"]),
        "exp_types": list(data["exp_types"]),
        "steps": list(data["steps"]),
        "first_build": aff["first_build"],
        "first_release": aff["first_release"],
        "last_build": aff["last_build"],
        "last_release": aff["last_release"],
        "fixed_build": fix["build"],
        "fixed_release": fix["release"],
        "fixed_crds_context": fix["crds_context"],
        "affected_builds": snap.builds_of_issue(issue.id),
        "summary": data["summary"],
        "symptoms": list(data["symptoms"]),
        "workaround": data["workaround"],
        "mitigation": plan.get("summary"),
        "planned_build": plan.get("planned_build"),
        "discovered": data["discovered"],
        "last_reviewed": data["last_reviewed"],
        "withdrawn": gone.get("date"),
        "withdrawn_reason": gone.get("reason"),
        "replaced_by": gone.get("replaced_by"),
        "related": list(data.get("related", [])),
        "notes": data.get("notes"),
        "disputed": disputed(data),
        "sources": list(data["sources"]),
    }


def issue_rows(snap: Snapshot) -> list[Row]:
    return [_issue_row(snap, i) for i in snap.issues]
