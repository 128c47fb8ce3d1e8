"""CSV rendering: RFC 4180 fields, UTF-8, one header row, ``\\n`` line endings.

Policy for cells that a spreadsheet would read as a formula (starting with
``=``, ``+``, ``-`` or ``@``): they are written verbatim. The values are data
that scripts compare with other sources, and a prefix would silently change
them; docs/exports.md tells spreadsheet users to import the columns as text.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from .columns import LIST_SEPARATOR, TableSpec

_NEEDS_QUOTES = frozenset(',"\r\n')


def cell(value: Any, separator: str = LIST_SEPARATOR) -> str:
    """The text of one cell: empty for None, true/false, lists joined by ``separator``."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        items = [str(v) for v in value]
        bad = [v for v in items if separator in v]
        if bad:
            raise ValueError(f"list item {bad[0]!r} contains the separator {separator!r}")
        return separator.join(items)
    return str(value)


def field(text: str) -> str:
    """Quote a field the RFC 4180 way when it holds a comma, a quote or a line break."""
    if _NEEDS_QUOTES.isdisjoint(text):
        return text
    return '"' + text.replace('"', '""') + '"'


def render(spec: TableSpec, rows: Iterable[dict[str, Any]]) -> str:
    """The whole CSV file: the header named by ``spec``, then one line per row."""
    names = spec.names
    lines = [",".join(field(n) for n in names)]
    for row in rows:
        extra = set(row) - set(names)
        if extra:
            raise ValueError(
                f"{spec.name}: row has columns the table does not define: {sorted(extra)}"
            )
        cells = []
        for c in spec.columns:
            try:
                cells.append(field(cell(row.get(c.name), c.separator)))
            except ValueError as exc:
                key = row.get(spec.primary_key[0])
                raise ValueError(f"{spec.filename}, {key}, column {c.name}: {exc}") from exc
        lines.append(",".join(cells))
    return "\n".join(lines) + "\n"
