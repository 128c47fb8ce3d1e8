"""Read what upstream says: the jwst README's build table and the change log's dates.

Both come from a path or an address. The README's table is found with a Markdown
parser (markdown-it-py): the first table under the heading "DMS Operational Build
Versions". Its columns must be exactly the ones this module knows; a table whose
layout changed (a column added, renamed or moved) is refused with one line rather
than read wrongly.
"""

from __future__ import annotations

import re
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from markdown_it import MarkdownIt

from .. import changelog

README_URL = "https://raw.githubusercontent.com/spacetelescope/jwst/main/README.md"
CHANGES_URL = "https://raw.githubusercontent.com/spacetelescope/jwst/main/CHANGES.rst"
HEADING = "DMS Operational Build Versions"
#: the README's columns, in its order, and the release field each one fills
COLUMNS = (
    ("jwst tag", "jwst_version"),
    ("DMS build", "dms_label"),
    ("SDP_VER", "sdp_version"),
    ("CRDS_CONTEXT", "crds_context"),
    ("Released", "released"),
    ("Ops Install", "ops_install"),
    ("Notes", "note"),
)
#: the row that separates post-launch tags (above) from pre-launch ones (below)
SEPARATOR = "Pre-launch releases"
#: a README cell that is a bare context number (1240, 0800)
_CONTEXT_NUMBER = re.compile(r"^[0-9]+$")
#: seconds to wait for an address before giving up
TIMEOUT = 30.0


class UpstreamError(Exception):
    """Upstream cannot be read or understood: one line for the user, exit 2."""


@dataclass(frozen=True)
class Row:
    """One row of the README table: its cells (None where empty) as release fields."""

    jwst_version: str
    cells: tuple[tuple[str, str | None], ...]  # (release field, raw cell) in column order
    pre_launch: bool
    line: int  # 1-based line in the README

    def raw(self, name: str) -> str | None:
        return dict(self.cells).get(name)

    def value(self, name: str) -> str | None:
        """The cell as our data writes it: contexts as ``jwst_NNNN.pmap``."""
        cell = self.raw(name)
        if name == "crds_context" and cell is not None and _CONTEXT_NUMBER.match(cell):
            return f"jwst_{cell}.pmap"
        return cell


@dataclass(frozen=True)
class Table:
    """The README table: where it came from and its rows, top to bottom."""

    source: str
    rows: tuple[Row, ...]


def read(source: str, timeout: float = TIMEOUT) -> str:
    """The text at a path or an http(s) address; UpstreamError when it cannot be read."""
    if re.match(r"^[a-zA-Z][a-zA-Z0-9+.-]*://", source):
        if not source.startswith(("https://", "http://")):
            raise UpstreamError(f"cannot read {source}: only http and https addresses are read")
        try:
            with urllib.request.urlopen(source, timeout=timeout) as response:
                data: bytes = response.read()
        except urllib.error.HTTPError as exc:
            exc.close()
            raise UpstreamError(f"cannot read {source}: HTTP {exc.code} {exc.reason}") from exc
        except urllib.error.URLError as exc:
            raise UpstreamError(f"cannot reach {source}: {_reason(exc.reason)}") from exc
        except (TimeoutError, OSError, ValueError) as exc:
            raise UpstreamError(f"cannot reach {source}: {_reason(exc)}") from exc
    else:
        try:
            data = Path(source).read_bytes()
        except OSError as exc:
            raise UpstreamError(f"cannot read {source}: {exc.strerror or exc}") from exc
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise UpstreamError(f"{source} is not UTF-8 text") from exc


def _reason(reason: object) -> str:
    text = getattr(reason, "strerror", None) or str(reason)
    return text.strip() or type(reason).__name__


def parse_readme(text: str, source: str) -> Table:
    """The build table of a README text; UpstreamError when there is none or it changed shape."""
    md = MarkdownIt("commonmark").enable("table")
    tokens = md.parse(text)
    level = ""
    start = None
    for i, tok in enumerate(tokens):
        if tok.type == "heading_open":
            if level and tok.tag <= level:
                break  # the section ended without a table
            if not level and tokens[i + 1].content.strip() == HEADING:
                level = tok.tag
        elif level and tok.type == "table_open":
            start = i
            break
    if not level:
        raise UpstreamError(f'{source}: no heading "{HEADING}" (is this the jwst README?)')
    if start is None:
        raise UpstreamError(f'{source}: no table under the heading "{HEADING}"')
    rows: list[tuple[int, list[str]]] = []
    current: list[str] = []
    line = 0
    for tok in tokens[start:]:
        if tok.type == "tr_open":
            current = []
            line = (tok.map[0] + 1) if tok.map else 0
        elif tok.type == "inline":
            current.append(tok.content.strip())
        elif tok.type == "tr_close":
            rows.append((line, current))
        elif tok.type == "table_close":
            break
    header = list(rows[0][1]) if rows else []
    expected = [name for name, _ in COLUMNS]
    if header != expected:
        raise UpstreamError(
            f"{source}:{rows[0][0] if rows else 0}: the build table's columns are "
            f"{' | '.join(header)}; sync knows {' | '.join(expected)} "
            "(the layout changed upstream: update jwst_builds.sync.upstream.COLUMNS and the "
            "comparison before syncing)"
        )
    return Table(source, tuple(_rows(rows[1:])))


def _rows(rows: list[tuple[int, list[str]]]) -> list[Row]:
    out = []
    pre_launch = False
    for line, cells in rows:
        if cells[0] == SEPARATOR and not any(cells[1:]):
            pre_launch = True
            continue
        fields = tuple(
            (name, cell or None) for (_, name), cell in zip(COLUMNS, cells, strict=False)
        )
        out.append(Row(cells[0], fields, pre_launch, line))
    return out


def load_readme(source: str) -> Table:
    return parse_readme(read(source), source)


def load_changes(source: str) -> dict[str, str]:
    """Released versions of the change log and their dates; UpstreamError when it has none."""
    dates = changelog.release_dates(changelog.parse(read(source)))
    if not dates:
        raise UpstreamError(f"{source}: no version headings such as '1.2.3 (2024-01-31)' found")
    return dates
