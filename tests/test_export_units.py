"""Unit tests of the export parts: CSV cells, Markdown escaping, atomic writes, git info."""

from __future__ import annotations

import csv
import io
import os
import re
import subprocess
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from jwst_builds.export import atomic, csvout, markdown, tables
from jwst_builds.export.columns import ISSUES, Column, TableSpec
from jwst_builds.export.gitinfo import Commit, data_commit
from jwst_builds.model import KnownIssue, Mitigation, Point, Scope, SoftwareFix

SPEC = TableSpec(
    name="t",
    title="t",
    description="t",
    columns=[Column("a", "string", "a"), Column("b", "string", "b")],
    primary_key=["a"],
)


def test_cell_renders_empty_booleans_and_lists() -> None:
    """None is an empty cell, booleans are true/false, lists are joined by ';'."""
    expected = ["", "true", "false", "1.0;1.1", "", "3"]
    actual = [csvout.cell(v) for v in (None, True, False, ["1.0", "1.1"], [], 3)]
    assert expected == actual


def test_cell_refuses_list_item_holding_the_separator() -> None:
    """A list item that contains ';' would be split by readers, so it is an error."""
    with pytest.raises(ValueError, match="separator"):
        csvout.cell(["a;b"])


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("plain", "plain"),
        ("a,b", '"a,b"'),
        ('say "hi"', '"say ""hi"""'),
        ("line\nbreak", '"line\nbreak"'),
        ("carriage\rreturn", '"carriage\rreturn"'),
        (" spaced ", " spaced "),
    ],
)
def test_field_quotes_the_rfc_4180_way(text: str, expected: str) -> None:
    """Fields with a comma, a quote or a line break are quoted, quotes doubled."""
    assert expected == csvout.field(text)


@pytest.mark.parametrize("value", ["=1+1", "+1", "-1", "@SUM(A1)", '=HYPERLINK("x")'])
def test_formula_like_cells_are_written_verbatim(value: str) -> None:
    """Cells starting with = + - @ are data and stay as they are (docs/exports.md says why)."""
    text = csvout.render(SPEC, [{"a": value, "b": None}])
    expected = [["a", "b"], [value, ""]]
    assert expected == list(csv.reader(io.StringIO(text)))


def test_render_round_trips_through_the_csv_module() -> None:
    """What csvout writes, Python's csv reader reads back unchanged, with \\n line ends."""
    rows: list[dict[str, Any]] = [{"a": 'x, "y"\nz', "b": "é|ü"}, {"a": "2", "b": None}]
    text = csvout.render(SPEC, rows)
    expected = [["a", "b"], ['x, "y"\nz', "é|ü"], ["2", ""]]
    assert expected == list(csv.reader(io.StringIO(text, newline="")))
    assert "\r" not in text


def test_render_names_the_cell_of_a_bad_list_item() -> None:
    """A list item holding its separator fails with the file, row and column named."""
    spec = TableSpec(
        name="t",
        title="t",
        description="t",
        columns=[Column("a", "string", "a"), Column("b", "string", "b", is_list=True)],
        primary_key=["a"],
    )
    with pytest.raises(ValueError, match=r"^t.csv, x1, column b: list item 'p;q'"):
        csvout.render(spec, [{"a": "x1", "b": ["p;q"]}])


def test_render_refuses_unknown_columns() -> None:
    """A row with a column the table does not define is a bug, not something to drop."""
    with pytest.raises(ValueError, match="does not define"):
        csvout.render(SPEC, [{"a": "1", "c": "2"}])


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (None, ""),
        ("plain 1.14.0", "plain 1.14.0"),
        ("a | b", r"a \| b"),
        ("one\ntwo\r\nthree\rfour", "one<br>two<br>three<br>four"),
        ("<b>&</b>", r"\<b\>\&\</b\>"),
        ("*em* _u_ `c` [l] ~s~ $m$", r"\*em\* \_u\_ \`c\` \[l\] \~s\~ \$m\$"),
        ("jwst_1240.pmap flat_field", "jwst_1240.pmap flat_field"),
        ("back\\slash|", r"back\\slash\|"),
    ],
)
def test_markdown_escape_keeps_cells_plain_text(value: str | None, expected: str) -> None:
    """Pipes, line breaks and Markdown/HTML characters cannot break or style a cell."""
    assert expected == markdown.escape(value)


