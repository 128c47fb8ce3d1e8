"""Compare builds/ with upstream: every difference as one located finding.

A finding is *drift* when our data should change (a tag missing, a value that
differs, a value we lack) and *information* otherwise (a disagreement the records
already explain, a change-log date that differs from the README's). Each finding
names what ``--write`` would do with it (``action``), or None when it needs a person.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

from ..dataset import Dataset, Record, version_key
from . import infer
from .findings import (
    FIELDS,
    HISTORY_SOURCE,
    README_SOURCE,
    Comparison,
    Finding,
    explained,
    main_row,
    shown,
    valid,
)
from .info import changelog_findings, recorded
from .upstream import Row, Table


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
                Finding(
                    "skipped-row",
                    False,
                    table.source,
                    (),
                    row.jwst_version,
                    "",
                    None,
                    None,
                    f"README line {row.line}: {shown(row.jwst_version)} is not a jwst version our data can hold (X.Y.Z); row skipped",
                )
            )
    missing = {tag: rows for tag, rows in out.rows.items() if tag not in where_tag}
    out.new_builds = infer.builds_of_new_tags(
        {t: b.id for t, (b, _, _) in where_tag.items()}, [r[0] for r in missing.values()]
    )
    for tag, rows in missing.items():
        out.findings.append(_missing(ds, tag, rows[0], out.new_builds[tag]))
    for tag, (build, i, rel) in sorted(where_tag.items(), key=lambda kv: version_key(kv[0])):
        found = out.rows.get(tag)
        if found is None:
            out.findings.append(_extra(build, i, rel))
            continue
        rows = found
        main = main_row(rel, rows)
        out.findings.extend(_fields(ds.root, build, i, rel, main))
        out.findings.extend(_labels(build, i, rel, [r for r in rows if r is not main]))
        if build.data["pre_launch"] != main.pre_launch and README_SOURCE in rel["sources"]:
            out.findings.append(
                Finding(
                    "differs",
                    True,
                    build.file,
                    ("pre_launch",),
                    tag,
                    "pre_launch",
                    shown(build.data["pre_launch"]),
                    shown(main.pre_launch),
                    f"jwst {tag} is {'below' if main.pre_launch else 'above'} the README's 'Pre-launch releases' row",
                    "not written by sync: check the build by hand",
                )
            )
    out.findings.extend(recorded(ds, out.rows))
    if changes is not None:
        out.findings.extend(changelog_findings(where_tag, out.rows, changes, out.new_builds))
    return out


def _missing(ds: Dataset, tag: str, row: Row, build: str | None) -> Finding:
    label = row.raw("dms_label") or "no DMS label"
    what = f"jwst {tag} is upstream ({label}, released {row.raw('released') or 'on no date'}) but not in our data"
    if build is None:
        return Finding(
            "missing",
            True,
            "builds/",
            (),
            tag,
            "",
            None,
            None,
            what,
            "no build to put it in: add it by hand with jwst-builds new release",
        )
    exists = build in ds.builds
    file = ds.builds[build].file if exists else f"builds/{build}.yaml"
    hint = (
        f"--write adds it to build {build}" if exists else f"--write creates build {build} for it"
    )
    return Finding(
        "missing",
        True,
        file,
        ("releases",) if exists else (),
        tag,
        "",
        None,
        None,
        what,
        hint,
        action="add-release",
    )


def _extra(build: Record, i: int, rel: dict[str, Any]) -> Finding:
    tag = rel["jwst_version"]
    cited = README_SOURCE in rel["sources"]
    return Finding(
        "extra" if cited else "not-upstream",
        cited,
        build.file,
        ("releases", i, "jwst_version"),
        tag,
        "jwst_version",
        tag,
        None,
        f"jwst {tag} is in our data but not in the README table"
        + ("" if cited else f" (the release cites {', '.join(rel['sources'])}, not the README)"),
        "sync never deletes: check upstream, then fix the record by hand" if cited else "",
    )


def _fields(root: Path, build: Record, i: int, rel: dict[str, Any], row: Row) -> Iterator[Finding]:
    tag = rel["jwst_version"]
    others = [s for s in rel["sources"] if s not in (README_SOURCE, HISTORY_SOURCE)]
    for name in FIELDS:
        up, mine = row.value(name), rel[name]
        if up == mine or explained(rel, name, up, README_SOURCE):
            continue
        where = ("releases", i, name)
        usable = up is None or valid(root, name, up)
        kind, hint, action = (
            "differs",
            "--write records a conflict; then keep ours or take upstream's",
            "conflict",
        )
        if mine is None:
            kind, hint, action = "empty", "--write fills it in", "fill"
        elif up is None:
            if others:
                continue  # the record fills it from another source it cites
            kind, hint = "emptied", "--write records a conflict"
        message = f"ours {shown(mine)}, upstream {shown(up)} (jwst {tag})"
        if not usable:
            message += f": upstream's value is not a valid {name}"
            hint = "not written: update it by hand"
        yield Finding(
            kind,
            True,
            build.file,
            where,
            tag,
            name,
            mine,
            up,
            message,
            hint,
            action if usable else None,
        )


def _labels(build: Record, i: int, rel: dict[str, Any], rows: list[Row]) -> Iterator[Finding]:
    tag = rel["jwst_version"]
    mine = rel.get("also_labelled", [])
    theirs = {r.raw("dms_label") for r in rows}
    for row in rows:
        if any(a["dms_label"] == row.raw("dms_label") for a in mine):
            continue
        usable = infer.label_version(row.raw("dms_label")) is not None
        yield Finding(
            "label-row",
            True,
            build.file,
            ("releases", i, "also_labelled"),
            tag,
            "also_labelled",
            None,
            row.raw("dms_label"),
            f"upstream also lists jwst {tag} as {shown(row.raw('dms_label'))} with the note {shown(row.raw('note'))}",
            "--write adds it to also_labelled"
            if usable
            else "not written: the label names no build",
            "also-labelled" if usable else None,
        )
    for j, entry in enumerate(mine):
        if entry["dms_label"] not in theirs:
            yield Finding(
                "extra",
                True,
                build.file,
                ("releases", i, "also_labelled", j, "dms_label"),
                tag,
                "also_labelled",
                entry["dms_label"],
                None,
                f"upstream no longer lists jwst {tag} as {shown(entry['dms_label'])}",
                "sync never deletes: check upstream, then fix the record by hand",
            )
