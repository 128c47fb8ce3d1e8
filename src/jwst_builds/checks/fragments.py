"""Checks of the release-note fragments under changes/ (names, categories, text)."""

from __future__ import annotations

import difflib
from collections.abc import Iterator
from pathlib import Path

from ..dataset import Dataset
from ..fragments import (
    BUILD_FOLDER,
    CHANGES,
    CONFIG,
    FRAGMENT_NAME,
    ConfigError,
    Declaration,
    build_folders,
    declaration,
    iter_files,
    text_faults,
)
from ..problems import Problem

_FORM = "<name>.<category>.md"


def _at(file: str, message: str, hint: str, line: int = 1) -> Problem:
    # Not YAML: the position is known here, so locate() leaves it alone.
    return Problem(file=file, line=line, col=1, message=message, hint=hint)


def check(ds: Dataset) -> Iterator[Problem]:
    """Every problem of every file and folder under changes/."""
    changes = ds.root / CHANGES
    if not changes.is_dir():
        return
    try:
        decl = declaration(ds.root)
    except ConfigError as exc:
        yield _at(
            CONFIG,
            str(exc),
            "it lists every fragment category; see CONTRIBUTING.md (Release-note fragments)",
        )
        return
    for path in sorted(changes.iterdir(), key=lambda p: p.name):
        if path.is_file() and not path.name.startswith("."):
            yield _at(
                _shown(ds.root, path),
                "file outside a build folder",
                f"fragments go in {CHANGES}/<build>/{_FORM}",
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
        )
        return
    if build not in ds.builds and build not in ds.broken:
        yield _at(
            shown,
            f"no build record builds/{build}.yaml for this folder",
            "add the build record first, or move the fragments to an existing build",
        )
    for path in iter_files(folder):
        yield from check_file(ds.root, path, decl)


def check_file(root: Path, path: Path, decl: Declaration) -> Iterator[Problem]:
    """Problems of one entry of a build folder."""
    shown = _shown(root, path)
    name = path.name
    if path.is_dir():
        yield _at(
            shown, "folder inside a build folder", f"fragments sit directly in {CHANGES}/<build>/"
        )
        return
    if name.lower().startswith("readme"):
        yield _at(
            shown,
            "stray file: notes are compiled from fragments only",
            f"explain things in CONTRIBUTING.md (Release-note fragments); fragments are named {_FORM}",
        )
        return
    if not name.endswith(".md"):
        bare = FRAGMENT_NAME.match(name + ".md")
        if bare and decl.category(bare["category"]) is not None:
            yield _at(shown, "fragment without the .md suffix", f"rename it to {name}.md")
            return
        suffix = Path(name).suffix
        what = f"a '{suffix}' file" if suffix else "a file without a suffix"
        yield _at(shown, f"not a Markdown fragment: {what}", f"fragments are named {_FORM}")
        return
    match = FRAGMENT_NAME.match(name)
    if match is None:
        yield _at(shown, "malformed fragment name", _name_hint(name))
        return
    category = match["category"]
    if decl.category(category) is None:
        yield _at(shown, f"unknown category '{category}'", _category_hint(category, decl))
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
    close = difflib.get_close_matches(category, ids, n=1)
    where = f"the categories are declared in {CONFIG}"
    return f"did you mean '{close[0]}'? {where}" if close else where


def _check_text(shown: str, path: Path) -> Iterator[Problem]:
    try:
        raw = path.read_bytes()
    except OSError as exc:
        yield _at(shown, f"cannot read fragment: {exc.strerror}", "")
        return
    try:
        text = raw.decode("utf-8").removeprefix("\ufeff")
    except UnicodeDecodeError:
        yield _at(shown, "fragment is not valid UTF-8", "save the file as UTF-8")
        return
    for line, message, hint in text_faults(text):
        yield _at(shown, message, hint, line=line)


def _shown(root: Path, path: Path) -> str:
    return path.relative_to(root).as_posix()
