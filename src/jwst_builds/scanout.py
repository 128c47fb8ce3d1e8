"""The outputs of `scan`: an aligned table, CSV, JSON and Markdown, written row by row.

Each writer prints its header, then every row as it comes, then the summary, so that
nothing is held back for the end. The table's columns have fixed widths (the widest
known value of each) and the file comes last, so that rows line up without waiting
for the longest one.
"""

from __future__ import annotations

import csv
import json
from typing import Any, TextIO

from .scan import SCAN_SCHEMA_VERSION, VERDICTS, ScanRow, Summary

#: CSV columns, in order: every field of a row (lists joined by ";")
CSV_COLUMNS = (
    "file",
    "verdict",
    "action",
    "cal_ver",
    "release",
    "build",
    "build_status",
    "crds_ctx",
    "instrument",
    "exp_type",
    "detector",
    "issues",
    "may_apply",
    "reprocess_build",
    "reprocess_release",
    "reprocess_context",
    "note",
)


class Writer:
    """Prints rows to ``out``; the summary line goes to ``err`` unless the format has room."""

    def __init__(self, out: TextIO, err: TextIO, titles: dict[str, str]) -> None:
        self.out = out
        self.err = err
        self.titles = titles

    def start(self, meta: dict[str, Any]) -> None:
        """Before the first row; ``meta`` says which data judged the products."""

    def row(self, row: ScanRow) -> None:
        raise NotImplementedError

    def finish(self, summary: Summary) -> None:
        self.err.write(summary.line() + "\n")

    def _issue_lines(self, summary: Summary, bullet: str) -> list[str]:
        lines = []
        for issue, count in sorted(summary.issues.items(), key=lambda kv: (-kv[1], kv[0])):
            title = self.titles.get(issue, "")
            products = f"{count:,} product{'s' * (count != 1)}"
            lines.append(f"{bullet}{issue} ({products}): {title}".rstrip(": "))
        return lines


def _cell(value: str | None) -> str:
    return value if value else "-"


class TableWriter(Writer):
    """An aligned text table for people, one line per product, file last."""

    WIDTHS = (
        ("WHAT TO DO", 25),
        ("CAL_VER", 8),
        ("CRDS_CTX", 14),
        ("INSTRUME", 8),
        ("EXP_TYPE", 14),
        ("BUILD", 5),
        ("STATUS", 11),
        ("ISSUES", 6),
    )

    def start(self, meta: dict[str, Any]) -> None:
        cells = [name.ljust(width) for name, width in self.WIDTHS]
        self.out.write("  ".join([*cells, "FILE"]) + "\n")

    def row(self, row: ScanRow) -> None:
        if row.verdict == "unreadable":
            # one located line: where, then why
            head = VERDICTS["unreadable"].ljust(self.WIDTHS[0][1])
            self.out.write(f"{head}  {row.file}: {row.note}\n")
            return
        action = row.action
        if row.verdict == "reprocess":
            action = "reprocess: " + ", ".join(
                v
                for v in (row.reprocess_release or row.reprocess_build, row.reprocess_context)
                if v
            )
        count = str(len(row.issues)) if row.issues else "-"
        if row.may_apply:
            count = f"{count if row.issues else 0}+{len(row.may_apply)}?"
        values = (
            action,
            row.cal_ver,
            row.crds_ctx,
            row.instrument,
            row.exp_type,
            row.build,
            row.build_status,
            count,
        )
        cells = [_cell(v).ljust(w) for v, (_, w) in zip(values, self.WIDTHS, strict=True)]
        line = "  ".join([*cells, row.file])
        if row.note:
            line += f"  ({row.note})"
        self.out.write(line + "\n")

    def finish(self, summary: Summary) -> None:
        self.out.write("\n" + summary.line() + "\n")
        lines = self._issue_lines(summary, "  ")
        if lines:
            self.out.write(
                "Data issues that apply (ISSUES counts them; N+M? means M more may apply):\n"
            )
            self.out.write("\n".join(lines) + "\n")


class CsvWriter(Writer):
    """RFC 4180 CSV with a header row; lists joined by ";"; summary on stderr."""

    def start(self, meta: dict[str, Any]) -> None:
        self._csv = csv.writer(self.out, lineterminator="\n")
        self._csv.writerow(CSV_COLUMNS)

    def row(self, row: ScanRow) -> None:
        doc = row.to_dict()
        self._csv.writerow(
            ";".join(v) if isinstance(v, list) else ("" if v is None else v)
            for v in (doc[c] for c in CSV_COLUMNS)
        )


class JsonWriter(Writer):
    """One JSON document (schema/scan.schema.json), written as the rows come."""

    def start(self, meta: dict[str, Any]) -> None:
        head = json.dumps({"schema_version": SCAN_SCHEMA_VERSION, "data": meta}, ensure_ascii=False)
        self.out.write(head[:-1] + ', "products": [')
        self._first = True

    def row(self, row: ScanRow) -> None:
        self.out.write(("\n  " if self._first else ",\n  ") + json.dumps(row.to_dict()))
        self._first = False

    def finish(self, summary: Summary) -> None:
        tail = json.dumps(summary.to_dict(), ensure_ascii=False)
        self.out.write(("\n" if not self._first else "") + f'], "summary": {tail}}}\n')
        super().finish(summary)


def _md(value: str | None) -> str:
    return _cell(value).replace("|", "\\|").replace("\n", " ")


class MarkdownWriter(Writer):
    """A GitHub-flavoured Markdown table, then the summary and the issues that apply."""

    HEAD = ("what to do", "CAL_VER", "CRDS_CTX", "instrument", "EXP_TYPE", "build", "issues")

    def start(self, meta: dict[str, Any]) -> None:
        self.out.write("| file | " + " | ".join(self.HEAD) + " |\n")
        self.out.write("|---" * (len(self.HEAD) + 1) + "|\n")

    def row(self, row: ScanRow) -> None:
        action = row.action if not row.note else f"{row.action} ({row.note})"
        issues = ", ".join(row.issues)
        if row.may_apply:
            issues += ("; " if issues else "") + "may apply: " + ", ".join(row.may_apply)
        build = f"{row.build} ({row.build_status})" if row.build else None
        cells = (
            row.file,
            action,
            row.cal_ver,
            row.crds_ctx,
            row.instrument,
            row.exp_type,
            build,
            issues,
        )
        self.out.write("| " + " | ".join(_md(c) for c in cells) + " |\n")

    def finish(self, summary: Summary) -> None:
        self.out.write("\n" + summary.line() + "\n")
        lines = self._issue_lines(summary, "- ")
        if lines:
            self.out.write("\nData issues that apply:\n\n" + "\n".join(lines) + "\n")


WRITERS: dict[str, type[Writer]] = {
    "table": TableWriter,
    "csv": CsvWriter,
    "json": JsonWriter,
    "markdown": MarkdownWriter,
}
