"""Reading YAML data files safely: bytes -> text -> plain Python data.

Two loaders, on purpose. The fast path uses ruamel's safe loader (libyaml-backed
when ruamel.yaml.clib is installed) and knows nothing about positions. The
round-trip loader knows the line and column of every node but costs several
times more per file, so it only runs for files that have a problem (see
:mod:`jwst_builds.locate`).
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
from ruamel.yaml.constructor import ConstructorError, SafeConstructor
from ruamel.yaml.error import YAMLError
from ruamel.yaml.events import (
    AliasEvent,
    CollectionEndEvent,
    CollectionStartEvent,
    MappingStartEvent,
    NodeEvent,
    ScalarEvent,
)
from ruamel.yaml.nodes import MappingNode
from ruamel.yaml.reader import ReaderError

from .problems import PathPart, Problem, field_name

#: Record files are a few kilobytes; anything this large is a mistake or an attack.
MAX_BYTES = 1_000_000
#: Records are a few levels deep (software.fixed.changelog[0].pr is five); deeper
#: nesting is refused before anything is built, so nothing can recurse on it.
MAX_DEPTH = 20
#: The longest number a data file may hold unquoted: no field needs more, and
#: Python refuses to read integers over 4,300 digits.
MAX_DIGITS = 100

_TAG_PREFIX = "tag:yaml.org,2002:"
_STR_TAG = _TAG_PREFIX + "str"


class _Unbuildable(ConstructorError):
    """A value YAML recognises (a date, a number) but cannot build; carries a hint."""

    def __init__(self, message: str, hint: str, node: Any) -> None:
        super().__init__(None, None, message, node.start_mark)
        self.hint = hint


class _Constructor(SafeConstructor):
    """The safe constructor, with located problems for values it cannot build.

    YAML reads an unquoted ``2016-02-30`` as a date and ``99...9`` as an
    integer; building them fails deep inside Python (``day is out of range``,
    the 4,300-digit limit). Each such value becomes a problem at its line.
    Keys must be text: a key YAML reads as a number, a boolean, null or a
    collection is refused at the key.
    """

    def construct_yaml_timestamp(self, node: Any, values: Any = None) -> Any:
        try:
            return super().construct_yaml_timestamp(node, values)
        except (ValueError, OverflowError) as exc:
            raise _Unbuildable(
                f"{node.value} is not a date that exists: {exc}",
                'check the date, and write it quoted: "YYYY-MM-DD"',
                node,
            ) from exc

    def construct_yaml_int(self, node: Any) -> Any:
        digits = sum(ch.isdigit() for ch in str(node.value))
        if digits > MAX_DIGITS:
            raise _Unbuildable(
                f"a number of {digits:,} digits is too long",
                "no field holds such a number; quote it if it is text",
                node,
            )
        return super().construct_yaml_int(node)

    def construct_mapping(self, node: Any, deep: bool = False) -> Any:
        if isinstance(node, MappingNode):
            for key_node, _ in node.value:
                if key_node.tag != _STR_TAG:
                    raise _Unbuildable(*_key_fault(key_node), key_node)
        return super().construct_mapping(node, deep=deep)


# add_constructor on the subclass copies the table; ruamel's own stays as it is
_Constructor.add_constructor(_TAG_PREFIX + "timestamp", _Constructor.construct_yaml_timestamp)
_Constructor.add_constructor(_TAG_PREFIX + "int", _Constructor.construct_yaml_int)


def _key_fault(node: Any) -> tuple[str, str]:
    if isinstance(node.value, list):
        kind = "a mapping" if isinstance(node, MappingNode) else "a list"
        return f"a key must be a name, not {kind}", "write the key as plain text"
    kind = node.tag.removeprefix(_TAG_PREFIX)
    words = {"int": "a number", "float": "a number", "bool": "a boolean", "null": "null"}
    what = words.get(kind, f"a {kind}")
    text = _short(str(node.value))
    return f"the key {text} is read as {what}, not text", f'keys are names; quote it: "{text}"'


def _short(text: str, limit: int = 40) -> str:
    """A value shown in a message: at most ``limit`` characters."""
    return text if len(text) <= limit else f"{text[: limit - 3]}..."


class LoadError(Exception):
    """A file that could not be read as data; carries its one problem."""

    def __init__(self, problem: Problem) -> None:
        super().__init__(problem.text())
        self.problem = problem


def _fast_yaml() -> ruamel.yaml.YAML:
    yaml = ruamel.yaml.YAML(typ="safe")
    yaml.Constructor = _Constructor
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
    if isinstance(exc, _Unbuildable):
        path = _path_at(text, mark.line, mark.column) if mark is not None else ()
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
        what = f"YAML tag {_tag_name(tag)} is not allowed"
        hint = _TAG_HINT
    elif "another document" in what or "single document" in what:
        what = "more than one YAML document in the file"
        hint = "a data file holds one record; remove the extra '---' document"
    elif "mapping values are not allowed" in what:
        hint = "a value containing ': ' must be quoted"
    return Problem(shown, line, col, field, what, hint)


_TAG_HINT = "data files hold only plain strings, numbers, lists and mappings; quote text"


def _tag_name(tag: str) -> str:
    return "!!" + tag[len(_TAG_PREFIX) :] if tag.startswith(_TAG_PREFIX) else tag


def _node_events(text: str) -> Iterator[tuple[Any, list[list[Any]], bool]]:
    """Every node event with the open collections above it and whether it is a key.

    Each open collection is ``[is_mapping, next_is_key, current key or index]``;
    parsing events is iterative, so this is safe on any nesting.
    """
    stack: list[list[Any]] = []
    for event in _FAST.parse(text):
        if isinstance(event, CollectionEndEvent):
            stack.pop()
            continue
        if not isinstance(event, NodeEvent):
            continue
        is_key = False
        if stack:
            top = stack[-1]
            if top[0]:
                is_key = top[1]
                top[1] = not is_key
                if is_key:
                    top[2] = event.value if isinstance(event, ScalarEvent) else "?"
            else:
                top[2] += 1
        yield event, stack, is_key
        if isinstance(event, CollectionStartEvent):
            stack.append([isinstance(event, MappingStartEvent), True, -1])


def _path(stack: list[list[Any]]) -> tuple[PathPart, ...]:
    return tuple(frame[2] for frame in stack)


def _path_at(text: str, line: int, col: int) -> tuple[PathPart, ...]:
    """The document path of the node that starts at a (0-based) line and column.

    For a key, the path of the mapping that holds it: the key is what is wrong.
    """
    try:
        for event, stack, is_key in _node_events(text):
            mark = event.start_mark
            if (mark.line, mark.column) == (line, col):
                path = _path(stack)
                return path[:-1] if is_key else path
    except YAMLError:
        pass
    return ()


def _deeper_than(text: str, limit: int) -> bool:
    """Whether collections nest deeper than ``limit`` (stops as soon as they do)."""
    depth = 0
    for event in _FAST.parse(text):
        if isinstance(event, CollectionStartEvent):
            depth += 1
            if depth > limit:
                return True
        elif isinstance(event, CollectionEndEvent):
            depth -= 1
    return False


def scan_problem(shown: str, text: str) -> Problem | None:
    """The first construct data files refuse, found before anything is built.

    One linear pass over the YAML events: aliases (the stuff of alias bombs),
    anchors, explicit tags (``!!str``, ``!!binary``, ``!!python/...``), merge
    keys (``<<``) and nesting deeper than :data:`MAX_DEPTH`, which would make
    the loaders and every walk over the data recurse without end.
    """
    if not any(mark in text for mark in "&*!<") and not _deeper_than(text, MAX_DEPTH):
        return None  # the common case: nothing to refuse, one cheap pass
    for event, stack, is_key in _node_events(text):
        if isinstance(event, AliasEvent) or event.anchor is not None:
            fault = (
                "YAML anchors and aliases (&name, *name) are not allowed in data files",
                "write each value out in full",
            )
        elif event.tag is not None:
            fault = (f"YAML tag {_short(_tag_name(event.tag))} is not allowed", _TAG_HINT)
        elif is_key and isinstance(event, ScalarEvent) and not event.style and event.value == "<<":
            fault = (
                "YAML merge keys (<<) are not allowed in data files",
                "write the keys out in full",
            )
        elif isinstance(event, CollectionStartEvent) and len(stack) >= MAX_DEPTH:
            fault = (
                f"nesting is deeper than {MAX_DEPTH} levels",
                "records are a few levels deep; close the brackets or remove the extra levels",
            )
        else:
            continue
        mark = event.start_mark
        return Problem(shown, mark.line + 1, mark.column + 1, field_name(_path(stack)), *fault)
    return None


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
