"""`jwst-builds validate`: load everything, run every check, report every problem."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from . import dataset, lastrun
from .problems import Problem, sort_key
from .yamlio import relative_name

#: what validate reads: PATHS must be these or lie under them
DATA_PATHS = ("builds", "issues", "changes", "sources.yaml", "inflight-contexts.yaml")


class NotData(Exception):
    """A PATH that validate does not check (outside the root, or not data): a usage error."""


def report_names(root: Path, paths: Iterable[Path]) -> set[str]:
    """The data files and folders of ``paths``, relative to ``root``; NotData for others."""
    names = set()
    for path in paths:
        if not (path.exists() or path.is_symlink()):
            raise NotData(f"{path} does not exist")
        name = relative_name(root, path)
        if name is None:
            raise NotData(f"{path} is outside the data root {root}")
        if name != "." and name.split("/", 1)[0] not in DATA_PATHS:
            raise NotData(
                f"{path} is not data: validate checks {', '.join(DATA_PATHS[:-1])} "
                f"and {DATA_PATHS[-1]}"
            )
        names.add(name)
    return names


def run(
    root: Path, only: Iterable[Path] = (), *, use_cache: bool = True, jobs: int = 0
) -> list[Problem]:
    """All problems of the data under ``root``, located and sorted.

    Cross-file checks always see the whole tree; ``only`` limits which files'
    problems are reported (what a pull request touched). A PATH that is not
    data raises NotData. ``use_cache`` and ``jobs`` are those of :func:`dataset.load`;
    with the cache, a tree in which nothing changed gets the last run's answer
    (:mod:`jwst_builds.lastrun`).
    """
    wanted = report_names(root, only)
    ds = dataset.load(root, use_cache=use_cache, jobs=jobs)
    key = lastrun.key(root, ds.inputs)
    problems = lastrun.recall(root, key) if key else None
    if problems is None:
        problems = _check(ds)
        if key:
            lastrun.remember(root, key, problems)
    if wanted and "." not in wanted:
        folders = {w.rstrip("/") for w in wanted}
        problems = [p for p in problems if _reported(p.file, wanted, folders)]
    return problems


def _check(ds: dataset.Dataset) -> list[Problem]:
    """Every problem of the loaded tree, located and sorted."""
    # here, not at the top: a tree answered by lastrun never needs the rules
    from .checks import CHECKS
    from .locate import locate

    problems = [*ds.problems, *ds.findings]
    for check in CHECKS:
        problems.extend(check(ds))
    return sorted(set(locate(problems, ds.root)), key=sort_key)


def _reported(file: str, wanted: set[str], folders: set[str]) -> bool:
    """``file`` is one of ``wanted`` or lies in one of ``folders``: each folder above it
    is looked up, rather than each PATH compared with each problem (PATHS may be every
    file a pull request touched)."""
    if file in wanted:
        return True
    at = file.find("/")
    while at != -1:
        if file[:at] in folders:
            return True
        at = file.find("/", at + 1)
    return False
