"""`jwst-builds fmt`: golden cases, guards, idempotence on real data, CLI behaviour."""

from __future__ import annotations

import os
import random
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from jwst_builds import fmt
from jwst_builds.cli import cli
from jwst_builds.yamlio import LoadError
from jwst_builds.yamlparse import parse_text

from .conftest import CASES, REPO, make_root

FMT_CASES = CASES / "fmt"
GOLDEN = sorted(p for p in FMT_CASES.iterdir() if (p / "expected.yaml").is_file())
REFUSED = sorted(p for p in FMT_CASES.iterdir() if (p / "expected.txt").is_file())
SCHEMAS = fmt.load_schemas(REPO / "schema")


def _schema_of(case: Path) -> tuple[str, str]:
    """Schema file and modeline of a case, from the first word of its name."""
    kind = case.name.split("-")[0]
    folder = "schema/" if kind == "sources" else "../schema/"
    return f"{kind}.schema.json", fmt.MODELINE.format(f"{folder}{kind}.schema.json")


def _format(text: str, schema_file: str = "build.schema.json") -> str:
    mode = fmt.MODELINE.format(f"../schema/{schema_file}")
    return fmt.format_text(text, "builds/1.0.yaml", SCHEMAS, schema_file, mode)


def run(root: Path, *args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, ["--root", str(root), "fmt", *args])
    return result.exit_code, result.stdout, result.stderr


# --- golden cases -------------------------------------------------------------------


@pytest.mark.parametrize("case", GOLDEN, ids=[p.name for p in GOLDEN])
def test_case_formats_to_its_golden_file(case: Path) -> None:
    """Each input.yaml formats to exactly its expected.yaml."""
    schema_file, mode = _schema_of(case)
    text = (case / "input.yaml").read_text(encoding="utf-8")
    expected = (case / "expected.yaml").read_text(encoding="utf-8")
    assert expected == fmt.format_text(text, "x.yaml", SCHEMAS, schema_file, mode)


@pytest.mark.parametrize("case", GOLDEN, ids=[p.name for p in GOLDEN])
def test_golden_file_is_a_fixed_point(case: Path) -> None:
    """Formatting the canonical form gives it back unchanged (idempotence)."""
    schema_file, mode = _schema_of(case)
    expected = (case / "expected.yaml").read_text(encoding="utf-8")
    assert expected == fmt.format_text(expected, "x.yaml", SCHEMAS, schema_file, mode)


@pytest.mark.parametrize("case", GOLDEN, ids=[p.name for p in GOLDEN])
def test_golden_file_holds_the_same_data(case: Path) -> None:
    """Input and canonical form load to equal data: formatting never changes a value."""
    before = parse_text((case / "input.yaml").read_text(encoding="utf-8"), "in")
    after = parse_text((case / "expected.yaml").read_text(encoding="utf-8"), "out")
    assert fmt.first_difference(before, after) is None


@pytest.mark.parametrize("case", REFUSED, ids=[p.name for p in REFUSED])
def test_unloadable_file_is_reported_like_validate(case: Path, tmp_path: Path) -> None:
    """A file that does not load is one problem in validate's words, exit 1, left untouched."""
    root = make_root(tmp_path / "root")
    target = root / "builds" / "1.0.yaml"
    shutil.copyfile(case / "input.yaml", target)
    before = target.read_bytes()
    code, out, _ = run(root, "--check")
    assert (case / "expected.txt").read_text(encoding="utf-8") == out + f"exit {code}\n"
    code, out, _ = run(root)
    assert (case / "expected.txt").read_text(encoding="utf-8") == out + f"exit {code}\n"
    assert before == target.read_bytes()


# --- the guards ---------------------------------------------------------------------


def test_value_change_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    """If the output would load to other data, the file is refused with the field named."""
    real = fmt._canonical

    def corrupt(node, walk, schema, file, top=False):  # type: ignore[no-untyped-def]
        node = real(node, walk, schema, file, top)
        if top:
            node["releases"][0]["kind"] = "patch"
        return node

    monkeypatch.setattr(fmt, "_canonical", corrupt)
    text = (CASES / "base" / "builds" / "1.0.yaml").read_text(encoding="utf-8")
    with pytest.raises(fmt.FormatError) as caught:
        _format(text)
    assert (
        "builds/1.0.yaml:1:1: not formatted: the result would change the value of "
        "releases[0].kind (the file is left as it is; please report this as a bug in "
        "jwst-builds fmt)"
    ) == caught.value.problem.text()


def test_lost_comment_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    """If a comment would be lost, the file is refused at the comment's line."""
    real = fmt._tidy
    monkeypatch.setattr(fmt, "_tidy", lambda body: real(body).replace("  # JDox", ""))
    text = "id: '1.0'\nstatus: archived\noperations_installed: '2024-01-01'  # JDox\n"
    with pytest.raises(fmt.FormatError) as caught:
        _format(text)
    assert (
        "builds/1.0.yaml:3:1: formatting would lose the comment '# JDox', so the file was "
        "left as it is (put the comment on a line of its own above a key, or report this "
        "as a bug)"
    ) == caught.value.problem.text()


