"""Everything an export needs, gathered once: records, issues and fragments per build, commit."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from ..dataset import Dataset, Record, version_key
from ..fragments import Fragment
from ..issuerange import known_issues, mode_groups, scope_modes
from ..model import KnownIssue
from ..query import issues_fixed_in, issues_for_build
from .gitinfo import Commit


@dataclass(frozen=True)
class Snapshot:
    """The data of one export, in the order every writer uses."""

    sources: list[dict[str, Any]]  # sorted by id
    builds: list[Record]  # oldest build first
    issues: list[KnownIssue]  # typed, sorted by id
    #: issue id -> its YAML record as loaded (the JSON export writes it in full)
    issue_records: dict[str, Record]
    #: build id -> its known issues (by id) and its change fragments (notes order)
    issues_by_build: dict[str, list[KnownIssue]]
    #: build id -> the issues whose software fix first came with the build (by id)
    fixed_by_build: dict[str, list[KnownIssue]]
    fragments_by_build: dict[str, list[Fragment]]
    #: mode group -> its EXP_TYPEs, as schema/issue.schema.json defines them
    groups: dict[str, tuple[str, ...]]
    commit: Commit

    def builds_of_issue(self, issue_id: str) -> list[str]:
        """Ids of the builds an issue affects, oldest first (none for a withdrawn record)."""
        return [
            b.id for b in self.builds if any(i.id == issue_id for i in self.issues_by_build[b.id])
        ]

    def exp_types(self, issue: KnownIssue) -> list[str]:
        """The EXP_TYPEs an issue is limited to: its own and its mode groups' (empty: all)."""
        return list(scope_modes(issue, self.groups))

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
    issues = known_issues(ds)  # sorted by id
    return Snapshot(
        sources=[ds.sources[k] for k in sorted(ds.sources)],
        builds=builds,
        issues=issues,
        issue_records={rec.id: rec for rec in ds.issues.values()},
        issues_by_build={
            b.id: sorted(issues_for_build(ds, b.id), key=lambda i: i.id) for b in builds
        },
        fixed_by_build={
            b.id: sorted(issues_fixed_in(ds, b.id), key=lambda i: i.id) for b in builds
        },
        fragments_by_build=by_build,
        groups=mode_groups(ds.root / "schema"),
        commit=commit,
    )
