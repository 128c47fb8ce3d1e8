"""From a data file's text to plain Python data, with every failure a located problem.

Two loaders, on purpose. The quick path (:mod:`jwst_builds.yamlfast`) builds the
data straight from the C parser's events for files that hold nothing unusual;
everything else goes through ruamel's safe loader behind
:mod:`jwst_builds.yamlguard`, which refuses what data files may not hold and
says where. The round-trip loader knows the line and column of every node but
costs several times more per file, so it only runs for files that have a problem
(see :mod:`jwst_builds.locate`).
"""

from __future__ import annotations

import unicodedata
import warnings
from pathlib import Path
from typing import Any

import ruamel.yaml
from ruamel.yaml.error import YAMLError
from ruamel.yaml.reader import ReaderError

from . import yamlfast
from .problems import Problem, field_name
from .yamlguard import (
    TAG_HINT,
    Constructor,
    Unbuildable,
    path_at,
    scan_problem,
    tag_name,
)
from .yamlio import LoadError, read_text


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
    """The data of one file's text: the quick path when it can, else the careful one."""
    try:
        data = yamlfast.load(text)
    except yamlfast.Fallback:
        return parse_carefully(text, shown)
    if not isinstance(data, dict):
        raise LoadError(_not_mapping(shown, data))
    return data


def parse_carefully(text: str, shown: str) -> Any:
    """ruamel's safe loader behind the guard: the reference for what is accepted."""
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
        raise LoadError(_not_mapping(shown, data))
    return data


def _not_mapping(shown: str, data: Any) -> Problem:
    kind = type(data).__name__
    kind = {"list": "a list", "str": "a string", "NoneType": "nothing"}.get(kind, f"a {kind}")
    return Problem(
        shown,
        1,
        1,
        "",
        f"expected a mapping at the top level, got {kind}",
        "a record is a set of 'key: value' lines",
    )


def load_positions(text: str) -> Any:
    """Round-trip load (positions, comments); only called for files with problems."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return _rt_yaml().load(text)