def test_markdown_link_escapes_text_and_url() -> None:
    """Link text is escaped; spaces and parentheses in the URL are percent-encoded."""
    expected = "[7.0 \\*x\\*](https://x.org/a%20%28b%29)"
    assert expected == markdown.link("7.0 *x*", "https://x.org/a (b)")


def test_markdown_table_refuses_ragged_rows() -> None:
    """Every row has one cell per header."""
    with pytest.raises(ValueError, match="cells"):
        markdown.table(["a", "b"], [["1"]])


def _tree(folder: Path) -> dict[str, bytes]:
    """Every file under ``folder`` (relative path -> bytes), hidden ones included."""
    return {
        p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()
    }


def test_atomic_write_replaces_all_files(tmp_path: Path) -> None:
    """write_files makes the folder hold exactly the new files; nothing is left beside it."""
    out = tmp_path / "out"
    out.mkdir()
    (out / "a.txt").write_bytes(b"old")
    (out / "c.txt").write_bytes(b"of an older export")
    written = atomic.write_files(out, {"b.txt": b"B", "a.txt": b"A", "c.txt": b"C"})
    assert [out / "a.txt", out / "b.txt", out / "c.txt"] == written
    assert {"a.txt": b"A", "b.txt": b"B", "c.txt": b"C"} == _tree(out)
    assert ["out"] == [p.name for p in tmp_path.iterdir()]


