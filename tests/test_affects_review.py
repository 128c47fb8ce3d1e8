"""The review set: realistic questions whose answers were written from the sources.

Each file in tests/cases/affects/ is one product (CAL_VER, CRDS_CTX, instrument,
EXP_TYPE, subarray ...) with the known issues that must apply (and how: yes or
possibly), the ones that must not, and for each the source and what it says that
decides it. The expectations were written by reading the sources, not by running the
tool; the tool must agree with them.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from ruamel.yaml import YAML

from jwst_builds import dataset, query

REPO = Path(__file__).resolve().parent.parent
CASES = sorted((Path(__file__).resolve().parent / "cases" / "affects").glob("*.yaml"))

_DS: list[dataset.Dataset] = []


def _data() -> dataset.Dataset:
    if not _DS:
        _DS.append(dataset.load(REPO))
    return _DS[0]


def _case(path: Path) -> dict[str, Any]:
    data: dict[str, Any] = YAML(typ="safe").load(path.read_text(encoding="utf-8"))
    return data


def test_the_review_set_is_broad() -> None:
    """At least 40 questions, every instrument, old and new builds, with and without CRDS_CTX."""
    cases = [_case(p) for p in CASES]
    instruments = {c["question"].get("instrument") for c in cases}
    versions = {c["question"]["cal_ver"] for c in cases}
    assert len(cases) >= 40
    assert {"NIRCam", "NIRSpec", "NIRISS", "MIRI"} <= instruments
    assert any(v.startswith("1.5.") or v.startswith("1.4.") for v in versions)  # 2022
    assert any(v.startswith("2.") or v.startswith("3.") for v in versions)  # 2026
    assert any("crds_ctx" in c["question"] for c in cases)


@pytest.mark.parametrize("path", CASES, ids=[p.stem for p in CASES])
def test_review_case(path: Path) -> None:
    """The answer lists every issue the sources say applies, and none they rule out."""
    case = _case(path)
    ds = _data()
    for item in [*case.get("must", []), *case.get("must_not", [])]:
        assert item["id"] in ds.issues, f"{path.name}: no record {item['id']}"
        assert item["source"] in ds.sources, f"{path.name}: unknown source {item['source']}"
        assert len(item["because"]) >= 20
    doc = query.affects(ds, query.Question(**case["question"]), include_all=True)
    got = {i["id"]: i["applies"] for i in doc["issues"]}
    wanted = {m["id"]: m["applies"] for m in case.get("must", [])}
    assert wanted == {k: got.get(k) for k in wanted}
    assert [] == [m["id"] for m in case.get("must_not", []) if m["id"] in got]
    # the state of the pipeline's remedy in the product's own release (default: already applied)
    states = {
        i["id"]: {m["in_your_release"] for m in i["mitigations"]}
        for i in doc["issues"]
        if i["id"] in case.get("remedy_in_your_release", {})
    }
    for ident, state in case.get("remedy_in_your_release", {}).items():
        assert state in states.get(ident, set()), f"{ident}: {states.get(ident)}"
