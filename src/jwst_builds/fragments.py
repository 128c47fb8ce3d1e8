"""Release-note fragments: ``changes/<build>/<name>.<category>.md``.

The categories are declared once, in ``towncrier.toml`` at the data root (see
CONTRIBUTING.md (Release-note fragments)). This module reads that declaration and the
fragment files; it never writes, moves or deletes a fragment.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from .dataset import version_key
from .errors import ConfigError as ConfigError  # raised here; defined apart, see errors.py
from .yamlio import LoadError, decode, entries, read_bytes

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - towncrier depends on tomli there
    import tomli as tomllib  # type: ignore[import-not-found,no-redef,unused-ignore]

CHANGES = "changes"
CONFIG = "towncrier.toml"
#: the folder of a build: its id, major.minor
BUILD_FOLDER = re.compile(r"^(?:0|[1-9][0-9]{0,3})\.(?:0|[1-9][0-9]{0,3})\Z")
#: ``<name>.<category>.md``; a name of digits is a jwst pull request or issue number
FRAGMENT_NAME = re.compile(r"^(?P<name>[a-z0-9][a-z0-9_-]*)\.(?P<category>[a-z0-9_]+)\.md\Z")
_LIST_MARKER = re.compile(r"^\s*(?:[-*+]|[0-9]+[.)])\s")
_HEADING = re.compile(r"^\s{0,3}#{1,6}(?:\s|$)")
#: files that towncrier itself skips and that may sit in any fragment folder
IGNORED = frozenset({".gitkeep", ".keep", ".gitignore"})


@dataclass(frozen=True)
class Group:
    """One section of the compiled notes, such as "Changes to pipeline steps"."""

    id: str
    title: str
    #: give each category of the group its own heading
    subsections: bool


@dataclass(frozen=True)
class Category:
    """One fragment category: the ``<category>`` of a file name."""

    id: str
    title: str
    group: str


@dataclass(frozen=True)
class Declaration:
    """What towncrier.toml declares: groups and categories, both in notes order."""

    path: Path
    groups: tuple[Group, ...]
    categories: tuple[Category, ...]

    def category(self, category_id: str) -> Category | None:
        return next((c for c in self.categories if c.id == category_id), None)

    def order(self, category_id: str) -> int:
        """Position of a category in the notes (unknown ones last)."""
        ids = [c.id for c in self.categories]
        return ids.index(category_id) if category_id in ids else len(ids)


@dataclass(frozen=True, order=True)
class Fragment:
    """One fragment file. ``text`` is its Markdown, stripped; ``path`` is relative to the root."""

    build: str
    name: str
    category: str
    text: str
    path: str

    @property
    def reference(self) -> str | None:
        """The jwst pull request or issue number the name carries, if it is one."""
        return self.name if self.name.isdigit() else None


#: the checkout this package runs from (an editable install): its towncrier.toml is
#: the fallback declaration for data roots that have none (test trees)
_CHECKOUT = Path(__file__).resolve().parents[2]


def config_path(root: Path) -> Path:
    """The towncrier.toml that declares the categories for ``root``."""
    for candidate in (root / CONFIG, _CHECKOUT / CONFIG):
        if candidate.is_file():
            return candidate
    raise ConfigError(f"no {CONFIG} in {root}: it declares the fragment categories")


def declaration(root: Path) -> Declaration:
    """Read the groups and categories that ``root``'s towncrier.toml declares."""
    return _declaration(config_path(root).resolve())


@cache
def _declaration(path: Path) -> Declaration:
    try:
        doc = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        first = (str(exc).splitlines() or [type(exc).__name__])[0]
        raise ConfigError(f"cannot read {path.name}: {first}") from exc
    raw_groups = _tables(path, doc, ("tool", "jwst_builds", "group"))
    raw_types = _tables(path, doc, ("tool", "towncrier", "type"))
    groups = tuple(
        Group(
            _text(path, g, "id", f"[[tool.jwst_builds.group]] {i + 1}"),
            _text(path, g, "title", f"[[tool.jwst_builds.group]] {i + 1}"),
            bool(g.get("subsections", False)),
        )
        for i, g in enumerate(raw_groups)
    )
    known = {g.id for g in groups}
    categories: list[Category] = []
    for i, t in enumerate(raw_types):
        where = f"[[tool.towncrier.type]] {i + 1}"
        name = _text(path, t, "name", where)
        cat_id = _text(path, t, "directory", where) if "directory" in t else name.lower()
        group = str(t.get("group", ""))
        if group not in known:
            raise ConfigError(
                f"{path.name}: category '{cat_id}' names no declared group ('{group}')"
            )
        if any(c.id == cat_id for c in categories):
            raise ConfigError(f"{path.name}: category '{cat_id}' is declared twice")
        categories.append(Category(cat_id, name, group))
    rank = {g.id: i for i, g in enumerate(groups)}
    # Notes order: by group, then as listed in the file (a stable sort keeps that).
    categories.sort(key=lambda c: rank[c.group])
    return Declaration(path, groups, tuple(categories))


