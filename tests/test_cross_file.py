"""Cross-file rules whose work is shared between records (worked out once per run, so
that a big tree costs the same per file as a small one): each rule on small trees, with
hand-written expectations, and the helpers that do the sharing."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from jwst_builds import dataset
from jwst_builds.cli import cli
from jwst_builds.locate import locate
from jwst_builds.lookup import VersionIndex, nearest
from jwst_builds.problems import Problem, problem, sort_key

from .conftest import CASES, make_root

ISSUES_BASE = CASES / "issues" / "base"
TYPO = (
    "status: 'archieved' is not one of: development, candidate, operations, archived "
    "(did you mean 'archived'?)"
)


def validate(root: Path, *paths: Path) -> tuple[int, list[str]]:
    result = CliRunner().invoke(cli, ["--root", str(root), "validate", *map(str, paths)])
    return result.exit_code, result.stdout.splitlines()


def edit(path: Path, *swaps: tuple[str, str]) -> None:
    text = path.read_text(encoding="utf-8")
    for old, new in swaps:
        assert old in text, old
        text = text.replace(old, new, 1)
    path.write_text(text, encoding="utf-8")


def broken_copy(root: Path, source: str, build: str) -> None:
    """builds/<build>.yaml: a copy of a build whose status has a typo (it fails its schema)."""
    text = (root / "builds" / f"{source}.yaml").read_text(encoding="utf-8")
    text = text.replace(f'id: "{source}"', f'id: "{build}"').replace(
        "status: operations", "status: archieved"
    )
    (root / "builds" / f"{build}.yaml").write_text(text, encoding="utf-8")


# --- builds: an archived build needs a later one that replaced it [B021] ----------------


def test_archived_build_with_a_broken_later_build_is_left_alone(tmp_path: Path) -> None:
    """The later build that failed to load may be the one that replaced it: no verdict."""
    root = make_root(tmp_path / "root")
    broken_copy(root, "1.1", "1.2")
    edit(root / "builds" / "1.1.yaml", ("status: operations", "status: archived"))
    assert (1, [f"builds/1.2.yaml:3:9: {TYPO}", "1 problem in 1 file"]) == validate(root)


def test_archived_build_is_not_excused_by_a_broken_older_build(tmp_path: Path) -> None:
    root = make_root(tmp_path / "root")
    broken_copy(root, "1.1", "0.9")
    edit(root / "builds" / "1.1.yaml", ("status: operations", "status: archived"))
    assert (
        1,
        [
            f"builds/0.9.yaml:3:9: {TYPO}",
            "builds/1.1.yaml:3:9: status: archived, but no later build has replaced it "
            "(a build is archived once a newer one is in operations) [B021]",
            "2 problems in 2 files",
        ],
    ) == validate(root)


# --- issues: builds and releases named exist, each release in its build [I002-I004] -----


def test_each_unknown_reference_gets_its_own_nearest(tmp_path: Path) -> None:
    """Several unknown builds and releases in several records: each hint names the known
    versions just around that one."""
    root = make_root(tmp_path / "root", base=ISSUES_BASE)
    issues = root / "issues"
    edit(
        issues / "mos-crash.yaml",
        ('    build: "1.0"', '    build: "1.7"'),
        (
            '    release: null\n  last_affected: null\n  fixed:\n    build: "1.1"\n    release: null',
            '    release: null\n  last_affected: null\n  fixed:\n    build: "1.1"\n    release: "0.9.9"',
        ),
    )
    edit(
        issues / "pin-needed.yaml",
        ('    build: "1.0"', '    build: "0.5"'),
        ('    build: "1.1"\n    release: null', '    build: "1.1"\n    release: "0.2.5"'),
    )
    assert (
        1,
        [
            "issues/mos-crash.yaml:23:12: software.documented_from.build: build 1.7 does not "
            "exist (known builds nearby: 1.3) [I002]",
            "issues/mos-crash.yaml:28:14: software.fixed.release: jwst 0.9.9 is not a release "
            "of any build (nearest known releases: 0.4.0) [I003]",
            "issues/pin-needed.yaml:21:12: software.documented_from.build: build 0.5 does not "
            "exist (known builds nearby: 1.0) [I002]",
            "issues/pin-needed.yaml:22:14: software.documented_from.release: jwst 0.1.1 is a "
            'release of build 1.0, not 0.5 (set build to "1.0" or name a release of build 0.5) '
            "[I004]",
            "issues/pin-needed.yaml:25:14: software.last_affected.release: jwst 0.2.5 is not a "
            "release of any build (nearest known releases: 0.2.1, 0.3.0) [I003]",
            "5 problems in 2 files",
        ],
    ) == validate(root)


def test_unknown_release_is_left_alone_while_a_build_is_broken(tmp_path: Path) -> None:
    """The release may be in the build that failed to load; an unknown build is still named,
    and a broken build is not unknown."""
    root = make_root(tmp_path / "root", base=ISSUES_BASE)
    broken_copy(root, "1.2", "1.9")
    edit(
        root / "issues" / "pin-needed.yaml",
        ('    build: "1.0"\n    release: "0.1.1"', '    build: "1.8"\n    release: "0.8.1"'),
        ('    build: "1.1"\n    release: null', '    build: "1.9"\n    release: "0.9.1"'),
    )
    assert (
        1,
        [
            f"builds/1.9.yaml:3:9: {TYPO}",
            "issues/pin-needed.yaml:21:12: software.documented_from.build: build 1.8 does not "
            "exist (known builds nearby: 1.3) [I002]",
            "2 problems in 2 files",
        ],
    ) == validate(root)


def test_version_index_answers_as_nearest() -> None:
    known = ["1.10", "1.9", "1.2", "1.9", "2.0"]
    index = VersionIndex(known)
    for value in ("0.1", "1.2", "1.3", "1.9", "1.11", "2.0", "3.0", "x"):
        assert nearest(known, value) == index.nearest(value), value
    assert ["1.2", "1.9"] == index.nearest("1.3")
    assert [] == VersionIndex([]).nearest("1.0")


# --- the report: PATHS, positions, order -----------------------------------------------


def test_paths_match_whole_names(tmp_path: Path) -> None:
    """A folder PATH reports what lies in it, not a folder whose name it begins
    (changes/1.1 is not changes/1.10), next to a file PATH."""
    root = make_root(
        tmp_path / "root", CASES / "notes" / "tree", CASES / "invalid" / "two-in-operations"
    )
    (root / "changes" / "1.1" / "README").write_text("notes\n", encoding="utf-8")
    (root / "changes" / "1.10").mkdir()
    (root / "changes" / "1.10" / "faster.jump.md").write_text("Faster.\n", encoding="utf-8")
    assert (
        1,
        [
            "builds/1.0.yaml:3:9: status: build 1.1 was installed later (2024-06-01) "
            "(the build in operations is the one installed last) [B020]",
            "changes/1.1/README:1:1: stray file: notes are compiled from fragments only "
            "(explain things in CONTRIBUTING.md (Release-note fragments); fragments are "
            "named <name>.<category>.md) [F007]",
            "2 problems in 2 files",
        ],
    ) == validate(root, root / "changes" / "1.1", root / "builds" / "1.0.yaml")


def test_locate_keeps_the_order_given(base_root: Path) -> None:
    """Problems of several files, interleaved, come back in their order, each placed in its
    own file; a problem with a position keeps it."""
    given = [
        problem("builds/1.1.yaml", ("status",), "b"),
        problem("builds/1.0.yaml", ("releases", 1, "kind"), "a"),
        Problem("builds/1.0.yaml", 7, 3, message="placed"),
        problem("builds/1.1.yaml", ("id",), "c"),
        problem("builds/1.0.yaml", ("status",), "d"),
    ]
    assert [
        ("builds/1.1.yaml", 3, 9, "b"),
        ("builds/1.0.yaml", 29, 11, "a"),
        ("builds/1.0.yaml", 7, 3, "placed"),
        ("builds/1.1.yaml", 2, 5, "c"),
        ("builds/1.0.yaml", 3, 9, "d"),
    ] == [(p.file, p.line, p.col, p.message) for p in locate(given, base_root)]


def test_sort_key_is_the_order_of_problems() -> None:
    found = [
        Problem("b", 1, 1, "x", "m"),
        Problem("a", 2, 1, "x", "m", "h", "B001"),
        Problem("a", 2, 1, "x", "m", "", "B001"),
        Problem("a", 10, 1),
        Problem("a", 2, 1, "x", "m", "h", "B000"),
        Problem("a", 2, 0),
    ]
    assert sorted(found) == sorted(found, key=sort_key)


def test_records_share_their_strings(base_root: Path) -> None:
    """Equal keys and values of loaded records are one object each (a big tree holds far
    fewer strings); the data are as the files say."""
    ds = dataset.load(base_root)
    old, new = ds.builds["1.0"].data, ds.builds["1.1"].data
    shared = {key: key for key in new}
    assert [] == [key for key in old if shared[key] is not key]
    assert old["sources"][0] is new["releases"][0]["sources"][0]
    assert ("1.0", "archived", "table") == (old["id"], old["status"], old["sources"][0])


def test_the_event_parser_keeps_nothing_per_file() -> None:
    """Scanning many files leaves no record of each behind (ruamel keeps one per document
    parsed unless told otherwise), also when a scan stops early."""
    from jwst_builds import yamlguard

    for i in range(5):
        assert yamlguard.scan_problem(f"f{i}.yaml", f"a: {i}\nb: [1, 2]\n") is None
        assert yamlguard._deeper_than("a: [[[1]]]\n", 1)
    assert [] == yamlguard._EVENTS.doc_infos
