"""`jwst-builds notes`: golden notes of a mini tree, options, errors, and the real data."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from jwst_builds import fragments, notes
from jwst_builds.cli import cli

from .conftest import CASES, REPO, make_root

HERE = CASES / "notes"
#: identifiers of the build 10.2 release notes that the compiled notes must keep
FACTS_10_2 = [
    "min_diffs_single_pass", "onthefly_corr_freq", "preserve_irs2_refpix", "irs2_mean_subtraction",
    "average_dark_current", "slit_name", "grow", "iscale", "usigma", "lsigma", "scale", "snr",
    "EXTRXSTR", "EXTRXSTP", "EXTRYSTR", "EXTRYSTP", "TMEASURE", "EFFEXPTM", "TEXPTIME",
    "PIXAR_A2", "PIXAR_SR", "BUNIT", "S_REGION", "MRSPRCHN", "IMAGER", "ALL_MRS", "NINTS",
    "SUBARRAY = 'FULL'", "DO_NOT_USE", "NRMModel", "NRS_BRIGHTOBJ", "ami_average", "ami_analyze",
    "ami_normalize", "ami-oi", "psf-ami-oi", "aminorm-oi", "rateints", "calints",
    "IRAFStarFinder", "DAOStarFinder", "segmentation.SourceFinder", "Background2D",
    "jwst_1211.pmap", "jwst_1217.pmap", "jwst_1222.pmap", "jwst_1223.pmap", "jwst_1224.pmap",
    "jwst_1226.pmap", "jwst_1227.pmap", "jwst_1228.pmap", "jwst_1229.pmap", "jwst_1232.pmap",
    "jwst_1233.pmap", "jwst_1234.pmap", "jwst_1236.pmap", "jwst 1.14.1", "numpy<2.0", "256",
    "26 µm", "fork_server", "mingrad", "tophat", "ATOCA", "OIFITS",
]  # fmt: skip
STEPS_10_2 = [
    "background", "charge_migration", "cube_build", "dark_current", "emicorr", "exp_to_source",
    "extract_1d", "extract_2d", "jump", "outlier_detection", "pathloss", "photom",
    "pixel_replace", "ramp_fitting", "refpix", "resample", "residual_fringe", "source_catalog",
    "tweakreg",
]  # fmt: skip


def invoke(root: Path, *args: str) -> Result:
    return CliRunner().invoke(cli, ["--root", str(root), "notes", *args])


def golden(name: str) -> str:
    return (HERE / name).read_text(encoding="utf-8")


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    """The base data root with the mini tree of fragments and one known issue."""
    return make_root(tmp_path / "root", HERE / "tree")


def snapshot(folder: Path) -> dict[str, str]:
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def test_notes_of_one_build_match_golden(tree: Path) -> None:
    """`notes 1.1` prints the whole golden notes: header, sections, known issues."""
    result = invoke(tree, "1.1")
    assert (0, golden("expected-1.1.md")) == (result.exit_code, result.stdout)


def test_notes_without_argument_render_every_build_newest_first(tree: Path) -> None:
    """Without BUILD every build with fragments is printed, newest first."""
    result = invoke(tree)
    expected = golden("expected-1.1.md") + "\n" + golden("expected-1.0.md")
    assert (0, expected) == (result.exit_code, result.stdout)


def test_build_without_fragments_still_has_header_and_issues(base_root: Path) -> None:
    """A build with no fragments renders its header and says no changes are recorded."""
    result = invoke(base_root, "1.1")
    assert (0, golden("expected-no-fragments.md")) == (result.exit_code, result.stdout)


def test_no_fragments_anywhere_prints_nothing(base_root: Path) -> None:
    """Without BUILD and without fragments nothing is printed and the exit code is 0."""
    result = invoke(base_root)
    expected = (0, "", "no build has fragments under changes/\n")
    assert expected == (result.exit_code, result.stdout, result.stderr)


def test_output_writes_the_same_text_to_a_file(tree: Path, tmp_path: Path) -> None:
    """--output FILE writes exactly what stdout would show, and prints nothing else."""
    out = tmp_path / "out" / "notes.md"
    result = invoke(tree, "1.1", "--output", str(out))
    expected = (0, "", f"wrote {out}\n", golden("expected-1.1.md"))
    assert expected == (
        result.exit_code,
        result.stdout,
        result.stderr,
        out.read_text(encoding="utf-8"),
    )


def test_output_dir_writes_one_file_per_build(tree: Path, tmp_path: Path) -> None:
    """--output-dir DIR writes <build>.md for every build with fragments."""
    out = tmp_path / "notes"
    result = invoke(tree, "--output-dir", str(out))
    written = {p.name: p.read_text(encoding="utf-8") for p in sorted(out.iterdir())}
    expected = {"1.0.md": golden("expected-1.0.md"), "1.1.md": golden("expected-1.1.md")}
    assert (0, expected) == (result.exit_code, written)


def test_rendering_is_deterministic_and_leaves_fragments_alone(tree: Path) -> None:
    """Two runs give the same bytes and no fragment is moved, changed or deleted."""
    before = snapshot(tree / "changes")
    first = invoke(tree).stdout
    second = invoke(tree).stdout
    assert (before, first) == (snapshot(tree / "changes"), second)


def test_unknown_build_is_a_usage_error(tree: Path) -> None:
    """A build without a record exits 2 with a sentence naming the missing file."""
    result = invoke(tree, "9.9")
    expected = (2, "Error: no build 9.9: builds/9.9.yaml does not exist")
    assert expected == (result.exit_code, result.stderr.strip().splitlines()[-1])


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["--output", "x.md"],
            "Error: --output needs a BUILD; use --output-dir DIR for every build",
        ),
        (
            ["1.1", "--output", "x.md", "--output-dir", "d"],
            "Error: use either --output (one build) or --output-dir, not both",
        ),
    ],
)
def test_conflicting_options_are_usage_errors(tree: Path, args: list[str], message: str) -> None:
    """Output options that cannot work together exit 2 with a plain sentence."""
    result = invoke(tree, *args)
    assert (2, message) == (result.exit_code, result.stderr.strip().splitlines()[-1])


def test_broken_fragment_stops_notes_with_its_problem(tree: Path) -> None:
    """A fragment that validate rejects makes notes exit 1 and name it."""
    (tree / "changes" / "1.1" / "fix.jumps.md").write_text(
        "Renamed a parameter.\n", encoding="utf-8"
    )
    result = invoke(tree, "1.1")
    expected = (
        1,
        "",
        "changes/1.1/fix.jumps.md:1:1: unknown category 'jumps' (did you mean 'jump'? "
        "the categories are declared in towncrier.toml) [F011]\n"
        "1 problem in 1 file\n"
        "fix these problems first (jwst-builds validate lists them all)\n",
    )
    assert expected == (result.exit_code, result.stdout, result.stderr)


def test_render_api_matches_cli(tree: Path) -> None:
    """notes.render gives the text the command prints."""
    assert golden("expected-1.1.md") == notes.render(tree, "1.1")


def test_every_repository_build_with_fragments_renders(tmp_path: Path) -> None:
    """Each build folder of the repository renders to its own file."""
    result = invoke(REPO, "--output-dir", str(tmp_path))
    folders = {p.name for p in (REPO / "changes").iterdir() if p.is_dir()}
    assert (0, {f"{b}.md" for b in folders}) == (
        result.exit_code,
        {p.name for p in tmp_path.iterdir()},
    )


def test_repository_notes_hold_every_fragment() -> None:
    """The compiled notes of each build contain the text of each of its fragments."""
    rendered = notes.render_all(REPO)
    missing = [
        f.path
        for f in fragments.load_fragments(REPO)
        if any(line.strip() not in rendered[f.build] for line in f.text.splitlines())
    ]
    none: list[str] = []
    assert none == missing


def test_notes_10_2_keep_every_fact_of_the_source() -> None:
    """Build 10.2's notes keep the steps, parameters, keywords and contexts of its release notes."""
    text = notes.render(REPO, "10.2")
    steps = re.findall(r"^### (\S+)$", text, flags=re.MULTILINE)
    missing = [f for f in FACTS_10_2 if f not in text]
    none: list[str] = []
    assert (STEPS_10_2, none) == (steps, missing)


def test_notes_10_2_sections_in_documented_order() -> None:
    """Build 10.2's notes show every section, in the order CONTRIBUTING.md (Release-note fragments) gives."""
    text = notes.render(REPO, "10.2")
    expected = [
        "Major pipeline updates", "Reference-file updates", "Data affected by this build",
        "Changes to pipeline steps", "Pipeline modules", "Associations", "General changes",
        "Science Data Processing (SDP) changes", "Documentation", "Other changes", "Known issues",
        "Fixed in this build",
    ]  # fmt: skip
    assert expected == re.findall(r"^## (.+)$", text, flags=re.MULTILINE)


def test_broken_build_record_stops_notes(tree: Path) -> None:
    """A build record that fails its schema makes notes exit 1 and point at it."""
    path = tree / "builds" / "1.1.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("status: operations", "status: 5"))
    result = invoke(tree, "1.1")
    last = "fix these problems first (jwst-builds validate lists them all)"
    assert (1, "", last, True) == (
        result.exit_code,
        result.stdout,
        result.stderr.splitlines()[-1],
        result.stderr.startswith("builds/1.1.yaml:3:"),
    )
