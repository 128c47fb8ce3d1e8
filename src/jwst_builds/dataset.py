"""Load the whole data tree (sources, builds, issues) into plain Python records."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from .problems import Problem
from .schemas import SCHEMA_FILES, schema_problems
from .yamlio import LoadError, iter_files, parse_text, read_text

SOURCES_FILE = "sources.yaml"
#: minimum CRDS context per instrument and mode (optional file)
INFLIGHT_FILE = "inflight-contexts.yaml"


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
    #: the ids of sources.yaml in file order, repeats included (checks/sources reports them)
    source_ids: list[str] = field(default_factory=list)
    builds: dict[str, Record] = field(default_factory=dict)
    issues: dict[str, Record] = field(default_factory=dict)
    #: ids (file stems) of records that failed to load or validate: references
    #: to them are not reported again as dangling.
    broken: set[str] = field(default_factory=set)
    #: inflight-contexts.yaml, when present and valid
    inflight: Record | None = None
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


#: a version part longer than this sorts after every real one (and is never parsed)
_PART_DIGITS = 18


@cache
def version_key(text: str) -> tuple[int, ...]:
    """Sort key for dotted numeric versions ("1.10.2" after "1.9.6").

    Only ASCII digits count ("²" and "①" are digits to Python, not to a
    version); a part too long for any real version sorts after all of them.
    """
    return tuple(
        int(p) if len(p) <= _PART_DIGITS else 10**_PART_DIGITS
        for p in text.split(".")
        if p.isascii() and p.isdigit()
    )


def find_root(start: Path) -> Path | None:
    """Walk up from ``start`` to the folder that holds schema/ and builds/."""
    start = start.resolve()
    for folder in (start, *start.parents):
        if (folder / "schema" / SCHEMA_FILES["build"]).is_file() and (folder / "builds").is_dir():
            return folder
    return None


#: below this many files a process pool costs more than it saves
_PARALLEL_FROM = 400


def _check_file(job: tuple[Path, Path, str]) -> tuple[dict[str, Any] | None, list[Problem]]:
    """Load and schema-check one file: the unit of work, run in worker processes for big trees."""
    root, path, kind = job
    shown = path.relative_to(root).as_posix()
    try:
        text = read_text(path, shown)
        data = parse_text(text, shown)
    except LoadError as exc:
        return None, [exc.problem]
    found = schema_problems(root / "schema", kind, data, shown)
    valid = not found
    modeline = _modeline(root, path, kind)
    if not text.startswith((modeline + "\n", modeline + "\r\n")):  # fmt fixes line endings
        # Editors use it to complete and check fields; it is also our canonical first line.
        found.append(
            Problem(
                shown, 1, 1, "", "the first line is not the schema modeline", f"make it: {modeline}"
            )
        )
    return (_shared(data) if valid else None), found


def _shared(node: Any) -> Any:
    """``node`` with every string interned: one object per distinct key and value.

    The loader makes a new string for each occurrence, and most are repeats (every
    release has the same keys, the same kinds and source ids); held for the whole
    run, the copies are most of the memory of a big tree. A worker's results share
    them within each batch it sends back.
    """
    if isinstance(node, dict):
        return {sys.intern(k) if type(k) is str else k: _shared(v) for k, v in node.items()}
    if isinstance(node, list):
        return [_shared(v) for v in node]
    return sys.intern(node) if type(node) is str else node


def _modeline(root: Path, path: Path, kind: str) -> str:
    schema = root / "schema" / SCHEMA_FILES[kind]
    rel = os.path.relpath(schema, path.parent)
    return f"# yaml-language-server: $schema={Path(rel).as_posix()}"


def _check_all(
    jobs: list[tuple[Path, Path, str]],
) -> list[tuple[dict[str, Any] | None, list[Problem]]]:
    usable = (
        os.sched_getaffinity(0) if hasattr(os, "sched_getaffinity") else range(os.cpu_count() or 1)
    )
    workers = min(len(usable), 8)
    if len(jobs) < _PARALLEL_FROM or workers < 2:
        return [_check_file(job) for job in jobs]
    from concurrent.futures import ProcessPoolExecutor

    with ProcessPoolExecutor(max_workers=workers) as pool:
        return list(pool.map(_check_file, jobs, chunksize=max(16, len(jobs) // (workers * 8))))


def load(root: Path) -> Dataset:
    """Load and schema-check every data file under ``root``; collect all problems."""
    ds = Dataset(root=root)
    src_path = root / SOURCES_FILE
    if src_path.exists() or src_path.is_symlink():
        data, found = _check_file((root, src_path, "sources"))
        ds.problems.extend(found)
        if data is not None:
            ds.sources = {s["id"]: s for s in data["sources"]}
            ds.source_ids = [s["id"] for s in data["sources"]]
    else:
        ds.problems.append(
            Problem(SOURCES_FILE, 0, 0, "", "file is missing", "records cite sources by id from it")
        )
    inflight_path = root / INFLIGHT_FILE
    if inflight_path.exists() or inflight_path.is_symlink():
        # a missing schema is a SchemaError (exit 2), never a reason to skip the file
        data, found = _check_file((root, inflight_path, "inflight"))
        ds.problems.extend(found)
        if data is not None:
            ds.inflight = Record("inflight", INFLIGHT_FILE, data)
    jobs = [(root, path, "build") for path in iter_files(root / "builds")]
    jobs += [(root, path, "issue") for path in iter_files(root / "issues")]
    for (_, path, kind), (data, found) in zip(jobs, _check_all(jobs), strict=True):
        ds.problems.extend(found)
        if data is None:
            ds.broken.add(path.stem)
        else:
            # Keyed by file name: a record whose id differs is reported by the checks.
            target = ds.builds if kind == "build" else ds.issues
            target[path.stem] = Record(kind, path.relative_to(root).as_posix(), data)
    return ds
