"""Semantic checks of known-issue records and of inflight-contexts.yaml."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterator
from typing import Any

from ..dataset import Dataset, Record, version_key
from ..issuerange import issue_range, release_builds
from ..lookup import instrument_of, nearest
from ..problems import PathPart, Problem, problem
from ..yamlio import iter_files

_BUILD_ID = re.compile(r"^[0-9]+\.[0-9]+$")
_BOUNDS = (  # (where of the build, where of the release) of each end of the range
    (("affected", "first_build"), ("affected", "first_release")),
    (("affected", "last_build"), ("affected", "last_release")),
    (("fixed", "build"), ("fixed", "release")),
)


def check(ds: Dataset) -> Iterator[Problem]:
    yield from _ids(ds)
    homes = release_builds(ds)
    for _, rec in sorted(ds.issues.items()):
        refs = list(_references(ds, rec, homes))
        yield from refs
        if not refs:
            yield from _order(rec, homes)
        yield from _status(rec)
        yield from _modes(rec)
        yield from _dates(rec)
        yield from _links(ds, rec)
        yield from _plan(ds, rec)
    if ds.inflight is not None:
        yield from _inflight(ds, ds.inflight)


def _get(data: dict[str, Any], where: tuple[str, ...]) -> Any:
    node: Any = data
    for part in where:
        node = node.get(part) if isinstance(node, dict) else None
    return node


def _ids(ds: Dataset) -> Iterator[Problem]:
    by_id: dict[str, list[Record]] = defaultdict(list)
    for _, rec in sorted(ds.issues.items()):
        by_id[rec.id].append(rec)
    for ident, recs in by_id.items():
        for rec in recs[1:]:
            yield problem(
                rec.file,
                ("id",),
                f"id '{ident}' is already used by {recs[0].file}",
                "ids are unique and never reused; choose a new one",
            )
    stems: dict[str, str] = {}
    for path in iter_files(ds.root / "issues"):
        shown = path.relative_to(ds.root).as_posix()
        if path.stem in stems:
            yield problem(
                shown,
                ("id",),
                f"{stems[path.stem]} has the same name",
                "keep one file per id, named <id>.yaml",
            )
        else:
            stems[path.stem] = shown


def _references(ds: Dataset, rec: Record, homes: dict[str, str]) -> Iterator[Problem]:
    """Every build and release the record names exists, and each release is in its build."""
    data = rec.data
    for build_at, release_at in _BOUNDS:
        build, release = _get(data, build_at), _get(data, release_at)
        if build is not None and build not in ds.builds and build not in ds.broken:
            near = ", ".join(nearest(ds.builds, build))
            yield problem(
                rec.file,
                build_at,
                f"build {build} does not exist",
                f"known builds nearby: {near}" if near else "add the build first",
            )
        if release is None:
            continue
        home = homes.get(release)
        if home is None:
            if any(_BUILD_ID.match(stem) for stem in ds.broken):
                continue  # the release may be in a build that failed to load
            near = ", ".join(nearest(homes, release))
            yield problem(
                rec.file,
                release_at,
                f"jwst {release} is not a release of any build",
                f"nearest known releases: {near}" if near else "add the release first",
            )
        elif build is None:
            yield problem(
                rec.file,
                build_at,
                f"jwst {release} is given without its build",
                f'set it to "{home}"',
            )
        elif home != build:
            yield problem(
                rec.file,
                release_at,
                f"jwst {release} is a release of build {home}, not {build}",
                f'set {build_at[-1]} to "{home}" or name a release of build {build}',
            )


def _describe(data: dict[str, Any], build_at: tuple[str, ...], release_at: tuple[str, ...]) -> str:
    release = _get(data, release_at)
    return f"jwst {release}" if release else f"build {_get(data, build_at)}"


def _order(rec: Record, homes: dict[str, str]) -> Iterator[Problem]:
    data = rec.data
    rng = issue_range(rec, homes)
    (first_b, first_r), (last_b, last_r), (fix_b, fix_r) = _BOUNDS
    first = _describe(data, first_b, first_r)
    if rng.fix is not None and rng.last is not None:
        yield problem(
            rec.file,
            last_r if _get(data, last_r) else last_b,
            "a fixed issue has no last affected build or release",
            "the fix ends the range; set last_build and last_release to null",
        )
    if rng.fix is not None and rng.fix <= rng.first:
        at = fix_r if _get(data, fix_r) else fix_b
        yield problem(
            rec.file,
            at,
            f"the fix ({_describe(data, fix_b, fix_r)}) does not come after "
            f"the first affected {first}",
            "name a later build, or the affected and fixing releases within one build",
        )
    if rng.last is not None and rng.last < rng.first:
        at = last_r if _get(data, last_r) else last_b
        yield problem(
            rec.file,
            at,
            f"the last affected {_describe(data, last_b, last_r)} comes before "
            f"the first affected {first}",
            "swap them or fix the versions",
        )


def _status(rec: Record) -> Iterator[Problem]:
    data = rec.data
    status = data["status"]
    fixes = [f"{k} {v}" for k, v in data["fixed"].items() if v is not None]
    if status == "withdrawn" and data["withdrawn"] is None:
        yield problem(
            rec.file,
            ("withdrawn",),
            "a withdrawn record needs the date and reason",
            "fill in withdrawn: date, reason and replaced_by",
        )
    if status != "withdrawn" and data["withdrawn"] is not None:
        yield problem(
            rec.file,
            ("status",),
            f"status is {status}, but the record has a withdrawn entry",
            "set status to withdrawn, or withdrawn to null",
        )
    if status == "fixed" and not fixes:
        yield problem(
            rec.file,
            ("fixed",),
            "status is fixed, but no build, release or context fixes it",
            "fill in fixed, or change the status",
        )
    if status in ("open", "mitigated") and fixes:
        yield problem(
            rec.file,
            ("status",),
            f"status is {status}, but fixed names {', '.join(fixes)}",
            "set status to fixed, or clear fixed",
        )


def _modes(rec: Record) -> Iterator[Problem]:
    instruments = rec.data["instruments"]
    for i, exp_type in enumerate(rec.data["exp_types"]):
        owner = instrument_of(exp_type)
        if instruments and owner not in instruments:
            yield problem(
                rec.file,
                ("exp_types", i),
                f"{exp_type} is a {owner} mode, but instruments lists {', '.join(instruments)}",
                f"add {owner} to instruments or remove {exp_type}",
            )
    if not instruments and rec.data["exp_types"]:
        owners = sorted({str(instrument_of(e)) for e in rec.data["exp_types"]})
        yield problem(
            rec.file,
            ("instruments",),
            "instruments is empty, but exp_types names modes",
            f"list {', '.join(owners)}",
        )


def _dates(rec: Record) -> Iterator[Problem]:
    data = rec.data
    found, reviewed = data["discovered"], data["last_reviewed"]
    if reviewed < found:
        yield problem(
            rec.file,
            ("last_reviewed",),
            f"{reviewed} is before the discovery ({found})",
            "a record is reviewed after the issue is known",
        )
    withdrawn = data["withdrawn"]
    if withdrawn is not None and withdrawn["date"] < found:
        yield problem(
            rec.file,
            ("withdrawn", "date"),
            f"{withdrawn['date']} is before the discovery ({found})",
            "check both dates",
        )


def _links(ds: Dataset, rec: Record) -> Iterator[Problem]:
    links: list[tuple[tuple[PathPart, ...], str]] = [
        (("related", i), other) for i, other in enumerate(rec.data.get("related", []))
    ]
    withdrawn = rec.data["withdrawn"]
    if withdrawn is not None and withdrawn["replaced_by"] is not None:
        links.append((("withdrawn", "replaced_by"), withdrawn["replaced_by"]))
    for at, other in links:
        if other == rec.id:
            yield problem(rec.file, at, "a record cannot point to itself", "name another issue")
        elif other not in ds.issues and other not in ds.broken:
            yield problem(
                rec.file,
                at,
                f"no known issue has the id '{other}'",
                "check the spelling; ids are file names in issues/",
            )
        elif at[0] == "withdrawn" and ds.issues[other].data["status"] == "withdrawn":
            yield problem(
                rec.file,
                at,
                f"'{other}' is withdrawn too",
                "point to the record that replaces both",
            )


def _plan(ds: Dataset, rec: Record) -> Iterator[Problem]:
    plan = rec.data["mitigation_plan"]
    planned = plan["planned_build"] if plan else None
    if planned is None:
        return
    at = ("mitigation_plan", "planned_build")
    if version_key(planned) < version_key(rec.data["affected"]["first_build"]):
        yield problem(
            rec.file,
            at,
            f"build {planned} comes before the first affected build",
            "a remedy is planned for a later build",
        )
    build = ds.builds.get(planned)
    if (
        rec.data["status"] == "open"
        and build is not None
        and build.data["status"] in ("operations", "archived")
    ):
        yield problem(
            rec.file,
            at,
            f"the remedy was planned for build {planned}, which is now {build.data['status']}",
            "if that build fixed it, fill in fixed; if not, move the plan or mark it mitigated",
        )


def _overlap(a: dict[str, Any], b: dict[str, Any]) -> bool:
    if (
        a["readpatt"] is not None
        and b["readpatt"] is not None
        and not set(a["readpatt"]) & set(b["readpatt"])
    ):
        return False
    return a["subarray"] is None or b["subarray"] is None or a["subarray"] == b["subarray"]


def _inflight(ds: Dataset, rec: Record) -> Iterator[Problem]:
    f = rec.file
    for i, sid in enumerate(rec.data["sources"]):
        if ds.sources and sid not in ds.sources:
            yield problem(
                f,
                ("sources", i),
                f"unknown source '{sid}'",
                "add it to sources.yaml or cite an existing id",
            )
    seen: dict[tuple[str, str], int] = {}
    by_exp: dict[str, list[int]] = defaultdict(list)
    rows = rec.data["modes"]
    for i, row in enumerate(rows):
        at: tuple[PathPart, ...] = ("modes", i)
        key = (row["instrument"], row["mode"])
        if key in seen:
            yield problem(
                f,
                (*at, "mode"),
                f"{row['instrument']} {row['mode']} is already row {seen[key]}",
                "one row per instrument and mode",
            )
        seen.setdefault(key, i)
        for j, exp_type in enumerate(row["exp_types"]):
            owner = instrument_of(exp_type)
            if owner != row["instrument"]:
                yield problem(
                    f,
                    (*at, "exp_types", j),
                    f"{exp_type} is a {owner} mode, not {row['instrument']}",
                    "move it to a row of its instrument",
                )
            for k in by_exp[exp_type]:
                if _overlap(rows[k], row):
                    yield problem(
                        f,
                        (*at, "exp_types", j),
                        f"{exp_type} already matches row {k} ({rows[k]['mode']}) "
                        "for the same readouts",
                        "set readpatt or subarray so that each exposure matches one row",
                    )
            by_exp[exp_type].append(i)
        known, minimum = row["status"] == "known", row["minimum_context"]
        if known and minimum is None:
            yield problem(
                f,
                (*at, "minimum_context"),
                "status is known, but no minimum context is given",
                "add the context or change the status",
            )
        if not known and minimum is not None:
            yield problem(
                f,
                (*at, "minimum_context"),
                f"status is {row['status']}, but a minimum context is given",
                "set status to known or the context to null",
            )
        for j, other in enumerate(row.get("related", [])):
            if other not in ds.issues and other not in ds.broken:
                yield problem(
                    f,
                    (*at, "related", j),
                    f"no known issue has the id '{other}'",
                    "check the spelling; ids are file names in issues/",
                )
