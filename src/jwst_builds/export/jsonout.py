"""The JSON exports: full records inside an envelope with the format version and data commit."""

from __future__ import annotations

import copy
import json
from typing import Any

from ..dataset import Record
from ..model import KnownIssue
from .contract import SCHEMA_VERSION
from .snapshot import Snapshot

#: optional fields of the records, always present in the export (null or empty when absent)
BUILD_DEFAULTS: dict[str, Any] = {"summary": None, "conflicts": []}
RELEASE_DEFAULTS: dict[str, Any] = {"candidate": None, "also_labelled": [], "conflicts": []}
ISSUE_DEFAULTS: dict[str, Any] = {"related": [], "notes": None, "conflicts": []}
SOURCE_DEFAULTS: dict[str, Any] = {"url": None, "note": None}
#: fields of sources.yaml that only make sense inside the repository
SOURCE_PRIVATE = ("copy",)


def dumps(document: Any) -> str:
    """Stable JSON: sorted keys, two-space indent, non-ASCII characters kept, final newline."""
    return json.dumps(document, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def _with_defaults(data: dict[str, Any], defaults: dict[str, Any]) -> dict[str, Any]:
    return {**copy.deepcopy(defaults), **copy.deepcopy(data)}


def source_object(source: dict[str, Any]) -> dict[str, Any]:
    out = _with_defaults(source, SOURCE_DEFAULTS)
    for key in SOURCE_PRIVATE:
        out.pop(key, None)
    return out


def release_object(release: dict[str, Any]) -> dict[str, Any]:
    return _with_defaults(release, RELEASE_DEFAULTS)


def build_object(snap: Snapshot, build: Record) -> dict[str, Any]:
    out = _with_defaults(build.data, BUILD_DEFAULTS)
    out["releases"] = [release_object(r) for r in build.data["releases"]]
    out["known_issues"] = [issue_ref(i) for i in snap.issues_by_build[build.id]]
    out["fixed_issues"] = [issue_ref(i) for i in snap.fixed_by_build[build.id]]
    out["changes"] = [
        {"category": f.category, "name": f.name, "text": f.text}
        for f in snap.fragments_by_build[build.id]
    ]
    return out


def issue_ref(issue: KnownIssue) -> dict[str, Any]:
    """How a build lists one of its known issues (the full record is in issues.json)."""
    return {"id": issue.id, "title": issue.title}


def issue_object(snap: Snapshot, issue: KnownIssue) -> dict[str, Any]:
    """The issue's YAML record in full, every optional field present, plus two computed keys."""
    out = _with_defaults(snap.issue_records[issue.id].data, ISSUE_DEFAULTS)
    # optional in the records (added in 2.1.0), always present in the export
    out["software"].setdefault("documented_until", None)
    out["affected_builds"] = snap.builds_of_issue(issue.id)
    out["data_issue"] = issue.data_issue
    return out


def _envelope(snap: Snapshot) -> dict[str, Any]:
    return {
        "schema_version": SCHEMA_VERSION,
        "commit": snap.commit.sha,
        "commit_date": snap.commit.date,
        "sources": [source_object(s) for s in snap.sources],
    }


def builds_document(snap: Snapshot) -> dict[str, Any]:
    return {**_envelope(snap), "builds": [build_object(snap, b) for b in snap.builds]}


def issues_document(snap: Snapshot) -> dict[str, Any]:
    return {**_envelope(snap), "issues": [issue_object(snap, i) for i in snap.issues]}
