"""Compare builds/ with upstream: every difference as one located finding.

A finding is *drift* when our data should change (a tag missing, a value that
differs, a value we lack) and *information* otherwise (a disagreement the records
already explain, a change-log date that differs from the README's). Each finding
names what ``--write`` would do with it (``action``), or None when it needs a person.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from jsonschema import Draft202012Validator

from .. import fmt
from ..dataset import Dataset, Record, version_key
from ..problems import PathPart, field_name
from ..scaffold import field_schema
from . import infer
from .upstream import COLUMNS, Row, Table

#: source ids (sources.yaml) that sync reads and cites
README_SOURCE = "jwst-readme-table"
HISTORY_SOURCE = "jwst-readme-history"
CHANGELOG_SOURCE = "jwst-changelog"
#: release fields that mirror a README column (jwst_version is the key)
FIELDS = tuple(name for _, name in COLUMNS if name != "jwst_version")
#: build-level fields and the README column of the build's releases that stands for them
BUILD_FIELDS = {
    "crds_context": "crds_context",
    "sdp_version": "sdp_version",
    "operations_installed": "ops_install",
    "candidate_released": "released",
}


@dataclass(frozen=True)
class Finding:
    """One difference between our data and upstream, located in our data."""

    kind: str  # missing, extra, differs, empty, emptied, label-row, recorded, stale-conflict, ...
    drift: bool
    file: str  # the build file that holds (or would hold) the tag
    where: tuple[PathPart, ...]
    tag: str
    field: str  # the field of our data, e.g. crds_context ("" for a whole release)
    ours: str | None
    upstream: str | None
    message: str
    hint: str = ""
    action: str | None = None  # add-release, fill, conflict, also-labelled; None: by hand
    source: str = README_SOURCE  # where the upstream value comes from
    line: int = 0
    col: int = 0

    @property
    def path(self) -> str:
        return field_name(self.where)

    def text(self) -> str:
        place = f"{self.file}:{self.line}:{self.col}" if self.line else self.file
        label = f"{self.path}: " if self.path else ""
        hint = f" ({self.hint})" if self.hint else ""
        return f"{place}: {label}{self.message}{hint}"


@dataclass
class Comparison:
    """The findings, and the rows that --write needs to add releases."""

    findings: list[Finding] = field(default_factory=list)
    rows: dict[str, list[Row]] = field(default_factory=dict)  # tag -> its README rows
    new_builds: dict[str, str | None] = field(default_factory=dict)  # missing tag -> build


def shown(value: Any) -> str:
    """A value as the report prints it: JSON, so null and strings read unambiguously."""
    return json.dumps(value, ensure_ascii=False)


def valid(root: Path, name: str, value: str) -> bool:
    """Whether ``value`` is allowed in release field ``name`` by the build schema."""
    return _validator(root / "schema", name).is_valid(value)


@cache
def _validator(folder: Path, name: str) -> Draft202012Validator:
    schemas = fmt.load_schemas(folder)
    node, _ = field_schema(schemas, "build.schema.json", ("releases", "items", name))
    keep = ("type", "pattern", "format")
    schema = {k: v for b, _, _ in schemas.branches(node, "build.schema.json") for k, v in b.items() if k in keep}
    return Draft202012Validator(schema, format_checker=Draft202012Validator.FORMAT_CHECKER)


def _explained(owner: dict[str, Any], name: str, value: str | None) -> bool:
    return any(c["field"] == name and c["alternative"] == value for c in owner.get("conflicts", []))


def compare(ds: Dataset, table: Table, changes: dict[str, str] | None) -> Comparison:
    out = Comparison()
    where_tag: dict[str, tuple[Record, int, dict[str, Any]]] = {}
    for build in ds.builds.values():
        for i, rel in enumerate(build.data["releases"]):
            where_tag[rel["jwst_version"]] = (build, i, rel)
    for row in table.rows:
        if valid(ds.root, "jwst_version", row.jwst_version):
            out.rows.setdefault(row.jwst_version, []).append(row)
        else:
            out.findings.append(
                Finding("skipped-row", False, table.source, (), row.jwst_version, "", None, None,
                        f"README line {row.line}: {shown(row.jwst_version)} is not a jwst version our data can hold (X.Y.Z); row skipped")
            )  # fmt: skip
    missing = {tag: rows for tag, rows in out.rows.items() if tag not in where_tag}
    out.new_builds = infer.builds_of_new_tags(
        {t: b.id for t, (b, _, _) in where_tag.items()}, [r[0] for r in missing.values()]
    )
    for tag, rows in missing.items():
        out.findings.append(_missing(ds, tag, rows[0], out.new_builds[tag]))
    for tag, (build, i, rel) in sorted(where_tag.items(), key=lambda kv: version_key(kv[0])):
        rows = out.rows.get(tag)
        if rows is None:
            out.findings.append(_extra(build, i, rel))
            continue
        main = _main_row(rel, rows)
        out.findings.extend(_fields(ds.root, build, i, rel, main))
        out.findings.extend(_labels(build, i, rel, [r for r in rows if r is not main]))
        if build.data["pre_launch"] != main.pre_launch and README_SOURCE in rel["sources"]:
            out.findings.append(
                Finding("differs", True, build.file, ("pre_launch",), tag, "pre_launch",
                        shown(build.data["pre_launch"]), shown(main.pre_launch),
                        f"jwst {tag} is {'below' if main.pre_launch else 'above'} the README's 'Pre-launch releases' row",
                        "not written by sync: check the build by hand")
            )  # fmt: skip
    out.findings.extend(_recorded(ds, out.rows))
    if changes is not None:
        out.findings.extend(_changelog(where_tag, out.rows, changes))
    return out


def _missing(ds: Dataset, tag: str, row: Row, build: str | None) -> Finding:
    label = row.raw("dms_label") or "no DMS label"
    what = f"jwst {tag} is upstream ({label}, released {row.raw('released') or 'on no date'}) but not in our data"
    if build is None:
        return Finding("missing", True, "builds/", (), tag, "", None, None, what,
                       "no build to put it in: add it by hand with jwst-builds new release")  # fmt: skip
    exists = build in ds.builds
    file = ds.builds[build].file if exists else f"builds/{build}.yaml"
    hint = f"--write adds it to build {build}" if exists else f"--write creates build {build} for it"
    return Finding("missing", True, file, ("releases",) if exists else (), tag, "", None, None,
                   what, hint, action="add-release")  # fmt: skip


def _extra(build: Record, i: int, rel: dict[str, Any]) -> Finding:
    tag = rel["jwst_version"]
    cited = README_SOURCE in rel["sources"]
    return Finding(
        "extra" if cited else "not-upstream", cited, build.file, ("releases", i, "jwst_version"),
        tag, "jwst_version", tag, None,
        f"jwst {tag} is in our data but not in the README table"
        + ("" if cited else f" (the release cites {', '.join(rel['sources'])}, not the README)"),
        "sync never deletes: check upstream, then fix the record by hand" if cited else "",
    )  # fmt: skip


def _main_row(rel: dict[str, Any], rows: list[Row]) -> Row:
    """The README row of a release's own label; with several rows, the others are also_labelled."""
    if len(rows) == 1:
        return rows[0]
    for row in rows:
        if row.raw("dms_label") == rel["dms_label"]:
            return row
    others = {a["dms_label"] for a in rel.get("also_labelled", [])}
    return next((r for r in rows if r.raw("dms_label") not in others), rows[0])


