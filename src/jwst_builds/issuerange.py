"""Where a known issue applies: its software range, its reference-data range and its scope.

A position on the software axis is ``(build key, release key)``. A point given as a
build alone covers the whole build: ``(build, ())`` sorts before every release of it,
``(build, _END)`` after every one. Builds hold increasing jwst versions, so the order
is the order of the software.

The answer for one product is a :class:`Verdict`: whether the issue applies (``yes``),
may apply (``possibly``: a header value is missing, or the product is older than the
first build that documents an issue whose start is unknown), or not at all (``None``).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

from .dataset import Dataset, Record, version_key
from .lookup import context_number, instrument_of
from .model import KnownIssue, Point

Position = tuple[tuple[int, ...], tuple[int, ...]]

_END = (1 << 30,)


def release_builds(ds: Dataset) -> dict[str, str]:
    """jwst version -> id of the build that holds it."""
    return {rel["jwst_version"]: build.id for build, rel in ds.releases()}


def position(build_id: str, jwst_version: str | None = None) -> Position:
    return version_key(build_id), version_key(jwst_version) if jwst_version else ()


def point_position(point: Point, end: bool = False) -> Position:
    """The position of a point; a bare build is its start (or, with ``end``, its end)."""
    if point.release is not None:
        return version_key(point.build), version_key(point.release)
    return version_key(point.build), (_END if end else ())


@dataclass(frozen=True)
class Range:
    """The software range of one issue (None: open on that side)."""

    introduced: Position | None
    documented: Position
    last: Position | None
    fix: Position | None
    #: the last position a source shows affected, for old records nothing later confirms
    documented_until: Position | None = None

    def state(self, pos: Position) -> str:
        """affected; undocumented (may be affected: older than the documentation);
        unassessed (may be affected: newer than the last documentation); or before, after,
        fixed (not affected)."""
        if self.fix is not None and pos >= self.fix:
            return "fixed"
        if self.last is not None and pos > self.last:
            return "after"
        if self.introduced is not None and pos < self.introduced:
            return "before"
        if self.introduced is None and pos < self.documented:
            return "undocumented"
        if self.documented_until is not None and pos > self.documented_until:
            return "unassessed"
        return "affected"


_RANGES: dict[int, tuple[KnownIssue, Range]] = {}


def issue_range(issue: KnownIssue) -> Range:
    # asked for every issue of every product: worked out once per record
    hit = _RANGES.get(id(issue))
    if hit is not None and hit[0] is issue:
        return hit[1]
    rng = _issue_range(issue)
    _RANGES[id(issue)] = (issue, rng)
    return rng


def _issue_range(issue: KnownIssue) -> Range:
    return Range(
        introduced=point_position(issue.introduced) if issue.introduced else None,
        documented=point_position(issue.documented_from),
        last=point_position(issue.last_affected, end=True) if issue.last_affected else None,
        fix=point_position(issue.fixed.point) if issue.fixed else None,
        documented_until=point_position(issue.documented_until, end=True)
        if issue.documented_until
        else None,
    )


def known_issues(ds: Dataset) -> list[KnownIssue]:
    """Every issue record that loaded, typed, by id."""
    return [_typed(rec) for _, rec in sorted(ds.issues.items())]


_CACHE: dict[int, tuple[Record, KnownIssue]] = {}


def _typed(rec: Record) -> KnownIssue:
    # Records are built once per load; the queries ask for them many times.
    hit = _CACHE.get(id(rec))
    if hit is not None and hit[0] is rec:
        return hit[1]
    issue = KnownIssue.from_record(rec)
    _CACHE[id(rec)] = (rec, issue)
    return issue


def affects_build(issue: KnownIssue, build: Record | None, build_id: str) -> bool:
    """True when the issue (as documented) affects the software of a release of the build."""
    if not issue.active:
        return False
    rng = issue_range(issue)
    if build is None:
        return rng.state(position(build_id)) == "affected"
    return any(
        rng.state(position(build_id, r["jwst_version"])) == "affected"
        for r in build.data["releases"]
    )


def fixed_in_build(issue: KnownIssue, build_id: str) -> bool:
    """True when the build is the first whose software or release carries the fix."""
    return issue.active and issue.fixed is not None and issue.fixed.build == build_id


# --- scope --------------------------------------------------------------------------


@cache
def mode_groups(schema_folder: Path) -> dict[str, tuple[str, ...]]:
    """The EXP_TYPEs of each named mode group, as the issue schema defines them."""
    import json

    try:
        schema = json.loads((schema_folder / "issue.schema.json").read_text(encoding="utf-8"))
        members = schema["$defs"]["mode_group_members"]["const"]
        return {str(k): tuple(v) for k, v in members.items()}
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return {}


def scope_modes(issue: KnownIssue, groups: dict[str, tuple[str, ...]]) -> tuple[str, ...]:
    """The EXP_TYPEs an issue is limited to (empty: every mode of its instruments)."""
    wanted = set(issue.scope.exp_types)
    for name in issue.scope.mode_groups:
        for exp_type in groups.get(name, ()):
            owner = instrument_of(exp_type)
            if not issue.scope.instruments or owner in issue.scope.instruments:
                wanted.add(exp_type)
    return tuple(sorted(wanted))


@dataclass(frozen=True)
class Product:
    """The header values of one product that decide whether an issue applies."""

    position: Position
    crds_ctx: str | None = None
    instrument: str | None = None
    exp_type: str | None = None
    subarray: str | None = None
    readpatt: str | None = None
    detector: str | None = None


@dataclass(frozen=True)
class Verdict:
    """How an issue applies to a product: ``yes`` or ``possibly``, and why."""

    applies: str
    #: header values the issue depends on that the question did not give
    unchecked: tuple[str, ...]
    #: the product is older than the first build that documents the issue
    undocumented: bool
    #: the product is newer than the last build that documents an unconfirmed old issue
    unassessed: bool
    release_has_fix: bool | None
    context_has_fix: bool | None


def _scope_unchecked(
    issue: KnownIssue, p: Product, groups: dict[str, tuple[str, ...]]
) -> list[str] | None:
    """Header values left unchecked, or None when the product is out of scope."""
    sc = issue.scope
    unchecked: list[str] = []
    modes = scope_modes(issue, groups)
    limits: list[tuple[str, str | None, tuple[str, ...]]] = [
        ("instrument", p.instrument, sc.instruments),
        ("exp_type", p.exp_type, modes),
        ("readpatt", p.readpatt, sc.readpatt),
        ("detector", p.detector, sc.detectors),
    ]
    for axis, value, allowed in limits:
        if not allowed:
            continue
        if value is None:
            unchecked.append(axis)
        elif value not in allowed:
            return None
    if sc.subarray != "any":
        if p.subarray is None:
            unchecked.append("subarray")
        elif (p.subarray == "FULL") != (sc.subarray == "full"):
            return None
    return unchecked


def verdict(issue: KnownIssue, p: Product, groups: dict[str, tuple[str, ...]]) -> Verdict | None:
    """Whether an issue applies to a product; None when it cannot."""
    if not issue.active:
        return None
    state = issue_range(issue).state(p.position)
    if state in ("before", "after"):
        return None
    unchecked = _scope_unchecked(issue, p, groups)
    if unchecked is None:
        return None
    ctx = context_number(p.crds_ctx) if p.crds_ctx else None
    if issue.context_introduced is not None:
        if ctx is None:
            unchecked.append("crds_ctx")
        elif ctx < context_number(issue.context_introduced):
            return None
    release_fix = None if issue.fixed is None else state == "fixed"
    context_fix = None
    if issue.context_fixed is not None and ctx is not None:
        context_fix = ctx >= context_number(issue.context_fixed)
    # A fix needs every part the record names: new software, new reference files, or both.
    if release_fix is False or context_fix is False:
        pass
    elif issue.context_fixed is None:
        if release_fix:
            return None
    elif context_fix is None:
        if "crds_ctx" not in unchecked:
            unchecked.append("crds_ctx")
    elif context_fix and release_fix in (None, True):
        return None
    undocumented = state == "undocumented"
    unassessed = state == "unassessed"
    return Verdict(
        applies="possibly" if unchecked or undocumented or unassessed else "yes",
        unchecked=tuple(unchecked),
        undocumented=undocumented,
        unassessed=unassessed,
        release_has_fix=release_fix,
        context_has_fix=context_fix,
    )


def mitigation_state(issue_point: Point | None, default: Point | None, pos: Position) -> str:
    """not-available, optional or default at ``pos`` for a mitigation's two points."""
    if issue_point is not None and pos < point_position(issue_point):
        return "not-available"
    if default is not None and pos >= point_position(default):
        return "default"
    return "optional"
