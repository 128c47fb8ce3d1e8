"""Load the whole data tree (sources, builds, issues) into plain Python records."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .problems import Problem
from .schemas import SCHEMA_FILES, schema_problems
from .yamlio import LoadError, iter_files, load_data

SOURCES_FILE = "sources.yaml"


@dataclass
class Record:
    """One data file that loaded and passed its schema."""

    kind: str
    file: str  # path relative to the data root, as shown in messages
    data: dict[str, Any]

    @property
    def id(self) -> str:
        return str(self.data["id"])


@dataclass
class Dataset:
    root: Path
    sources: dict[str, dict[str, Any]] = field(default_factory=dict)
    builds: dict[str, Record] = field(default_factory=dict)
    issues: dict[str, Record] = field(default_factory=dict)
    #: ids (file stems) of records that failed to load or validate: references
    #: to them are not reported again as dangling.
    broken: set[str] = field(default_factory=set)
    problems: list[Problem] = field(default_factory=list)

    def releases(self) -> Iterator[tuple[Record, dict[str, Any]]]:
        """Every (build, release) pair, builds in version order."""
        for build in sorted(self.builds.values(), key=lambda b: version_key(b.id)):
            for rel in build.data["releases"]:
                yield build, rel

    def release(self, jwst_version: str) -> tuple[Record, dict[str, Any]] | None:
        for build, rel in self.releases():
            if rel["jwst_version"] == jwst_version:
                return build, rel
        return None


def version_key(text: str) -> tuple[int, ...]:
    """Sort key for dotted numeric versions ("1.10.2" after "1.9.6")."""
    return tuple(int(p) for p in text.split(".") if p.isdigit())


def find_root(start: Path) -> Path | None:
    """Walk up from ``start`` to the folder that holds schema/ and builds/."""
    start = start.resolve()
    for folder in (start, *start.parents):
        if (folder / "schema" / SCHEMA_FILES["build"]).is_file() and (folder / "builds").is_dir():
            return folder
    return None


def _load_one(ds: Dataset, path: Path, kind: str) -> dict[str, Any] | None:
    shown = path.relative_to(ds.root).as_posix()
    try:
        data = load_data(path, shown)
    except LoadError as exc:
        ds.problems.append(exc.problem)
        return None
    found = schema_problems(ds.root / "schema", kind, data, shown)
    ds.problems.extend(found)
    return None if found else data


def load(root: Path) -> Dataset:
    """Load and schema-check every data file under ``root``; collect all problems."""
    ds = Dataset(root=root)
    src_path = root / SOURCES_FILE
    if src_path.is_file():
        data = _load_one(ds, src_path, "sources")
        if data is not None:
            ds.sources = {s["id"]: s for s in data["sources"]}
    else:
        ds.problems.append(Problem(SOURCES_FILE, 0, 0, "", "file is missing", "records cite sources by id from it"))
    kinds = [("builds", "build")]
    if (root / "schema" / SCHEMA_FILES["issue"]).is_file():
        kinds.append(("issues", "issue"))
    for folder, kind in kinds:
        target = ds.builds if kind == "build" else ds.issues
        for path in iter_files(root / folder):
            data = _load_one(ds, path, kind)
            if data is None:
                ds.broken.add(path.stem)
            else:
                # Keyed by file name: a record whose id differs is reported by the checks.
                target[path.stem] = Record(kind, path.relative_to(root).as_posix(), data)
    return ds
