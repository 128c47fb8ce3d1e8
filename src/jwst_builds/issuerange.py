"""Which releases a known issue affects: its range on the build/release axis.

A position on that axis is ``(build key, release key)``. A bound given as a
build alone covers the whole build: ``(build, ())`` sorts before every release
of it, ``(build, _END)`` after every one. Builds hold increasing jwst versions,
so the order is the order of the software.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .dataset import Dataset, Record, version_key

Position = tuple[tuple[int, ...], tuple[int, ...]]

_END = (1 << 30,)


@dataclass(frozen=True)
class Range:
    """The software range of one issue (None: open on that side)."""

    first: Position
    fix: Position | None
    last: Position | None

    def spans(self, pos: Position) -> bool:
        """Between the first and the last affected release, ignoring any fix."""
        return self.first <= pos and (self.last is None or pos <= self.last)

    def fixed_at(self, pos: Position) -> bool:
        """The software at ``pos`` has the fix."""
        return self.fix is not None and pos >= self.fix

    def contains(self, pos: Position) -> bool:
        """The software at ``pos`` is affected (a fix in reference files alone does not count)."""
        return self.spans(pos) and not self.fixed_at(pos)


def release_builds(ds: Dataset) -> dict[str, str]:
    """jwst version -> id of the build that holds it."""
    return {rel["jwst_version"]: build.id for build, rel in ds.releases()}


def _bound(
    build: str | None, release: str | None, homes: dict[str, str], end: bool
) -> Position | None:
    if release is not None:
        home = homes.get(release, build)
        if home is not None:
            return version_key(home), version_key(release)
    if build is None:
        return None
    return version_key(build), (_END if end else ())


def issue_range(issue: Record, homes: dict[str, str]) -> Range:
    """The software range of an issue."""
    aff = issue.data["affected"]
    fix = issue.data["fixed"]
    first = _bound(aff["first_build"], aff["first_release"], homes, end=False)
    assert first is not None  # first_build is required by the schema
    return Range(
        first=first,
        fix=_bound(fix["build"], fix["release"], homes, end=False),
        last=_bound(aff["last_build"], aff["last_release"], homes, end=True),
    )


def position(build_id: str, jwst_version: str | None = None) -> Position:
    return version_key(build_id), version_key(jwst_version) if jwst_version else ()


def active(issue: Record) -> bool:
    """Withdrawn records stay in the data but apply to nothing."""
    return bool(issue.data["status"] != "withdrawn")


def affects_build(
    issue: Record, build: Record | None, build_id: str, homes: dict[str, str]
) -> bool:
    """True when the issue affects the software of at least one release of the build."""
    rng = issue_range(issue, homes)
    if build is None:
        return rng.contains(position(build_id))
    rels: list[dict[str, Any]] = build.data["releases"]
    return any(rng.contains(position(build_id, r["jwst_version"])) for r in rels)
