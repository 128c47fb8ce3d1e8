"""The last run's answer: kept for a tree in which nothing changed, never for one that did."""

from __future__ import annotations

import datetime
import os
from collections.abc import Callable, Iterable
from pathlib import Path

import pytest
from click.testing import CliRunner

from jwst_builds import checks, lastrun
from jwst_builds.cli import cli
from jwst_builds.dataset import Dataset
from jwst_builds.problems import Problem


def validate(root: Path, *args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, ["--root", str(root), "validate", *args])
    return result.exit_code, result.stdout


def kept(root: Path) -> Path:
    return root / ".jwst-builds-cache" / lastrun.FILE


@pytest.fixture
def rule_runs(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """One item per run of the cross-file rules: lastrun's whole point is to skip them."""
    runs: list[int] = []

    def counting(ds: Dataset) -> Iterable[Problem]:
        runs.append(1)
        return ()

    rules: list[Callable[[Dataset], Iterable[Problem]]] = [counting, *checks.CHECKS]
    monkeypatch.setattr(checks, "CHECKS", rules)
    return runs


def test_an_unchanged_tree_is_answered_without_the_rules(
    base_root: Path, rule_runs: list[int]
) -> None:
    assert validate(base_root) == (0, "")
    assert rule_runs == [1] and kept(base_root).is_file()
    assert validate(base_root) == (0, "")
    assert rule_runs == [1]


def test_the_answer_kept_is_the_problems_found(base_root: Path, rule_runs: list[int]) -> None:
    stray = base_root / "builds" / "notes.txt"
    stray.write_text("hello\n", encoding="utf-8")
    first = validate(base_root)
    assert first[0] == 1 and "builds/notes.txt:1:1: not a data file" in first[1]
    assert validate(base_root) == first
    assert rule_runs == [1]
    assert validate(base_root, str(base_root / "builds" / "1.0.yaml")) == (0, "")  # PATHS filter
    assert validate(base_root, "--no-cache") == first
    assert rule_runs == [1, 1]


def _edit_record(root: Path) -> str:
    # the same id in a second file: only a cross-file rule sees it
    (root / "builds" / "1.2.yaml").write_text(
        (root / "builds" / "1.1.yaml").read_text(encoding="utf-8"), encoding="utf-8"
    )
    return "builds/1.2.yaml"


def _stray_name(root: Path) -> str:
    (root / "issues").mkdir(exist_ok=True)
    (root / "issues" / ".hidden").write_text("", encoding="utf-8")
    return "issues/.hidden"


def _fragment(root: Path) -> str:
    (root / "changes" / "1.1").mkdir(parents=True, exist_ok=True)
    (root / "changes" / "1.1" / "x.nonsense.md").write_text("Text.\n", encoding="utf-8")
    return "changes/1.1/x.nonsense.md"


def _loose_change(root: Path) -> str:
    (root / "changes").mkdir(exist_ok=True)
    (root / "changes" / "README").write_text("Text.\n", encoding="utf-8")
    return "changes/README"


@pytest.mark.parametrize(
    "change", [_edit_record, _stray_name, _fragment, _loose_change], ids=lambda f: f.__name__
)
def test_any_change_the_rules_see_runs_them_again(
    base_root: Path, rule_runs: list[int], change: Callable[[Path], str]
) -> None:
    assert validate(base_root) == (0, "")
    shown = change(base_root)
    code, out = validate(base_root)
    assert rule_runs == [1, 1]
    assert code == 1 and f"{shown}:" in out


def test_a_linked_changes_folder_is_followed(
    base_root: Path, rule_runs: list[int], tmp_path: Path
) -> None:
    elsewhere = tmp_path / "elsewhere"
    (elsewhere / "1.1").mkdir(parents=True)
    (base_root / "changes").symlink_to(elsewhere)
    assert validate(base_root) == (0, "")
    (elsewhere / "1.1" / "x.nonsense.md").write_text("Text.\n", encoding="utf-8")
    code, out = validate(base_root)
    assert rule_runs == [1, 1]
    assert code == 1 and "changes/1.1/x.nonsense.md:" in out


def test_a_changed_declaration_runs_the_rules_again(base_root: Path, rule_runs: list[int]) -> None:
    (base_root / "changes" / "1.1").mkdir(parents=True)
    (base_root / "changes" / "1.1" / "x.highlights.md").write_text("Text.\n", encoding="utf-8")
    assert validate(base_root) == (0, "")
    # the root's own declaration now has no highlights category
    (base_root / "towncrier.toml").write_text(
        '[tool.towncrier]\ndirectory = "changes"\n\n'
        '[[tool.towncrier.type]]\ndirectory = "pipeline"\nname = "Pipeline"\nshowcontent = true\n',
        encoding="utf-8",
    )
    validate(base_root)
    assert rule_runs == [1, 1]


def test_a_changed_schema_runs_the_rules_again(base_root: Path, rule_runs: list[int]) -> None:
    validate(base_root)
    schema = base_root / "schema" / "issue.schema.json"  # its mode groups feed a rule
    schema.write_text(schema.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    validate(base_root)
    assert rule_runs == [1, 1]


def test_a_new_day_runs_the_rules_again(
    base_root: Path, rule_runs: list[int], monkeypatch: pytest.MonkeyPatch
) -> None:
    validate(base_root)

    class Tomorrow(datetime.date):
        @classmethod
        def today(cls) -> Tomorrow:
            return cls(2999, 1, 2)

    monkeypatch.setattr(lastrun.datetime, "date", Tomorrow)
    validate(base_root)
    assert rule_runs == [1, 1]


def test_changed_code_runs_the_rules_again(
    base_root: Path, rule_runs: list[int], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    package = tmp_path / "package"
    package.mkdir()
    module = package / "rule.py"
    module.write_text("X = 1\n", encoding="utf-8")
    monkeypatch.setattr(lastrun, "_PACKAGE", package)
    validate(base_root)
    validate(base_root)
    assert rule_runs == [1]
    module.write_text("X = 2\n", encoding="utf-8")
    os.utime(module, ns=(1, 1))
    validate(base_root)
    assert rule_runs == [1, 1]


@pytest.mark.parametrize("damage", [b"", b"jwblast1", None], ids=["empty", "magic", "flipped"])
def test_a_damaged_answer_is_ignored(
    base_root: Path, rule_runs: list[int], damage: bytes | None
) -> None:
    validate(base_root)
    blob = kept(base_root).read_bytes()
    if damage is None:  # the key is right, the body is not
        damage = blob[:-1] + bytes([blob[-1] ^ 1])
    kept(base_root).write_bytes(damage)
    assert validate(base_root) == (0, "")
    assert rule_runs == [1, 1]
    assert kept(base_root).read_bytes() == blob


def test_no_cache_keeps_nothing(base_root: Path, rule_runs: list[int]) -> None:
    validate(base_root, "--no-cache")
    validate(base_root, "--no-cache")
    assert rule_runs == [1, 1]
    assert not kept(base_root).exists()


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads files whatever their mode")
def test_an_unreadable_fragment_gives_no_key(base_root: Path) -> None:
    folder = base_root / "changes" / "1.1"
    folder.mkdir(parents=True)
    (folder / "x.highlights.md").write_text("Text.\n", encoding="utf-8")
    (folder / "x.highlights.md").chmod(0)
    try:
        ds_inputs = b"x" * 16
        assert lastrun.key(base_root, ds_inputs) is None
    finally:
        (folder / "x.highlights.md").chmod(0o644)


def test_a_mode_change_under_changes_changes_the_key(base_root: Path) -> None:
    folder = base_root / "changes" / "1.1"
    folder.mkdir(parents=True)
    fragment = folder / "x.highlights.md"
    fragment.write_text("Text.\n", encoding="utf-8")
    before = lastrun.key(base_root, b"x" * 16)
    fragment.chmod(0o600)
    assert before is not None and lastrun.key(base_root, b"x" * 16) not in (None, before)


def test_no_inputs_no_key(base_root: Path) -> None:
    assert lastrun.key(base_root, b"") is None
