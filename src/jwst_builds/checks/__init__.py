"""Semantic checks, run after every file has passed its schema.

Each module offers ``check(dataset) -> Iterator[Problem]``; add new ones to CHECKS.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from ..dataset import Dataset
from ..problems import Problem
from . import builds, fragments, inflight, issues, records, sources

CHECKS: list[Callable[[Dataset], Iterable[Problem]]] = [
    records.check,
    builds.check,
    sources.check,
    fragments.check,
    issues.check,
    inflight.check,
]