def _tables(path: Path, doc: dict[str, Any], keys: tuple[str, ...]) -> list[dict[str, Any]]:
    """The array of tables at ``keys`` (tool.towncrier.type), or ConfigError naming the fault."""
    node: Any = doc
    for depth, key in enumerate(keys):
        if not isinstance(node, dict):
            name = ".".join(keys[:depth])
            raise ConfigError(f"{path.name}: {name} must be a table, not {type(node).__name__}")
        node = node.get(key)
    name = ".".join(keys)
    if not isinstance(node, list) or not node or not all(isinstance(t, dict) for t in node):
        raise ConfigError(f"{path.name} must list [[{name}]] tables")
    return node


def _text(path: Path, table: dict[str, Any], key: str, where: str) -> str:
    value = table.get(key)
    if not isinstance(value, str) or not value:
        raise ConfigError(f"{path.name}: {where} needs a text '{key}'")
    return value


def __getattr__(name: str) -> Any:
    # CATEGORIES is read on first use, so that importing this module costs nothing.
    if name == "CATEGORIES":
        return declaration(_CHECKOUT).categories
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def build_folders(root: Path) -> list[Path]:
    """Folders directly under changes/, in build order (odd names last, by name)."""
    changes = root / CHANGES
    if not changes.is_dir():
        return []
    folders = [
        p
        for p in entries(changes)
        if p.is_dir() and not p.is_symlink() and not p.name.startswith(".")
    ]
    return sorted(folders, key=_folder_key)


def _folder_key(path: Path) -> tuple[int, tuple[int, ...], str]:
    if BUILD_FOLDER.match(path.name):
        return (0, version_key(path.name), path.name)
    return (1, (), path.name)


def iter_files(folder: Path) -> Iterator[Path]:
    """The entries of one build folder, by name, but for the files git keeps there.

    Hidden files are included: towncrier may read them, so checks/fragments
    reports each one rather than skipping it.
    """
    for path in entries(folder):
        if path.name not in IGNORED:
            yield path


#: a fragment is a few sentences; anything this large is a mistake
MAX_FRAGMENT_BYTES = 100_000


def read_fragment(path: Path, shown: str) -> str:
    """The text of a fragment file, or LoadError: not a regular file (a link, a
    pipe), over :data:`MAX_FRAGMENT_BYTES`, or not UTF-8 text."""
    raw = read_bytes(path, shown, MAX_FRAGMENT_BYTES, "a fragment is a few sentences; shorten it")
    return decode(raw, shown).removeprefix("\ufeff")


def text_faults(text: str) -> list[tuple[int, str, str, str]]:
    """What is wrong with a fragment's text: (1-based line, message, hint, rule code);
    [] if nothing."""
    lines = text.splitlines()
    first = next((i for i, line in enumerate(lines) if line.strip()), None)
    if first is None:
        return [(1, "fragment is empty", "write a sentence or two about the change", "F013")]
    faults = []
    if _LIST_MARKER.match(lines[first]):
        faults.append(
            (
                first + 1,
                "fragment starts with a list marker",
                "the notes add the bullet; start with the sentence itself",
                "F014",
            )
        )
    for i, line in enumerate(lines):
        if _HEADING.match(line):
            faults.append(
                (
                    i + 1,
                    "fragment contains a Markdown heading",
                    "the notes supply the headings; write plain sentences",
                    "F015",
                )
            )
    return faults


def read(root: Path, path: Path, decl: Declaration) -> Fragment | None:
    """The fragment at ``path``, or None if its name, category or text is not valid."""
    match = FRAGMENT_NAME.match(path.name)
    if not match or decl.category(match["category"]) is None:
        return None
    try:
        text = read_fragment(path, path.name)
    except LoadError:
        return None
    if text_faults(text):
        return None
    return Fragment(
        build=path.parent.name,
        name=match["name"],
        category=match["category"],
        text="\n".join(line.rstrip() for line in text.strip().splitlines()),
        path=path.relative_to(root).as_posix(),
    )


def load_fragments(root: Path) -> list[Fragment]:
    """Every valid fragment under ``root/changes``, sorted by build, notes order, then name.

    Files that `jwst-builds validate` reports (bad names, unknown categories,
    empty or badly shaped text, folders that are no build id or have no build
    record) are left out.
    """
    decl = declaration(root)
    found = []
    for folder in build_folders(root):
        if not BUILD_FOLDER.match(folder.name):
            continue
        if not (root / "builds" / f"{folder.name}.yaml").is_file():
            continue
        for path in iter_files(folder):
            frag = read(root, path, decl)
            if frag is not None:
                found.append(frag)
    return sorted(found, key=lambda f: fragment_key(f, decl))


def fragment_key(frag: Fragment, decl: Declaration) -> tuple[tuple[int, ...], int, str]:
    return (version_key(frag.build), decl.order(frag.category), frag.name)


def builds_with_fragments(root: Path) -> list[str]:
    """Ids of the builds that have at least one valid fragment, oldest first."""
    return sorted({f.build for f in load_fragments(root)}, key=version_key)
