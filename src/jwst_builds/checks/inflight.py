"""Semantic checks of inflight-contexts.yaml: one row per mode, modes of their instrument."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from typing import Any

from ..dataset import Dataset, Record
from ..lookup import instrument_of
from ..problems import PathPart, Problem, problem


def check(ds: Dataset) -> Iterator[Problem]:
    if ds.inflight is not None:
        yield from _inflight(ds, ds.inflight)


def _overlap(a: dict[str, Any], b: dict[str, Any]) -> bool:
    if (
        a["readpatt"] is not None
        and b["readpatt"] is not None
        and not set(a["readpatt"]) & set(b["readpatt"])
    ):
        return False
    return a["subarray"] is None or b["subarray"] is None or a["subarray"] == b["subarray"]


def _inflight(ds: Dataset, rec: Record) -> Iterator[Problem]:
    f = rec.file
    for i, sid in enumerate(rec.data["sources"]):
        if ds.sources and sid not in ds.sources:
            yield problem(
                f,
                ("sources", i),
                f"unknown source '{sid}'",
                "add it to sources.yaml or cite an existing id",
                code="S001",
            )
    seen: dict[tuple[str, str], int] = {}
    by_exp: dict[str, list[int]] = defaultdict(list)
    rows = rec.data["modes"]
    for i, row in enumerate(rows):
        at: tuple[PathPart, ...] = ("modes", i)
        key = (row["instrument"], row["mode"])
        if key in seen:
            yield problem(
                f,
                (*at, "mode"),
                f"{row['instrument']} {row['mode']} is already row {seen[key]}",
                "one row per instrument and mode",
                code="C001",
            )
        seen.setdefault(key, i)
        for j, exp_type in enumerate(row["exp_types"]):
            owner = instrument_of(exp_type)
            if owner != row["instrument"]:
                yield problem(
                    f,
                    (*at, "exp_types", j),
                    f"{exp_type} is a {owner} mode, not {row['instrument']}",
                    "move it to a row of its instrument",
                    code="C002",
                )
            for k in by_exp[exp_type]:
                if _overlap(rows[k], row):
                    yield problem(
                        f,
                        (*at, "exp_types", j),
                        f"{exp_type} already matches row {k} ({rows[k]['mode']}) "
                        "for the same readouts",
                        "set readpatt or subarray so that each exposure matches one row",
                        code="C003",
                    )
            by_exp[exp_type].append(i)
        known, minimum = row["status"] == "known", row["minimum_context"]
        if known and minimum is None:
            yield problem(
                f,
                (*at, "minimum_context"),
                "status is known, but no minimum context is given",
                "add the context or change the status",
                code="C004",
            )
        if not known and minimum is not None:
            yield problem(
                f,
                (*at, "minimum_context"),
                f"status is {row['status']}, but a minimum context is given",
                "set status to known or the context to null",
                code="C005",
            )
        for j, other in enumerate(row.get("related", [])):
            if other not in ds.issues and other not in ds.broken:
                yield problem(
                    f,
                    (*at, "related", j),
                    f"no known issue has the id '{other}'",
                    "check the spelling; ids are file names in issues/",
                    code="I021",
                )
