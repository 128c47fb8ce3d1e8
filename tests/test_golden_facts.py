"""The golden exports agree with facts written by hand from the fixture's YAML.

tests/golden/export/ holds what `jwst-builds export` writes for tests/cases/export/, and
test_export.py checks every export against it byte for byte. That alone would pass for
any golden file the code itself wrote. Here the goldens are checked against values read
off the fixture records by a person, never produced by running the code: the rows of
releases.csv in full, and the columns of builds.csv and issues.csv that the rules of the
issue model decide (which builds an issue affects, which build fixed it).

scripts/update_goldens.py (``nox -s goldens``) runs these tests against a new export
before it replaces the goldens, so wrong goldens cannot be written by regenerating them.
It points them at the new files with JWST_BUILDS_GOLDEN_DIR.
"""

from __future__ import annotations

import csv
import json
import os
import re
from pathlib import Path

import pytest

GOLDEN = Path(
    os.environ.get("JWST_BUILDS_GOLDEN_DIR")
    or Path(__file__).resolve().parent / "golden" / "export"
)

# releases.csv: every row, from tests/cases/export/builds/*.yaml. A value the fixture
# leaves null is empty; lists are joined with ';' (docs/exports.md).
RELEASE_COLUMNS = [
    "jwst_version",
    "build",
    "dms_build",
    "kind",
    "sdp_version",
    "crds_context",
    "released",
    "ops_install",
    "build_status",
    "note",
    "dms_version",
    "candidate",
    "pre_launch",
    "also_labelled",
    "disputed",
    "sources",
]
RELEASES = [
    # 6.9.yaml: a pre-launch build with one final tag and a second README label
    ("0.0.9", "6.9", "B6.9", "final", "2016_2", "jwst_0050.pmap", "2016-12-13", "",
     "archived", "=1+1 looks like a formula", "6.9", "", "true", "B6.9.1", "", "table"),
    # 7.0.yaml: rc1, final (its release date disputed), a PyPI-only tag
    ("0.1.0", "7.0", "B7.0rc1", "candidate", "", "jwst_0099.pmap", "2024-01-02", "",
     "archived", "Line one | with a pipe\nline two", "7.0", "1", "false", "", "", "table"),
    ("0.1.1", "7.0", "B7.0", "final", "2024.1.0", "jwst_0100.pmap", "2024-01-10",
     "2024-02-01", "archived", 'Final, with "quotes"', "7.0", "", "false", "", "released",
     "table;page"),
    ("0.1.2", "7.0", "", "pypi-only", "", "", "2024-02-20", "", "archived",
     "-not a formula, @not a mention, +not a sum", "", "", "false", "", "", "table"),
    # 7.1.yaml: the build in operations
    ("0.2.0", "7.1", "B7.1", "final", "2024.2.0", "jwst_0120.pmap", "2024-05-01",
     "2024-06-01", "operations", "Café <b>bold</b> & ünïcode", "7.1", "", "false", "", "",
     "table"),
    # 7.2.yaml: a candidate with nothing but its tag, label and date
    ("0.3.0", "7.2", "B7.2rc1", "candidate", "", "", "2024-08-01", "", "candidate", "",
     "7.2", "1", "false", "", "", "table"),
]  # fmt: skip

# builds.csv: the columns that come from more than one file. flat-field-stripes is
# introduced in 0.1.0 (7.0) and fixed in 0.3.0, the only tag of 7.2; gwcs-pin-needed runs
# from 0.1.1 (7.0) to build 7.1; old-duplicate is withdrawn. changes/7.0 holds one
# fragment, changes/7.1 two.
BUILDS = {
    "6.9": {"jwst_versions": "0.0.9", "known_issues": "", "changes": "0", "fixed_issues": "",
            "disputed": "", "sources": "table"},
    "7.0": {"jwst_versions": "0.1.0;0.1.1;0.1.2",
            "known_issues": "flat-field-stripes;gwcs-pin-needed", "changes": "1",
            "fixed_issues": "", "disputed": "", "sources": "table"},
    "7.1": {"jwst_versions": "0.2.0", "known_issues": "flat-field-stripes;gwcs-pin-needed",
            "changes": "2", "fixed_issues": "", "disputed": "sdp_version",
            "sources": "table;page"},
    "7.2": {"jwst_versions": "0.3.0", "known_issues": "", "changes": "0",
            "fixed_issues": "flat-field-stripes", "disputed": "", "sources": "table"},
}  # fmt: skip

