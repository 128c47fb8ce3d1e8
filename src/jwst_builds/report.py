"""Reporters: how a list of problems is printed (text, json, github)."""

from __future__ import annotations

from collections.abc import Callable

from .problems import Problem


def text(problems: list[Problem]) -> str:
    lines = [p.text() for p in problems]
    n = len(problems)
    if n:
        files = len({p.file for p in problems})
        lines.append(f"{n} problem{'s' * (n != 1)} in {files} file{'s' * (files != 1)}")
    return "\n".join(lines)


def as_json(problems: list[Problem]) -> str:
    rows = [
        {
            "file": p.file,
            "line": p.line,
            "col": p.col,
            "field": p.field,
            "message": p.message,
            "hint": p.hint,
            "code": p.code,
        }
        for p in problems
    ]
    import json  # only for --format json

    return json.dumps({"problems": rows, "count": len(rows)}, indent=2, ensure_ascii=False)


def escape(value: str, prop: bool = False) -> str:
    # GitHub workflow-command escaping
    value = value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    if prop:
        value = value.replace(":", "%3A").replace(",", "%2C")
    return value


def github(problems: list[Problem]) -> str:
    out = []
    for p in problems:
        title = " ".join(filter(None, (p.code, p.field))) or "jwst-builds"
        msg = p.message + (f" ({p.hint})" if p.hint else "")
        out.append(
            f"::error file={escape(p.file, True)},line={p.line},col={p.col},"
            f"title={escape(title, True)}::{escape(msg)}"
        )
    return "\n".join(out)


REPORTERS: dict[str, Callable[[list[Problem]], str]] = {
    "text": text,
    "json": as_json,
    "github": github,
}
