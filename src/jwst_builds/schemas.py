"""The JSON Schemas in schema/ and the translation of their errors into Problems."""

from __future__ import annotations

import datetime as dt
import difflib
import json
import re
from collections.abc import Iterator
from functools import cache, lru_cache
from pathlib import Path
from typing import Any

from jsonschema import Draft202012Validator, validators
from jsonschema.exceptions import SchemaError as SchemaValidationError
from jsonschema.exceptions import UnknownType, ValidationError
from referencing import Registry, Resource
from referencing.exceptions import Unresolvable as ReferencingError

from .problems import PathPart, Problem, field_name

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


def _pattern(
    validator: Any, pattern: str, instance: Any, schema: dict[str, Any]
) -> Iterator[ValidationError]:
    """The ``pattern`` keyword with ECMA-262 anchors (see :func:`python_pattern`)."""
    if validator.is_type(instance, "string") and not python_pattern(pattern).search(instance):
        yield ValidationError(f"{instance!r} does not match {pattern!r}")


#: Draft 2020-12, with patterns anchored as JSON Schema means them.
Validator: Any = validators.extend(Draft202012Validator, {"pattern": _pattern})  # type: ignore[no-untyped-call]


@cache
def _registry(folder: Path) -> tuple[Registry, dict[str, dict[str, Any]]]:
    by_name: dict[str, dict[str, Any]] = {}
    resources = []
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
        resources.append((schema.get("$id", path.name), Resource.from_contents(schema)))
    return Registry().with_resources(resources), by_name


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
def validator(folder: Path, kind: str) -> Any:
    """A validator for one record type, its references inlined."""
    registry, by_name = _registry(folder)
    name = SCHEMA_FILES[kind]
    if name not in by_name:
        raise SchemaError(f"schema {name} is missing from {folder}")
    try:
        schema = _inline(by_name[name], name, by_name)
    except RecursionError as exc:
        raise SchemaError(f"{name}: a $ref refers to itself") from exc
    return Validator(schema, registry=registry, format_checker=Validator.FORMAT_CHECKER)


def check_schema(folder: Path, kind: str) -> None:
    """SchemaError unless the schema of ``kind`` is valid against its meta-schema.

    Not part of every validation (it costs more than validating the real data); `new`
    runs it before building a skeleton, and validation when a schema breaks it.
    """
    try:
        Validator.check_schema(validator(folder, kind).schema)
    except SchemaValidationError as invalid:
        where = "/".join(str(p) for p in invalid.absolute_path) or "the top level"
        name = SCHEMA_FILES[kind]
        raise SchemaError(f"{name}: invalid at {where}: {short(invalid.message)}") from invalid


def _fault(folder: Path, kind: str, exc: Exception) -> SchemaError:
    """Why a schema broke validation, in one line: the meta-schema's verdict if it has one."""
    try:
        check_schema(folder, kind)
    except SchemaError as invalid:
        return invalid
    first = (str(exc).splitlines() or [""])[0]
    return SchemaError(f"{SCHEMA_FILES[kind]} cannot be used: {type(exc).__name__}: {short(first)}")


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


def schema_problems(folder: Path, kind: str, data: Any, shown: str) -> list[Problem]:
    """Validate one record; every error becomes one Problem."""
    out: list[Problem] = []
    check = validator(folder, kind)
    try:
        for error in check.iter_errors(data):
            out.extend(_to_problems(error, shown))
    except (UnknownType, ReferencingError, LookupError, TypeError, ValueError) as exc:
        raise _fault(folder, kind, exc) from exc  # a broken schema, not broken data
    return out


_TYPE_WORDS = {
    "string": "a string",
    "null": "null",
    "integer": "an integer",
    "number": "a number",
    "boolean": "true or false",
    "array": "a list",
    "object": "a mapping",
}


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
    return f"the string {_repr(value)}"


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


def _is_null_branch(error: ValidationError) -> bool:
    return bool(error.validator == "type" and error.validator_value == "null")


def _pick(error: ValidationError) -> ValidationError:
    """For oneOf/anyOf over 'X or null', report what is wrong with the X branch."""
    while error.validator in ("oneOf", "anyOf") and error.context:
        candidates = [e for e in error.context if not _is_null_branch(e)] or list(error.context)
        error = min(candidates, key=lambda e: (-len(e.absolute_path), str(e.validator)))
    return error