# issues.csv: the columns the issue model decides, from tests/cases/export/issues/*.yaml
ISSUES = {
    "flat-field-stripes": {"status": "fixed", "data_issue": "true",
                           "affected_builds": "7.0;7.1", "fixed_build": "7.2",
                           "fixed_release": "0.3.0", "fixed_changelog": "0.3.0#1234;0.3.0#1240",
                           "last_affected_build": "", "replaced_by": ""},
    "gwcs-pin-needed": {"status": "mitigated", "data_issue": "false",
                        "affected_builds": "7.0;7.1", "fixed_build": "", "fixed_release": "",
                        "fixed_changelog": "", "last_affected_build": "7.1", "replaced_by": ""},
    "old-duplicate": {"status": "withdrawn", "data_issue": "false", "affected_builds": "",
                      "fixed_build": "", "fixed_release": "", "fixed_changelog": "",
                      "last_affected_build": "7.0", "replaced_by": "flat-field-stripes"},
}  # fmt: skip

pytestmark = pytest.mark.skipif(
    not (GOLDEN / "releases.csv").is_file(), reason=f"no golden export in {GOLDEN}"
)


def _rows(name: str) -> list[dict[str, str]]:
    with open(GOLDEN / name, newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def test_releases_csv_is_the_hand_written_table() -> None:
    """Every row of releases.csv, in order, is the row written by hand from the YAML."""
    expected = [dict(zip(RELEASE_COLUMNS, row, strict=True)) for row in RELEASES]
    assert expected == _rows("releases.csv")


@pytest.mark.parametrize("build", sorted(BUILDS))
def test_builds_csv_row(build: str) -> None:
    """The tags, known issues, fixes and fragments of each build are as worked out by hand."""
    row = next(r for r in _rows("builds.csv") if r["id"] == build)
    assert BUILDS[build] == {k: row[k] for k in BUILDS[build]}


@pytest.mark.parametrize("issue", sorted(ISSUES))
def test_issues_csv_row(issue: str) -> None:
    """Which builds an issue affects and what fixed it are as worked out by hand."""
    row = next(r for r in _rows("issues.csv") if r["id"] == issue)
    assert ISSUES[issue] == {k: row[k] for k in ISSUES[issue]}


def test_csv_files_have_one_row_per_record() -> None:
    """One row per build and per issue record of the fixture (withdrawn ones included)."""
    assert (sorted(BUILDS), sorted(ISSUES)) == (
        sorted(r["id"] for r in _rows("builds.csv")),
        sorted(r["id"] for r in _rows("issues.csv")),
    )


def test_json_documents_hold_the_same_facts() -> None:
    """builds.json and issues.json agree with the hand-written tables, and carry no commit
    (the fixture is exported outside git)."""
    builds = json.loads((GOLDEN / "builds.json").read_text(encoding="utf-8"))
    issues = json.loads((GOLDEN / "issues.json").read_text(encoding="utf-8"))
    assert {
        b: v["known_issues"].split(";") if v["known_issues"] else [] for b, v in BUILDS.items()
    } == {b["id"]: [i["id"] for i in b["known_issues"]] for b in builds["builds"]}
    assert {
        i: v["affected_builds"].split(";") if v["affected_builds"] else []
        for i, v in ISSUES.items()
    } == {i["id"]: i["affected_builds"] for i in issues["issues"]}
    assert [[r[0] for r in RELEASES if r[1] == b] for b in sorted(BUILDS)] == [
        [r["jwst_version"] for r in b["releases"]] for b in builds["builds"]
    ]
    assert (None, None) == (builds["commit"], issues["commit"])


def _first_cells(name: str) -> list[str]:
    """The first cell of every table row of a Markdown file (a link reduced to its text)."""
    text = (GOLDEN / name).read_text(encoding="utf-8")
    return re.findall(r"^\| \[?([0-9][0-9.]*)", text, flags=re.MULTILINE)


def test_markdown_lists_builds_newest_first() -> None:
    """builds.md and releases.md list every build and tag, newest first."""
    assert (["7.2", "7.1", "7.0", "6.9"], [r[0] for r in reversed(RELEASES)]) == (
        _first_cells("builds.md"),
        _first_cells("releases.md"),
    )
