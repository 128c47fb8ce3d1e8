"""`jwst-builds sync`: compare builds/ with the jwst README table and change log.

:func:`run` reads upstream (:mod:`.upstream`), compares (:mod:`.compare`), and with
``write`` applies what is safe (:mod:`.apply`) and validates the result.
:mod:`.render` prints the report.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from pathlib import Path

from .. import dataset
from .. import validate as validate_mod
from ..dataset import version_key
from ..locate import locate
from ..problems import Problem
from .apply import Written, apply
from .compare import compare
from .findings import Finding
from .upstream import CHANGES_URL, README_URL, UpstreamError, load_changes, load_readme

__all__ = [
    "CHANGES_URL",
    "README_URL",
    "DataError",
    "Finding",
    "Report",
    "UpstreamError",
    "Written",
    "run",
]


class DataError(Exception):
    """Our own data does not load or pass its schemas, so it cannot be compared."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__(f"{len(problems)} problems in the data")
        self.problems = problems


@dataclass(frozen=True)
class Report:
    """What sync found, what it wrote, and what validate said afterwards."""

    readme: str
    changes: str | None
    findings: tuple[Finding, ...]
    written: tuple[Written, ...] = ()
    problems: tuple[Problem, ...] = ()
    wrote: bool = False

    @property
    def drift(self) -> list[Finding]:
        return [f for f in self.findings if f.drift]

    @property
    def exit_code(self) -> int:
        """0 no drift; 1 drift. After --write: 1 only for what is left to a person."""
        if self.wrote:
            return 1 if self.problems or any(f.action is None for f in self.drift) else 0
        return 1 if self.drift else 0


def run(root: Path, readme: str, changes: str | None, write: bool = False) -> Report:
    """Compare the data under ``root`` with upstream; with ``write``, apply and validate.

    Raises UpstreamError (upstream unreadable or changed shape) and DataError.
    """
    table = load_readme(readme)
    dates = load_changes(changes) if changes else None
    ds = dataset.load(root)
    if ds.problems:
        raise DataError(sorted(set(locate(ds.problems, root))))
    comparison = compare(ds, table, dates)
    findings = tuple(sorted(_locate(root, comparison.findings), key=_order))
    if not write:
        return Report(readme, changes, findings)
    written = apply(ds, comparison)
    problems = tuple(validate_mod.run(root)) if written else ()
    return Report(readme, changes, findings, tuple(written), problems, wrote=True)


def _order(f: Finding) -> tuple[bool, tuple[int, ...], str, int, int, str]:
    """Drift first; then by build (9.1 before 10.2), line and tag."""
    stem = Path(f.file).stem
    return (not f.drift, version_key(stem), f.file, f.line, f.col, f.tag)


def _locate(root: Path, findings: list[Finding]) -> list[Finding]:
    """Give each finding the line and column of its field, in files that exist."""
    here = [f for f in findings if f.where and (root / f.file).is_file()]
    located = locate([Problem(f.file, where=f.where) for f in here], root)
    lines = {id(f): (p.line, p.col) for f, p in zip(here, located, strict=True)}
    return [
        dataclasses.replace(f, line=lines[id(f)][0], col=lines[id(f)][1]) if id(f) in lines else f
        for f in findings
    ]
