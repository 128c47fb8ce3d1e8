"""Known-issue records and inflight-contexts.yaml: schema and cross-file checks."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from jwst_builds import dataset
from jwst_builds.cli import cli
from jwst_builds.issuerange import (
    Product,
    Verdict,
    known_issues,
    mitigation_state,
    mode_groups,
    position,
    verdict,
)
from jwst_builds.model import KnownIssue, Point
from jwst_builds.query import issues_for_build

from .conftest import make_root

REPO = Path(__file__).resolve().parent.parent
CASES = Path(__file__).resolve().parent / "cases" / "issues"
#: cases whose expected.txt is right but which src does not meet yet (strict: they fail once fixed)
SRC_BUGS = {
    "yaml-and-yml": "checks/issues.py _evidence finds a record's data by its file name with only "
    ".yaml removed, so every evidence.supports path of a .yml file is reported as unknown",
}
INVALID = [
    pytest.param(p.name, marks=pytest.mark.xfail(reason=SRC_BUGS[p.name], strict=True))
    if p.name in SRC_BUGS
    else p.name
    for p in sorted((CASES / "invalid").iterdir())
    if p.is_dir()
]


def issue_root(dest: Path, *overlays: Path) -> Path:
    """A data root: the repository's schema/, the issues base tree, then each overlay."""
    return make_root(dest, *overlays, base=CASES / "base")


def validate(root: Path, *paths: Path) -> tuple[int, str]:
    result = CliRunner().invoke(cli, ["--root", str(root), "validate", *map(str, paths)])
    return result.exit_code, result.stdout


def test_repository_data_is_valid() -> None:
    """Every record in issues/ and inflight-contexts.yaml of the repository passes validate."""
    assert (0, "") == validate(REPO, REPO / "issues", REPO / "inflight-contexts.yaml")


def test_repository_has_the_documented_issues() -> None:
    """The known issues named by the sources are all present as records that load (typed)."""
    ds = dataset.load(REPO)
    expected = {
        "gwcs-0-22-breaks-builds-11-0-11-1",
        "ifu-outlier-detection-anomalies",
        "jump-slow-many-cosmic-rays",
        "large-mosaics-slow",
        "nircam-coron-four-detector-associations",
        "nircam-subarray-cyclic-bias",
        "nircam-wfss-trace-dispersion-mismatch",
        "niriss-wfss-wavelength-offset",
        "nirspec-fs-pathloss-applied-twice",
        "nirspec-mos-master-background-crash",
        "numpy2-incompatible-jwst-1-14-0",
        "one-over-f-noise",
        "resample-drizzle-missing-regions",
        "source-catalog-jwst-1-20-0",
        "spectra-bad-pixel-contamination",
        "stpipe-run-method-no-logging",
        "velosys-missing-after-reprocessing",
        "wfss-background-nan-image",
        "wfss-crowded-field-background-mix",
    }
    assert set() == expected & ds.broken
    assert expected <= {issue.id for issue in known_issues(ds)}
    assert ds.inflight is not None


def test_repository_files_start_with_the_schema_modeline() -> None:
    """Every issue file and the in-flight table point editors at their schema."""
    files = [*sorted((REPO / "issues").glob("*.yaml")), REPO / "inflight-contexts.yaml"]
    firsts = {f.name: f.read_text(encoding="utf-8").splitlines()[0] for f in files}
    wanted = {
        f.name: "# yaml-language-server: $schema="
        + (
            "schema/inflight-contexts.schema.json"
            if f.parent == REPO
            else "../schema/issue.schema.json"
        )
        for f in files
    }
    assert wanted == firsts


def test_base_tree_is_valid(tmp_path: Path) -> None:
    """The small issue tree the other cases start from has no problems."""
    assert (0, "") == validate(issue_root(tmp_path / "root"))


@pytest.mark.parametrize("name", INVALID)
def test_invalid_case(tmp_path: Path, name: str) -> None:
    """Each invalid case gives exactly the problems in its expected.txt, and exit 1."""
    case = CASES / "invalid" / name
    expected = (case / "expected.txt").read_text(encoding="utf-8")
    assert (1, expected) == validate(issue_root(tmp_path / "root", case))


def test_issues_for_build_in_the_base_tree(tmp_path: Path) -> None:
    """issues_for_build lists the active issues whose software range covers a release of the build.

    Worked out by hand from the base tree (builds 1.0: 0.1.0, 0.1.1; 1.1: 0.2.0, 0.2.1;
    1.2: 0.3.0, 0.3.1; 1.3: 0.4.0). A release counts when Range.state is "affected": from
    software.introduced (every one is null, so from documented_from; releases before it are
    "undocumented", which may apply to data but does not count for a build) up to but not
    including software.fixed, or to the end of last_affected. reference_files.fixed does not
    end the software range.

    - both-fix: documented from 1.0, software fixed in 1.2 (a bare build: from its first release)
      -> 1.0, 1.1.
    - ctx-only-fix: documented from 1.1, fixed only by a context -> 1.1, 1.2, 1.3 (1.0 undocumented).
    - fixed-in-candidate: documented from 1.2, fixed in jwst 0.4.0 (1.3) -> 1.2 only.
    - mos-crash: documented from 1.0, fixed in build 1.1 -> 1.0.
    - open-everywhere: documented from 1.0, no end -> every build.
    - pin-needed: documented from jwst 0.1.1, last affected the whole of build 1.1 -> 1.0 (by
      0.1.1; 0.1.0 is undocumented), 1.1.
    - withdrawn-dup: withdrawn -> never.
    """
    ds = dataset.load(issue_root(tmp_path / "root"))
    found = {b: [r.id for r in issues_for_build(ds, b)] for b in ("1.0", "1.1", "1.2", "1.3")}
    assert {
        "1.0": ["both-fix", "mos-crash", "open-everywhere", "pin-needed"],
        "1.1": ["both-fix", "ctx-only-fix", "open-everywhere", "pin-needed"],
        "1.2": ["ctx-only-fix", "fixed-in-candidate", "open-everywhere"],
        "1.3": ["ctx-only-fix", "open-everywhere"],
    } == found


def test_issues_for_build_of_an_unknown_build(tmp_path: Path) -> None:
    """A build id without a record is placed by its number alone, as the start of build 2.0.

    By hand: after every fix (both-fix 1.2, fixed-in-candidate 0.4.0, mos-crash 1.1) and after
    pin-needed's last build 1.1, so only the two issues with an open software range remain.
    """
    ds = dataset.load(issue_root(tmp_path / "root"))
    assert ["ctx-only-fix", "open-everywhere"] == [r.id for r in issues_for_build(ds, "2.0")]


def test_issues_for_build_with_the_real_data() -> None:
    """Build 12.0 carries its two JDox known issues; 11.0 its gwcs caveat; 12.3 not the MOS crash."""
    ds = dataset.load(REPO)
    ids_12_0 = [r.id for r in issues_for_build(ds, "12.0")]
    assert "nirspec-mos-master-background-crash" in ids_12_0
    assert "wfss-crowded-field-background-mix" in ids_12_0
    assert "gwcs-0-22-breaks-builds-11-0-11-1" in [r.id for r in issues_for_build(ds, "11.0")]
    assert "gwcs-0-22-breaks-builds-11-0-11-1" not in [r.id for r in issues_for_build(ds, "11.2")]
    assert "nirspec-mos-master-background-crash" not in [r.id for r in issues_for_build(ds, "12.3")]
