"""Hostile input: never a traceback, never a silent pass, never a lost edit.

One section per class of failure found by feeding the tool several hundred hostile inputs
(issue 11). The YAML inputs that fail in one file have invalid cases under
tests/cases/invalid/ (exact messages); these tests cover what a case cannot: every command
at once, the file system, configuration, and what is left on disk.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from jwst_builds import dataset, fmt, safewrite
from jwst_builds.cli import cli
from jwst_builds.schemas import python_pattern

from .conftest import CASES, REPO, make_root


def run(root: Path, *args: str) -> Result:
    return CliRunner().invoke(cli, ["--root", str(root), *args])


def no_traceback(result: Result) -> Result:
    """The result, after checking that the command ended on purpose (SystemExit), not on
    an exception."""
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(
        result.exception
    )
    return result


def tree(tmp_path: Path) -> Path:
    """Two builds (1.0 archived, 1.1 in operations), a known issue, fragments for both."""
    return make_root(tmp_path / "root", CASES / "notes" / "tree")


def files(folder: Path) -> dict[str, bytes]:
    """Every file and link under ``folder`` (relative path -> bytes or link target)."""
    out = {}
    for path in sorted(folder.rglob("*")):
        if path.is_symlink():
            out[path.relative_to(folder).as_posix()] = os.readlink(path).encode()
        elif path.is_file():
            out[path.relative_to(folder).as_posix()] = path.read_bytes()
    return out


def swap(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


# --- 1. values the YAML parser cannot build ------------------------------------------------

BAD_BUILD = (
    '# yaml-language-server: $schema=../schema/build.schema.json\nid: "2.0"\n'
    "status: development\ncandidate_released: 2016-02-30\n"
)


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("2016-02-30", "2016-02-30 is not a date that exists: day is out of range for month"),
        ("0000-01-01", "0000-01-01 is not a date that exists: year 0 is out of range"),
        ("2024-01-01T10:00:00+99:00", "2024-01-01T10:00:00+99:00 is not a date that exists: "),
        ("9" * 5000, "a number of 5,000 digits is too long"),
    ],
    ids=["impossible-day", "year-zero", "offset", "5000-digits"],
)
def test_unbuildable_value_is_located(tmp_path: Path, value: str, message: str) -> None:
    """A value YAML recognises but cannot build is one problem at its line, field named."""
    root = tree(tmp_path)
    swap(
        root / "builds" / "1.0.yaml",
        'candidate_released: "2024-01-10"',
        f"candidate_released: {value}",
    )
    result = no_traceback(run(root, "validate"))
    assert 1 == result.exit_code
    first = result.stdout.splitlines()[0]
    assert first.startswith(f"builds/1.0.yaml:5:21: candidate_released: {message}")


def test_one_bad_file_breaks_no_question_about_other_records(tmp_path: Path) -> None:
    """An impossible date in builds/2.0.yaml is a located problem in validate, fmt and
    export, and every question about the other builds is still answered."""
    root = tree(tmp_path)
    (root / "builds" / "2.0.yaml").write_text(BAD_BUILD, encoding="utf-8")
    located = "builds/2.0.yaml:4:21: candidate_released: 2016-02-30 is not a date that exists"
    for args in (("validate",), ("fmt", "--check"), ("export", "--out", str(tmp_path / "out"))):
        result = no_traceback(run(root, *args))
        assert (1, True) == (result.exit_code, located in result.stdout), args
    show = no_traceback(run(root, "show", "1.1", "--format", "json"))
    assert (0, "1.1") == (show.exit_code, json.loads(show.stdout)["build"]["id"])
    ops = no_traceback(run(root, "operations", "--on", "2024-07-01", "--format", "json"))
    assert (0, "1.1") == (ops.exit_code, json.loads(ops.stdout)["build"])
    affects = no_traceback(run(root, "affects", "--cal-ver", "0.2.0", "--format", "json"))
    assert (0, "0.2.0") == (
        affects.exit_code,
        json.loads(affects.stdout)["release"]["jwst_version"],
    )
    notes = no_traceback(run(root, "notes", "1.1"))
    assert (0, True) == (notes.exit_code, notes.stdout.startswith("# "))
    new = no_traceback(run(root, "new", "release", "1.1", "0.2.5"))
    assert (0, "builds/1.1.yaml\n") == (new.exit_code, new.stdout)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ("affects", "--cal-ver", "1.²"),
            "error: CAL_VER '1.²' is not a jwst version such as 1.14.0",
        ),
        (("affects", "--cal-ver", "①.2.0"), "error: CAL_VER '①.2.0' is not a jwst version"),
        (("affects", "--cal-ver", "1." + "9" * 5000), "error: CAL_VER '1.99999"),
        (("show", "²"), "error: unknown build '²'"),
        (("show", "1." + "9" * 5000), "(4,942 more)' (known builds nearby: 1.1)"),
        (("affects", "--cal-ver", "0.2.0", "--crds-ctx", "²²²²"), "error: CRDS_CTX '²²²²' is not"),
    ],
    ids=["superscript", "circled", "5000-digits", "show-superscript", "show-long", "context"],
)
def test_odd_digits_in_questions(tmp_path: Path, args: tuple[str, ...], message: str) -> None:
    """Digits Python reads but versions do not have, and huge numbers, are refused in one
    short line (exit 1), never a ValueError."""
    result = no_traceback(run(tree(tmp_path), *args))
    assert 1 == result.exit_code
    assert message in result.stderr
    assert all(len(line) < 300 for line in result.stderr.splitlines())


def test_version_key_ignores_what_is_no_version_digit() -> None:
    """Sorting versions never parses "²" or a 5,000-digit part."""
    assert (1, 14, 0) == dataset.version_key("1.14.0")
    assert (1,) == dataset.version_key("1.²")
    assert (1, 10**18) == dataset.version_key("1." + "9" * 5000)


# --- 2. deep nesting -------------------------------------------------------------------------


@pytest.mark.parametrize("depth", [1_000, 50_000])
@pytest.mark.parametrize("where", ["value", "unknown-key"])
def test_deep_nesting_is_refused_before_anything_recurses(
    tmp_path: Path, depth: int, where: str
) -> None:
    """Nested lists, in a field or under an unknown key, are one located problem in
    validate and fmt: no RecursionError, no crash of the C loader."""
    root = tree(tmp_path)
    nest = "[" * depth + "]" * depth
    line = f"release_notes: {nest}" if where == "value" else f"release_notes: null\nextra: {nest}"
    swap(root / "builds" / "1.0.yaml", "release_notes: null", line)
    col = 16 if where == "value" else 8
    for args in (("validate",), ("fmt", "--check"), ("fmt",)):
        result = no_traceback(run(root, *args))
        assert 1 == result.exit_code, args
        assert "nesting is deeper than 20 levels" in result.stdout
        assert result.stdout.startswith(f"builds/1.0.yaml:{10 + (where != 'value')}:{col + 19}:")


def test_deep_block_nesting_is_refused(tmp_path: Path) -> None:
    """Nesting by indentation is counted too."""
    root = tree(tmp_path)
    block = "".join("  " * i + "-\n" for i in range(1, 40))
    swap(
        root / "builds" / "1.0.yaml", "release_notes: null", "release_notes: null\nextra:\n" + block
    )
    result = no_traceback(run(root, "validate"))
    assert (1, True) == (result.exit_code, "nesting is deeper than 20 levels" in result.stdout)


# --- 3. fmt ------------------------------------------------------------------------------------


def test_fmt_keeps_an_empty_mapping(tmp_path: Path) -> None:
    """`summary: {}` (a wrong type for validate) no longer crashes fmt or `new release`."""
    root = tree(tmp_path)
    path = root / "builds" / "1.1.yaml"
    swap(path, "release_notes:", "summary: {}\nrelease_notes:")
    assert 0 == no_traceback(run(root, "fmt")).exit_code
    assert "summary: {}\n" in path.read_text(encoding="utf-8")
    assert 0 == no_traceback(run(root, "new", "release", "1.1", "0.2.5")).exit_code
    assert "summary: {}\n" in path.read_text(encoding="utf-8")


def test_fmt_refuses_a_file_changed_while_it_ran(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An editor that saves the file while fmt computes its new text keeps its edit: fmt
    compares the file with what it read just before replacing it, and refuses."""
    root = tree(tmp_path)
    path = root / "builds" / "1.0.yaml"
    swap(path, 'id: "1.0"', "id: '1.0'")
    saved = path.read_text(encoding="utf-8").replace("sources:", "# the editor's save\nsources:")
    real = fmt.format_text

    def editor_saves_meanwhile(*args: object, **kwargs: object) -> str:
        out = real(*args, **kwargs)  # type: ignore[arg-type]
        path.write_text(saved, encoding="utf-8")
        return out

    monkeypatch.setattr(fmt, "format_text", editor_saves_meanwhile)
    result = no_traceback(run(root, "fmt"))
    assert 1 == result.exit_code
    assert (
        "builds/1.0.yaml:1:1: not formatted: changed on disk while it was being formatted; "
        "run the command again\n"
    ) in result.stdout
    assert saved == path.read_text(encoding="utf-8")
    assert [] == [p.name for p in path.parent.iterdir() if p.name.startswith(".")]


