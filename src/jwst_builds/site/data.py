"""What the site shows beyond the export snapshot: operations history, build lifetimes,
the issues that apply to each release, and the date the data speak for.

Every answer is computed with the queries `jwst-builds operations` and `affects` use
(:func:`operations.operations_on`, :func:`issuerange.verdict`), so the site never
holds an answer the command line would not give.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from ..dataset import Dataset, Record, version_key
from ..errors import QueryError
from ..export.snapshot import Snapshot
from ..issuerange import Product, Verdict, position, verdict
from ..model import KnownIssue
from ..operations import installs, operations_now, operations_on


@dataclass(frozen=True)
class Period:
    """One stretch of time during which one release of one build was in operations."""

    build: str
    release: str
    crds_context: str | None
    start: str
    #: the day the next release took over; None while still in operations
    end: str | None


@dataclass(frozen=True)
class Lifetime:
    """One build on the timeline: from its first candidate to operations to its end."""

    build: str
    status: str
    candidate: str | None
    operations: str | None
    #: the day the build stopped being current: replaced in operations, or (never
    #: installed) the next build's first candidate; None while still current
    end: str | None


@dataclass(frozen=True)
class Applicable:
    """One known issue that applies to a release, with nothing known but the release."""

    issue: KnownIssue
    verdict: Verdict


@dataclass(frozen=True)
class SiteData:
    """Everything the API, the pages and the feeds are made from."""

    snap: Snapshot
    ds: Dataset
    history: tuple[Period, ...]
    lifetimes: tuple[Lifetime, ...]
    #: jwst version -> the known issues that apply to it (as `affects --all` lists them)
    applicable: dict[str, tuple[Applicable, ...]]
    #: the last day the data speak for: the data commit's day or the newest date in them
    as_of: str
    operations: dict[str, Any] | None
    #: EXP_TYPE values the issue schema knows (the check page refuses others, as affects does)
    exp_types: tuple[str, ...]

    @property
    def ops_build(self) -> str | None:
        return self.operations["build"] if self.operations else None

    def build(self, build_id: str) -> Record:
        return self.ds.builds[build_id]


def operations_history(ds: Dataset) -> tuple[Period, ...]:
    """Which release was in operations from when to when, oldest first.

    The answer can only change on a day something was installed, so the history is
    :func:`operations_on` asked on each such day, with repeats merged.
    """
    days = {day for day, _ in installs(ds)}
    days |= {rel["ops_install"] for _, rel in ds.releases() if rel["ops_install"]}
    periods: list[Period] = []
    for day in sorted(days):
        try:
            now = operations_on(ds, day)
        except QueryError:
            continue  # before the first installation
        if periods and (periods[-1].build, periods[-1].release) == (now["build"], now["release"]):
            continue
        if periods:
            periods[-1] = replace(periods[-1], end=day)
        periods.append(Period(now["build"], now["release"], now["crds_context"], day, None))
    return tuple(periods)


def lifetimes(builds: list[Record]) -> tuple[Lifetime, ...]:
    """The timeline's bars, oldest build first (``builds`` in version order)."""
    out = []
    for i, build in enumerate(builds):
        data = build.data
        end = None
        if data["operations_installed"]:
            later = [
                b.data["operations_installed"]
                for b in builds
                if b.data["operations_installed"]
                and b.data["operations_installed"] > data["operations_installed"]
            ]
            end = min(later, default=None)
        elif data["status"] == "archived":
            nxt = [
                b.data["candidate_released"]
                for b in builds[i + 1 :]
                if b.data["candidate_released"]
            ]
            end = nxt[0] if nxt else None
        out.append(
            Lifetime(
                build.id,
                data["status"],
                data["candidate_released"],
                data["operations_installed"],
                end,
            )
        )
    return tuple(out)


def applicable(snap: Snapshot, build: Record, jwst_version: str) -> tuple[Applicable, ...]:
    """The issues that apply to data made with a release, when nothing else is known.

    The same verdicts and order as ``jwst-builds affects --cal-ver V --all``: data
    issues first, then 'yes' before 'possibly', then by id.
    """
    product = Product(position=position(build.id, jwst_version))
    found = []
    for issue in snap.issues:
        answer = verdict(issue, product, snap.groups)
        if answer is not None:
            found.append(Applicable(issue, answer))
    found.sort(key=lambda a: (not a.issue.data_issue, a.verdict.applies != "yes", a.issue.id))
    return tuple(found)


def _dates(builds: list[Record]) -> list[str]:
    out = []
    for build in builds:
        out += [build.data["candidate_released"], build.data["operations_installed"]]
        for rel in build.data["releases"]:
            out += [rel["released"], rel["ops_install"]]
    return [d for d in out if d]


def exp_type_values(schema_folder: Path) -> tuple[str, ...]:
    schema = json.loads((schema_folder / "issue.schema.json").read_text(encoding="utf-8"))
    return tuple(schema["$defs"]["exp_type"]["enum"])


def gather(ds: Dataset, snap: Snapshot) -> SiteData:
    """Compute everything once, for a dataset that passed validation."""
    days = _dates(snap.builds)
    if snap.commit.date:
        days.append(snap.commit.date[:10])
    return SiteData(
        snap=snap,
        ds=ds,
        history=operations_history(ds),
        lifetimes=lifetimes(snap.builds),
        applicable={
            rel["jwst_version"]: applicable(snap, build, rel["jwst_version"])
            for build, rel in snap.releases()
        },
        as_of=max(days, default="1970-01-01"),
        operations=operations_now(ds),
        exp_types=exp_type_values(ds.root / "schema"),
    )


def releases_newest_first(snap: Snapshot) -> list[tuple[Record, dict[str, Any]]]:
    return sorted(snap.releases(), key=lambda p: version_key(p[1]["jwst_version"]), reverse=True)
