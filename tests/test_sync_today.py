"""`jwst-builds sync` against today's upstream copies, and its placement rules against the records.

Upstream is read from ../shared/reference (jwst_README.md, jwst_CHANGES.rst), as CI
places it; the tests are skipped when the folder is absent.
"""

from __future__ import annotations

import csv
import re
import shutil
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from jwst_builds import sync
from jwst_builds.cli import cli
from jwst_builds.dataset import load
from jwst_builds.sync import infer
from jwst_builds.sync.upstream import Row

from . import replay
from .conftest import REPO

pytestmark = pytest.mark.skipif(
    not (replay.available() and replay.CHANGES.is_file()),
    reason=f"the reference copies are not here ({replay.REFERENCE})",
)


@pytest.fixture(scope="module")
def report() -> sync.Report:
    return sync.run(REPO, str(replay.README), str(replay.CHANGES))


def test_today_has_no_drift(report: sync.Report) -> None:
    """Today's README and change log: no drift, exit 0."""
    assert [] == [f.text() for f in report.drift]
    assert 0 == report.exit_code


def test_every_recorded_disagreement_with_the_readme_is_listed(report: sync.Report) -> None:
    """Each conflict that cites the README table is listed once, where it is, and still holds."""
    expected = set()
    for build, rec in load(REPO).builds.items():
        owners = [
            ("", rec.data),
            *((f"releases[{i}].", r) for i, r in enumerate(rec.data["releases"])),
        ]
        for prefix, owner in owners:
            for c in owner.get("conflicts", []):
                if "jwst-readme-table" in (c["chosen_source"], c["alternative_source"]):
                    expected.add((f"builds/{build}.yaml", prefix + c["field"]))
    listed = [(f.file, f.path) for f in report.findings if f.kind == "recorded"]
    assert sorted(expected) == sorted(listed)
    assert [] == [f.text() for f in report.findings if f.kind == "stale-conflict"]


def test_change_log_dates_that_differ_are_information(report: sync.Report) -> None:
    """Every tag whose change-log date differs from the README's Released, and no other."""
    heading = re.compile(r"^(\d+\.\d+\.\d+) \((\d{4}-\d{2}-\d{2})\)$", re.MULTILINE)
    dates = dict(heading.findall(replay.CHANGES.read_text(encoding="utf-8")))
    with open(replay.HEAD_CSV, newline="", encoding="utf-8") as fh:
        readme = {r["jwst tag"]: r["Released"] for r in csv.DictReader(fh)}
    expected = {(t, readme[t], d) for t, d in dates.items() if t in readme and readme[t] != d}
    found = {(f.tag, f.ours, f.upstream) for f in report.findings if f.kind == "changelog-date"}
    assert expected == found
    assert all(not f.drift for f in report.findings if f.kind == "changelog-date")


def test_write_on_today_changes_nothing(tmp_path: Path) -> None:
    """With nothing to sync, --write leaves every file byte for byte and exits 0."""
    root = tmp_path / "root"
    shutil.copytree(
        REPO, root, ignore=shutil.ignore_patterns(".*", "dist", "src", "tests", "__pycache__")
    )
    before = {p: p.read_bytes() for p in root.rglob("*.yaml")}
    args = [
        "--root",
        str(root),
        "sync",
        "--readme",
        str(replay.README),
        "--changes",
        str(replay.CHANGES),
    ]
    result = CliRunner().invoke(cli, [*args, "--write"])
    assert 0 == result.exit_code, result.output
    assert "Written: 0 changes" in result.stdout.splitlines()
    assert before == {p: p.read_bytes() for p in root.rglob("*.yaml")}


@cache
def _rows() -> list[tuple[str, dict[str, Any]]]:
    return [(b.id, r) for b, r in load(REPO).releases()]


def _row(rel: dict[str, Any]) -> Row:
    cells = tuple((name, rel.get(name)) for name in ("jwst_version", "dms_label", "note"))
    return Row(rel["jwst_version"], cells, False, 0)


@pytest.mark.parametrize(
    ("build", "rel"), _rows(), ids=lambda v: v["jwst_version"] if isinstance(v, dict) else v
)
def test_placement_of_a_tag_agrees_with_its_record(build: str, rel: dict[str, Any]) -> None:
    """The rules --write uses for a new tag give every recorded tag its build, level, kind and rc
    (unless the record disputes one of them; the kind of a patch level follows the level)."""
    disputed = {c["field"] for c in rel.get("conflicts", [])}
    if "dms_version" in disputed:
        disputed.add("kind")
    place = infer.place(rel["dms_label"], rel["note"])
    expected = {
        "dms_version": rel["dms_version"],
        "kind": rel["kind"],
        "candidate": rel.get("candidate"),
    }
    actual = {"dms_version": place.dms_version, "kind": place.kind, "candidate": place.candidate}
    for name in disputed & set(expected):
        expected.pop(name), actual.pop(name)
    assert expected == actual
    if "dms_version" not in disputed:
        others = {
            r["jwst_version"]: b for b, r in _rows() if r["jwst_version"] != rel["jwst_version"]
        }
        assert {rel["jwst_version"]: build} == infer.builds_of_new_tags(others, [_row(rel)])
