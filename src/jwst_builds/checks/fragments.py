"""Checks of the release-note fragments under changes/ (names, categories, text)."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from pathlib import Path

from ..dataset import Dataset
from ..fragments import (
    BUILD_FOLDER,
    CHANGES,
    CONFIG,
    FRAGMENT_NAME,
    Declaration,
    build_folders,
    declaration,
    iter_files,
    read_fragment,
    text_faults,
)
from ..problems import Problem
from ..safewrite import is_temp_name
from ..yamlio import LoadError, entries, unreadable

_FORM = "<name>.<category>.md"


def _at(file: str, message: str, hint: str, line: int = 1, *, code: str) -> Problem:
    # Not YAML: the position is known here, so locate() leaves it alone.
    return Problem(file=file, line=line, col=1, message=message, hint=hint, code=code)


def check(ds: Dataset) -> Iterator[Problem]:
    """Every problem of every file and folder under changes/."""
    changes = ds.root / CHANGES
    if not changes.is_dir():
        return
    decl = declaration(ds.root)  # a broken declaration is a usage error (ConfigError)
    why = unreadable(changes)
    if why is not None:
        yield _at(CHANGES, f"cannot read the folder: {why}", "", code="F016")
        return
    for path in entries(changes):
        if not path.name.startswith(".") and (path.is_symlink() or not path.is_dir()):
            yield _at(
                _shown(ds.root, path),
                "file outside a build folder",
                f"fragments go in {CHANGES}/<build>/{_FORM}",
                code="F001",
            )
    for folder in build_folders(ds.root):
        yield from check_folder(ds, folder, decl)


def check_folder(ds: Dataset, folder: Path, decl: Declaration) -> Iterator[Problem]:
    """Problems of one folder changes/<build>/ and the files in it."""
    shown = _shown(ds.root, folder)
    build = folder.name
    if not BUILD_FOLDER.match(build):
        yield _at(
            shown,
            f"folder '{build}' is not a build id",
            "name the folder after the build, major.minor such as 10.2",
            code="F002",
        )
        return
    if build not in ds.builds and build not in ds.broken:
        yield _at(
            shown,
            f"no build record builds/{build}.yaml for this folder",
            "add the build record first, or move the fragments to an existing build",
            code="F003",
        )
    why = unreadable(folder)
    if why is not None:
        yield _at(shown, f"cannot read the folder: {why}", "", code="F016")
        return
    for path in iter_files(folder):
        yield from check_file(ds.root, path, decl)


def check_file(root: Path, path: Path, decl: Declaration) -> Iterator[Problem]:
    """Problems of one entry of a build folder."""
    shown = _shown(root, path)
    name = path.name
    if name.startswith("."):
        hint = (
            "delete it; it was left by an interrupted jwst-builds run"
            if is_temp_name(name)
            else f"towncrier may publish it; rename it {_FORM} or delete it"
        )
        yield _at(shown, "hidden file in a build folder", hint, code="F004")
        return
    if path.is_symlink():
        yield _at(
            shown,
            "is a symbolic link; fragments are regular files",
            "replace the link with the file it points to",
            code="F005",
        )
        return
    if path.is_dir():
        yield _at(
            shown,
            "folder inside a build folder",
            f"fragments sit directly in {CHANGES}/<build>/",
            code="F006",
        )
        return
    if name.lower().startswith("readme"):
        yield _at(
            shown,
            "stray file: notes are compiled from fragments only",
            f"explain things in CONTRIBUTING.md (Release-note fragments); fragments are named {_FORM}",
            code="F007",
        )
        return
    if not name.endswith(".md"):
        bare = FRAGMENT_NAME.match(name + ".md")
        if bare and decl.category(bare["category"]) is not None:
            yield _at(
                shown, "fragment without the .md suffix", f"rename it to {name}.md", code="F008"
            )
            return
        suffix = Path(name).suffix
        what = f"a '{suffix}' file" if suffix else "a file without a suffix"
        yield _at(
            shown, f"not a Markdown fragment: {what}", f"fragments are named {_FORM}", code="F009"
        )
        return
    match = FRAGMENT_NAME.match(name)
    if match is None:
        yield _at(shown, "malformed fragment name", _name_hint(name), code="F010")
        return
    category = match["category"]
    if decl.category(category) is None:
        yield _at(
            shown, f"unknown category '{category}'", _category_hint(category, decl), code="F011"
        )
        return
    yield from _check_text(shown, path)


def _name_hint(name: str) -> str:
    parts = name[: -len(".md")].split(".")
    if len(parts) == 1:
        return f"add a category: {parts[0]}.<category>.md"
    if len(parts) > 2:
        return f"use exactly one dot before the category: {_FORM}, no dots in the name"
    return f"use {_FORM} with a name of lowercase letters, digits, '-' or '_', such as 8295.jump.md"


def _category_hint(category: str, decl: Declaration) -> str:
    ids = [c.id for c in decl.categories]
    import difflib  # only for the hint of an unknown category

    close = difflib.get_close_matches(category, ids, n=1)
    where = f"the categories are declared in {CONFIG}"
    return f"did you mean '{close[0]}'? {where}" if close else where


def _check_text(shown: str, path: Path) -> Iterator[Problem]:
    try:
        text = read_fragment(path, shown)
    except LoadError as exc:
        yield dataclasses.replace(exc.problem, code="F012")
        return
    for line, message, hint, code in text_faults(text):
        yield _at(shown, message, hint, line=line, code=code)


def _shown(root: Path, path: Path) -> str:
    return path.relative_to(root).as_posix()
