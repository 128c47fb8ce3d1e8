"""The JSON Schemas in schema/: loading, a compiled check, and the words for values.

Whether a record passes is decided by a compiled validator (jsonschema-rs) when
it is installed: it is many times faster than jsonschema and answers in the same
way for every pattern and format our schemas use (tests/test_schema_paths.py runs
both over every case). Only a record that fails is validated again by jsonschema,
imported only then, whose errors :mod:`jwst_builds.schemaerrors` turns into the
project's messages.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from functools import cache, lru_cache
from pathlib import Path
from typing import Any

from .problems import Problem

#: record type -> schema file name in schema/
SCHEMA_FILES = {
    "build": "build.schema.json",
    "issue": "issue.schema.json",
    "inflight": "inflight-contexts.schema.json",
    "sources": "sources.schema.json",
}


class SchemaError(Exception):
    """The schema folder itself is broken: a usage problem, not a data problem."""


@lru_cache(maxsize=256)
def python_pattern(pattern: str) -> re.Pattern[str]:
    """A JSON Schema (ECMA-262) pattern as a Python regular expression.

    In ECMA-262 ``$`` matches only at the end of the text; in Python it also
    matches before a final line break, so ``^[0-9]+$`` would accept "10\\n".
    Every ``$`` outside a character class becomes ``\\Z``, Python's end of text.
    """
    out: list[str] = []
    in_class = escaped = False
    for ch in pattern:
        if escaped:
            escaped = False
        elif ch == "\\":
            escaped = True
        elif ch == "[" and not in_class:
            in_class = True
        elif ch == "]" and in_class:
            in_class = False
        elif ch == "$" and not in_class:
            out.append(r"\Z")
            continue
        out.append(ch)
    return re.compile("".join(out))


@cache
def documents(folder: Path) -> dict[str, dict[str, Any]]:
    """Every schema of the folder by file name; SchemaError for one that cannot be used."""
    import json  # here: a run answered from the cache reads no schema

    by_name: dict[str, dict[str, Any]] = {}
    for path in sorted(folder.glob("*.schema.json")):
        try:
            schema = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise SchemaError(f"cannot read schema {path}: {exc}") from exc
        if not isinstance(schema, dict):
            kind = type(schema).__name__
            raise SchemaError(f"schema {path}: the top level is a {kind}, not an object")
        try:  # every pattern, used or not, must be a regular expression
            for pattern in _patterns(schema):
                python_pattern(pattern)
        except re.error as exc:
            raise SchemaError(f"{path.name}: invalid pattern {pattern!r}: {exc}") from exc
        by_name[path.name] = schema
    return by_name


def _inline(node: Any, doc: str, by_name: dict[str, dict[str, Any]]) -> Any:
    """Replace every $ref by a copy of its target (our schemas are not recursive).

    jsonschema resolves a $ref through the registry on every visit; with the
    references inlined once, validating a build file is several times faster.
    """
    if isinstance(node, list):
        return [_inline(item, doc, by_name) for item in node]
    if not isinstance(node, dict):
        return node
    if "$ref" in node:
        target_doc, _, pointer = node["$ref"].partition("#")
        target_doc = target_doc.rsplit("/", 1)[-1] or doc
        if target_doc not in by_name:
            raise SchemaError(f"{doc}: $ref {node['$ref']} names no schema in the folder")
        target: Any = by_name[target_doc]
        for part in filter(None, pointer.split("/")):
            if not isinstance(target, dict) or part not in target:
                raise SchemaError(f"{doc}: $ref {node['$ref']} points to nothing")
            target = target[part]
        merged = dict(_inline(target, target_doc, by_name))
        merged.update({k: _inline(v, doc, by_name) for k, v in node.items() if k != "$ref"})
        return merged
    return {k: _inline(v, doc, by_name) for k, v in node.items()}


@cache
def inlined(folder: Path, kind: str) -> dict[str, Any]:
    """The schema of one record type with every $ref replaced by its target."""
    by_name = documents(folder)
    name = SCHEMA_FILES[kind]
    if name not in by_name:
        raise SchemaError(f"schema {name} is missing from {folder}")
    try:
        return dict(_inline(by_name[name], name, by_name))
    except RecursionError as exc:
        raise SchemaError(f"{name}: a $ref refers to itself") from exc


@cache
def compiled(folder: Path, kind: str) -> Any:
    """jsonschema-rs's validator for one record type, or None (not installed, or a
    schema it cannot take: jsonschema then checks every record and explains)."""
    try:
        import jsonschema_rs
    except ImportError:
        return None
    try:
        return jsonschema_rs.validator_for(inlined(folder, kind), validate_formats=True)
    except Exception:  # a schema it refuses: the reference path reports what is wrong
        return None


def passes(folder: Path, kind: str, data: Any) -> bool:
    """Whether the compiled validator accepts ``data``; False when it cannot tell."""
    check = compiled(folder, kind)
    if check is None:
        return False
    try:
        return bool(check.is_valid(data))
    except Exception:  # a value it cannot take (a date, a huge number): ask jsonschema
        return False


def schema_problems(folder: Path, kind: str, data: Any, shown: str) -> list[Problem]:
    """Validate one record; every error becomes one Problem (none when it passes)."""
    if passes(folder, kind, data):
        return []
    from .schemaerrors import problems

    return problems(folder, kind, data, shown)


def _patterns(node: Any) -> Iterator[str]:
    """Every ``pattern`` of a schema (inlined: no $ref left)."""
    if isinstance(node, dict):
        if isinstance(node.get("pattern"), str):
            yield node["pattern"]
        for value in node.values():
            yield from _patterns(value)
    elif isinstance(node, list):
        for value in node:
            yield from _patterns(value)


def describe(value: Any) -> str:
    """How YAML read a value, in words."""
    if isinstance(value, bool):
        return f"the boolean {str(value).lower()}"
    if isinstance(value, (int, float)):
        return f"the number {short(str(value))}"
    if isinstance(value, dt.datetime):
        return f"the timestamp {value.isoformat(sep=' ')}"
    if isinstance(value, dt.date):
        return f"the date {value.isoformat()}"
    if value is None:
        return "null"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return f"the string {quote(value)}"


def type_hint(value: Any, raw: str | None, field: str = "") -> str:
    """Hints for the classic YAML traps. ``raw`` is the text as written, when known."""
    shown = short(raw if raw else str(value))
    if (
        field.endswith("crds_context")
        and isinstance(value, int)
        and not isinstance(value, bool)
        and 0 <= value < 10_000
    ):
        return f'write the full context name, quoted: "jwst_{value:04d}.pmap"'
    if isinstance(value, float) and raw and raw != repr(value):
        return f'YAML reads {shown} as the number {short(repr(value))}; quote it: "{shown}"'
    if isinstance(value, int) and not isinstance(value, bool) and raw and raw.startswith("0"):
        return f'YAML reads {shown} as the number {short(str(value))}, losing the zero; quote it: "{shown}"'
    if isinstance(value, (dt.date, dt.datetime)):
        return f'YAML reads an unquoted date as a timestamp; quote it: "{shown}"'
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return f'quote it: "{shown}"'
    if isinstance(value, bool):
        return f"YAML reads {shown} as a boolean; quote it if you mean text"
    return ""


#: values longer than this are cut in messages, so that one problem stays one line
_SHOWN_CHARS = 60


def short(text: str, limit: int = _SHOWN_CHARS) -> str:
    """Text cut to ``limit`` characters, with the number of characters left out."""
    return text if len(text) <= limit else f"{text[:limit]}... ({len(text) - limit:,} more)"


def quote(value: Any) -> str:
    return repr(short(value)) if isinstance(value, str) else repr(value)
