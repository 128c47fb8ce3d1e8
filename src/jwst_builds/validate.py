"""`jwst-builds validate`: load everything, run every check, report every problem."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from . import dataset
from .checks import CHECKS
from .locate import locate
from .problems import Problem


def run(root: Path, only: Iterable[Path] = ()) -> list[Problem]:
    """All problems of the data under ``root``, located and sorted.

    Cross-file checks always see the whole tree; ``only`` limits which files'
    problems are reported (what a pull request touched).
    """
    ds = dataset.load(root)
    problems = list(ds.problems)
    for check in CHECKS:
        problems.extend(check(ds))
    wanted = {_shown(root, p) for p in only}
    if wanted:
        problems = [
            p
            for p in problems
            if any(p.file == w or p.file.startswith(w.rstrip("/") + "/") for w in wanted)
        ]
    return sorted(set(locate(problems, root)))


def _shown(root: Path, path: Path) -> str:
    try:
        return path.resolve().relative_to(root).as_posix()
    except ValueError:
        return path.as_posix()
