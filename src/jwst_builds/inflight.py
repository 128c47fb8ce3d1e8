"""The in-flight reference-file check of `affects`: a product's context against the minimum
context with in-flight reference files for its mode (inflight-contexts.yaml)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .dataset import Dataset
from .lookup import context_number

if TYPE_CHECKING:
    from .query import Question


def _ctx(value: str | None) -> int | None:
    return context_number(value) if value else None


def _row_matches(row: dict[str, Any], q: Question) -> bool | None:
    """Whether an in-flight table row's readout conditions match (None: cannot tell)."""
    verdicts = []
    if row["readpatt"] is not None:
        verdicts.append(None if q.readpatt is None else q.readpatt in row["readpatt"])
    if row["subarray"] is not None:
        if q.subarray is None:
            verdicts.append(None)
        else:
            verdicts.append((q.subarray == "FULL") == (row["subarray"] == "full"))
    if False in verdicts:
        return False
    return None if None in verdicts else True


def inflight_answer(ds: Dataset, q: Question) -> dict[str, Any] | None:
    if ds.inflight is None:
        return None
    table = ds.inflight.data
    out: dict[str, Any] = {
        "as_of": table["as_of"],
        "verdict": "unchecked",
        "modes": [],
        "advice": " ".join(table["advice"].split()),
    }
    if q.exp_type is None:
        return out
    ctx = _ctx(q.crds_ctx)
    rows = []
    for row in table["modes"]:
        if q.exp_type not in row["exp_types"]:
            continue
        match = _row_matches(row, q)
        minimum = row["minimum_context"]
        if minimum is None:
            verdict = "no-minimum"
        elif ctx is None:
            verdict = "unknown"
        else:
            verdict = "ok" if ctx >= context_number(minimum) else "older"
        rows.append(
            {
                "instrument": row["instrument"],
                "mode": row["mode"],
                "readpatt": row["readpatt"],
                "subarray": row["subarray"],
                "conditions_match": match,
                "minimum_context": minimum,
                "status": row["status"],
                "verdict": verdict,
            }
        )
    out["modes"] = rows
    considered = {r["verdict"] for r in rows if r["conditions_match"] is not False}
    for verdict in ("older", "unknown", "no-minimum", "ok"):
        if verdict in considered:
            out["verdict"] = verdict
            break
    else:
        out["verdict"] = "not-listed"
    return out
