"""Give problems their line and column, loading each affected file once with positions."""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path
from typing import Any

from .problems import PathPart, Problem
from .schemas import type_hint

_TOKEN = re.compile(r"[^\s,#\]}]+")


def _position(tree: Any, where: tuple[PathPart, ...], at_key: bool) -> tuple[int, int, Any]:
    """Line and column (0-based) of the deepest node of ``where`` that exists."""
    line, col = 0, 0
    node = tree
    top_lc = getattr(tree, "lc", None)
    if isinstance(tree, dict) and tree and top_lc is not None:
        line, col = top_lc.key(next(iter(tree)))  # the record's first key, not the modeline
    value: Any = None
    for i, part in enumerate(where):
        last = i == len(where) - 1
        lc = getattr(node, "lc", None)
        if isinstance(node, dict) and part in node and lc is not None:
            child = node[part]
            if last and not at_key and not isinstance(child, (dict, list)):
                line, col = lc.value(part)
            else:
                line, col = lc.key(part)
            node, value = child, child
        elif isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node):
            line, col = lc.item(part) if lc is not None else (line, col)
            node, value = node[part], node[part]
        else:
            break
    return line, col, value


def locate(problems: list[Problem], root: Path) -> list[Problem]:
    """Fill in line/col (and raw-text hints) for problems that lack a position.

    The problems come back in the order given. Each file is read once, and its lines
    and position tree are let go as soon as its problems are placed: a broken tree of
    many files would otherwise hold every file's position tree (the heaviest structure
    the loader makes) until the last problem is placed.
    """
    out = list(problems)
    by_file: dict[str, list[int]] = {}
    for i, prob in enumerate(problems):
        if not prob.line:
            by_file.setdefault(prob.file, []).append(i)
    for file, indices in by_file.items():
        lines, tree = _load(root, file)
        for i in indices:
            out[i] = _placed(problems[i], lines, tree)
    return out


def _load(root: Path, file: str) -> tuple[list[str], Any]:
    from .yamlparse import load_positions  # only for files with problems

    try:
        text = (root / file).read_text(encoding="utf-8")
        return text.splitlines(), load_positions(text)
    except Exception:  # the file was readable a moment ago; fall back to 1:1
        return [], None


def _placed(prob: Problem, lines: list[str], tree: Any) -> Problem:
    line, col, value = (
        _position(tree, prob.where, prob.at_key) if tree is not None else (0, 0, None)
    )
    hint = prob.hint
    if "{type_hint}" in hint:
        raw = None
        if line < len(lines):
            match = _TOKEN.match(lines[line], col)
            raw = match.group(0) if match else None
        hint = hint.replace("{type_hint}", type_hint(value, raw, prob.field))
    return dataclasses.replace(prob, line=line + 1, col=col + 1, hint=hint)
