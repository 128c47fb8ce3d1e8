"""The geometry of the home page's timeline: one bar per build, in SVG user units.

A bar runs from a build's first candidate to the day it stopped being current; its
operations part starts at its installation. Patches are marks on the bar at their
release date. The template (templates/timeline.svg.jinja) only draws what is here.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from .data import Lifetime, SiteData

WIDTH = 960
LABEL = 190  # the column of build ids and contexts
RIGHT = 16
ROW = 22
BAR = 12
TOP = 34  # room for the year axis


@dataclass(frozen=True)
class Mark:
    """A patch release on a bar."""

    x: float
    version: str
    day: str


@dataclass(frozen=True)
class Bar:
    build: str
    status: str
    crds_context: str | None
    y: float
    #: candidate part: x and width (width 0 when the candidate date is unknown)
    x: float
    candidate_width: float
    #: operations part: width 0 for a build never installed
    operations_width: float
    current: bool  # the build in operations today
    open_ended: bool  # still current: the bar reaches the data's date
    marks: tuple[Mark, ...]
    label: str  # the accessible name: what the bar shows, in words
    href: str


@dataclass(frozen=True)
class Tick:
    x: float
    year: int


@dataclass(frozen=True)
class Timeline:
    width: int
    height: int
    label_width: int
    bars: tuple[Bar, ...]
    ticks: tuple[Tick, ...]
    as_of: str
    as_of_x: float


def _day(text: str) -> dt.date:
    return dt.date.fromisoformat(text)


def _words(life: Lifetime, context: str | None, as_of: str, patches: tuple[Mark, ...]) -> str:
    parts = [f"Build {life.build}, {life.status}"]
    if life.candidate:
        parts.append(f"first candidate {life.candidate}")
    if life.operations:
        parts.append(f"in operations from {life.operations}")
        parts.append(f"replaced {life.end}" if life.end else f"still in operations on {as_of}")
    elif life.end:
        parts.append(f"never installed in operations, followed by the next build on {life.end}")
    parts.append(f"CRDS context {context}" if context else "CRDS context not recorded")
    if patches:
        parts.append("patches " + ", ".join(f"{m.version} ({m.day})" for m in patches))
    return "; ".join(parts)


def layout(site: SiteData) -> Timeline:
    """Place every build of ``site`` on the timeline, oldest at the top."""
    as_of = _day(site.as_of)
    starts = [_day(life.candidate) for life in site.lifetimes if life.candidate]
    first = dt.date(min(starts, default=as_of).year, 1, 1)
    last = dt.date(as_of.year + 1, 1, 1)
    span = (last - first).days
    inner = WIDTH - LABEL - RIGHT

    def x(day: dt.date) -> float:
        return round(LABEL + inner * (day - first).days / span, 1)

    bars = []
    for row, life in enumerate(site.lifetimes):
        record = site.build(life.build)
        end = _day(life.end) if life.end else as_of
        start = _day(life.candidate) if life.candidate else None
        installed = _day(life.operations) if life.operations else None
        left = x(start or installed or end)
        middle = x(installed) if installed else x(end)
        patches = tuple(
            Mark(x(_day(day)), rel["jwst_version"], day)
            for rel in record.data["releases"]
            if rel["kind"] == "patch" and (day := rel["released"] or rel["ops_install"])
        )
        context = record.data["crds_context"]
        bars.append(
            Bar(
                build=life.build,
                status=life.status,
                crds_context=context,
                y=TOP + row * ROW,
                x=left,
                candidate_width=round(middle - left, 1),
                operations_width=round(x(end) - middle, 1) if installed else 0.0,
                current=life.build == site.ops_build,
                open_ended=life.end is None,
                marks=patches,
                label=_words(life, context, site.as_of, patches),
                href=f"builds/{life.build}.html",
            )
        )
    ticks = tuple(Tick(x(dt.date(year, 1, 1)), year) for year in range(first.year, last.year + 1))
    return Timeline(
        width=WIDTH,
        height=TOP + len(bars) * ROW + 8,
        label_width=LABEL,
        bars=tuple(bars),
        ticks=ticks,
        as_of=site.as_of,
        as_of_x=x(as_of),
    )