def test_first_difference_counts_types() -> None:
    """true and 1 are equal in Python but not the same data: the path is reported."""
    assert ("a", 1) == fmt.first_difference({"a": [1, True]}, {"a": [1, 1]})
    assert fmt.first_difference({"a": 1, "b": 2}, {"b": 2, "a": 1}) is None


def test_crlf_bom_and_document_markers_are_normalised() -> None:
    """Windows line ends, a byte-order mark's absence, '---' and '...' all go; data stays."""
    text = "\r\n".join(["---", "status: archived", "id: '1.0'", "...", ""])
    assert (
        '# yaml-language-server: $schema=../schema/build.schema.json\nid: "1.0"\nstatus: archived\n'
    ) == _format(text)


def test_alias_is_refused_before_formatting() -> None:
    """A shared list (anchor and alias) is refused at its anchor, never expanded into the output."""
    with pytest.raises(LoadError) as caught:
        _format("id: '1.0'\nsources: &s [table]\nreleases:\n  - sources: *s\n")
    assert (
        "builds/1.0.yaml:2:10: sources: YAML anchors and aliases (&name, *name) are not allowed "
        "in data files (write each value out in full)"
    ) == caught.value.problem.text()


# --- random layouts: every one formats, keeps data and comments, and is stable --------


def _scramble(data: dict[str, object], rng: random.Random) -> str:
    """The same data written with shuffled keys, random comments, quotes and indents."""
    lines: list[str] = []
    seq_indent = rng.choice([0, 2, 4])

    def scalar(value: object) -> str:
        if value is None:
            return rng.choice(["null", "~", "null"])
        if isinstance(value, bool):
            return str(value).lower()
        text = str(value)
        return rng.choice([f'"{text}"', "'" + text.replace("'", "''") + "'"])

    def note() -> str:
        return rng.choice(["# a note", "#tight", "# key: value", "# - item"])

    def emit(value: object, indent: int) -> None:
        if isinstance(value, dict):
            keys = list(value)
            rng.shuffle(keys)
            for key in keys:
                if rng.random() < 0.2:
                    lines.append(" " * indent + note())
                if rng.random() < 0.1:
                    lines.extend([""] * rng.randint(1, 3))
                sub = value[key]
                eol = "  " + note() if rng.random() < 0.2 else ""
                scalars = isinstance(sub, list) and sub and all(isinstance(s, str) for s in sub)
                if scalars and rng.random() < 0.4:
                    assert isinstance(sub, list)
                    lines.append(f"{' ' * indent}{key}: [{', '.join(sub)}]{eol}")
                    continue
                if isinstance(sub, (dict, list)) and sub:
                    lines.append(f"{' ' * indent}{key}:{eol}")
                    emit(sub, indent + (seq_indent if isinstance(sub, list) else 2))
                elif isinstance(sub, list):
                    lines.append(f"{' ' * indent}{key}: []{eol}")
                else:
                    lines.append(f"{' ' * indent}{key}: {scalar(sub)}{eol}")
        else:
            assert isinstance(value, list)
            for item in value:
                if rng.random() < 0.2:
                    lines.append(" " * indent + note())
                if isinstance(item, dict):
                    start = len(lines)
                    emit(item, indent + 2)
                    first = next(
                        i for i in range(start, len(lines)) if not lines[i].lstrip().startswith("#")
                    )
                    lines[first] = " " * indent + "- " + lines[first][indent + 2 :]
                else:
                    lines.append(f"{' ' * indent}- {scalar(item)}")

    emit(data, 0)
    if rng.random() < 0.3:
        lines.append(note())
    return "\n".join(lines) + "\n"


@pytest.mark.parametrize("seed", range(40))
def test_random_layout_formats_stably(seed: int) -> None:
    """A scrambled build formats without refusal, keeps its data, and formats to itself."""
    base = parse_text((CASES / "base" / "builds" / "1.1.yaml").read_text(encoding="utf-8"), "b")
    text = _scramble(base, random.Random(seed))
    once = _format(text)
    assert fmt.first_difference(base, parse_text(once, "x")) is None
    assert once == _format(once)


# --- real data ------------------------------------------------------------------------


def test_real_data_formats_stably() -> None:
    """Every data file of the repository formats without refusal, and the result is stable."""
    for path, schema in fmt.data_files(REPO).items():
        text = path.read_text(encoding="utf-8")
        mode = fmt.modeline(path, schema)
        once = fmt.format_text(text, path.name, SCHEMAS, schema.name, mode)
        assert once == fmt.format_text(once, path.name, SCHEMAS, schema.name, mode), path.name


def test_data_files_follow_the_schema_folder(base_root: Path) -> None:
    """builds/, issues/ and root files named after a schema are data; nothing else is."""
    (base_root / "issues").mkdir()
    (base_root / "issues" / "a.yaml").write_text("id: a\n")
    (base_root / "notes.yaml").write_text("x: 1\n")
    found = {
        p.relative_to(base_root).as_posix(): s.name for p, s in fmt.data_files(base_root).items()
    }
    assert {
        "builds/1.0.yaml": "build.schema.json",
        "builds/1.1.yaml": "build.schema.json",
        "issues/a.yaml": "issue.schema.json",
        "sources.yaml": "sources.schema.json",
    } == found


