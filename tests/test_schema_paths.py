"""The compiled check (jsonschema-rs) and jsonschema give the same verdict on every record.

Whether a record passes is decided by the compiled validator; jsonschema only explains
the failures. If the two ever disagreed, a record could pass that jsonschema would
refuse, or fail with no message: these tests run both over every valid and invalid case.
"""

from __future__ import annotations

import copy
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from jwst_builds import schemas
from jwst_builds.schemaerrors import validator
from jwst_builds.yamlio import LoadError
from jwst_builds.yamlparse import parse_text

from .conftest import CASES, REPO

SCHEMA = REPO / "schema"
KIND_OF_FOLDER = {"builds": "build", "issues": "issue"}
KIND_OF_FILE = {"sources.yaml": "sources", "inflight-contexts.yaml": "inflight"}


def _kind(path: Path) -> str | None:
    return KIND_OF_FILE.get(path.name) or KIND_OF_FOLDER.get(path.parent.name)


def _records() -> list[tuple[str, str, Any]]:
    """(label, kind, data) of every real record and every case file that parses."""
    paths = [REPO / "sources.yaml", REPO / "inflight-contexts.yaml"]
    paths += sorted((REPO / "builds").glob("*.yaml")) + sorted((REPO / "issues").glob("*.yaml"))
    paths += [p for p in sorted(CASES.rglob("*.y*ml")) if p.is_file() and not p.is_symlink()]
    out = []
    for path in paths:
        kind = _kind(path)
        if kind is None or not path.exists():
            continue
        try:
            data = parse_text(path.read_text(encoding="utf-8"), path.name)
        except (LoadError, UnicodeDecodeError):
            continue  # refused before any schema is asked
        out.append((path.relative_to(REPO).as_posix(), kind, data))
    return out


RECORDS = _records()


def both(kind: str, data: Any) -> tuple[bool, bool]:
    return schemas.passes(SCHEMA, kind, data), validator(SCHEMA, kind).is_valid(data)


def test_the_compiled_validator_is_in_use() -> None:
    """Installed as a dependency: without it every record would take the slow path."""
    assert schemas.compiled(SCHEMA, "issue") is not None


@pytest.mark.parametrize(("label", "kind", "data"), RECORDS, ids=[r[0] for r in RECORDS])
def test_same_verdict_on_every_case(label: str, kind: str, data: Any) -> None:
    compiled, reference = both(kind, data)
    assert compiled == reference


def test_the_cases_include_failures() -> None:
    """The comparison above means something only if some cases fail their schema."""
    verdicts = [both(kind, data)[1] for _, kind, data in RECORDS]
    assert True in verdicts and False in verdicts


# Values that trip one engine and not the other if their rules differ: ECMA-262 `$`
# (no final line break), formats, integers written as floats, very large numbers.
EDITS: list[tuple[str, tuple[Any, ...], Any]] = [
    ("version with a final line break", ("releases", 0, "jwst_version"), "1.14.0\n"),
    ("context with a final line break", ("releases", 0, "crds_context"), "jwst_1240.pmap\n"),
    ("impossible date", ("releases", 0, "released"), "2016-02-30"),
    ("leap day", ("releases", 0, "released"), "2024-02-29"),
    ("non-leap day", ("releases", 0, "released"), "2023-02-29"),
    ("date with a time", ("releases", 0, "released"), "2024-03-25T00:00:00"),
    ("date in other digits", ("releases", 0, "released"), "２０２４-03-25"),
    ("whole float as integer", ("releases", 0, "candidate"), 2.0),
    ("float as integer", ("releases", 0, "candidate"), 2.5),
    ("boolean as integer", ("releases", 0, "candidate"), True),
    ("huge integer", ("releases", 0, "candidate"), 10**40),
    ("id of another form", ("id",), "10.2.1"),
    ("unknown field", ("releases", 0, "colour"), "blue"),
    ("null status", ("status",), None),
]


def _edited(data: dict[str, Any], where: tuple[Any, ...], value: Any) -> dict[str, Any]:
    out = copy.deepcopy(data)
    node: Any = out
    for part in where[:-1]:
        node = node[part]
    node[where[-1]] = value
    return out


def _real_builds() -> Iterator[dict[str, Any]]:
    for path in sorted((REPO / "builds").glob("*.yaml"))[-3:]:
        yield parse_text(path.read_text(encoding="utf-8"), path.name)


@pytest.mark.parametrize(("label", "where", "value"), EDITS, ids=[e[0] for e in EDITS])
def test_same_verdict_on_edge_values(label: str, where: tuple[Any, ...], value: Any) -> None:
    for data in _real_builds():
        compiled, reference = both("build", _edited(data, where, value))
        assert compiled == reference, label


@pytest.mark.parametrize(
    "value", ["2024-03-25", "2024-02-29", "2023-02-29", "2024-13-01", "24-03-25", ""]
)
def test_issue_dates_agree(value: str) -> None:
    path = sorted((REPO / "issues").glob("*.yaml"))[0]
    data = parse_text(path.read_text(encoding="utf-8"), path.name)
    data["last_reviewed"] = value
    compiled, reference = both("issue", data)
    assert compiled == reference


def test_a_record_the_compiled_validator_cannot_take_goes_to_jsonschema() -> None:
    """A date object (an unquoted date) is not JSON: jsonschema decides and explains."""
    import datetime as dt

    data = next(_real_builds())
    data = _edited(data, ("releases", 0, "released"), dt.date(2024, 3, 25))
    assert schemas.passes(SCHEMA, "build", data) is False
    found = schemas.schema_problems(SCHEMA, "build", data, "builds/x.yaml")
    assert [p.field for p in found] == ["releases[0].released"]
    assert found[0].message == "expected a string or null, got the date 2024-03-25"