def _fields(root: Path, build: Record, i: int, rel: dict[str, Any], row: Row) -> Iterator[Finding]:
    tag = rel["jwst_version"]
    others = [s for s in rel["sources"] if s not in (README_SOURCE, HISTORY_SOURCE)]
    for name in FIELDS:
        up, mine = row.value(name), rel[name]
        if up == mine or _explained(rel, name, up):
            continue
        where = ("releases", i, name)
        usable = up is None or valid(root, name, up)
        if mine is None:
            kind, hint, action = "empty", "--write fills it in", "fill"
        elif up is None:
            if others:
                continue  # the record fills it from another source it cites
            kind, hint, action = "emptied", "--write records a conflict", "conflict"
        else:
            kind, hint, action = "differs", "--write records a conflict; then keep ours or take upstream's", "conflict"
        message = f"ours {shown(mine)}, upstream {shown(up)} (jwst {tag})"
        if not usable:
            message += f": upstream's value is not a valid {name}"
            hint, action = "not written: update it by hand", None
        yield Finding(kind, True, build.file, where, tag, name, mine, up, message, hint, action)


def _labels(build: Record, i: int, rel: dict[str, Any], rows: list[Row]) -> Iterator[Finding]:
    tag = rel["jwst_version"]
    mine = rel.get("also_labelled", [])
    theirs = {r.raw("dms_label") for r in rows}
    for row in rows:
        if any(a["dms_label"] == row.raw("dms_label") for a in mine):
            continue
        usable = infer.label_version(row.raw("dms_label")) is not None
        yield Finding(
            "label-row", True, build.file, ("releases", i, "also_labelled"), tag, "also_labelled",
            None, row.raw("dms_label"),
            f"upstream also lists jwst {tag} as {shown(row.raw('dms_label'))} with the note {shown(row.raw('note'))}",
            "--write adds it to also_labelled" if usable else "not written: the label names no build",
            "also-labelled" if usable else None,
        )  # fmt: skip
    for j, entry in enumerate(mine):
        if entry["dms_label"] not in theirs:
            yield Finding(
                "extra", True, build.file, ("releases", i, "also_labelled", j, "dms_label"), tag,
                "also_labelled", entry["dms_label"], None,
                f"upstream no longer lists jwst {tag} as {shown(entry['dms_label'])}",
                "sync never deletes: check upstream, then fix the record by hand",
            )  # fmt: skip


