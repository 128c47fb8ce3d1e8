"""Rebuild the jwst README build table, and our data, as they stood on an older date.

Written for the sync tests from the two reference files alone, without the code under
test: ``jwst_readme_build_table.csv`` (the table at HEAD) and
``jwst_readme_build_table_history.csv`` (each earlier value of a cell, with the date of
the commit where it was first seen).

How a cell is rebuilt for a day:

- a cell without history has its HEAD value;
- before its first recorded value, a cell has that first value (the row existed with it);
- a recorded value holds until the next recorded value of the cell; the last recorded
  value holds until the next date on which the history records any change, and the HEAD
  value from then on (the file does not say when the last correction came; this takes
  the next commit that touched the table);
- a row is in the table from its first recorded value or its HEAD Released date,
  whichever is earlier. Rows of tags that HEAD no longer has (``1.17.0rc1``) and the
  ``CRDS_CONTEXT_PUB`` column of old layouts are left out, and so is 0.8.0, whose two
  HEAD rows share one history.
"""

from __future__ import annotations

import copy
import csv
import re
from collections import defaultdict
from functools import cache
from pathlib import Path
from typing import Any

REFERENCE = Path(__file__).resolve().parent.parent.parent / "shared" / "reference"
HEAD_CSV = REFERENCE / "jwst_readme_build_table.csv"
HISTORY_CSV = REFERENCE / "jwst_readme_build_table_history.csv"
README = REFERENCE / "jwst_README.md"
CHANGES = REFERENCE / "jwst_CHANGES.rst"
SEPARATOR = "Pre-launch releases"
COLUMNS = ("jwst tag", "DMS build", "SDP_VER", "CRDS_CONTEXT", "Released", "Ops Install", "Notes")
#: README column -> release field (the build schema's descriptions name the columns)
FIELD = {
    "DMS build": "dms_label",
    "SDP_VER": "sdp_version",
    "CRDS_CONTEXT": "crds_context",
    "Released": "released",
    "Ops Install": "ops_install",
    "Notes": "note",
}
SKIPPED_TAGS = {"0.8.0"}
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_SDP = re.compile(r"^\d{4}([._]\d+)+$")
_LABEL = re.compile(r"^B(\d+\.\d+(?:\.\d+)?)(?:rc(\d+))?$")


def available() -> bool:
    return HEAD_CSV.is_file() and HISTORY_CSV.is_file() and README.is_file()


@cache
def head_rows() -> tuple[dict[str, str], ...]:
    with open(HEAD_CSV, newline="", encoding="utf-8") as fh:
        return tuple(csv.DictReader(fh))


