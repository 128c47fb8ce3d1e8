"""Load the whole data tree (sources, builds, issues) into plain Python records."""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from .cache import Cache, Result, blake2b, digest
from .problems import Problem
from .schemas import SCHEMA_FILES, schema_problems
from .yamlio import LoadError, data_names, read_bytes, text_of

SOURCES_FILE = "sources.yaml"
#: minimum CRDS context per instrument and mode (optional file)
INFLIGHT_FILE = "inflight-contexts.yaml"


@dataclass(slots=True)  # one per file: a big tree holds tens of thousands
class Record:
    """One data file that loaded and passed its schema."""

    kind: str
    file: str  # path relative to the data root, as shown in messages
    data: dict[str, Any]
    #: every source id it cites (found when the file was loaded; checks/sources.py)
    cited: tuple[str, ...] = ()

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
    #: what the rules about one record alone found (checks/single.py), cached with
    #: each file; the rules that compare records run on every load
    findings: list[Problem] = field(default_factory=list)
    #: a hash of the cache's fingerprint (Python, code, schemas) and of the name and bytes
    #: of every file loaded, in order (empty without the cache): the same value means no
    #: data file and no schema changed (lastrun.py keys on it)
    inputs: bytes = b""

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


@lru_cache(maxsize=1 << 14)  # bounded: a big tree has a few versions per build
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

#: one file to load and check: the root, its path and its record type
Job = tuple[Path, Path, str]


def _check_bytes(root: Path, path: Path, kind: str, raw: bytes) -> Result:
    """Load and schema-check one file's bytes."""
    from .yamlparse import parse_text  # here: a run answered from the cache never needs it

    shown = path.relative_to(root).as_posix()
    try:
        text = text_of(raw, shown)
        data = parse_text(text, shown)
    except LoadError as exc:
        return Result(None, [exc.problem])
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
    if not valid:
        return Result(None, found)
    from .checks.single import judge  # the checks import this module

    return judge(Record(kind, shown, data), found)


def _read_and_check(job: Job) -> tuple[bytes | None, Result]:
    """The unit of work of the worker processes: the hash of what was read (None when
    unreadable, never cached) and what the file gave. Reading here, not in the parent,
    keeps the bytes of a big tree out of the parent's memory."""
    root, path, kind = job
    try:
        raw = read_bytes(path, path.relative_to(root).as_posix())
    except LoadError as exc:
        return None, Result(None, [exc.problem])
    return digest(raw), _check_bytes(root, path, kind, raw)


def _modeline(root: Path, path: Path, kind: str) -> str:
    schema = root / "schema" / SCHEMA_FILES[kind]
    rel = os.path.relpath(schema, path.parent)
    return f"# yaml-language-server: $schema={Path(rel).as_posix()}"


#: fewer CPUs than this and a pool is slower than one process, even in wall time: the
#: records it sends back cost as much to pass as to build (measured on 2 CPUs)
_POOL_FROM_CPUS = 4


def workers(jobs: int = 0) -> int:
    """How many processes check files: ``jobs``, or (0) one per usable CPU, at most 8,
    when there are enough CPUs for a pool to pay."""
    if jobs > 0:
        return jobs
    usable = (
        os.sched_getaffinity(0) if hasattr(os, "sched_getaffinity") else range(os.cpu_count() or 1)
    )
    return min(len(usable), 8) if len(usable) >= _POOL_FROM_CPUS else 1


