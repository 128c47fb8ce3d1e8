"""Validate, gather, render and write: the whole export as one function."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from .. import validate
from ..checks import CHECKS
from ..dataset import Dataset, load
from ..fragments import load_fragments
from ..problems import Problem
from .atomic import TargetRefused, write_files
from .gitinfo import data_commit
from .render import render
from .snapshot import collect


@dataclass
class Outcome:
    """What an export did: the problems that stopped it, or the files it wrote."""

    problems: list[Problem] = field(default_factory=list)
    written: list[Path] = field(default_factory=list)


def has_problems(ds: Dataset) -> bool:
    """Whether `jwst-builds validate` would report anything, without locating the problems.

    Loading is most of the cost of an export, so the loaded dataset is checked
    here rather than loaded a second time by :func:`validate.run`, which only
    runs when there is something to report.
    """
    return bool(ds.problems or ds.findings) or any(True for check in CHECKS for _ in check(ds))


#: what an export must never replace: the data, its schemas and its notes
PROTECTED = ("builds", "issues", "changes", "schema", ".git")


def check_target(root: Path, out: Path) -> None:
    """Refuse an output folder that is, holds or lies inside the data (TargetRefused)."""
    try:
        target, data = out.resolve(), root.resolve()
    except (OSError, RuntimeError) as exc:  # a loop of links
        raise TargetRefused(f"{out} cannot be resolved: {exc}") from exc
    if target == data or target in data.parents:
        raise TargetRefused(f"{out} holds the data root; give a folder of its own, such as dist/")
    for name in PROTECTED:
        folder = data / name
        if target == folder or folder in target.parents:
            raise TargetRefused(f"{out} is inside {name}/ of the data; give another folder")


def run(root: Path, out: Path) -> Outcome:
    """Validate the data under ``root`` and, if it is clean, write every export into ``out``."""
    check_target(root, out)
    ds = load(root)
    if has_problems(ds):
        problems = validate.run(root)  # the located, sorted report
        if problems:
            return Outcome(problems=problems)
    # validate has checked that every fragment belongs to a build record, so none is lost
    snap = collect(ds, load_fragments(root), data_commit(root))
    return Outcome(written=write_files(out, render(snap, root / "schema")))
