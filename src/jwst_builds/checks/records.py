"""Checks every record type shares: the file name is the record's id."""

from __future__ import annotations

from collections.abc import Iterator

from ..dataset import Dataset
from ..problems import Problem, problem


def check(ds: Dataset) -> Iterator[Problem]:
    for stem, rec in [*ds.builds.items(), *ds.issues.items()]:
        if rec.id != stem:
            yield problem(
                rec.file,
                ("id",),
                f"id '{rec.id}' differs from the file name",
                f"rename the file to {rec.id}.yaml or fix the id",
            )