@cache
def _history() -> tuple[dict[tuple[str, str], list[tuple[str, str]]], tuple[str, ...]]:
    cells: dict[tuple[str, str], list[tuple[str, str]]] = defaultdict(list)
    days = set()
    with open(HISTORY_CSV, newline="", encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            days.add(row["first_seen_commit_date"])
            cells[(row["jwst_tag"], row["field"])].append(
                (row["first_seen_commit_date"], row["historical_value"])
            )
    for values in cells.values():
        values.sort(key=lambda dv: dv[0])  # stable: same-day values keep file order
    return dict(cells), tuple(sorted(days))


def history_days() -> tuple[str, ...]:
    """Every date on which the history records a change to the table."""
    return _history()[1]


def cell_at(tag: str, column: str, head: str, day: str) -> str:
    cells, days = _history()
    values = cells.get((tag, column))
    if tag in SKIPPED_TAGS or not values:
        return head
    if day < values[0][0]:
        return values[0][1]
    i = max(j for j, (seen, _) in enumerate(values) if seen <= day)
    if i + 1 < len(values):
        return values[i][1]
    later = [d for d in days if d > values[i][0]]
    return values[i][1] if not later or day < later[0] else head


def present(tag: str, released: str, day: str) -> bool:
    cells, _ = _history()
    seen = [v[0][0] for (t, _), v in cells.items() if t == tag]
    first = min([*seen, released] if released else seen or ["9999"])
    return first <= day


def table_at(day: str) -> list[dict[str, str]]:
    """The README rows on ``day``, in HEAD order (the separator row kept)."""
    out = []
    for row in head_rows():
        tag = row["jwst tag"]
        if tag == SEPARATOR:
            out.append(dict(row))
        elif present(tag, row["Released"], day):
            out.append(
                {c: row[c] if c == "jwst tag" else cell_at(tag, c, row[c], day) for c in COLUMNS}
            )
    return out


def markdown(rows: list[dict[str, str]], columns: tuple[str, ...] = COLUMNS) -> str:
    """A README with the table, laid out as upstream writes it."""
    lines = ["# jwst", "", "## DMS Operational Build Versions", "", "Intro text.", ""]
    lines.append("| " + " | ".join(columns) + " |")
    lines.append("|" + "|".join(" --- " for _ in columns) + "|")
    for row in rows:
        lines.append("| " + " | ".join(row.get(c, "") for c in columns) + " |")
    return "\n".join(lines) + "\n"


def data_value(column: str, cell: str) -> str | None:
    """A README cell as our data can hold it; None for empty or unusable cells (TBD, 0786*)."""
    cell = cell.strip()
    if not cell:
        return None
    if column == "CRDS_CONTEXT":
        return f"jwst_{cell}.pmap" if re.fullmatch(r"\d{4}", cell) else None
    if column in ("Released", "Ops Install"):
        return cell if _DATE.match(cell) else None
    if column == "SDP_VER":
        return cell if _SDP.match(cell) else None
    return cell


def changes_after(
    day: str,
) -> tuple[set[str], dict[tuple[str, str], tuple[str | None, str | None]]]:
    """Tags added after ``day``, and (tag, field) -> (old, HEAD) for every value changed after it."""
    then = {r["jwst tag"]: r for r in table_at(day)}
    added, changed = set(), {}
    for row in head_rows():
        tag = row["jwst tag"]
        if tag == SEPARATOR or tag in SKIPPED_TAGS:
            continue
        if tag not in then:
            added.add(tag)
            continue
        for column, name in FIELD.items():
            old, new = data_value(column, then[tag][column]), data_value(column, row[column])
            if old != new:
                changed[(tag, name)] = (old, new)
    return added, changed


# --- our data as it stood -----------------------------------------------------------


def _vkey(text: str) -> tuple[int, ...]:
    return tuple(int(p) for p in text.split(".") if p.isdigit())


def rewind(builds: dict[str, dict[str, Any]], day: str) -> dict[str, dict[str, Any]]:
    """Today's build records as they would have stood on ``day``.

    Releases not yet in the README are dropped, README fields take their old values,
    fields that follow from the label follow the old label, conflicts that no longer
    hold are dropped, and build dates and statuses are those the dates allow on ``day``.
    """
    then = {r["jwst tag"]: r for r in table_at(day)}
    out: dict[str, dict[str, Any]] = {}
    moved: list[dict[str, Any]] = []
    for bid, data in builds.items():
        build = copy.deepcopy(data)
        kept = []
        for rel in build["releases"]:
            row = then.get(rel["jwst_version"])
            if row is None:
                continue
            if rel["jwst_version"] not in SKIPPED_TAGS:
                _rewind_release(rel, row)
            level = rel["dms_version"]
            if level and ".".join(level.split(".")[:2]) != bid:
                moved.append(rel)
            else:
                kept.append(rel)
        if kept:
            build["releases"] = kept
            out[bid] = build
    for rel in moved:
        out[".".join(rel["dms_version"].split(".")[:2])]["releases"].append(rel)
    for build in out.values():
        build["releases"].sort(key=lambda r: _vkey(r["jwst_version"]))
        _rewind_build(build, day)
    _statuses(out)
    for build in out.values():
        _drop_stale_conflicts(build)
    return out


def _rewind_release(rel: dict[str, Any], row: dict[str, str]) -> None:
    before = rel["dms_label"]
    for column, name in FIELD.items():
        rel[name] = data_value(column, row[column])
    if rel["dms_label"] == before:
        return
    match = _LABEL.match(rel["dms_label"] or "")
    if not match:
        return
    rel["dms_version"] = match.group(1)
    if match.group(2):
        rel["kind"], rel["candidate"] = "candidate", int(match.group(2))
    elif rel["kind"] in ("final", "patch"):
        rel["kind"] = "patch" if match.group(1).count(".") == 2 else "final"
    if rel["kind"] != "candidate":
        rel.pop("candidate", None)


def _rewind_build(build: dict[str, Any], day: str) -> None:
    rels = build["releases"]
    for name, cell in (("operations_installed", "ops_install"), ("candidate_released", "released")):
        if build[name] and build[name] > day:
            build[name] = None
        dates = sorted(r[cell] for r in rels if r[cell])
        if build[name] is None and dates:
            build[name] = dates[0]
    for name in ("crds_context", "sdp_version"):
        values = [r[name] for r in rels if r[name]]
        disputed = any(c["field"] == name for c in build.get("conflicts", []))
        if build[name] not in values and not disputed:
            build[name] = values[-1] if values else None


def _statuses(builds: dict[str, dict[str, Any]]) -> None:
    installed = [
        (b["operations_installed"], _vkey(bid), bid)
        for bid, b in builds.items()
        if b["operations_installed"]
    ]
    current = max(installed)[2] if installed else None
    for bid, build in builds.items():
        if bid == current:
            build["status"] = "operations"
        elif current and _vkey(bid) < _vkey(current):
            build["status"] = "archived"
        else:
            build["status"] = "candidate" if build["candidate_released"] else "development"


def _drop_stale_conflicts(build: dict[str, Any]) -> None:
    for owner in [build, *build["releases"]]:
        kept = [
            c for c in owner.get("conflicts", []) if c["chosen"] == _shown(owner.get(c["field"]))
        ]
        if kept:
            owner["conflicts"] = kept
        else:
            owner.pop("conflicts", None)


def _shown(value: Any) -> str | None:
    return None if value is None else str(value)