def _results(
    root: Path, files: list[tuple[str, str]], store: Cache, processes: int, seen: Any = None
) -> list[Result]:
    """What each file (by name under ``root``) gave, from the cache when its bytes are
    unchanged.

    In one process each file is checked as soon as it is read; with a pool the
    files the cache does not know are handed to the workers by path. ``seen`` (a
    hasher) is given each file's name and the hash of its bytes, or why it was unreadable.
    """
    parallel = processes >= 2 and len(files) >= _PARALLEL_FROM
    out: list[Result] = []
    misses: list[tuple[int, Job]] = []
    base = str(root)
    for shown, kind in files:
        try:
            # a string, not a Path: making 50,000 path objects costs more than reading
            raw = read_bytes(os.path.join(base, shown), shown)
        except LoadError as exc:  # a link, a pipe, too big: reported, never cached
            out.append(Result(None, [exc.problem]))
            if seen is not None:
                seen.update(f"!{shown}\0{exc.problem.message}\0".encode())
            continue
        key = digest(raw) if store.enabled else b""
        if seen is not None:
            seen.update(shown.encode() + b"\0" + key)
        hit = store.get(shown, key) if store.enabled else None
        if hit is None and parallel:
            misses.append((len(out), (root, root / shown, kind)))
            hit = Result(None, [])
        elif hit is None:
            hit = _check_bytes(root, root / shown, kind, raw)
            store.put(shown, key, hit)
        out.append(hit)
    if len(misses) >= _PARALLEL_FROM:
        from concurrent.futures import ProcessPoolExecutor

        chunk = max(16, len(misses) // (processes * 8))
        with ProcessPoolExecutor(max_workers=processes) as pool:
            done = list(pool.map(_read_and_check, [job for _, job in misses], chunksize=chunk))
    else:  # a few changed files in a big tree: a pool would cost more than it saves
        done = [_read_and_check(job) for _, job in misses]
    for (index, (_, path, _)), (read, result) in zip(misses, done, strict=True):
        if read is not None:
            store.put(path.relative_to(root).as_posix(), read, result)
        out[index] = result
    return out


def load(root: Path, *, use_cache: bool = True, jobs: int = 0) -> Dataset:
    """Load and schema-check every data file under ``root``; collect all problems.

    Unchanged files come from the per-file cache (:mod:`jwst_builds.cache`) unless
    ``use_cache`` is False; ``jobs`` is the number of processes (0: chosen by size).
    """
    ds = Dataset(root=root)
    store = Cache(root, enabled=use_cache)
    # names, not paths: a tree of 50,000 files would hold 50,000 path objects
    files: list[tuple[str, str]] = []
    if (root / SOURCES_FILE).exists() or (root / SOURCES_FILE).is_symlink():
        files.append((SOURCES_FILE, "sources"))
    else:
        ds.problems.append(
            Problem(SOURCES_FILE, 0, 0, "", "file is missing", "records cite sources by id from it")
        )
    # a missing schema is a SchemaError (exit 2), never a reason to skip the file
    if (root / INFLIGHT_FILE).exists() or (root / INFLIGHT_FILE).is_symlink():
        files.append((INFLIGHT_FILE, "inflight"))
    files += [(f"builds/{name}", "build") for name in data_names(root / "builds")]
    files += [(f"issues/{name}", "issue") for name in data_names(root / "issues")]
    same: dict[tuple[str, ...], tuple[str, ...]] = {}
    seen = blake2b(store.fingerprint, digest_size=16) if store.enabled else None
    for (shown, kind), (data, found, findings, cited) in zip(
        files, _results(root, files, store, workers(jobs), seen), strict=True
    ):
        ds.problems.extend(found)
        ds.findings.extend(findings)
        if kind == "sources":
            if data is not None:
                ds.sources = {s["id"]: s for s in data["sources"]}
                ds.source_ids = [s["id"] for s in data["sources"]]
        elif kind == "inflight":
            if data is not None:
                ds.inflight = Record("inflight", INFLIGHT_FILE, data)
        else:
            stem = shown.rsplit("/", 1)[1].rpartition(".")[0]
            if data is None:
                ds.broken.add(stem)
            else:
                # Keyed by file name: a record whose id differs is reported by the checks.
                target = ds.builds if kind == "build" else ds.issues
                # one tuple for the records citing the same sources: a big tree repeats
                # a few sets
                target[stem] = Record(kind, shown, data, same.setdefault(cited, cited))
    store.save()
    if seen is not None:
        ds.inputs = seen.digest()
    return ds
