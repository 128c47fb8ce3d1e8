"""Reading YAML data files safely: bytes -> text -> plain Python data.

Two loaders, on purpose. The fast path uses ruamel's safe loader (libyaml-backed
when ruamel.yaml.clib is installed) and knows nothing about positions. The
round-trip loader knows the line and column of every node but costs several
times more per file, so it only runs for files that have a problem (see
:mod:`jwst_builds.locate`).

Every file is read without following links or blocking (:func:`read_bytes`), and
:mod:`jwst_builds.yamlguard` refuses what data files may not hold before and while the
safe loader builds the data, so that any input ends as one located problem.
"""

from __future__ import annotations

import os
import stat
import unicodedata
import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import ruamel.yaml
from ruamel.yaml.error import YAMLError
from ruamel.yaml.reader import ReaderError

from .problems import Problem, field_name
from .yamlguard import (
    TAG_HINT,
    Constructor,
    Unbuildable,
    path_at,
    scan_problem,
    tag_name,
)

#: Record files are a few kilobytes; anything this large is a mistake or an attack.
MAX_BYTES = 1_000_000


class LoadError(Exception):
    """A file that could not be read as data; carries its one problem."""

    def __init__(self, problem: Problem) -> None:
        super().__init__(problem.text())
        self.problem = problem


def _fast_yaml() -> ruamel.yaml.YAML:
    yaml = ruamel.yaml.YAML(typ="safe")
    yaml.Constructor = Constructor
    yaml.allow_duplicate_keys = False
    return yaml


def _rt_yaml() -> ruamel.yaml.YAML:
    yaml = ruamel.yaml.YAML(typ="rt")
    yaml.allow_duplicate_keys = False
    return yaml


_FAST = _fast_yaml()


_KINDS = (
    (stat.S_ISDIR, "a folder"),
    (stat.S_ISFIFO, "a named pipe"),
    (stat.S_ISSOCK, "a socket"),
    (stat.S_ISCHR, "a device"),
    (stat.S_ISBLK, "a device"),
)


def _refused(shown: str, message: str, hint: str = "") -> LoadError:
    return LoadError(Problem(shown, 1, 1, "", message, hint))


_TOO_BIG = "a record is a few kilobytes; split it or remove what does not belong"


def read_bytes(path: Path, shown: str, limit: int = MAX_BYTES, too_big: str = _TOO_BIG) -> bytes:
    """The bytes of a regular file of at most ``limit`` bytes, or LoadError.

    Never follows a symbolic link (a link is reported, so that nothing writes
    through it later) and never blocks: a named pipe or a device named like a
    data file is reported without being read.
    """
    if path.is_symlink():
        raise _refused(
            shown,
            "is a symbolic link; data files are regular files",
            "replace the link with the file it points to",
        )
    flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)
    try:
        fd = os.open(path, flags)
    except OSError as exc:
        raise _refused(shown, f"cannot read file: {exc.strerror}") from exc
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            kind = next((name for test, name in _KINDS if test(info.st_mode)), "not a file")
            hint = "only regular files belong here; remove it or rename it"
            raise _refused(shown, f"is {kind}, not a regular file", hint)
        with os.fdopen(os.dup(fd), "rb") as handle:
            raw = handle.read(limit + 1)
    except OSError as exc:
        raise _refused(shown, f"cannot read file: {exc.strerror}") from exc
    finally:
        os.close(fd)
    if len(raw) > limit:
        size = max(info.st_size, len(raw))
        raise _refused(shown, f"file is {size:,} bytes, over the limit of {limit:,}", too_big)
    return raw


def decode(raw: bytes, shown: str) -> str:
    """UTF-8 text without a byte-order mark, or LoadError naming the first bad byte."""
    if raw.startswith((b"\xfe\xff", b"\xff\xfe")):
        raise LoadError(
            Problem(shown, 1, 1, "", "file is UTF-16 text, not UTF-8", "save the file as UTF-8")
        )
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    nul = raw.find(b"\x00")
    if nul >= 0:
        line, col = _place_of(raw, nul)
        # UTF-16 without a byte-order mark is valid UTF-8 full of NUL bytes
        utf16 = raw.count(b"\x00") > 1
        hint = "it looks like UTF-16; save the file as UTF-8" if utf16 else "remove it"
        raise LoadError(
            Problem(shown, line, col, "", "NUL byte (0x00): the file is not text", hint)
        )
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line, col = _place_of(raw, exc.start)
        byte = raw[exc.start]
        raise LoadError(
            Problem(
                shown,
                line,
                col,
                "",
                f"byte 0x{byte:02x} is not valid UTF-8",
                "save the file as UTF-8",
            )
        ) from exc


def _place_of(raw: bytes, index: int) -> tuple[int, int]:
    """1-based line and column of a byte offset."""
    return raw.count(b"\n", 0, index) + 1, index - (raw.rfind(b"\n", 0, index) + 1) + 1


def read_text(path: Path, shown: str) -> str:
    """Read a data file as UTF-8 text, or raise LoadError with a located problem."""
    return text_of(read_bytes(path, shown), shown)


def text_of(raw: bytes, shown: str) -> str:
    """The text of a data file's bytes, or LoadError (not UTF-8, empty)."""
    text = decode(raw, shown)
    if not text.strip() or all(
        not ln.strip() or ln.lstrip().startswith("#") for ln in text.splitlines()
    ):
        raise LoadError(
            Problem(
                shown, 1, 1, "", "file is empty", "a record is a YAML mapping starting with 'id:'"
            )
        )
    return text


_CONTROL = {0x07: "BEL", 0x08: "BS", 0x0B: "VT", 0x0C: "FF", 0x1B: "ESC", 0x7F: "DEL"}


