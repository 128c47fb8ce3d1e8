"""Checks every record type shares: the file name is the record's id, and the data
folders hold record files only, so that nothing in them is skipped in silence."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from ..dataset import Dataset
from ..problems import Problem, problem
from ..safewrite import is_temp_name
from ..yamlio import DATA_SUFFIXES, names, unreadable

#: one file per record in each of these folders
DATA_FOLDERS = ("builds", "issues")
#: files version control keeps in otherwise empty folders
_KEEP = frozenset({".gitkeep", ".keep", ".gitignore"})


def check(ds: Dataset) -> Iterator[Problem]:
    for stem, rec in [*ds.builds.items(), *ds.issues.items()]:
        if rec.id != stem:
            yield problem(
                rec.file,
                ("id",),
                f"id '{rec.id}' differs from the file name",
                f"rename the file to {rec.id}.yaml or fix the id",
                code="R001",
            )
    for name in DATA_FOLDERS:
        yield from _folder(ds.root, ds.root / name)


def _at(file: str, message: str, hint: str, *, code: str) -> Problem:
    return Problem(file=file, line=1, col=1, message=message, hint=hint, code=code)


def _folder(root: Path, folder: Path) -> Iterator[Problem]:
    """Entries of a data folder that are not record files: each one is named."""
    shown = folder.relative_to(root).as_posix()
    why = unreadable(folder)
    if why is not None:
        yield _at(
            shown,
            f"cannot read the folder: {why}",
            "",
            code="R005",
        )
        return
    stems: dict[str, str] = {}
    for name in names(folder):  # names, not paths: a big tree has tens of thousands
        file = f"{shown}/{name}"
        stem, suffix = _split(name)
        if name in _KEEP:
            continue
        if is_temp_name(name):
            yield _at(
                file,
                "temporary file left by an interrupted jwst-builds run",
                "delete it; the file it was made for is as it was",
                code="R004",
            )
        elif name.startswith("."):
            yield _at(
                file,
                "hidden file in a data folder is never read",
                "delete it",
                code="R004",
            )
        elif suffix.lower() in DATA_SUFFIXES and suffix not in DATA_SUFFIXES:
            yield _at(
                file,
                f"the suffix {suffix} is not read; data files end in .yaml",
                f"rename it to {stem}.yaml",
                code="R003",
            )
        elif suffix not in DATA_SUFFIXES:
            yield _at(
                file,
                f"not a data file: {shown}/ holds only <id>.yaml records",
                "move it elsewhere or delete it",
                code="R003",
            )
        elif stem in stems:
            yield problem(
                file,
                ("id",),
                f"{stems[stem]} has the same name",
                "keep one file per id, named <id>.yaml",
                code="R002",
            )
        else:
            stems[stem] = file


def _split(name: str) -> tuple[str, str]:
    """Stem and suffix, as pathlib gives them ("a.b.yaml": "a.b", ".yaml")."""
    dot = name.rfind(".")
    if 0 < dot < len(name) - 1:
        return name[:dot], name[dot:]
    return name, ""
