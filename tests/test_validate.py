"""`jwst-builds validate`: exact messages for bad input, clean real data, CLI behaviour."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from jwst_builds.cli import cli
from jwst_builds.yamlio import MAX_BYTES

from .conftest import CASES, REPO, make_root

INVALID = sorted(p for p in (CASES / "invalid").iterdir() if p.is_dir())


def run(root: Path, *args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, ["--root", str(root), "validate", *args])
    return result.exit_code, result.stdout


def snapshot(root: Path) -> dict[str, str]:
    """Every file of the tree and its hash, except the cache (validate's only writes)."""
    return {
        p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(root.rglob("*"))
        if p.is_file() and not p.relative_to(root).as_posix().startswith(".jwst-builds-cache/")
    }


@pytest.mark.parametrize("case", INVALID, ids=[p.name for p in INVALID])
def test_invalid_case_gives_exact_messages(case: Path, tmp_path: Path) -> None:
    """Each invalid case reports exactly the lines in its expected.txt and exits 1."""
    root = make_root(tmp_path / "root", case)
    expected = (case / "expected.txt").read_text(encoding="utf-8")
    # without the cache, then filling it, then answered from it: the same lines each time
    for args in (["--no-cache"], [], []):
        code, output = run(root, *args)
        assert expected == output + f"exit {code}\n", args


@pytest.mark.parametrize("case", INVALID, ids=[p.name for p in INVALID])
def test_validate_never_changes_a_file(case: Path, tmp_path: Path) -> None:
    """Validation leaves every byte of the tree as it was, even for broken input."""
    root = make_root(tmp_path / "root", case)
    before = snapshot(root)
    run(root)
    assert before == snapshot(root)


def test_base_tree_is_clean(base_root: Path) -> None:
    """The small base tree has no problems: exit 0 and nothing on stdout."""
    assert (0, "") == run(base_root)


def test_real_data_is_valid() -> None:
    """The repository's own data validates without a single problem."""
    assert (0, "") == run(REPO)


def test_real_data_has_every_readme_tag() -> None:
    """Each jwst tag is a release of one build only, the README table's 116 tags at least
    (a new build adds tags: a floor, not a count), and 0.8.0 keeps its two labels."""
    from jwst_builds import dataset

    ds = dataset.load(REPO)
    tags = [rel["jwst_version"] for _, rel in ds.releases()]
    assert (True, True) == (len(tags) >= 116, len(tags) == len(set(tags)))
    _, rel = ds.release("0.8.0") or (None, {})
    assert ["B7.1", "B7.1.1"] == [rel["dms_label"]] + [a["dms_label"] for a in rel["also_labelled"]]


def test_huge_file_is_refused(base_root: Path) -> None:
    """A file over the size limit is one located problem, and other files are still checked."""
    (base_root / "builds" / "9.9.yaml").write_text("id: '9.9'\n" + "#" * MAX_BYTES + "\n")
    text = (base_root / "builds" / "1.0.yaml").read_text()
    (base_root / "builds" / "1.0.yaml").write_text(text.replace("status: archived", "status: old"))
    code, output = run(base_root)
    assert 1 == code
    assert [
        "builds/1.0.yaml:3:9: status: 'old' is not one of: development, candidate, operations, archived",
        f"builds/9.9.yaml:1:1: file is {MAX_BYTES + 11:,} bytes, over the limit of {MAX_BYTES:,} "
        "(a record is a few kilobytes; split it or remove what does not belong)",
        "2 problems in 2 files",
    ] == output.splitlines()


def test_every_problem_in_one_run(tmp_path: Path) -> None:
    """Problems from several files and kinds come out together, sorted by file and line."""
    root = make_root(
        tmp_path / "root", CASES / "invalid" / "alias-bomb", CASES / "invalid" / "unknown-key"
    )
    code, output = run(root)
    assert 1 == code
    assert [
        "builds/1.0.yaml:30:5: releases[1].relased: unknown field 'relased' (did you mean 'released'?)",
        "builds/2.0.yaml:1:4: a: YAML anchors and aliases (&name, *name) are not allowed in data files (write each value out in full)",
        "2 problems in 2 files",
    ] == output.splitlines()


def test_paths_limit_the_report(tmp_path: Path) -> None:
    """With PATHS, only problems in those files are reported."""
    root = make_root(tmp_path / "root", CASES / "invalid" / "two-in-operations")
    code, output = run(root, str(root / "builds" / "1.1.yaml"))
    assert 1 == code
    assert [
        "builds/1.1.yaml:3:9: status: build 1.0 is in operations too "
        "(only one build is in operations at a time; archive the older one) [B018]",
        "1 problem in 1 file",
    ] == output.splitlines()


def test_json_format(tmp_path: Path) -> None:
    """--format json gives a document with every field of each problem."""
    root = make_root(tmp_path / "root", CASES / "invalid" / "status-typo")
    code, output = run(root, "--format", "json")
    assert 1 == code
    assert {
        "count": 1,
        "problems": [
            {
                "file": "builds/1.0.yaml",
                "line": 3,
                "col": 9,
                "field": "status",
                "message": "'archieved' is not one of: development, candidate, operations, archived",
                "hint": "did you mean 'archived'?",
                "code": "",
            }
        ],
    } == json.loads(output)


def test_github_format(tmp_path: Path) -> None:
    """--format github gives one escaped ::error annotation per problem."""
    root = make_root(tmp_path / "root", CASES / "invalid" / "unknown-key")
    code, output = run(root, "--format", "github")
    assert 1 == code
    assert (
        "::error file=builds/1.0.yaml,line=30,col=5,title=releases[1].relased::"
        "unknown field 'relased' (did you mean 'released'?)\n"
    ) == output


def test_missing_root_is_a_usage_error(tmp_path: Path) -> None:
    """--root pointing at a folder without data is exit 2 with a sentence, no traceback."""
    result = CliRunner().invoke(cli, ["--root", str(tmp_path), "validate"])
    assert 2 == result.exit_code
    assert (
        f"Error: --root {tmp_path} holds no schema/build.schema.json and builds/\n"
        == (result.stderr.splitlines(keepends=True)[-1])
    )


def test_root_found_from_a_subfolder(base_root: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Without --root the data root is found by walking up from the current folder."""
    monkeypatch.chdir(base_root / "builds")
    result = CliRunner().invoke(cli, ["validate"])
    assert (0, "", "no problems\n") == (result.exit_code, result.stdout, result.stderr)


def test_every_command_has_help() -> None:
    """Every subcommand has a help text (the CLI reference comes from --help)."""
    ctx = cli.make_context("jwst-builds", ["--help"], resilient_parsing=True)
    for name in cli.list_commands(ctx):
        command = cli.get_command(ctx, name)
        assert command is not None and command.help, name


def test_help_lines_match_the_commands() -> None:
    """--help prints each command's line from a table, without importing the command."""
    from jwst_builds.cli import COMMANDS

    ctx = cli.make_context("jwst-builds", ["--help"], resilient_parsing=True)
    for name, (_, line) in COMMANDS.items():
        command = cli.get_command(ctx, name)
        assert command is not None
        assert line == command.get_short_help_str(limit=len(line)), name


def test_help_imports_no_command() -> None:
    """--help and validate stay light: no towncrier, jinja2, jsonschema or YAML loader."""
    import subprocess
    import sys

    code = (
        "import sys; from jwst_builds.cli import main; sys.argv = ['jwst-builds', '--help']\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in "
        "('towncrier', 'jinja2', 'jsonschema', 'ruamel', 'astropy')))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.splitlines()[-1] == "[]"