# --- the command --------------------------------------------------------------------------


def _scrambled_root(tmp_path: Path) -> Path:
    root = make_root(tmp_path / "root")
    path = root / "builds" / "1.0.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace('id: "1.0"\nstatus: archived', "status: archived\nid: '1.0'"))
    return root


def test_check_lists_files_and_exits_1(tmp_path: Path) -> None:
    """--check names each file that would change, at its first changed line, and writes nothing."""
    root = _scrambled_root(tmp_path)
    before = (root / "builds" / "1.0.yaml").read_bytes()
    assert (
        1,
        "builds/1.0.yaml:2:1: not in canonical form (run: jwst-builds fmt builds/1.0.yaml)\n"
        "1 problem in 1 file\n",
        "1 file would be reformatted, 2 already canonical\n",
    ) == run(root, "--check")
    assert before == (root / "builds" / "1.0.yaml").read_bytes()


def test_check_is_clean_on_canonical_tree(base_root: Path) -> None:
    """--check on canonical files prints no problem and exits 0."""
    assert (0, "", "0 files would be reformatted, 3 already canonical\n") == run(
        base_root, "--check"
    )


def test_check_github_annotations(tmp_path: Path) -> None:
    """--check --format github gives one annotation per file that would change."""
    root = _scrambled_root(tmp_path)
    code, out, _ = run(root, "--check", "--format", "github")
    assert (
        1,
        "::error file=builds/1.0.yaml,line=2,col=1,title=jwst-builds::not in canonical form "
        "(run: jwst-builds fmt builds/1.0.yaml)\n",
    ) == (code, out)


def test_diff_shows_the_change(tmp_path: Path) -> None:
    """--diff prints a unified diff of what would change and exits 1."""
    root = _scrambled_root(tmp_path)
    code, out, _ = run(root, "--diff")
    assert 1 == code
    assert (
        "--- a/builds/1.0.yaml\n+++ b/builds/1.0.yaml\n@@ -1,6 +1,6 @@\n"
        " # yaml-language-server: $schema=../schema/build.schema.json\n"
        "+id: \"1.0\"\n status: archived\n-id: '1.0'\n pre_launch: false\n"
    ) == out[: out.index(" candidate_released")]


def test_write_rewrites_only_changed_files(tmp_path: Path) -> None:
    """Without --check the changed file is rewritten; unchanged files keep inode and mtime."""
    root = _scrambled_root(tmp_path)
    other = root / "builds" / "1.1.yaml"
    os.utime(other, (1_000_000_000, 1_000_000_000))
    stat = other.stat()
    assert (0, "", "reformatted builds/1.0.yaml\n1 file reformatted, 2 already canonical\n") == run(
        root
    )
    assert (stat.st_ino, stat.st_mtime) == (other.stat().st_ino, other.stat().st_mtime)
    expected = (CASES / "base" / "builds" / "1.0.yaml").read_text(encoding="utf-8")
    assert expected == (root / "builds" / "1.0.yaml").read_text(encoding="utf-8")
    assert ["1.0.yaml", "1.1.yaml"] == sorted(p.name for p in (root / "builds").iterdir())
    assert (0, "", "0 files would be reformatted, 3 already canonical\n") == run(root, "--check")


def test_write_keeps_file_permissions(tmp_path: Path) -> None:
    """The atomic replacement keeps the permission bits of the file it replaces."""
    root = _scrambled_root(tmp_path)
    path = root / "builds" / "1.0.yaml"
    path.chmod(0o640)
    run(root)
    assert 0o640 == path.stat().st_mode & 0o777


def test_paths_limit_the_files(tmp_path: Path) -> None:
    """With PATHS only the data files in them are formatted."""
    root = _scrambled_root(tmp_path)
    assert (0, "", "0 files would be reformatted, 1 already canonical\n") == run(
        root, "--check", str(root / "builds" / "1.1.yaml")
    )
    assert 1 == run(root, "--check", str(root / "builds"))[0]


def test_non_data_file_is_skipped(base_root: Path) -> None:
    """A PATH that is no data file is skipped with a note (pre-commit passes any YAML file)."""
    other = base_root / "notes.yaml"
    other.write_text("x: [1,2]\n")
    assert (
        0,
        "",
        f"skipped {other}: not a data file with a schema\n"
        "0 files would be reformatted, 0 already canonical\n",
    ) == run(base_root, "--check", str(other))
    assert "x: [1,2]\n" == other.read_text()


def test_unloadable_file_does_not_stop_the_others(tmp_path: Path) -> None:
    """A broken file is reported while the other files are still formatted."""
    root = _scrambled_root(tmp_path)
    (root / "builds" / "2.0.yaml").write_text("id: [\n")
    code, out, err = run(root)
    assert 1 == code
    assert out.startswith("builds/2.0.yaml:2:1: ")
    assert (
        "reformatted builds/1.0.yaml\n1 file reformatted, 2 already canonical, 1 refused\n" == err
    )
