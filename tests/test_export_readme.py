"""releases.csv agrees with the jwst README build table, field by field.

The README table is read from the shared reference folder next to the checkout
(``../shared/reference/jwst_readme_build_table.csv``); the test is skipped when
that folder is absent. A difference is accepted only where the release records
a disagreement (``conflicts``) on that very field.
"""

from __future__ import annotations

import csv

import pytest
from click.testing import CliRunner

from jwst_builds.cli import cli
from jwst_builds.dataset import load

from .conftest import REPO

README_TABLE = REPO.parent / "shared" / "reference" / "jwst_readme_build_table.csv"
#: the row that separates post-launch tags (above) from pre-launch ones (below)
SEPARATOR = "Pre-launch releases"
#: README column -> (releases.csv column, record field that a conflict names)
FIELDS = {
    "DMS build": ("dms_build", "dms_label"),
    "SDP_VER": ("sdp_version", "sdp_version"),
    "CRDS_CONTEXT": ("crds_context", "crds_context"),
    "Released": ("released", "released"),
    "Ops Install": ("ops_install", "ops_install"),
    "Notes": ("note", "note"),
}

pytestmark = pytest.mark.skipif(
    not README_TABLE.is_file(),
    reason=f"the reference copy of the jwst README table is not here ({README_TABLE})",
)


def _context(cell: str) -> str:
    """The README writes contexts as 1240 or 0800; the export as jwst_1240.pmap."""
    return f"jwst_{cell}.pmap" if cell else ""


def _readme() -> dict[str, list[dict[str, str]]]:
    """README rows by jwst tag (0.8.0 has two), each with a pre_launch flag added."""
    rows: dict[str, list[dict[str, str]]] = {}
    pre_launch = False
    with open(README_TABLE, newline="", encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            if row["jwst tag"] == SEPARATOR:
                pre_launch = True
                continue
            row["pre_launch"] = "true" if pre_launch else "false"
            row["CRDS_CONTEXT"] = _context(row["CRDS_CONTEXT"])
            rows.setdefault(row["jwst tag"], []).append(row)
    return rows


@pytest.fixture(scope="module")
def ours(tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict[str, str]]:
    """releases.csv of the real data, by jwst tag."""
    out = tmp_path_factory.mktemp("readme") / "out"
    result = CliRunner().invoke(cli, ["--root", str(REPO), "export", "--out", str(out)])
    assert 0 == result.exit_code, result.output
    with open(out / "releases.csv", newline="", encoding="utf-8") as fh:
        return {row["jwst_version"]: row for row in csv.DictReader(fh)}


def _disputed() -> dict[str, set[str]]:
    """Fields with a recorded disagreement, by jwst tag (release-level conflicts only)."""
    return {
        rel["jwst_version"]: {c["field"] for c in rel.get("conflicts", [])}
        for _, rel in load(REPO).releases()
    }


def test_same_tags_as_the_readme(ours: dict[str, dict[str, str]]) -> None:
    """releases.csv has one row per README tag: none missing, none extra."""
    assert sorted(_readme()) == sorted(ours)


def _differences(
    readme: dict[str, list[dict[str, str]]],
    ours: dict[str, dict[str, str]],
    disputed: dict[str, set[str]],
) -> list[tuple[str, str, str, str]]:
    """(tag, column, ours, README) for every value that differs without a recorded conflict."""
    found = []
    for tag, rows in sorted(readme.items()):
        mine = ours.get(tag)
        if mine is None:
            continue  # reported by test_same_tags_as_the_readme
        # A tag with several README rows: compare with the row of our main label.
        main = next((r for r in rows if r["DMS build"] == mine["dms_build"]), rows[0])
        for column, (name, field) in FIELDS.items():
            if main[column] != mine[name] and field not in disputed.get(tag, set()):
                found.append((tag, name, mine[name], main[column]))
        if main["pre_launch"] != mine["pre_launch"]:
            found.append((tag, "pre_launch", mine["pre_launch"], main["pre_launch"]))
    return found


def test_fields_agree_with_the_readme(ours: dict[str, dict[str, str]]) -> None:
    """Label, SDP_VER, context, dates, notes and launch side match unless a conflict says why."""
    assert [] == _differences(_readme(), ours, _disputed())


def test_a_difference_is_excused_only_by_a_conflict_on_that_field() -> None:
    """The comparison reports a changed value, unless that release disputes that very field."""
    readme_row = {"DMS build": "B1.0", "SDP_VER": "", "CRDS_CONTEXT": "jwst_0001.pmap",
                  "Released": "2020-01-01", "Ops Install": "", "Notes": "README note",
                  "pre_launch": "false"}  # fmt: skip
    mine = {"dms_build": "B1.0", "sdp_version": "", "crds_context": "jwst_0001.pmap",
            "released": "2020-01-01", "ops_install": "", "note": "our note",
            "pre_launch": "false"}  # fmt: skip
    readme, ours = {"0.1.0": [readme_row]}, {"0.1.0": mine}
    expected: tuple[list[tuple[str, str, str, str]], ...] = (
        [("0.1.0", "note", "our note", "README note")],
        [],
        [("0.1.0", "note", "our note", "README note")],
    )
    actual = (
        _differences(readme, ours, {}),
        _differences(readme, ours, {"0.1.0": {"note"}}),
        _differences(readme, ours, {"0.1.0": {"released"}}),
    )
    assert expected == actual


def test_tags_listed_twice_keep_every_label(ours: dict[str, dict[str, str]]) -> None:
    """A tag with several README rows keeps the other labels in also_labelled."""
    expected = {
        tag: sorted(r["DMS build"] for r in rows)
        for tag, rows in _readme().items()
        if len(rows) > 1
    }
    actual = {
        tag: sorted([ours[tag]["dms_build"], *ours[tag]["also_labelled"].split(";")])
        for tag in expected
        if tag in ours
    }
    assert expected == actual
