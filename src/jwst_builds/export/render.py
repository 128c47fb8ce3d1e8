"""Render every export file in memory, from one snapshot of the data."""

from __future__ import annotations

from pathlib import Path

from . import csvout, datapackage, jsonout, markdown, tables
from .columns import BUILDS, ISSUES, RELEASES
from .contract import EXPORT_SCHEMA
from .snapshot import Snapshot


def render(snap: Snapshot, schema_folder: Path) -> dict[str, bytes]:
    """File name -> content of every export file (UTF-8, ``\\n`` line endings)."""
    text = {
        RELEASES.filename: csvout.render(RELEASES, tables.release_rows(snap)),
        BUILDS.filename: csvout.render(BUILDS, tables.build_rows(snap)),
        ISSUES.filename: csvout.render(ISSUES, tables.issue_rows(snap)),
        "builds.json": jsonout.dumps(jsonout.builds_document(snap)),
        "issues.json": jsonout.dumps(jsonout.issues_document(snap)),
        "builds.md": markdown.builds_md(snap),
        "releases.md": markdown.releases_md(snap),
        "issues.md": markdown.issues_md(snap),
    }
    files = {name: content.encode("utf-8") for name, content in text.items()}
    package = datapackage.descriptor(snap, [RELEASES, BUILDS, ISSUES], files)
    files["datapackage.json"] = jsonout.dumps(package).encode("utf-8")
    # The contract travels with the data it describes.
    files[EXPORT_SCHEMA] = (schema_folder / EXPORT_SCHEMA).read_bytes()
    return files