def test_atomic_write_failing_midway_keeps_previous_files(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A writer that fails after half a file leaves the old files whole and no temp files."""
    out = tmp_path / "out"
    out.mkdir()
    old = {"a.txt": b"old a", "b.txt": b"old b", "c.txt": b"old c"}
    for name, data in old.items():
        (out / name).write_bytes(data)
    real = atomic._write_temp

    def failing(path: Path, data: bytes) -> None:
        if path.name == "b.txt":
            real(path, data[: len(data) // 2])
            raise OSError("disk full")
        real(path, data)

    monkeypatch.setattr(atomic, "_write_temp", failing)
    with pytest.raises(OSError, match="disk full"):
        atomic.write_files(out, {"a.txt": b"new a", "b.txt": b"new b", "c.txt": b"new c"})
    assert old == _tree(out)
    assert ["out"] == [p.name for p in tmp_path.iterdir()]


def test_atomic_swap_failing_puts_the_previous_export_back(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """When the new folder cannot be renamed into place, the previous export is renamed
    back: the folder never holds files of two exports, and nothing is left beside it."""
    out = tmp_path / "out"
    out.mkdir()
    old = {"a.txt": b"old a", "b.txt": b"old b"}
    for name, data in old.items():
        (out / name).write_bytes(data)
    real = os.rename
    calls: list[str] = []

    def failing(src: object, dst: object) -> None:
        calls.append(Path(str(src)).name)
        if len(calls) == 2:  # the new folder into place, after the old one went aside
            raise OSError(18, "Invalid cross-device link")
        real(src, dst)  # type: ignore[arg-type]

    monkeypatch.setattr(atomic.os, "rename", failing)
    with pytest.raises(OSError, match="cross-device"):
        atomic.write_files(out, {"a.txt": b"new a", "b.txt": b"new b"})
    assert old == _tree(out)
    assert ["out"] == [p.name for p in tmp_path.iterdir()]


def test_atomic_write_refuses_a_folder_with_other_files(tmp_path: Path) -> None:
    """A folder that holds anything but export files is refused and left as it was,
    since the export replaces the whole folder."""
    out = tmp_path / "out"
    out.mkdir()
    (out / "thesis.tex").write_bytes(b"mine")
    with pytest.raises(
        atomic.TargetRefused, match=r"'thesis\.tex', which is not part of an export"
    ):
        atomic.write_files(out, {"a.txt": b"A"})
    assert {"thesis.tex": b"mine"} == _tree(out)


def test_atomic_write_respects_the_umask(tmp_path: Path) -> None:
    """Exported files get the usual permissions, not a temporary file's 0600."""
    atomic.write_files(tmp_path / "out", {"a.txt": b"A"})
    umask = os.umask(0)
    os.umask(umask)
    assert 0o666 & ~umask == (tmp_path / "out" / "a.txt").stat().st_mode & 0o777


def test_data_commit_outside_git_is_null(tmp_path: Path) -> None:
    """A data root that is no git checkout has no commit."""
    assert Commit(None, None) == data_commit(tmp_path)


def test_data_commit_reads_hash_and_committer_date(tmp_path: Path) -> None:
    """In a checkout, the last commit's hash and committer date are used, not the clock."""
    env = {
        **os.environ,
        "GIT_AUTHOR_NAME": "t",
        "GIT_AUTHOR_EMAIL": "t@example.org",
        "GIT_COMMITTER_NAME": "t",
        "GIT_COMMITTER_EMAIL": "t@example.org",
        "GIT_AUTHOR_DATE": "2025-01-02T03:04:05+00:00",
        "GIT_COMMITTER_DATE": "2025-01-02T03:04:05+00:00",
    }

    def git(*args: str) -> str:
        return subprocess.run(
            ["git", "-C", str(tmp_path), *args], env=env, check=True, capture_output=True, text=True
        ).stdout.strip()

    git("init", "-q")
    (tmp_path / "f").write_text("x")
    git("add", "f")
    git("commit", "-q", "-m", "m")
    expected = Commit(git("rev-parse", "HEAD"), "2025-01-02T03:04:05+00:00")
    assert expected == data_commit(tmp_path)


def _issue(**changes: Any) -> KnownIssue:
    """A minimal open issue documented from build 1.0; ``changes`` replace its fields."""
    base = KnownIssue(
        id="x-issue", file="issues/x-issue.yaml", title="A made-up issue", summary="Made up.",
        status="open", impact="data-quality",
        scope=Scope((), (), (), "any", (), (), (), (), None),
        introduced=None, documented_from=Point("1.0", None), last_affected=None, fixed=None,
        context_introduced=None, context_fixed=None, reftypes=(), symptoms=("Wrong.",),
        workaround=None, mitigations=(), plan=None, planned_build=None, discovered=None,
        last_reviewed="2025-01-01", withdrawn_reason=None, replaced_by=None, related=(),
        notes=None, sources=("s",), evidence=(), conflicts=(),
    )  # fmt: skip
    return replace(base, **changes)


_FIX = SoftwareFix("1.2", "0.4.0", (), "Fixed outside the change log.")


@pytest.mark.parametrize(
    ("fixed", "context", "expected"),
    [
        (None, None, None),
        (_FIX, None, "software"),
        (None, "jwst_0100.pmap", "reference-files"),
        (_FIX, "jwst_0100.pmap", "both"),
    ],
)
def test_fix_needs_names_every_part_of_the_fix(
    fixed: SoftwareFix | None, context: str | None, expected: str | None
) -> None:
    """software, reference-files or both, by what the record names; empty without a fix."""
    assert expected == tables.fix_needs(_issue(fixed=fixed, context_fixed=context))


def _remedy(default: Point | None) -> Mitigation:
    return Mitigation("Turn the step on.", "step", "jump", None, default)


@pytest.mark.parametrize(
    ("defaults", "expected"),
    [
        ([], None),
        ([None], None),
        ([Point("1.2", None), Point("1.1", "0.3.1")], Point("1.1", "0.3.1")),
        # a bare build counts from its first release, so it comes before any release of it
        ([Point("1.1", "0.3.0"), None, Point("1.1", None)], Point("1.1", None)),
        # builds order as versions: 1.10 after 1.9
        ([Point("1.10", None), Point("1.9", "0.9.0")], Point("1.9", "0.9.0")),
    ],
)
def test_default_mitigation_from_is_the_earliest_default(
    defaults: list[Point | None], expected: Point | None
) -> None:
    """The earliest default_from of the issue's remedies, whatever their order."""
    issue = _issue(mitigations=tuple(_remedy(d) for d in defaults))
    assert expected == tables.default_mitigation_from(issue)


@pytest.mark.parametrize(
    ("name", "good", "bad"),
    [
        ("fixed_changelog", "1.20.1#9939;1.20.2#10", "1.20.1"),
        ("mitigations", "step:clean_flicker_noise;reference-files;external", "step:"),
        ("exp_types", "MIR_LRS-FIXEDSLIT;NRC_IMAGE", "NRC_IMAGE;"),
        ("instruments", "NIRCam;MIRI", "NIRCAM"),
        ("default_mitigation_from", "1.14.0", "1.14.0.1"),
        ("default_mitigation_from", "10.2", "jwst 10.2"),
    ],
)
def test_issue_column_patterns_accept_their_own_form(name: str, good: str, bad: str) -> None:
    """The data package's patterns of the new issue columns match what the export writes."""
    column = next(c for c in ISSUES.columns if c.name == name)
    pattern = column.constraints()["pattern"]
    assert (True, False) == (
        re.fullmatch(pattern, good) is not None,
        re.fullmatch(pattern, bad) is not None,
    )
