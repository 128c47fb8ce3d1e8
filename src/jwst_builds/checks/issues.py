"""Semantic checks of known-issue records and of inflight-contexts.yaml."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from pathlib import PurePosixPath
from typing import Any

from ..dataset import Dataset, Record, version_key
from ..issuerange import known_issues, mode_groups, point_position
from ..lookup import instrument_of
from ..model import KnownIssue, Point
from ..problems import PathPart, Problem, problem
from .references import Known, references


def check(ds: Dataset) -> Iterator[Problem]:
    yield from _ids(ds)
    known = Known(ds)
    groups = mode_groups(ds.root / "schema")
    for issue in known_issues(ds):
        refs = list(references(known, issue))
        yield from refs
        if not refs:
            yield from _order(issue)
        yield from _status(issue)
        yield from _modes(issue, groups)
        yield from _dates(issue)
        yield from _links(ds, issue)
        yield from _plan(ds, issue)
        yield from _evidence(ds, issue)
        yield from _changelog(issue, known.homes)


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
                code="I001",
            )


def _order(issue: KnownIssue) -> Iterator[Problem]:
    f = issue.file
    doc = point_position(issue.documented_from)
    if issue.introduced is not None and point_position(issue.introduced) > doc:
        yield problem(
            f,
            ("software", "introduced"),
            f"{issue.introduced} comes after documented_from ({issue.documented_from})",
            "the first documented release cannot precede the first affected one",
            code="I005",
        )
    if issue.fixed is not None:
        if issue.last_affected is not None:
            yield problem(
                f,
                ("software", "last_affected"),
                "a fixed issue has no last affected build or release",
                "the fix ends the range; set last_affected to null",
                code="I006",
            )
        if point_position(issue.fixed.point) <= doc:
            yield problem(
                f,
                ("software", "fixed"),
                f"the fix ({issue.fixed.point}) does not come after the first documented "
                f"{issue.documented_from}",
                "documented_from is an affected release: name one before the fix",
                code="I007",
            )
    if issue.last_affected is not None and point_position(issue.last_affected, end=True) < doc:
        yield problem(
            f,
            ("software", "last_affected"),
            f"the last affected {issue.last_affected} comes before documented_from "
            f"({issue.documented_from})",
            "swap them or fix the versions",
            code="I008",
        )
    until = issue.documented_until
    if until is not None:
        if issue.fixed is not None or issue.last_affected is not None:
            yield problem(
                f,
                ("software", "documented_until"),
                "documented_until is for ranges with no known end, but a fix or last_affected ends this one",
                "set documented_until to null",
                code="I031",
            )
        elif point_position(until, end=True) < doc:
            yield problem(
                f,
                ("software", "documented_until"),
                f"{until} comes before documented_from ({issue.documented_from})",
                "the last documented release cannot precede the first",
                code="I032",
            )
    for i, m in enumerate(issue.mitigations):
        if (
            m.available_from is not None
            and m.default_from is not None
            and _before(m.default_from, m.available_from)
        ):
            yield problem(
                f,
                ("mitigations", i, "default_from"),
                f"{m.default_from} comes before the mitigation is available ({m.available_from})",
                "a remedy is on by default only once it exists",
                code="I009",
            )


def _before(a: Point, b: Point) -> bool:
    """``a`` surely comes before ``b`` (a bare build covers all its releases, so it is never
    before a release of the same build)."""
    if a.build != b.build:
        return version_key(a.build) < version_key(b.build)
    if a.release is None or b.release is None:
        return False
    return version_key(a.release) < version_key(b.release)


def _status(issue: KnownIssue) -> Iterator[Problem]:
    status = issue.status
    fixes = [str(issue.fixed.point)] if issue.fixed else []
    if issue.context_fixed:
        fixes.append(issue.context_fixed)
    gone = issue.withdrawn_reason is not None
    if status == "withdrawn" and not gone:
        yield problem(
            issue.file,
            ("withdrawn",),
            "a withdrawn record needs the date and reason",
            "fill in withdrawn: date, reason and replaced_by",
            code="I010",
        )
    if status != "withdrawn" and gone:
        yield problem(
            issue.file,
            ("status",),
            f"status is {status}, but the record has a withdrawn entry",
            "set status to withdrawn, or withdrawn to null",
            code="I011",
        )
    if status == "fixed" and not fixes:
        yield problem(
            issue.file,
            ("status",),
            "status is fixed, but neither software.fixed nor reference_files.fixed is set",
            "record the fix, or change the status",
            code="I012",
        )
    if status in ("open", "mitigated") and fixes:
        yield problem(
            issue.file,
            ("status",),
            f"status is {status}, but the record names a fix ({', '.join(fixes)})",
            "set status to fixed, or clear the fix",
            code="I013",
        )
    if status == "mitigated" and not issue.mitigations and issue.last_affected is None:
        yield problem(
            issue.file,
            ("status",),
            "status is mitigated, but there are no mitigations and the range is open",
            "list the mitigation in mitigations, set last_affected, or set status to open",
            code="I014",
        )


def _modes(issue: KnownIssue, groups: dict[str, tuple[str, ...]]) -> Iterator[Problem]:
    sc = issue.scope
    instruments = sc.instruments
    for i, exp_type in enumerate(sc.exp_types):
        owner = instrument_of(exp_type)
        if instruments and owner not in instruments:
            yield problem(
                issue.file,
                ("scope", "exp_types", i),
                f"{exp_type} is a {owner} mode, but instruments lists {', '.join(instruments)}",
                f"add {owner} to instruments or remove {exp_type}",
                code="I015",
            )
    if not instruments and sc.exp_types:
        owners = sorted({str(instrument_of(e)) for e in sc.exp_types})
        yield problem(
            issue.file,
            ("scope", "instruments"),
            "instruments is empty, but exp_types names modes",
            f"list {', '.join(owners)}",
            code="I016",
        )
    for i, name in enumerate(sc.mode_groups):
        if name not in groups:
            yield problem(
                issue.file,
                ("scope", "mode_groups", i),
                f"mode group '{name}' has no members in schema/issue.schema.json",
                "add it to $defs/mode_group_members",
                code="I017",
            )
        elif instruments and not any(instrument_of(e) in instruments for e in groups[name]):
            yield problem(
                issue.file,
                ("scope", "mode_groups", i),
                f"no mode of group '{name}' belongs to {', '.join(instruments)}",
                "remove the group or list its instrument",
                code="I018",
            )


def _dates(issue: KnownIssue) -> Iterator[Problem]:
    found, reviewed = issue.discovered, issue.last_reviewed
    if found is not None and reviewed < found:
        yield problem(
            issue.file,
            ("last_reviewed",),
            f"{reviewed} is before the discovery ({found})",
            "a record is reviewed after the issue is known",
            code="I019",
        )


def _links(ds: Dataset, issue: KnownIssue) -> Iterator[Problem]:
    links: list[tuple[tuple[PathPart, ...], str]] = [
        (("related", i), other) for i, other in enumerate(issue.related)
    ]
    if issue.replaced_by is not None:
        links.append((("withdrawn", "replaced_by"), issue.replaced_by))
    for at, other in links:
        if other == issue.id:
            yield problem(
                issue.file, at, "a record cannot point to itself", "name another issue", code="I020"
            )
        elif other not in ds.issues and other not in ds.broken:
            yield problem(
                issue.file,
                at,
                f"no known issue has the id '{other}'",
                "check the spelling; ids are file names in issues/",
                code="I021",
            )
        elif at[0] == "withdrawn" and ds.issues[other].data["status"] == "withdrawn":
            yield problem(
                issue.file,
                at,
                f"'{other}' is withdrawn too",
                "point to the record that replaces both",
                code="I022",
            )


def _plan(ds: Dataset, issue: KnownIssue) -> Iterator[Problem]:
    planned = issue.planned_build
    if planned is None:
        return
    at = ("mitigation_plan", "planned_build")
    first = issue.introduced or issue.documented_from
    if version_key(planned) < version_key(first.build):
        yield problem(
            issue.file,
            at,
            f"build {planned} comes before the first affected build",
            "a remedy is planned for a later build",
            code="I023",
        )
    build = ds.builds.get(planned)
    if (
        issue.status == "open"
        and build is not None
        and build.data["status"] in ("operations", "archived")
    ):
        yield problem(
            issue.file,
            at,
            f"the remedy was planned for build {planned}, which is now {build.data['status']}",
            "if that build fixed it, record the fix; if not, move the plan or mark it mitigated",
            code="I024",
        )


def _evidence(ds: Dataset, issue: KnownIssue) -> Iterator[Problem]:
    """Every cited source backs something, and evidence cites only listed sources."""
    backed = {e.source for e in issue.evidence}
    for i, sid in enumerate(issue.sources):
        if sid not in backed:
            yield problem(
                issue.file,
                ("sources", i),
                f"source '{sid}' has no evidence item",
                "add an evidence item saying what it states and which fields it backs",
                code="I025",
            )
    data = ds.issues[_stem(issue)].data if _stem(issue) in ds.issues else {}
    for i, e in enumerate(issue.evidence):
        if e.source not in issue.sources:
            yield problem(
                issue.file,
                ("evidence", i, "source"),
                f"'{e.source}' is not in sources",
                "list it in sources too",
                code="I026",
            )
        for j, path in enumerate(e.supports):
            if not _has_path(data, path):
                yield problem(
                    issue.file,
                    ("evidence", i, "supports", j),
                    f"'{path}' is not a field of this record",
                    "name a field such as scope, software.fixed or mitigations",
                    code="I027",
                )


def _stem(issue: KnownIssue) -> str:
    # records are keyed by file stem; .yml files exist too (and are reported elsewhere)
    return PurePosixPath(issue.file).stem


def _has_path(data: dict[str, Any], path: str) -> bool:
    """Whether a dotted field name (``software.fixed``) names a field of the record; the
    schema allows names only, no list positions."""
    node: Any = data
    for part in path.split("."):
        if not isinstance(node, dict) or part not in node:
            return False
        node = node[part]
    return True


def _changelog(issue: KnownIssue, homes: dict[str, str]) -> Iterator[Problem]:
    """A software fix cites the change-log entries that carry it, and its release is theirs."""
    fix = issue.fixed
    if fix is None:
        return
    at: tuple[PathPart, ...] = ("software", "fixed")
    if not fix.changelog and fix.changelog_note is None:
        yield problem(
            issue.file,
            (*at, "changelog"),
            "a software fix cites no change-log entry",
            "cite the CHANGES.rst entry (version, pr, category), or say in changelog_note why there is none",
            code="I028",
        )
    if not fix.changelog:
        return
    for i, entry in enumerate(fix.changelog):
        if entry.version not in homes:
            yield problem(
                issue.file,
                (*at, "changelog", i, "version"),
                f"jwst {entry.version} is not a release of any build",
                "use the version heading of the change-log section",
                code="I029",
            )
    latest = max((e.version for e in fix.changelog), key=version_key)
    if fix.release != latest:
        given = f"jwst {fix.release}" if fix.release else f"build {fix.build} without a release"
        yield problem(
            issue.file,
            (*at, "release"),
            f"the fix is given as {given}, but its latest change-log entry is in {latest}",
            f'set release to "{latest}" (record another source\'s value under conflicts)',
            code="I030",
        )
