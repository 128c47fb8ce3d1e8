"""Everything an export needs, gathered once: records, issues and fragments per build, commit."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from ..dataset import Dataset, Record, version_key
from ..fragments import Fragment
from ..query import issues_for_build
from .gitinfo import Commit


@dataclass(frozen=True)
class Snapshot:
    """The data of one export, in the order every writer uses."""

    sources: list[dict[str, Any]]  # sorted by id
    builds: list[Record]  # oldest build first
    issues: list[Record]  # sorted by id
    #: build id -> its known issues (by id) and its change fragments (notes order)
    issues_by_build: dict[str, list[Record]]
    fragments_by_build: dict[str, list[Fragment]]
    commit: Commit

    def builds_of_issue(self, issue_id: str) -> list[str]:
        """Ids of the builds an issue affects, oldest first (none for a withdrawn record)."""
        return [
            b.id for b in self.builds if any(i.id == issue_id for i in self.issues_by_build[b.id])
        ]

    def releases(self) -> list[tuple[Record, dict[str, Any]]]:
        """Every (build, release) pair, oldest jwst tag first."""
        pairs = [(b, r) for b in self.builds for r in b.data["releases"]]
        return sorted(pairs, key=lambda p: version_key(p[1]["jwst_version"]))


def collect(ds: Dataset, fragments: Sequence[Fragment], commit: Commit) -> Snapshot:
    """Arrange a loaded, valid dataset for the writers.

    ``fragments`` come in notes order (as :func:`load_fragments` returns them);
    each build keeps that order.
    """
    builds = sorted(ds.builds.values(), key=lambda b: version_key(b.id))
    by_build: dict[str, list[Fragment]] = {b.id: [] for b in builds}
    for frag in fragments:
        by_build.setdefault(frag.build, []).append(frag)
    return Snapshot(
        sources=[ds.sources[k] for k in sorted(ds.sources)],
        builds=builds,
        issues=[ds.issues[k] for k in sorted(ds.issues)],
        issues_by_build={
            b.id: sorted(issues_for_build(ds, b.id), key=lambda r: r.id) for b in builds
        },
        fragments_by_build=by_build,
        commit=commit,
    )
