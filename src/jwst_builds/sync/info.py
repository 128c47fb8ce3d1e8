"""Information beside the drift: disagreements the records already explain, and change-log dates.

Neither is drift: a recorded disagreement is a choice someone made and documented, and
the README's Released is sometimes the first candidate's date where the change log has
the tag's own. The one exception is a release that cites the change log for its date.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from ..dataset import Dataset, Record, version_key
from ..problems import PathPart
from . import infer
from .findings import (
    BUILD_FIELDS,
    CHANGELOG_SOURCE,
    FIELDS,
    README_SOURCE,
    Finding,
    explained,
    main_row,
    shown,
)
from .upstream import Row


def _readme_values(
    owner: dict[str, Any], name: str, rows: dict[str, list[Row]], release: bool
) -> set[str | None] | None:
    """What the README says for a field of a release or a build (None when it says nothing)."""
    if release:
        found = rows.get(owner["jwst_version"])
        if not found:
            return None
        row = main_row(owner, found)
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
    values: set[str | None] = {c for c in cells if c is not None}
    return values or {None}


def recorded(ds: Dataset, rows: dict[str, list[Row]]) -> Iterator[Finding]:
    """Every recorded disagreement with the README, and whether the README still says so."""
    for build in sorted(ds.builds.values(), key=lambda b: version_key(b.id)):
        owners: list[tuple[tuple[PathPart, ...], dict[str, Any], bool, str]]
        owners = [((), build.data, False, "")]
        owners += [
            (("releases", i), rel, True, rel["jwst_version"])
            for i, rel in enumerate(build.data["releases"])
        ]
        for at, owner, release, tag in owners:
            for c in owner.get("conflicts", []):
                sides = [
                    c[k]
                    for k, s in (("chosen", "chosen_source"), ("alternative", "alternative_source"))
                    if c[s] == README_SOURCE
                ]
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
                yield Finding(
                    kind,
                    False,
                    build.file,
                    (*at, c["field"]),
                    tag,
                    c["field"],
                    c["chosen"],
                    sides[0],
                    message,
                    hint,
                )


def changelog_findings(
    where_tag: dict[str, tuple[Record, int, dict[str, Any]]],
    rows: dict[str, list[Row]],
    dates: dict[str, str],
    new_builds: dict[str, str | None],
) -> Iterator[Finding]:
    """Change-log dates: information, unless a record cites the change log for its date.

    A tag our data lacks is shown in the build file it would go to.
    """
    for tag, date in sorted(dates.items(), key=lambda kv: version_key(kv[0])):
        found = where_tag.get(tag)
        goes = new_builds.get(tag)
        file = f"builds/{goes}.yaml" if goes else "builds/"
        at: tuple[PathPart, ...] = ()
        if found:
            file, at = found[0].file, ("releases", found[1], "released")
        rel = found[2] if found else None
        if rel is not None and CHANGELOG_SOURCE in rel["sources"]:
            if rel["released"] != date and not explained(rel, "released", date, CHANGELOG_SOURCE):
                yield Finding(
                    "differs",
                    True,
                    file,
                    at,
                    tag,
                    "released",
                    rel["released"],
                    date,
                    f"ours {shown(rel['released'])}, the change log {shown(date)} (jwst {tag}; the release cites the change log)",
                    "--write records a conflict",
                    "conflict",
                    CHANGELOG_SOURCE,
                )
            continue
        readme = rows.get(tag)
        if readme is None:
            if rel is None:
                yield Finding(
                    "changelog-only",
                    False,
                    file,
                    at,
                    tag,
                    "released",
                    None,
                    date,
                    f"jwst {tag} ({date}) is in the change log but not in the README table",
                )
            continue
        said = main_row(rel, readme).value("released") if rel else readme[0].value("released")
        if said != date:
            yield Finding(
                "changelog-date",
                False,
                file,
                at,
                tag,
                "released",
                said,
                date,
                f"the change log dates jwst {tag} {date}, the README's Released {shown(said)}",
            )
