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


#: the last dataset asked about, and per issue id the answer of fix_history
_HISTORY: tuple[Dataset, dict[str, tuple[bool, str | None]]] | None = None


def fix_history(ds: Dataset, issue: KnownIssue) -> tuple[bool, str | None]:
    """Whether the operations build carries the fix, and the day MAST began processing with
    a build that does (None: not yet)."""
    global _HISTORY
    if _HISTORY is None or _HISTORY[0] is not ds:
        _HISTORY = (ds, {})
    known = _HISTORY[1].get(issue.id)
    if known is not None:
        return known
    ops = operations_build(ds)
    in_ops = False
    if ops is not None:
        rel = operational_release(ops)
        in_ops = carries(issue, position(ops.id, rel["jwst_version"]), ops.data["crds_context"])
    since = next(
        (
            day
            for day, pos, rel, build in events(ds)
            if carries(issue, pos, rel["crds_context"] or build.data["crds_context"])
        ),
        None,
    )
    _HISTORY[1][issue.id] = (in_ops, since)
    return in_ops, since