def _to_problems(error: ValidationError, shown: str) -> list[Problem]:
    top = error
    error = _pick(error)
    where: tuple[PathPart, ...] = tuple(error.absolute_path)
    kind = error.validator
    # jsonschema types these as "maybe unset"; they are always set on a real error
    value: Any = error.instance
    spec: Any = error.validator_value
    schema: Any = error.schema
    if kind == "type" or (top is not error and _is_null_branch(top)):
        wanted = spec if kind == "type" else "string"
        wanted_list = wanted if isinstance(wanted, list) else [wanted]
        if top is not error and "null" not in wanted_list:
            wanted_list = [*wanted_list, "null"]
        words = " or ".join(_TYPE_WORDS.get(w, w) for w in wanted_list)
        # The hint needs the raw text; locate() fills {raw} once positions are known.
        return [_p(shown, where, f"expected {words}, got {describe(value)}", "{type_hint}")]
    if kind == "required":
        missing = [m for m in spec if m not in (value or {})]
        return [
            _p(shown, (*where, m), f"missing required field '{m}'", "add it; use null if unknown")
            for m in missing
        ]
    if kind == "additionalProperties":
        allowed = sorted(schema.get("properties", {}))
        out = []
        for key in value:
            if key in allowed:
                continue
            close = difflib.get_close_matches(str(key), allowed, n=1)
            hint = f"did you mean '{close[0]}'?" if close else f"allowed: {', '.join(allowed)}"
            out.append(_p(shown, (*where, str(key)), f"unknown field '{key}'", hint, at_key=True))
        return out
    if kind == "enum":
        options = [str(o) for o in spec]
        close = difflib.get_close_matches(str(value), options, n=1)
        hint = f"did you mean '{close[0]}'?" if close else ""
        if value is None:
            hint = "this field needs a value; null is not allowed here"
        if len(options) > 12:  # a list of 72 steps helps nobody; the hint names the likely one
            listed = f"{_shown(value)} is not one of the {len(options)} allowed values"
            hint = hint or f"see the field's enum in {_schema_file(shown)}"
            return [_p(shown, where, listed, hint)]
        return [_p(shown, where, f"{_shown(value)} is not one of: {', '.join(options)}", hint)]
    if kind == "pattern":
        examples = schema.get("examples") or []
        hint = f'expected the form "{examples[0]}"' if examples else f"pattern {spec}"
        if _LEADING_ZERO.search(value):
            hint += ", without leading zeros"
        if "\n" in value or "\r" in value:
            return [
                _p(
                    shown,
                    where,
                    f"{_repr(value)} holds a line break",
                    f"write it on one line; {hint}",
                )
            ]
        return [_p(shown, where, f"{_repr(value)} is not in the expected form", hint)]
    if kind == "format":
        return [_p(shown, where, f"{_repr(value)} is not a valid {spec}", "")]
    if kind == "const":
        return [_p(shown, where, f"{_repr(value)} must be {spec!r}", "")]
    return [_p(shown, where, error.message, "")]


def _shown(value: Any) -> str:
    """A value as the user wrote it: 'text' quoted, null and numbers as YAML spells them."""
    return _repr(value) if isinstance(value, str) else describe(value)


_LEADING_ZERO = re.compile(r"(?:^|[^0-9])0[0-9]")
#: values longer than this are cut in messages, so that one problem stays one line
_SHOWN_CHARS = 60


def short(text: str, limit: int = _SHOWN_CHARS) -> str:
    """Text cut to ``limit`` characters, with the number of characters left out."""
    return text if len(text) <= limit else f"{text[:limit]}... ({len(text) - limit:,} more)"


def _repr(value: Any) -> str:
    return repr(short(value)) if isinstance(value, str) else repr(value)


def _schema_file(shown: str) -> str:
    folder = shown.split("/", 1)[0]
    kind = {"builds": "build", "issues": "issue"}.get(folder, "")
    return f"schema/{SCHEMA_FILES[kind]}" if kind else "schema/"


def _p(
    shown: str, where: tuple[PathPart, ...], message: str, hint: str, at_key: bool = False
) -> Problem:
    return Problem(
        file=shown,
        field=field_name(where),
        message=message,
        hint=hint,
        where=where,
        at_key=at_key,
    )