def _readme_values(
    owner: dict[str, Any], name: str, rows: dict[str, list[Row]], release: bool
) -> set[str | None] | None:
    """What the README says for a field of a release or a build (None when it says nothing)."""
    if release:
        found = rows.get(owner["jwst_version"])
        if not found:
            return None
        row = _main_row(owner, found)
        if name in FIELDS:
            return {row.value(name)}
        if name == "dms_version":
            return {infer.label_version(row.raw("dms_label"))}
        return None
    if name not in BUILD_FIELDS:
        return None
    cells = [
        r.value(BUILD_FIELDS[name])
        for rel in owner["releases"]
        for r in rows.get(rel["jwst_version"], [])
    ]
    if not cells:
        return None
    values = {c for c in cells if c is not None}
    return values or {None}


def _recorded(ds: Dataset, rows: dict[str, list[Row]]) -> Iterator[Finding]:
    """Every recorded disagreement with the README, and whether the README still says so."""
    for build in sorted(ds.builds.values(), key=lambda b: version_key(b.id)):
        owners = [((), build.data, False, "")]
        owners += [
            (("releases", i), rel, True, rel["jwst_version"])
            for i, rel in enumerate(build.data["releases"])
        ]
        for at, owner, release, tag in owners:
            for j, c in enumerate(owner.get("conflicts", [])):
                sides = [
                    c[k] for k, s in (("chosen", "chosen_source"), ("alternative", "alternative_source"))
                    if c[s] == README_SOURCE
                ]  # fmt: skip
                if not sides:
                    continue
                says = _readme_values(owner, c["field"], rows, release)
                holds = says is None or any(v in says for v in sides)
                what = f"jwst {tag}" if tag else f"build {build.id}"
                if holds:
                    message = (
                        f"ours {shown(c['chosen'])} ({c['chosen_source']}), "
                        f"other {shown(c['alternative'])} ({c['alternative_source']}), {what}: {c['reason']}"
                    )
                    kind, hint = "recorded", ""
                else:
                    now = ", ".join(sorted(shown(v) for v in says or ()))
                    message = f"the recorded disagreement quotes the README as {shown(sides[0])}; the README now says {now} ({what})"
                    kind, hint = "stale-conflict", "review the conflict: the README changed"
                yield Finding(kind, False, build.file, (*at, c["field"]), tag, c["field"],
                              c["chosen"], sides[0], message, hint)  # fmt: skip


def _changelog(
    where_tag: dict[str, tuple[Record, int, dict[str, Any]]],
    rows: dict[str, list[Row]],
    dates: dict[str, str],
) -> Iterator[Finding]:
    """Change-log dates: information, unless a record cites the change log for its date."""
    for tag, date in sorted(dates.items(), key=lambda kv: version_key(kv[0])):
        found = where_tag.get(tag)
        file, at = (found[0].file, ("releases", found[1], "released")) if found else ("builds/", ())
        rel = found[2] if found else None
        if rel is not None and CHANGELOG_SOURCE in rel["sources"]:
            if rel["released"] != date and not _explained(rel, "released", date):
                yield Finding(
                    "differs", True, file, at, tag, "released", rel["released"], date,
                    f"ours {shown(rel['released'])}, the change log {shown(date)} (jwst {tag}; the release cites the change log)",
                    "--write records a conflict", "conflict", CHANGELOG_SOURCE,
                )  # fmt: skip
            continue
        readme = rows.get(tag)
        if readme is None:
            if rel is None:
                yield Finding("changelog-only", False, file, at, tag, "released", None, date,
                              f"jwst {tag} ({date}) is in the change log but not in the README table")  # fmt: skip
            continue
        said = _main_row(rel, readme).value("released") if rel else readme[0].value("released")
        if said != date:
            yield Finding("changelog-date", False, file, at, tag, "released", said, date,
                          f"the change log dates jwst {tag} {date}, the README's Released {shown(said)}")  # fmt: skip
