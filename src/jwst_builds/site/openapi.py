"""The OpenAPI 3.1 description of the static API, made from the JSON Schemas in schema/.

schema/api.schema.json describes the API documents and borrows the build, release,
issue and source objects from schema/export.schema.json. OpenAPI 3.1 schemas are
JSON Schema 2020-12, so both files' ``$defs`` become ``components.schemas`` as they
are, with their references pointed at the new place: the description is one
self-contained file that client generators read without fetching anything.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from ..export.contract import EXPORT_SCHEMA
from ..schemas import SchemaError
from .contract import API_SCHEMA, API_VERSION

#: (path under the API root, component of its document, summary, path parameter or None)
PATHS: tuple[tuple[str, str, str, tuple[str, str] | None], ...] = (
    ("/index.json", "Index", "What the API holds; vocabulary for questions", None),
    ("/builds.json", "BuildList", "Every build with its releases", None),
    ("/builds/{build}.json", "BuildDocument", "One build in full", ("build", "A build id: 10.2")),
    (
        "/releases/{version}.json",
        "ReleaseDocument",
        "One jwst release, its build, context, dates and the known issues that apply to it",
        ("version", "A jwst version (CAL_VER): 1.14.0"),
    ),
    (
        "/issues.json",
        "IssueList",
        "Every known issue with the fields that decide where it applies",
        None,
    ),
    (
        "/issues/{issue}.json",
        "IssueDocument",
        "One known issue in full",
        ("issue", "A known-issue id: nircam-bad-pixel-clumps"),
    ),
    (
        "/operations.json",
        "OperationsDocument",
        "The build in operations now, and since when each was",
        None,
    ),
)

_COMPONENTS = "#/components/schemas/"


def _rewrite(node: Any, where: str) -> Any:
    """A copy of ``node`` with every ``$ref`` into either schema file made a component ref."""
    if isinstance(node, list):
        return [_rewrite(item, where) for item in node]
    if not isinstance(node, dict):
        return node
    out = {}
    for key, value in node.items():
        if key == "$ref":
            doc, _, pointer = value.partition("#")
            if doc not in ("", EXPORT_SCHEMA) or not pointer.startswith("/$defs/"):
                raise SchemaError(
                    f"{where}: $ref {value} points outside {API_SCHEMA} and {EXPORT_SCHEMA}"
                )
            out[key] = _COMPONENTS + pointer.removeprefix("/$defs/")
        else:
            out[key] = _rewrite(value, where)
    return out


def _read(folder: Path, name: str) -> dict[str, Any]:
    try:
        data: dict[str, Any] = json.loads((folder / name).read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise SchemaError(f"cannot read schema {folder / name}: {exc}") from exc
    return data


def components(schema_folder: Path) -> dict[str, Any]:
    """Every ``$defs`` entry of the two schema files, by name (names must not collide)."""
    out: dict[str, Any] = {}
    for name in (EXPORT_SCHEMA, API_SCHEMA):
        for key, node in _read(schema_folder, name)["$defs"].items():
            if key in out:
                raise SchemaError(f"{name}: $defs/{key} is also defined in {EXPORT_SCHEMA}")
            out[key] = _rewrite(node, f"{name}#/$defs/{key}")
    return out


def _operation(component: str, summary: str, param: tuple[str, str] | None) -> dict[str, Any]:
    op: dict[str, Any] = {
        "summary": summary,
        "operationId": "get" + component,
        "responses": {
            "200": {
                "description": summary,
                "content": {"application/json": {"schema": {"$ref": _COMPONENTS + component}}},
            },
            "404": {"description": "No such document (the static host's own page)."},
        },
    }
    if param is not None:
        name, description = param
        op["parameters"] = [
            {
                "name": name,
                "in": "path",
                "required": True,
                "description": description,
                "schema": {"type": "string"},
            }
        ]
    return op


def description(schema_folder: Path) -> dict[str, Any]:
    """The whole OpenAPI 3.1 document."""
    api = _read(schema_folder, API_SCHEMA)
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "jwst-builds static API",
            "version": API_VERSION,
            "summary": "JWST calibration-pipeline builds, jwst releases and known issues of JWST data products.",
            "description": api["description"]
            + " Every document is a static file: fetch it with GET, there is nothing to send.",
            "license": {"name": "BSD-3-Clause", "identifier": "BSD-3-Clause"},
        },
        "servers": [{"url": ".", "description": "The folder that holds this description."}],
        "paths": {
            path: {"get": _operation(component, summary, param)}
            for path, component, summary, param in PATHS
        },
        "components": {"schemas": components(schema_folder)},
    }