def test_flow_list_with_comment_in_a_block_list_is_stable() -> None:
    """A flow list with an end-of-line comment inside a block list formats to a fixed point."""
    schemas = fmt.load_schemas(REPO / "schema")
    mode = fmt.MODELINE.format("../schema/build.schema.json")
    text = "id: '1.0'\nreleases:\n  - [a, b]  # c\n  - x\n"
    once = fmt.format_text(text, "builds/1.0.yaml", schemas, "build.schema.json", mode)
    twice = fmt.format_text(once, "builds/1.0.yaml", schemas, "build.schema.json", mode)
    assert once == twice
    assert "# c" in once


def test_interrupted_replace_leaves_no_temporary_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A replace that fails at the last step (or is interrupted) removes its temporary file."""
    path = tmp_path / "a.yaml"
    path.write_bytes(b"old")

    def fail(*_: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(os, "replace", fail)
    with pytest.raises(KeyboardInterrupt):
        safewrite.replace_file(path, b"new", expected=b"old")
    assert {"a.yaml": b"old"} == files(tmp_path)


def test_leftover_temporary_file_is_reported(tmp_path: Path) -> None:
    """A temporary file that a killed fmt left behind is named by validate [R004]."""
    root = tree(tmp_path)
    leftover = safewrite.temp_path(root / "builds" / "1.0.yaml")
    leftover.write_text("half a fi", encoding="utf-8")
    result = no_traceback(run(root, "validate"))
    assert 1 == result.exit_code
    assert (
        f"builds/{leftover.name}:1:1: temporary file left by an interrupted jwst-builds run "
        "(delete it; the file it was made for is as it was) [R004]"
    ) == result.stdout.splitlines()[0]


def test_sigterm_unwinds(tmp_path: Path) -> None:
    """`kill` (SIGTERM) ends the command by unwinding, so that cleanup code runs."""
    from jwst_builds.cli import _terminated

    with pytest.raises(SystemExit) as caught:
        _terminated(15, None)
    assert 143 == caught.value.code


# --- 4. export is all or nothing ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("out", "message"),
    [
        ("", "--out needs a folder name"),
        (".", "holds the data root"),
        ("builds", "is inside builds/ of the data"),
        ("changes/1.1", "is inside changes/ of the data"),
        ("schema", "is inside schema/ of the data"),
    ],
)
def test_export_refuses_the_data_folders(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, out: str, message: str
) -> None:
    """--out never points at the data: exit 2, one line, nothing changed."""
    root = tree(tmp_path)
    before = files(root)
    monkeypatch.chdir(root)
    result = no_traceback(run(root, "export", "--out", out))
    assert (2, True) == (result.exit_code, message in result.stderr)
    assert before == files(root)


def test_export_refuses_a_folder_with_other_files(tmp_path: Path) -> None:
    """A folder that holds anything but a previous export is not emptied: exit 2."""
    root = tree(tmp_path)
    out = tmp_path / "mine"
    out.mkdir()
    (out / "thesis.tex").write_text("mine", encoding="utf-8")
    result = no_traceback(run(root, "export", "--out", str(out)))
    assert 2 == result.exit_code
    assert "holds 'thesis.tex', which is not part of an export" in result.stderr
    assert {"thesis.tex": b"mine"} == files(out)


def test_export_replaces_the_previous_export_whole(tmp_path: Path) -> None:
    """A second export replaces the folder: nothing of the first one or of the swap stays."""
    root = tree(tmp_path)
    out = tmp_path / "out"
    assert 0 == no_traceback(run(root, "export", "--out", str(out))).exit_code
    first = files(out)
    swap(root / "builds" / "1.1.yaml", "summary:", "summary:") if False else None
    assert 0 == no_traceback(run(root, "export", "--out", str(out))).exit_code
    assert first == files(out)
    assert ["out", "root"] == sorted(p.name for p in tmp_path.iterdir())


# --- 5. symbolic links and odd files ------------------------------------------------------------


def test_fmt_and_new_never_replace_a_link(tmp_path: Path) -> None:
    """A build file that is a symbolic link (given explicitly, as pre-commit does) is
    refused by fmt and by new release: the link stays a link, its target keeps its text."""
    root = tree(tmp_path)
    target = tmp_path / "elsewhere.yaml"
    shutil.move(root / "builds" / "1.0.yaml", target)
    swap(target, 'id: "1.0"', "id: '1.0'")
    (root / "builds" / "1.0.yaml").symlink_to(target)
    before = target.read_bytes()
    line = (
        "builds/1.0.yaml:1:1: is a symbolic link; data files are regular files "
        "(replace the link with the file it points to)"
    )
    result = no_traceback(run(root, "fmt", str(root / "builds" / "1.0.yaml")))
    assert (1, True) == (result.exit_code, line in result.stdout)
    assert (1, True) == (lambda r: (r.exit_code, line in r.stdout))(
        no_traceback(run(root, "validate"))
    )
    result = no_traceback(run(root, "new", "release", "1.0", "0.1.5"))
    assert (1, True) == (result.exit_code, line in result.stdout)
    assert (True, before) == ((root / "builds" / "1.0.yaml").is_symlink(), target.read_bytes())


@pytest.mark.parametrize("kind", ["dangling", "loop", "folder", "fifo"])
def test_odd_entries_named_like_data_files(tmp_path: Path, kind: str) -> None:
    """A dangling or looping link, a folder or a pipe named like a build file is one
    located problem in validate and fmt, never skipped, followed, read or waited on."""
    root = tree(tmp_path)
    path = root / "builds" / "9.9.yaml"
    if kind == "dangling":
        path.symlink_to("nowhere.yaml")
    elif kind == "loop":
        path.symlink_to("9.8.yaml")
        (root / "builds" / "9.8.yaml").symlink_to("9.9.yaml")
    elif kind == "folder":
        path.mkdir()
    else:
        os.mkfifo(path)
    what = {
        "dangling": "is a symbolic link; data files are regular files",
        "loop": "is a symbolic link; data files are regular files",
        "folder": "is a folder, not a regular file",
        "fifo": "is a named pipe, not a regular file",
    }[kind]
    for args in (("validate",), ("fmt", "--check")):
        result = no_traceback(run(root, *args))
        assert (1, True) == (result.exit_code, f"builds/9.9.yaml:1:1: {what}" in result.stdout)


def test_fifo_fragment_does_not_hang(tmp_path: Path) -> None:
    """`mkfifo changes/1.1/p.jump.md` is a problem for validate and notes, which return at
    once (run as a process with a time limit, so that a regression fails, not hangs)."""
    root = tree(tmp_path)
    os.mkfifo(root / "changes" / "1.1" / "p.jump.md")
    line = "changes/1.1/p.jump.md:1:1: is a named pipe, not a regular file"
    for args in (("validate",), ("notes", "1.1")):
        done = subprocess.run(
            [sys.executable, "-m", "jwst_builds", "--root", str(root), *args],
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        assert (1, True) == (done.returncode, line in done.stdout + done.stderr), args


def test_hidden_fragment_is_reported_and_not_published(tmp_path: Path) -> None:
    """A hidden fragment, which towncrier would publish, is a problem; notes refuses [F004]."""
    root = tree(tmp_path)
    (root / "changes" / "1.1" / ".late.jump.md").write_text("Hidden text.\n", encoding="utf-8")
    notes = no_traceback(run(root, "notes", "1.1"))
    assert (1, "", True) == (notes.exit_code, notes.stdout, "[F004]" in notes.stderr)


def test_yml_beside_yaml_does_not_win(tmp_path: Path) -> None:
    """builds/1.0.yml beside builds/1.0.yaml: the .yaml is the record and the .yml is named."""
    root = tree(tmp_path)
    text = (root / "builds" / "1.0.yaml").read_text(encoding="utf-8")
    (root / "builds" / "1.0.yml").write_text(
        text.replace("archived", "operations"), encoding="utf-8"
    )
    ds = dataset.load(root)
    assert ("archived", "builds/1.0.yaml") == (
        ds.builds["1.0"].data["status"],
        ds.builds["1.0"].file,
    )
    result = no_traceback(run(root, "validate"))
    assert (
        "builds/1.0.yml:2:5: id: builds/1.0.yaml has the same name "
        "(keep one file per id, named <id>.yaml) [R002]"
    ) == result.stdout.splitlines()[0]


@pytest.mark.parametrize("given", ["/etc/hostname", "README.md", "nothing-here.yaml"])
def test_validate_refuses_paths_that_are_not_data(tmp_path: Path, given: str) -> None:
    """A PATH outside the data is a usage error (exit 2), not a clean pass."""
    root = tree(tmp_path)
    (root / "README.md").write_text("# readme\n", encoding="utf-8")
    path = given if given.startswith("/") else str(root / given)
    if given.startswith("/") and not Path(given).exists():
        pytest.skip(f"{given} does not exist here")
    result = no_traceback(run(root, "validate", path))
    assert 2 == result.exit_code
    assert result.stderr.splitlines()[-1].startswith("Error: ")


# --- 6. patterns anchored to the whole value ------------------------------------------------------


def _patterns(node: object) -> list[tuple[str, list[str]]]:
    found = []
    if isinstance(node, dict):
        if isinstance(node.get("pattern"), str) and node.get("examples"):
            found.append((node["pattern"], node["examples"]))
        for value in node.values():
            found += _patterns(value)
    elif isinstance(node, list):
        for value in node:
            found += _patterns(value)
    return found


SCHEMA_PATTERNS = sorted(
    {
        (pattern, str(example))
        for path in sorted((REPO / "schema").glob("*.schema.json"))
        for pattern, examples in _patterns(json.loads(path.read_text(encoding="utf-8")))
        for example in examples
        if isinstance(example, str)
    }
)


@pytest.mark.parametrize(("pattern", "example"), SCHEMA_PATTERNS)
def test_every_pattern_takes_its_example_and_refuses_a_line_break(
    pattern: str, example: str
) -> None:
    """Each schema pattern matches its example, and not the example with a line break after
    it (Python's `$` would accept that; JSON Schema's does not)."""
    regex = python_pattern(pattern)
    assert (True, False) == (bool(regex.search(example)), bool(regex.search(example + "\n")))


def test_new_build_refuses_a_line_break(tmp_path: Path) -> None:
    """`new build $'13.1\\n'` is exit 2 and writes nothing (it made builds/13.1\\n.yaml)."""
    root = tree(tmp_path)
    before = files(root)
    result = no_traceback(run(root, "new", "build", "13.1\n"))
    assert 2 == result.exit_code
    assert "'13.1\\n' is not a valid build id" in result.stderr
    assert before == files(root)


@pytest.mark.parametrize("build_id", ["013.0", "00.7", "1.00"])
def test_new_build_refuses_leading_zeros(tmp_path: Path, build_id: str) -> None:
    """Build ids have no leading zeros."""
    assert 2 == no_traceback(run(tree(tmp_path), "new", "build", build_id)).exit_code


# --- 7. silent passes in the data -----------------------------------------------------------------


def test_missing_issue_schema_is_not_a_pass(tmp_path: Path) -> None:
    """Without schema/issue.schema.json the issues cannot be checked: exit 2, one line."""
    root = tree(tmp_path)
    (root / "schema" / "issue.schema.json").unlink()
    result = no_traceback(run(root, "validate"))
    assert (2, 1) == (result.exit_code, len(result.stderr.splitlines()))
    assert "issue.schema.json is missing" in result.stderr


def test_what_validate_accepts_export_writes(tmp_path: Path) -> None:
    """A line break in a symptom and ';' in a label fail validate, located; export refuses
    with the same problems instead of failing half-way."""
    root = tree(tmp_path)
    swap(root / "builds" / "1.0.yaml", 'dms_label: "B1.0rc1"', 'dms_label: "B1.0;rc1"')
    issue = root / "issues" / "test-issue.yaml"
    text = issue.read_text(encoding="utf-8")
    start = text.index("symptoms:\n  - ") + len("symptoms:\n  - ")
    issue.write_text(text[:start] + '"Two\\nlines"\n' + text[text.index("\n", start) + 1 :])
    validate = no_traceback(run(root, "validate"))
    export = no_traceback(run(root, "export", "--out", str(tmp_path / "out")))
    lines = [line for line in validate.stdout.splitlines() if ": " in line]
    assert ["builds/1.0.yaml", "issues/test-issue.yaml"] == [line.split(":")[0] for line in lines]
    assert (1, 1) == (validate.exit_code, export.exit_code)
    assert validate.stdout == export.stdout
    assert not (tmp_path / "out").exists()


# --- 8. broken configuration ------------------------------------------------------------------------


def _break(root: Path, kind: str) -> None:
    schema = root / "schema" / "build.schema.json"
    if kind == "schema-is-a-list":
        schema.write_text("[]", encoding="utf-8")
    elif kind == "ref-to-nothing":
        swap(schema, "common.schema.json#/$defs/build_id", "common.schema.json#/$defs/nothing")
    elif kind == "invalid-regex":
        common = root / "schema" / "common.schema.json"
        swap(common, '"^jwst_[0-9]{4}\\\\.pmap$"', '"^jwst_[0-9{4}\\\\.pmap$"')
    elif kind == "tool-is-a-number":
        (root / "towncrier.toml").write_text("tool = 1\n", encoding="utf-8")
    elif kind == "type-without-name":
        shutil.copy(REPO / "towncrier.toml", root / "towncrier.toml")
        swap(root / "towncrier.toml", 'name = "Major pipeline updates"\n', "")
    else:
        (root / "towncrier.toml").write_text("[tool\n", encoding="utf-8")


@pytest.mark.parametrize(
    ("kind", "message"),
    [
        ("schema-is-a-list", "the top level is a list, not an object"),
        (
            "ref-to-nothing",
            "build.schema.json: $ref common.schema.json#/$defs/nothing points to nothing",
        ),
        ("invalid-regex", "common.schema.json"),
        ("tool-is-a-number", "towncrier.toml: tool must be a table, not int"),
        ("type-without-name", "towncrier.toml: [[tool.towncrier.type]] 1 needs a text 'name'"),
        ("not-toml", "cannot read towncrier.toml"),
    ],
)
def test_broken_configuration_is_one_line_and_exit_2(
    tmp_path: Path, kind: str, message: str
) -> None:
    """A broken schema or towncrier.toml stops validate with exit 2 and one line naming the
    file and the fault."""
    root = tree(tmp_path)
    _break(root, kind)
    result = no_traceback(run(root, "validate"))
    assert 2 == result.exit_code
    assert [True] == [message in line for line in result.stderr.splitlines()]


# --- 9. the system ------------------------------------------------------------------------------------


def test_read_only_file_is_not_replaced(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """fmt leaves a read-only file alone and says so (tests run as root, so the check on
    write permission is faked)."""
    root = tree(tmp_path)
    path = root / "builds" / "1.0.yaml"
    swap(path, 'id: "1.0"', "id: '1.0'")
    before = path.read_bytes()
    monkeypatch.setattr(safewrite, "_writable", lambda _: False)
    result = no_traceback(run(root, "fmt"))
    assert 1 == result.exit_code
    assert (
        "builds/1.0.yaml:1:1: not formatted: is read-only; make it writable to reformat it"
        in result.stdout
    )
    assert before == path.read_bytes()


def test_unreadable_file_is_one_problem(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A data file that cannot be opened is a located problem, and the others are checked."""
    root = tree(tmp_path)
    denied = str(root / "builds" / "1.0.yaml")
    real = os.open

    def deny(path: object, *args: object, **kwargs: object) -> int:
        if os.fspath(path) == denied:  # type: ignore[arg-type]
            raise PermissionError(13, "Permission denied", denied)
        return real(path, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(os, "open", deny)
    result = no_traceback(run(root, "validate"))
    assert (
        "builds/1.0.yaml:1:1: cannot read file: Permission denied" == result.stdout.splitlines()[0]
    )


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full")
def test_full_disk_on_stdout_is_one_line(tmp_path: Path) -> None:
    """`jwst-builds validate > /dev/full`: one line on stderr, exit 1, no traceback."""
    root = tree(tmp_path)
    with open("/dev/full", "w", encoding="utf-8") as full:
        done = subprocess.run(
            [sys.executable, "-m", "jwst_builds", "--root", str(root), "show", "1.1"],
            stdout=full,
            stderr=subprocess.PIPE,
            text=True,
            timeout=120,
            check=False,
        )
    assert (1, ["error: cannot write the output: No space left on device"]) == (
        done.returncode,
        done.stderr.splitlines(),
    )


# --- 10. messages that mislead ------------------------------------------------------------------------


def test_crlf_file_is_not_told_its_modeline_is_wrong(tmp_path: Path) -> None:
    """A file saved with CRLF line ends validates (its modeline is there) and fmt --check
    names it, since fmt writes LF."""
    root = tree(tmp_path)
    path = root / "builds" / "1.0.yaml"
    path.write_bytes(path.read_bytes().replace(b"\n", b"\r\n"))
    assert (0, "") == (lambda r: (r.exit_code, r.stdout))(no_traceback(run(root, "validate")))
    check = no_traceback(run(root, "fmt", "--check"))
    assert (1, True) == (
        check.exit_code,
        "builds/1.0.yaml:1:1: not in canonical form" in check.stdout,
    )


def test_cal_ver_with_spaces_is_read(tmp_path: Path) -> None:
    """`--cal-ver " 0.2.0 "` is 0.2.0 (it used to suggest another version)."""
    result = no_traceback(
        run(tree(tmp_path), "affects", "--cal-ver", " 0.2.0 ", "--format", "json")
    )
    assert (0, "0.2.0") == (result.exit_code, json.loads(result.stdout)["query"]["cal_ver"])


@pytest.mark.parametrize("day", ["2024-W01-1", "20240101", "2024-1-1", "0000-01-01", "2024-02-30"])
def test_operations_takes_only_calendar_days(tmp_path: Path, day: str) -> None:
    """`--on` accepts YYYY-MM-DD only: week dates and other spellings are exit 2."""
    result = no_traceback(run(tree(tmp_path), "operations", "--on", day))
    assert (2, True) == (
        result.exit_code,
        f"'{day}' is not a date such as 2024-06-12" in result.stderr,
    )


def test_long_values_are_cut_in_messages(tmp_path: Path) -> None:
    """A 4,000-digit context is shown cut, so that its problem stays one readable line."""
    root = tree(tmp_path)
    swap(
        root / "builds" / "1.0.yaml", 'crds_context: "jwst_0100.pmap"', "crds_context: " + "1" * 99
    )
    result = no_traceback(run(root, "validate"))
    assert 1 == result.exit_code
    assert all(len(line) < 400 for line in result.stdout.splitlines())


# --- 11. fragments have a size limit --------------------------------------------------------------------


def test_fragment_over_the_size_limit(tmp_path: Path) -> None:
    """A fragment over 100 kB is a problem, like an oversized data file [F012]."""
    root = tree(tmp_path)
    (root / "changes" / "1.1" / "big.jump.md").write_text("word " * 30_000, encoding="utf-8")
    result = no_traceback(run(root, "validate"))
    assert (
        "changes/1.1/big.jump.md:1:1: file is 150,000 bytes, over the limit of 100,000 "
        "(a fragment is a few sentences; shorten it) [F012]"
    ) == result.stdout.splitlines()[0]


# --- more of 8 and 9: `new` -------------------------------------------------------------------------


def test_new_with_a_broken_schema_is_exit_2(tmp_path: Path) -> None:
    """`new build` on a broken schema says so in one line (it raised a KeyError)."""
    root = tree(tmp_path)
    _break(root, "schema-is-a-list")
    result = no_traceback(run(root, "new", "build", "9.8"))
    assert (2, 1) == (result.exit_code, len(result.stderr.splitlines()))
    assert "the top level is a list, not an object" in result.stderr


def test_new_into_a_folder_it_cannot_write(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A folder without write permission: one line, exit 1, nothing left behind."""
    root = tree(tmp_path)
    target = str(root / "builds" / "9.8.yaml")
    real = os.open

    def deny(path: object, *args: object, **kwargs: object) -> int:
        if os.fspath(path) == target:  # type: ignore[arg-type]
            raise PermissionError(13, "Permission denied", target)
        return real(path, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(os, "open", deny)
    result = no_traceback(run(root, "new", "build", "9.8"))
    assert (1, "nothing written: cannot create 9.8.yaml: Permission denied\n") == (
        result.exit_code,
        result.stderr,
    )
    assert not Path(target).exists()


def test_round_trip_loader_error_is_one_line(monkeypatch: pytest.MonkeyPatch) -> None:
    """When ruamel's round-trip loader fails where the safe one did not, fmt's refusal
    quotes the first line of its error, not the whole multi-line report."""
    from ruamel.yaml.error import MarkedYAMLError

    class Failing:
        def load(self, _text: str) -> None:
            raise MarkedYAMLError(problem='found something odd\nin "<unicode string>", line 2')

    monkeypatch.setattr(fmt, "make_yaml", Failing)
    with pytest.raises(fmt.FormatError) as caught:
        fmt.load_document("id: '1.0'\n", "builds/1.0.yaml")
    assert (
        "builds/1.0.yaml:1:1: not formatted: the round-trip loader failed (found something odd) "
        "(the file is left as it is; please report this as a bug in jwst-builds fmt)"
        == caught.value.problem.text()
    )


def test_device_named_like_a_data_file(tmp_path: Path) -> None:
    """A character device named like a build file is reported, never read."""
    import stat

    root = tree(tmp_path)
    try:
        os.mknod(root / "builds" / "9.9.yaml", stat.S_IFCHR | 0o666, os.makedev(1, 5))
    except (PermissionError, AttributeError, OSError):
        pytest.skip("cannot make a device here")
    result = no_traceback(run(root, "validate"))
    assert (1, True) == (
        result.exit_code,
        "builds/9.9.yaml:1:1: is a device, not a regular file" in result.stdout,
    )


def test_affects_on_a_pipe_does_not_hang(tmp_path: Path) -> None:
    """`affects FILE` on a named pipe is refused without waiting for a writer."""
    root = tree(tmp_path)
    pipe = tmp_path / "product.fits"
    os.mkfifo(pipe)
    done = subprocess.run(
        [sys.executable, "-m", "jwst_builds", "--root", str(root), "affects", str(pipe)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert (1, f"error: {pipe} is not a regular file\n") == (done.returncode, done.stderr)


def test_export_refuses_a_loop_of_links(tmp_path: Path) -> None:
    """--out naming a link to itself is exit 2, not a RuntimeError."""
    root = tree(tmp_path)
    loop = tmp_path / "loop"
    loop.symlink_to(loop)
    result = no_traceback(run(root, "export", "--out", str(loop)))
    assert 2 == result.exit_code
