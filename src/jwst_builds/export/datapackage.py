"""datapackage.json: a Frictionless (Tabular) Data Package describing the CSV files."""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from typing import Any

from .columns import TableSpec
from .contract import SCHEMA_VERSION
from .snapshot import Snapshot

#: how the CSV files are written (csvout.py); Table Schema's default line terminator is CRLF
DIALECT = {
    "delimiter": ",",
    "doubleQuote": True,
    "header": True,
    "lineTerminator": "\n",
    "quoteChar": '"',
}


def _field(spec: TableSpec, index: int) -> dict[str, Any]:
    col = spec.columns[index]
    out: dict[str, Any] = {"name": col.name, "type": col.type, "description": col.description}
    if col.type == "boolean":
        out["trueValues"] = ["true"]
        out["falseValues"] = ["false"]
    if col.type == "date":
        out["format"] = "default"  # ISO 8601, YYYY-MM-DD
    constraints = col.constraints()
    if constraints:
        out["constraints"] = constraints
    return out


def _resource(spec: TableSpec, content: bytes) -> dict[str, Any]:
    schema: dict[str, Any] = {
        "fields": [_field(spec, i) for i in range(len(spec.columns))],
        "missingValues": [""],
        "primaryKey": list(spec.primary_key),
    }
    if spec.foreign_keys:
        schema["foreignKeys"] = [
            {"fields": [col], "reference": {"resource": other, "fields": [other_col]}}
            for col, other, other_col in spec.foreign_keys
        ]
    return {
        "name": spec.name,
        "title": spec.title,
        "description": spec.description,
        "path": spec.filename,
        "profile": "tabular-data-resource",
        "format": "csv",
        "mediatype": "text/csv",
        "encoding": "utf-8",
        "bytes": len(content),
        "hash": "sha256:" + hashlib.sha256(content).hexdigest(),
        "dialect": dict(DIALECT),
        "schema": schema,
    }


def descriptor(
    snap: Snapshot, specs: Sequence[TableSpec], files: Mapping[str, bytes]
) -> dict[str, Any]:
    """The package descriptor for the CSV files in ``files`` (name -> content)."""
    package: dict[str, Any] = {
        "name": "jwst-builds",
        "title": "JWST operations pipeline builds, jwst releases and known issues",
        "description": (
            "Every DMS operations build of the JWST Science Calibration Pipeline, every jwst tag "
            "and the known issues of each build, with the sources of each fact. The JSON exports "
            "next to this file hold the full records."
        ),
        "profile": "tabular-data-package",
        # not the package's "version": that would be the data's, which the commit names
        "schema_version": SCHEMA_VERSION,
        "resources": [_resource(s, files[s.filename]) for s in specs],
    }
    if snap.commit.sha:
        package["commit"] = snap.commit.sha
    if snap.commit.date:
        package["created"] = snap.commit.date
    return package
