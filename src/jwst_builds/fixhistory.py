"""Whether a known issue's fix has reached operations, and since when MAST processes with it.

The answer is the same for every product, so it is worked out once per dataset and issue:
a scan of many products asks it thousands of times.
"""

from __future__ import annotations

from .dataset import Dataset
from .issuerange import Position, issue_range, position
from .lookup import context_number
from .model import KnownIssue
from .operations import events, operational_release, operations_build


def carries(issue: KnownIssue, pos: Position, context: str | None) -> bool:
    """Whether software at ``pos`` with reference files ``context`` has every part of the fix."""
    rng = issue_range(issue)
    sw = rng.fix is None or pos >= rng.fix
    refs = issue.context_fixed is None or (
        context is not None and context_number(context) >= context_number(issue.context_fixed)
    )
    return sw and refs


class _Operations:
    """What fix_history needs of one dataset, worked out on its first question."""

    def __init__(self, ds: Dataset) -> None:
        self.ds = ds
        self.answers: dict[str, tuple[bool, str | None]] = {}
        self.events = events(ds)
        ops = operations_build(ds)
        self.now: tuple[Position, str] | None = None
        if ops is not None:
            rel = operational_release(ops)
            self.now = (position(ops.id, rel["jwst_version"]), ops.data["crds_context"])


#: the last dataset asked about, with the answers given so far
_LAST: _Operations | None = None


def fix_history(ds: Dataset, issue: KnownIssue) -> tuple[bool, str | None]:
    """Whether the operations build carries the fix, and the day MAST began processing with
    a build that does (None: not yet)."""
    global _LAST
    if _LAST is None or _LAST.ds is not ds:
        _LAST = _Operations(ds)
    known = _LAST.answers.get(issue.id)
    if known is not None:
        return known
    in_ops = _LAST.now is not None and carries(issue, *_LAST.now)
    since = next(
        (
            day
            for day, pos, rel, build in _LAST.events
            if carries(issue, pos, rel["crds_context"] or build.data["crds_context"])
        ),
        None,
    )
    _LAST.answers[issue.id] = (in_ops, since)
    return in_ops, since
