"""The records sync passes around: a finding, the comparison, and the source ids it cites."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from jsonschema import Draft202012Validator

from .. import fmt
from ..problems import PathPart, field_name
from ..scaffold import field_schema
from .upstream import COLUMNS, Row

#: source ids (sources.yaml) that sync reads and cites
README_SOURCE = "jwst-readme-table"
HISTORY_SOURCE = "jwst-readme-history"
CHANGELOG_SOURCE = "jwst-changelog"
#: release fields that mirror a README column (jwst_version is the key)
FIELDS = tuple(name for _, name in COLUMNS if name != "jwst_version")
#: build-level fields and the README column of the build's releases that stands for them
BUILD_FIELDS = {
    "crds_context": "crds_context",
    "sdp_version": "sdp_version",
    "operations_installed": "ops_install",
    "candidate_released": "released",
}


@dataclass(frozen=True)
class Finding:
    """One difference between our data and upstream, located in our data."""

    kind: str  # missing, extra, differs, empty, emptied, label-row, recorded, stale-conflict, ...
    drift: bool
    file: str  # the build file that holds (or would hold) the tag
    where: tuple[PathPart, ...]
    tag: str
    field: str  # the field of our data, e.g. crds_context ("" for a whole release)
    ours: str | None
    upstream: str | None
    message: str
    hint: str = ""
    action: str | None = None  # add-release, fill, conflict, also-labelled; None: by hand
    source: str = README_SOURCE  # where the upstream value comes from
    line: int = 0
    col: int = 0

    @property
    def path(self) -> str:
        return field_name(self.where)

    def text(self) -> str:
        place = f"{self.file}:{self.line}:{self.col}" if self.line else self.file
        label = f"{self.path}: " if self.path else ""
        hint = f" ({self.hint})" if self.hint else ""
        return f"{place}: {label}{self.message}{hint}"


@dataclass
class Comparison:
    """The findings, and the rows that --write needs to add releases."""

    findings: list[Finding] = field(default_factory=list)
    rows: dict[str, list[Row]] = field(default_factory=dict)  # tag -> its README rows
    new_builds: dict[str, str | None] = field(default_factory=dict)  # missing tag -> build


def shown(value: Any) -> str:
    """A value as the report prints it: JSON, so null and strings read unambiguously."""
    return json.dumps(value, ensure_ascii=False)


def valid(root: Path, name: str, value: str) -> bool:
    """Whether ``value`` is allowed in release field ``name`` by the build schema."""
    return _validator(root / "schema", name).is_valid(value)


@cache
def _validator(folder: Path, name: str) -> Draft202012Validator:
    schemas = fmt.load_schemas(folder)
    node, _ = field_schema(schemas, "build.schema.json", ("releases", "items", name))
    keep = ("type", "pattern", "format")
    schema = {
        k: v
        for b, _, _ in schemas.branches(node, "build.schema.json")
        for k, v in b.items()
        if k in keep
    }
    return Draft202012Validator(schema, format_checker=Draft202012Validator.FORMAT_CHECKER)


def explained(owner: dict[str, Any], name: str, value: str | None, source: str) -> bool:
    """Whether a conflict of ``owner`` records ``value`` of ``name`` as what ``source`` says.

    Only the upstream source itself explains: if the README now gives the value that a
    conflict credits to another source, the README changed and the record must follow.
    """
    return any(
        c["field"] == name and c["alternative"] == value and c["alternative_source"] == source
        for c in owner.get("conflicts", [])
    )


def main_row(rel: dict[str, Any], rows: list[Row]) -> Row:
    """The README row of a release's own label; with several rows, the others are also_labelled."""
    if len(rows) == 1:
        return rows[0]
    for row in rows:
        if row.raw("dms_label") == rel["dms_label"]:
            return row
    others = {a["dms_label"] for a in rel.get("also_labelled", [])}
    return next((r for r in rows if r.raw("dms_label") not in others), rows[0])
