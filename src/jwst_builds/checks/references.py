"""Checks that every build and release a known-issue record names exists, and that each
release is in the build it is given with."""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import cached_property

from ..dataset import Dataset
from ..issuerange import release_builds
from ..lookup import VersionIndex
from ..model import KnownIssue, Point
from ..problems import PathPart, Problem, problem

_BUILD_ID = re.compile(r"^[0-9]+\.[0-9]+\Z")


class Known:
    """The builds and releases of the tree, worked out once for all the issue records
    (once per record, or per reference, costs n^2 on a big tree)."""

    def __init__(self, ds: Dataset) -> None:
        self.ds = ds
        #: jwst version -> id of the build that holds it
        self.homes = release_builds(ds)
        #: a release named nowhere may be in a build that failed to load
        self.build_broken = any(_BUILD_ID.match(stem) for stem in ds.broken)

    # Sorted only when a reference is unknown: a valid tree never needs them.
    @cached_property
    def builds(self) -> VersionIndex:
        return VersionIndex(self.ds.builds)

    @cached_property
    def releases(self) -> VersionIndex:
        return VersionIndex(self.homes)


def _points(issue: KnownIssue) -> Iterator[tuple[tuple[PathPart, ...], Point]]:
    """Every point of the record on the software axis, with where it is written."""
    named: list[tuple[tuple[PathPart, ...], Point | None]] = [
        (("software", "introduced"), issue.introduced),
        (("software", "documented_from"), issue.documented_from),
        (("software", "documented_until"), issue.documented_until),
        (("software", "last_affected"), issue.last_affected),
        (("software", "fixed"), issue.fixed.point if issue.fixed else None),
    ]
    for i, m in enumerate(issue.mitigations):
        named.append((("mitigations", i, "available_from"), m.available_from))
        named.append((("mitigations", i, "default_from"), m.default_from))
    for at, point in named:
        if point is not None:
            yield at, point


def references(known: Known, issue: KnownIssue) -> Iterator[Problem]:
    """Every build and release the record names exists, and each release is in its build."""
    ds = known.ds
    for at, point in _points(issue):
        build, release = point.build, point.release
        if build not in ds.builds and build not in ds.broken:
            near = ", ".join(known.builds.nearest(build))
            yield problem(
                issue.file,
                (*at, "build"),
                f"build {build} does not exist",
                f"known builds nearby: {near}" if near else "add the build first",
                code="I002",
            )
        if release is None:
            continue
        home = known.homes.get(release)
        if home is None:
            if known.build_broken:
                continue  # the release may be in a build that failed to load
            near = ", ".join(known.releases.nearest(release))
            yield problem(
                issue.file,
                (*at, "release"),
                f"jwst {release} is not a release of any build",
                f"nearest known releases: {near}" if near else "add the release first",
                code="I003",
            )
        elif home != build:
            yield problem(
                issue.file,
                (*at, "release"),
                f"jwst {release} is a release of build {home}, not {build}",
                f'set build to "{home}" or name a release of build {build}',
                code="I004",
            )
