"""The quick YAML path builds exactly what the careful loader builds, or steps aside."""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import pytest

from jwst_builds import yamlfast
from jwst_builds.yamlio import LoadError
from jwst_builds.yamlparse import parse_carefully, parse_text

from .conftest import CASES, REPO


def typed(value: Any) -> Any:
    """A value with its types spelled out: 1, 1.0 and True differ; NaN equals NaN."""
    if isinstance(value, dict):
        return ("map", [(typed(k), typed(v)) for k, v in value.items()])
    if isinstance(value, list):
        return ("list", [typed(v) for v in value])
    if isinstance(value, float) and math.isnan(value):
        return ("nan",)
    return (type(value).__name__, value)


def _yaml_files() -> list[Path]:
    data = [REPO / "sources.yaml", *sorted((REPO / "builds").glob("*.yaml"))]
    data += sorted((REPO / "issues").glob("*.yaml"))
    cases = [p for p in sorted(CASES.rglob("*")) if p.suffix in (".yaml", ".yml") and p.is_file()]
    return [p for p in data + cases if not p.is_symlink()]


FILES = _yaml_files()


@pytest.mark.parametrize("path", FILES, ids=[p.relative_to(REPO).as_posix() for p in FILES])
def test_quick_path_agrees_with_the_careful_loader(path: Path) -> None:
    try:
        text = path.read_text(encoding="utf-8")
    except (UnicodeDecodeError, OSError):
        pytest.skip("not UTF-8 text: refused before any YAML is read")
    try:
        quick = yamlfast.load(text)
    except yamlfast.Fallback:
        return  # the careful loader decides alone
    try:
        careful = parse_carefully(text, "x.yaml")
    except LoadError as exc:
        # the careful loader refuses only what is not a mapping, which the caller refuses too
        assert not isinstance(quick, dict), exc.problem.text()
        return
    assert typed(quick) == typed(careful)


@pytest.mark.parametrize(
    "path",
    [REPO / "sources.yaml", *sorted((REPO / "builds").glob("*.yaml"))][:5]
    + sorted((REPO / "issues").glob("*.yaml"))[:5],
    ids=lambda p: p.name,
)
def test_real_records_take_the_quick_path(path: Path) -> None:
    """Canonical records hold nothing unusual: the speed of validate depends on it."""
    assert isinstance(yamlfast.load(path.read_text(encoding="utf-8")), dict)


# What YAML 1.2 (ruamel's default) makes of plain scalars, written from the spec.
SCALARS = [
    ("yes", "yes"),  # a boolean only in YAML 1.1
    ("on", "on"),
    ("true", True),
    ("False", False),
    ("~", None),
    ("null", None),
    ("", None),
    ("42", 42),
    ("-7", -7),
    ("0x1F", 31),
    ("0o17", 15),
    ("1.5", 1.5),
    ("1e3", 1000.0),
    ("-.inf", -math.inf),
    ("10.2", 10.2),
    ("1.14.0", "1.14.0"),
    ("jwst_1240.pmap", "jwst_1240.pmap"),
]


@pytest.mark.parametrize(("written", "expected"), SCALARS, ids=[w or "empty" for w, _ in SCALARS])
def test_plain_scalars_resolve_as_yaml_1_2_says(written: str, expected: Any) -> None:
    data = yamlfast.load(f"key: {written}\n")
    assert typed(data["key"]) == typed(expected)
    assert typed(data) == typed(parse_carefully(f"key: {written}\n", "x.yaml"))


def test_quoted_and_block_scalars_stay_text() -> None:
    text = "a: '42'\nb: \"true\"\nc: |\n  one\n  two\nd: >\n  folded\n  text\ne: [1, '2']\n"
    assert yamlfast.load(text) == {
        "a": "42",
        "b": "true",
        "c": "one\ntwo\n",
        "d": "folded text\n",
        "e": [1, "2"],
    }


STEP_ASIDE = {
    "anchor": "a: &x 1\nb: 2\n",
    "alias": "a: &x 1\nb: *x\n",
    "tag": "a: !!str 1\n",
    "local tag": "a: !thing 1\n",
    "merge key": "base: {x: 1}\nother:\n  <<: {x: 2}\n",
    "duplicate key": "a: 1\na: 2\n",
    "number as key": "1: a\n",
    "null as key": "~: a\n",
    "list as key": "? [a]\n: b\n",
    "unquoted date": "released: 2024-03-25\n",
    "impossible date": "released: 2016-02-30\n",
    "YAML directive": "%YAML 1.1\n---\na: yes\n",
    "two documents": "a: 1\n---\nb: 2\n",
    "syntax error": "a: [1, 2\n",
    "tab indentation": "a:\n\t- 1\n",
    "long number": "a: " + "9" * 101 + "\n",
    "deep nesting": "a: " + "[" * 25 + "]" * 25 + "\n",
}


@pytest.mark.parametrize("text", STEP_ASIDE.values(), ids=STEP_ASIDE.keys())
def test_anything_unusual_takes_the_careful_path(text: str) -> None:
    with pytest.raises(yamlfast.Fallback):
        yamlfast.load(text)


@pytest.mark.parametrize("name", ["alias", "duplicate key", "merge key", "deep nesting"])
def test_the_careful_path_still_reports_what_it_refuses(name: str) -> None:
    """parse_text gives the same located problem as before there was a quick path."""
    with pytest.raises(LoadError) as quick_then_careful:
        parse_text(STEP_ASIDE[name], "x.yaml")
    with pytest.raises(LoadError) as careful:
        parse_carefully(STEP_ASIDE[name], "x.yaml")
    assert quick_then_careful.value.problem == careful.value.problem


def test_mappings_of_one_shape_share_their_keys() -> None:
    """Each release of a build has the same keys in the same order: the quick path gives
    them one key table, which must leave them plain, equal, independent dicts."""
    import tracemalloc

    text = (REPO / "builds" / "10.2.yaml").read_text(encoding="utf-8")
    careful = parse_carefully(text, "builds/10.2.yaml")
    quick = yamlfast.load(text)
    assert quick == careful
    releases = quick["releases"]
    assert all(type(rel) is dict for rel in releases)
    releases[0]["added later"] = 1  # a key outside the shape: that dict alone changes
    assert "added later" not in releases[1]
    assert list(releases[1]) == list(careful["releases"][1])

    shape = {f"key{i}": i for i in range(11)}
    tracemalloc.start()
    shared = [yamlfast._compact(dict(shape)) for _ in range(2000)]
    compact, _ = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    tracemalloc.start()
    plain = [dict(shape) for _ in range(2000)]
    full, _ = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert shared == plain
    assert compact < 0.6 * full


def test_small_mappings_are_left_as_they_are() -> None:
    small = {"a": 1, "b": 2}
    assert yamlfast._compact(small) is small
