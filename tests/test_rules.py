"""Rule codes: every semantic rule has a stable code, CONTRIBUTING.md lists exactly those,
and each one is triggered by at least one invalid case."""

from __future__ import annotations

import errno
import json
import os
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from jwst_builds.cli import cli

from .conftest import CASES, REPO, make_root

SRC = REPO / "src" / "jwst_builds"
#: where rules live: the checks, and fragments.text_faults (shared with `new fragment`)
RULE_MODULES = [*sorted((SRC / "checks").glob("*.py")), SRC / "fragments.py"]
_CODE = re.compile(r"\b([BCFIRS][0-9]{3})\b")


def _codes_in_source() -> set[str]:
    return {
        c for path in RULE_MODULES for c in re.findall(r'"([BCFIRS][0-9]{3})"', path.read_text())
    }


def _codes_in_contributing() -> list[str]:
    text = (REPO / "CONTRIBUTING.md").read_text(encoding="utf-8")
    section = text.split("## Rule codes", 1)[1]
    return re.findall(r"^\| ([BCFIRS][0-9]{3}) \|", section, flags=re.MULTILINE)


def _codes_triggered() -> dict[str, list[str]]:
    """Code -> the expected outputs (cases, or tests below) that show it."""
    found: dict[str, list[str]] = {}
    for path in sorted(CASES.rglob("expected.txt")):
        for code in re.findall(r"\[([BCFIRS][0-9]{3})\]$", path.read_text(), re.MULTILINE):
            found.setdefault(code, []).append(path.parent.name)
    for path in sorted(Path(__file__).parent.glob("test_*.py")):
        for code in re.findall(r"\[([BCFIRS][0-9]{3})\]", path.read_text()):
            found.setdefault(code, []).append(path.name)
    return found


def test_the_source_has_rule_codes() -> None:
    """The scan finds the rules (it is not reading an empty folder)."""
    assert {"B001", "I001", "S001", "F001", "C001", "R001"} <= _codes_in_source()


def test_contributing_lists_every_code_once() -> None:
    """The table under "Rule codes" in CONTRIBUTING.md lists each code of the source, once."""
    listed = _codes_in_contributing()
    assert sorted(_codes_in_source()) == sorted(listed)
    assert len(set(listed)) == len(listed)


def test_every_rule_has_a_case_that_triggers_it() -> None:
    """No rule is enforced only on paper: each code shows in an expected output."""
    triggered = _codes_triggered()
    assert [] == sorted(c for c in _codes_in_source() if c not in triggered)


def test_json_report_carries_the_code(tmp_path: Path) -> None:
    """--format json gives each problem its rule code (empty for schema problems)."""
    root = make_root(tmp_path / "root", CASES / "invalid" / "date-order")
    result = CliRunner().invoke(cli, ["--root", str(root), "validate", "--format", "json"])
    assert 1 == result.exit_code
    assert ["B011"] == [p["code"] for p in json.loads(result.stdout)["problems"]]


def test_github_report_names_the_code(tmp_path: Path) -> None:
    """--format github puts the code in front of the field in the annotation's title."""
    root = make_root(tmp_path / "root", CASES / "invalid" / "date-order")
    result = CliRunner().invoke(cli, ["--root", str(root), "validate", "--format", "github"])
    assert "title=B011 releases[1].released::" in result.stdout


# --- rules no static case can trigger ---------------------------------------------


def test_mode_group_without_members(tmp_path: Path) -> None:
    """A mode group that the schema's enum allows but whose members it does not list is
    named at the record that uses it [I017]."""
    root = make_root(tmp_path / "root", base=CASES / "issues" / "base")
    schema_path = root / "schema" / "issue.schema.json"
    schema = json.loads(schema_path.read_text(encoding="utf-8"))
    del schema["$defs"]["mode_group_members"]["const"]["wfss"]
    schema_path.write_text(json.dumps(schema, indent=2), encoding="utf-8")
    issue = root / "issues" / "open-everywhere.yaml"
    text = issue.read_text(encoding="utf-8")
    issue.write_text(text.replace("  mode_groups: []", "  mode_groups:\n    - wfss", 1))
    result = CliRunner().invoke(cli, ["--root", str(root), "validate"])
    assert (
        1,
        [
            "issues/open-everywhere.yaml:10:7: scope.mode_groups[0]: mode group 'wfss' "
            "has no members in schema/issue.schema.json (add it to $defs/mode_group_members) "
            "[I017]",
            "1 problem in 1 file",
        ],
    ) == (result.exit_code, result.stdout.splitlines())


def _deny(monkeypatch: pytest.MonkeyPatch, *paths: Path) -> None:
    """Make listing these folders fail as it does for a user without read permission
    (tests run as root in CI, where chmod would not stop anything)."""
    denied = {str(p) for p in paths}
    real = os.listdir

    def listdir(path: object = ".") -> list[str]:
        if isinstance(path, (str, Path)) and os.path.abspath(path) in denied:
            raise PermissionError(errno.EACCES, "Permission denied", str(path))
        return real(path)  # type: ignore[arg-type]

    real_scandir = os.scandir

    def scandir(path: object = ".") -> object:
        if isinstance(path, (str, Path)) and os.path.abspath(path) in denied:
            raise PermissionError(errno.EACCES, "Permission denied", str(path))
        return real_scandir(path)  # type: ignore[call-overload]

    monkeypatch.setattr(os, "listdir", listdir)
    monkeypatch.setattr(os, "scandir", scandir)


def test_unreadable_folders_are_named(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A data folder or fragment folder that cannot be listed is a problem, never a silent
    pass with nothing checked [R005] [F016]."""
    root = make_root(tmp_path / "root", CASES / "notes" / "tree")
    _deny(monkeypatch, root / "issues", root / "changes" / "1.1")
    (root / "issues").mkdir(exist_ok=True)
    result = CliRunner().invoke(cli, ["--root", str(root), "validate"])
    assert (
        1,
        [
            "changes/1.1:1:1: cannot read the folder: Permission denied [F016]",
            "issues:1:1: cannot read the folder: Permission denied [R005]",
            "2 problems in 2 files",
        ],
    ) == (result.exit_code, result.stdout.splitlines())


def test_linked_fragment_is_named(tmp_path: Path) -> None:
    """A fragment that is a symbolic link is a problem; notes would publish its target
    (made here rather than in a case: copies of the test tree follow links) [F005]."""
    root = make_root(tmp_path / "root", CASES / "notes" / "tree")
    target = tmp_path / "elsewhere.md"
    target.write_text("The jump step is faster.\n", encoding="utf-8")
    (root / "changes" / "1.1" / "linked.jump.md").symlink_to(target)
    result = CliRunner().invoke(cli, ["--root", str(root), "validate"])
    assert (
        1,
        [
            "changes/1.1/linked.jump.md:1:1: is a symbolic link; fragments are regular files "
            "(replace the link with the file it points to) [F005]",
            "1 problem in 1 file",
        ],
    ) == (result.exit_code, result.stdout.splitlines())


def test_every_rule_call_names_its_code() -> None:
    """Each problem a check yields carries a code=... (a new rule cannot forget one)."""
    import ast

    missing = []
    for path in RULE_MODULES:
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Name)
                and node.func.id in ("problem", "_at")
                and path.parent.name == "checks"
                and not any(k.arg == "code" for k in node.keywords)
            ):
                missing.append(f"{path.name}:{node.lineno}")
    assert [] == missing
