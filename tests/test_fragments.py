"""Fragments: the category declaration, the loading API and `validate`'s fragment checks."""

from __future__ import annotations

import csv
import hashlib
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from jwst_builds import fragments
from jwst_builds.cli import cli
from jwst_builds.fragments import Fragment

from .conftest import CASES, REPO, make_root

HERE = CASES / "fragments"
INVALID = sorted(p for p in (HERE / "invalid").iterdir() if p.is_dir())
#: the build-level categories of the JDox release-notes pages
BUILD_LEVEL = ["highlights", "reference_files", "data_affected", "sdp", "docs", "other"]


def validate(root: Path) -> tuple[int, str]:
    result = CliRunner().invoke(cli, ["--root", str(root), "validate"])
    return result.exit_code, result.stdout


def test_declaration_covers_every_jwst_changelog_category() -> None:
    """towncrier.toml declares each of the 72 categories of the jwst change log."""
    # A copy of the reference table (the jwst-changelog-categories source).
    with (HERE / "jwst_changelog_categories.csv").open(encoding="utf-8") as f:
        wanted = [row["category"] for row in csv.DictReader(f)]
    declared = {c.id for c in fragments.declaration(REPO).categories}
    missing: list[str] = []
    assert (72, missing) == (len(wanted), [c for c in wanted if c not in declared])


def test_declaration_has_the_build_level_categories() -> None:
    """The six build-level categories of the release-notes pages are declared."""
    declared = {c.id for c in fragments.declaration(REPO).categories}
    missing: list[str] = []
    assert missing == [c for c in BUILD_LEVEL if c not in declared]


def test_declared_groups_are_in_notes_order() -> None:
    """Groups follow the documented section order and categories follow their groups."""
    decl = fragments.declaration(REPO)
    expected = [
        "highlights", "reference_files", "data_affected", "steps", "modules",
        "associations", "general", "sdp", "docs", "other",
    ]  # fmt: skip
    assert expected == [g.id for g in decl.groups]
    rank = {g.id: i for i, g in enumerate(decl.groups)}
    ranks = [rank[c.group] for c in decl.categories]
    assert sorted(ranks) == ranks


def test_steps_are_alphabetical() -> None:
    """Per-step sections come in alphabetical order, as the docs state."""
    steps = [c.id for c in fragments.declaration(REPO).categories if c.group == "steps"]
    assert sorted(steps) == steps


def test_categories_constant_is_the_checkout_declaration() -> None:
    """fragments.CATEGORIES is what towncrier.toml of the checkout declares."""
    assert fragments.declaration(REPO).categories == fragments.CATEGORIES


def test_towncrier_reads_the_same_types() -> None:
    """towncrier's own loader sees the same categories and titles, in the same order."""
    from towncrier._settings.load import load_config_from_file

    config = load_config_from_file(str(REPO), str(REPO / "towncrier.toml"))
    ours = {c.id: c.title for c in fragments.declaration(REPO).categories}
    assert ours == {k: v["name"] for k, v in config.types.items()}


def test_load_fragments_of_a_mini_tree(tmp_path: Path) -> None:
    """load_fragments returns valid fragments sorted by build, notes order, then name."""
    root = make_root(tmp_path / "root", CASES / "notes" / "tree")
    found = fragments.load_fragments(root)
    count = 13
    assert count == len(found)
    expected_first = [
        Fragment("1.0", "first", "highlights", "The first build with fragments.",
                 "changes/1.0/first.highlights.md"),
        Fragment("1.1", "ami3", "highlights",
                 "The interferometry pipeline writes OIFITS products.\n\n"
                 "A second paragraph explains the new `ami-oi.fits` suffix.",
                 "changes/1.1/ami3.highlights.md"),
        Fragment("1.1", "darks", "reference_files",
                 "NIRSpec darks were redelivered (`jwst_0115.pmap` to `jwst_0117.pmap`).",
                 "changes/1.1/darks.reference_files.md"),
    ]  # fmt: skip
    assert expected_first == found[:3]
    expected_order = [
        "first.highlights", "ami3.highlights", "darks.reference_files", "irs2.data_affected",
        "8295.jump", "snowballs.jump", "tophat.resample", "ami3.pipeline", "nods.associations",
        "keywords.datamodels", "tmeasure.sdp", "skymatch.docs", "numpy.other",
    ]  # fmt: skip
    assert expected_order == [f"{f.name}.{f.category}" for f in found]
    references = ["8295", None]
    assert references == [found[4].reference, found[5].reference]


def test_load_fragments_leaves_out_invalid_files(tmp_path: Path) -> None:
    """Files that validate reports are not returned as fragments."""
    root = make_root(tmp_path / "root", *INVALID)
    none: list[str] = []
    assert none == [f.path for f in fragments.load_fragments(root)]


def test_no_changes_folder_means_no_fragments(base_root: Path) -> None:
    """A data root without changes/ has no fragments and no fragment problems."""
    clean = ([], (0, ""))
    assert clean == (fragments.load_fragments(base_root), validate(base_root))


@pytest.mark.parametrize("case", INVALID, ids=[p.name for p in INVALID])
def test_invalid_fragments_give_exact_messages(case: Path, tmp_path: Path) -> None:
    """Each invalid fragment case reports exactly the lines of its expected.txt."""
    root = make_root(tmp_path / "root", case)
    code, output = validate(root)
    assert (case / "expected.txt").read_text(encoding="utf-8") == output + f"exit {code}\n"


def test_valid_mini_tree_has_no_problems(tmp_path: Path) -> None:
    """The notes test tree, hidden .gitkeep included, validates cleanly."""
    root = make_root(tmp_path / "root", CASES / "notes" / "tree")
    clean = (0, "")
    assert clean == validate(root)


def test_validate_does_not_touch_fragments(tmp_path: Path) -> None:
    """Validation leaves every fragment byte for byte as it was."""
    root = make_root(tmp_path / "root", *INVALID)
    changes = root / "changes"

    def snapshot() -> dict[str, str]:
        return {
            p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(changes.rglob("*"))
            if p.is_file()
        }

    before = snapshot()
    validate(root)
    assert before == snapshot()


def test_repository_fragments_are_all_valid() -> None:
    """Every file under the repository's changes/ is a valid fragment."""
    files = [p for p in (REPO / "changes").rglob("*") if p.is_file() and not p.name.startswith(".")]
    loaded = fragments.load_fragments(REPO)
    assert sorted(p.relative_to(REPO).as_posix() for p in files) == sorted(f.path for f in loaded)


def test_repository_fragments_name_their_contexts_properly() -> None:
    """Fragments write every CRDS context in full, like jwst_1232.pmap."""
    loose = [
        (f.path, name)
        for f in fragments.load_fragments(REPO)
        for name in re.findall(r"[\w.]*pmap\w*", f.text)
        if not re.fullmatch(r"jwst_[0-9]{4}\.pmap", name)
    ]
    none: list[tuple[str, str]] = []
    assert none == loose
