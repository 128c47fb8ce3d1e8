"""Why a record fails its schema, in the project's words: jsonschema's errors as Problems.

Imported only when the compiled check in :mod:`jwst_builds.schemas` rejects a
record (or cannot run), so that a clean run never pays for jsonschema.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterator
from functools import cache
from pathlib import Path
from typing import Any

from jsonschema import Draft202012Validator, validators
from jsonschema.exceptions import SchemaError as SchemaValidationError
from jsonschema.exceptions import UnknownType, ValidationError
from referencing import Registry, Resource
from referencing.exceptions import Unresolvable as ReferencingError

from .problems import PathPart, Problem, field_name
from .schemas import (
    SCHEMA_FILES,
    SchemaError,
    describe,
    documents,
    inlined,
    python_pattern,
    quote,
    short,
)


def _pattern(
    validator: Any, pattern: str, instance: Any, schema: dict[str, Any]
) -> Iterator[ValidationError]:
    """The ``pattern`` keyword with ECMA-262 anchors (see :func:`python_pattern`)."""
    if validator.is_type(instance, "string") and not python_pattern(pattern).search(instance):
        yield ValidationError(f"{instance!r} does not match {pattern!r}")


#: Draft 2020-12, with patterns anchored as JSON Schema means them.
Validator: Any = validators.extend(Draft202012Validator, {"pattern": _pattern})  # type: ignore[no-untyped-call]


@cache
def _registry(folder: Path) -> Registry:
    by_name = documents(folder)
    return Registry().with_resources(
        (schema.get("$id", name), Resource.from_contents(schema))
        for name, schema in by_name.items()
    )


@cache
def validator(folder: Path, kind: str) -> Any:
    """A jsonschema validator for one record type, its references inlined."""
    schema = inlined(folder, kind)
    return Validator(schema, registry=_registry(folder), format_checker=Validator.FORMAT_CHECKER)


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


def problems(folder: Path, kind: str, data: Any, shown: str) -> list[Problem]:
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
                    f"{quote(value)} holds a line break",
                    f"write it on one line; {hint}",
                )
            ]
        return [_p(shown, where, f"{quote(value)} is not in the expected form", hint)]
    if kind == "format":
        return [_p(shown, where, f"{quote(value)} is not a valid {spec}", "")]
    if kind == "const":
        return [_p(shown, where, f"{quote(value)} must be {spec!r}", "")]
    return [_p(shown, where, error.message, "")]


def _shown(value: Any) -> str:
    """A value as the user wrote it: 'text' quoted, null and numbers as YAML spells them."""
    return quote(value) if isinstance(value, str) else describe(value)


_LEADING_ZERO = re.compile(r"(?:^|[^0-9])0[0-9]")


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