def _reader_problem(shown: str, exc: ReaderError, text: str) -> Problem:
    """A character YAML does not accept, at its line and column."""
    at = max(int(getattr(exc, "position", 0) or 0), 0)
    line = text.count("\n", 0, at) + 1
    col = at - (text.rfind("\n", 0, at) + 1) + 1
    char = exc.character
    code = char if isinstance(char, int) else ord(char) if char else 0
    name = _CONTROL.get(code) or unicodedata.name(chr(code), "")
    label = f"U+{code:04X}" + (f" ({name})" if name else "")
    return Problem(
        shown,
        line,
        col,
        "",
        f"control character {label} is not allowed",
        "remove it; data files hold printable text only",
    )


def _yaml_problem(shown: str, exc: YAMLError, text: str) -> Problem:
    if isinstance(exc, ReaderError):
        return _reader_problem(shown, exc, text)
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    line, col = (mark.line + 1, mark.column + 1) if mark is not None else (1, 1)
    what = (getattr(exc, "problem", None) or str(exc)).strip().splitlines()[0]
    if isinstance(exc, Unbuildable):
        path = path_at(text, mark.line, mark.column) if mark is not None else ()
        return Problem(shown, line, col, field_name(path), what, exc.hint)
    hint = "check the YAML syntax"
    context, context_mark = getattr(exc, "context", None), getattr(exc, "context_mark", None)
    if context and context_mark is not None and context_mark is not mark:
        hint = f"{context} that starts at {context_mark.line + 1}:{context_mark.column + 1}"
    lines = text.splitlines()
    at = lines[line - 1][col - 1 : col] if 0 < line <= len(lines) else ""
    field = ""
    if "duplicate key" in what:
        key = what.split('"')[1] if '"' in what else ""
        field = key
        what = f"duplicate key '{key}'"
        hint = "each key may appear once in a mapping; merge or remove one"
    elif at == "\t" or "tab character" in what:
        what = "tab character in indentation"
        hint = "indent with spaces, not tabs"
    elif "could not determine a constructor for the tag" in what:
        tag = what.split("'")[1] if "'" in what else "?"
        what = f"YAML tag {tag_name(tag)} is not allowed"
        hint = TAG_HINT
    elif "another document" in what or "single document" in what:
        what = "more than one YAML document in the file"
        hint = "a data file holds one record; remove the extra '---' document"
    elif "mapping values are not allowed" in what:
        hint = "a value containing ': ' must be quoted"
    return Problem(shown, line, col, field, what, hint)


def load_data(path: Path, shown: str) -> Any:
    """Load one data file as plain Python data (fast path, no positions).

    Raises LoadError with a located problem for anything that is not a
    well-formed, single YAML mapping.
    """
    text = read_text(path, shown)
    return parse_text(text, shown)


def parse_text(text: str, shown: str) -> Any:
    try:
        refused = scan_problem(shown, text)
        if refused is not None:
            raise LoadError(refused)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            data = _FAST.load(text)
    except YAMLError as exc:
        raise LoadError(_yaml_problem(shown, exc, text)) from exc
    except (RecursionError, ValueError, OverflowError, TypeError) as exc:
        # The scan and the constructor above leave nothing known to get here;
        # should anything, it is still one problem, never a traceback.
        first = (str(exc).splitlines() or [type(exc).__name__])[0]
        raise LoadError(
            Problem(shown, 1, 1, "", f"YAML could not build the data: {first}", "")
        ) from exc
    if not isinstance(data, dict):
        kind = type(data).__name__
        kind = {"list": "a list", "str": "a string", "NoneType": "nothing"}.get(kind, f"a {kind}")
        raise LoadError(
            Problem(
                shown,
                1,
                1,
                "",
                f"expected a mapping at the top level, got {kind}",
                "a record is a set of 'key: value' lines",
            )
        )
    return data


def load_positions(text: str) -> Any:
    """Round-trip load (positions, comments); only called for files with problems."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return _rt_yaml().load(text)


DATA_SUFFIXES = (".yaml", ".yml")


def relative_name(root: Path, path: Path) -> str | None:
    """``path`` relative to ``root`` (posix), without following a link at its end; None
    when it lies outside ``root``.

    The folders above it are resolved, the last part is not: a symbolic link named
    ``builds/10.2.yaml`` stays that name, whatever (or wherever) it points to.
    """
    full = Path(os.path.abspath(path))
    try:
        full = full.parent.resolve() / full.name if full.name else full.resolve()
        return full.relative_to(root.resolve()).as_posix()
    except (OSError, RuntimeError, ValueError):  # outside the root, or a loop above it
        return None


def unreadable(folder: Path) -> str | None:
    """Why a folder that exists cannot be listed (``Permission denied``), or None."""
    try:
        if folder.is_dir():
            os.listdir(folder)
    except OSError as exc:
        return exc.strerror or str(exc)
    return None


def entries(folder: Path) -> list[Path]:
    """Every entry of a folder, by name; none when it cannot be listed (checks/records
    reports that)."""
    try:
        return sorted(folder.iterdir()) if folder.is_dir() else []
    except OSError:
        return []


def iter_files(folder: Path) -> Iterator[Path]:
    """The entries of a data folder named as data files (``<name>.yaml`` or ``.yml``).

    Whatever each one is: a symbolic link, a pipe or a folder so named is read
    by :func:`read_text`, which reports it; it is never skipped in silence.
    When both ``<name>.yaml`` and ``<name>.yml`` exist, only the first counts
    (checks/records reports the second).
    """
    seen: set[str] = set()
    for path in entries(folder):
        if path.suffix in DATA_SUFFIXES and not path.name.startswith(".") and path.stem not in seen:
            seen.add(path.stem)
            yield path
