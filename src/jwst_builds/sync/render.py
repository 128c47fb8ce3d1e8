"""The sync report as text (also the pull-request description), JSON or GitHub annotations."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from ..report import escape
from ..report import text as problem_text
from . import Report
from .findings import Finding

#: information kinds, in the order the text report lists them, with their headings
SECTIONS = (
    ("recorded", "Recorded disagreements with the README (explained by conflicts, not drift)"),
    ("stale-conflict", "Recorded disagreements that the README no longer matches"),
    ("changelog-date", "Change-log dates that differ from the README's Released (information)"),
    ("changelog-only", "Versions in the change log that the README table does not list"),
    ("not-upstream", "Releases the README does not list, from other sources"),
    ("skipped-row", "README rows that are not jwst versions"),
)


def text(report: Report) -> str:
    lines = [f"upstream: README {report.readme}"]
    if report.changes:
        lines.append(f"upstream: change log {report.changes}")
    drift = report.drift
    lines += [f.text() for f in drift]
    n = len(drift)
    lines.append(
        f"{n} difference{'s' * (n != 1)} with upstream (drift)"
        if n
        else "no drift: builds/ agrees with upstream"
    )
    for kind, title in SECTIONS:
        found = [f for f in report.findings if f.kind == kind]
        if found:
            lines += ["", f"{title}: {len(found)}", *(f"  {f.text()}" for f in found)]
    if report.wrote:
        lines += ["", f"Written: {len(report.written)} change{'s' * (len(report.written) != 1)}"]
        lines += [
            f"  {w.file}: {w.field + ': ' if w.field else ''}{w.what}" for w in report.written
        ]
        if report.written:
            lines.append(
                "validate: "
                + (
                    "no problems"
                    if not report.problems
                    else "\n" + problem_text(list(report.problems))
                )
            )
    return "\n".join(lines)


def _finding(f: Finding) -> dict[str, Any]:
    return {
        "kind": f.kind,
        "file": f.file,
        "line": f.line,
        "col": f.col,
        "field": f.path,
        "jwst_version": f.tag,
        "ours": f.ours,
        "upstream": f.upstream,
        "upstream_source": f.source,
        "message": f.message,
        "hint": f.hint,
        "write": f.action,
    }


def as_json(report: Report) -> str:
    doc = {
        "readme": report.readme,
        "changes": report.changes,
        "drift": [_finding(f) for f in report.drift],
        "information": [_finding(f) for f in report.findings if not f.drift],
        "written": [{"file": w.file, "field": w.field, "what": w.what} for w in report.written]
        if report.wrote
        else None,
        "problems": [
            {
                "file": p.file,
                "line": p.line,
                "col": p.col,
                "field": p.field,
                "message": p.message,
                "hint": p.hint,
            }
            for p in report.problems
        ],
        "exit_code": report.exit_code,
    }
    return json.dumps(doc, indent=2, ensure_ascii=False)


def github(report: Report) -> str:
    out = []
    for f in report.findings:
        level = "warning" if f.drift else "notice"
        where = f"file={escape(f.file, True)}" + (f",line={f.line},col={f.col}" if f.line else "")
        title = escape(f"sync: {f.path or f.tag}", True)
        msg = f.message + (f" ({f.hint})" if f.hint else "")
        out.append(f"::{level} {where},title={title}::{escape(msg)}")
    for p in report.problems:
        out.append(
            f"::error file={escape(p.file, True)},line={p.line},col={p.col},"
            f"title={escape(p.field or 'validate', True)}::{escape(p.message)}"
        )
    return "\n".join(out)


RENDERERS: dict[str, Callable[[Report], str]] = {"text": text, "json": as_json, "github": github}
