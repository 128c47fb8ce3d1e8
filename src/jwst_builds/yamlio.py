"""Reading YAML data files safely: bytes -> text -> plain Python data.

Two loaders, on purpose. The fast path uses ruamel's safe loader (libyaml-backed
when ruamel.yaml.clib is installed) and knows nothing about positions. The
round-trip loader knows the line and column of every node but costs several
times more per file, so it only runs for files that have a problem (see
:mod:`jwst_builds.locate`).
"""

from __future__ import annotations

import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import ruamel.yaml
from ruamel.yaml.error import YAMLError

from .problems import Problem

#: Record files are a few kilobytes; anything this large is a mistake or an attack.
MAX_BYTES = 1_000_000

_TAG_PREFIX = "tag:yaml.org,2002:"


class LoadError(Exception):
    """A file that could not be read as data; carries its one problem."""

    def __init__(self, problem: Problem) -> None:
        super().__init__(problem.text())
        self.problem = problem


def _fast_yaml() -> ruamel.yaml.YAML:
    yaml = ruamel.yaml.YAML(typ="safe")
    yaml.allow_duplicate_keys = False
    return yaml


def _rt_yaml() -> ruamel.yaml.YAML:
    yaml = ruamel.yaml.YAML(typ="rt")
    yaml.allow_duplicate_keys = False
    return yaml


_FAST = _fast_yaml()


def read_text(path: Path, shown: str) -> str:
    """Read a data file as UTF-8 text, or raise LoadError with a located problem."""
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            raise LoadError(
                Problem(
                    shown,
                    1,
                    1,
                    "",
                    f"file is {size:,} bytes, over the limit of {MAX_BYTES:,}",
                    "a record is a few kilobytes; split it or remove what does not belong",
                )
            )
        raw = path.read_bytes()
    except OSError as exc:
        raise LoadError(Problem(shown, 1, 1, "", f"cannot read file: {exc.strerror}")) from exc
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        col = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
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
    if not text.strip() or all(
        not ln.strip() or ln.lstrip().startswith("#") for ln in text.splitlines()
    ):
        raise LoadError(
            Problem(
                shown, 1, 1, "", "file is empty", "a record is a YAML mapping starting with 'id:'"
            )
        )
    return text


def _yaml_problem(shown: str, exc: YAMLError, text: str) -> Problem:
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    line, col = (mark.line + 1, mark.column + 1) if mark is not None else (1, 1)
    what = (getattr(exc, "problem", None) or str(exc)).strip()
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
    elif at == "\t" or "tab" in what:
        what = "tab character in indentation"
        hint = "indent with spaces, not tabs"
    elif "could not determine a constructor for the tag" in what:
        tag = what.split("'")[1] if "'" in what else "?"
        if tag.startswith(_TAG_PREFIX):
            tag = "!!" + tag[len(_TAG_PREFIX) :]
        what = f"YAML tag {tag} is not allowed"
        hint = "data files hold only plain strings, numbers, lists and mappings"
    elif "another document" in what or "single document" in what:
        what = "more than one YAML document in the file"
        hint = "a data file holds one record; remove the extra '---' document"
    elif "mapping values are not allowed" in what:
        hint = "a value containing ': ' must be quoted"
    return Problem(shown, line, col, field, what, hint)


def alias_problem(shown: str, text: str) -> Problem | None:
    """The first alias in the text, if any: aliases are the stuff of alias bombs.

    Scanning events is linear in the size of the text, so this runs before the
    loader could expand anything. No anchor (``&``) means no alias is possible.
    """
    if "&" not in text or "*" not in text:
        return None
    for event in _FAST.parse(text):
        if isinstance(event, ruamel.yaml.events.AliasEvent):
            mark = event.start_mark
            return Problem(
                shown,
                mark.line + 1,
                mark.column + 1,
                "",
                "YAML aliases (*name) are not allowed in data files",
                "write the value out in full",
            )
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
        aliased = alias_problem(shown, text)
        if aliased is not None:
            raise LoadError(aliased)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            data = _FAST.load(text)
    except YAMLError as exc:
        raise LoadError(_yaml_problem(shown, exc, text)) from exc
    except RecursionError as exc:
        raise LoadError(
            Problem(shown, 1, 1, "", "nesting is too deep", "records are at most a few levels deep")
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


def iter_files(folder: Path, suffixes: tuple[str, ...] = (".yaml", ".yml")) -> Iterator[Path]:
    if folder.is_dir():
        yield from sorted(p for p in folder.iterdir() if p.is_file() and p.suffix in suffixes)
