"""A per-file cache of what loading and schema-checking each data file found.

Like ruff's: an unchanged file is not parsed or validated again. Each entry is
keyed by the file's name and the hash of its bytes, and the whole cache by the
hash of the schema files and of the code that turns a file into data and
problems, so an edited schema, a new release of jwst-builds or a code change in
a checkout starts afresh. The cross-file checks always run, on the cached
records.

The cache is one file, ``.jwst-builds-cache/files-v1`` under the data root
(``JWST_BUILDS_CACHE_DIR`` puts it elsewhere): the fingerprint, then frames of a
thousand entries, each marshalled and hashed, so that neither writing nor reading
a cache of a big tree holds a second copy of it in memory. It is safe to delete at any time; a corrupt, stale or
unreadable cache is ignored, and one that cannot be written is not written.
The folder ignores itself in git and is tagged for backup tools.
"""

from __future__ import annotations

import contextlib
import marshal
import os
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any, NamedTuple

try:
    # hashlib would load OpenSSL first (5 ms here) only to hand back this same blake2b
    from _blake2 import blake2b
except ImportError:  # pragma: no cover - an interpreter without the _blake2 module
    from hashlib import blake2b

from .problems import Problem

__all__ = ["Cache", "Result", "blake2b", "digest", "folder", "pack", "unpack", "write_file"]

FOLDER = ".jwst-builds-cache"
FILE = "files-v1"
#: the modules whose code decides what a single file loads as and which problems it has
_CODE = (
    "cache.py",
    "checks/builds.py",
    "checks/single.py",
    "checks/sources.py",
    "dataset.py",
    "problems.py",
    "schemaerrors.py",
    "schemas.py",
    "yamlfast.py",
    "yamlguard.py",
    "yamlio.py",
)
_TAG = (
    "Signature: 8a477f597d28d172789f06886806bc55\n"
    "# This folder is a cache made by jwst-builds; it can be deleted at any time.\n"
)


class Result(NamedTuple):
    """What one file gave, found without looking at any other file."""

    #: the record when it loaded and passed its schema, else None
    data: Any
    #: why it did not load or pass (and a wrong modeline)
    problems: list[Problem]
    #: what the rules about one record alone found in it (checks/single.py)
    findings: tuple[Problem, ...] = ()
    #: every source id the record cites, for the cross-file check of citations
    cited: tuple[str, ...] = ()


def folder(root: Path) -> Path:
    """Where the cache of ``root`` lives."""
    chosen = os.environ.get("JWST_BUILDS_CACHE_DIR")
    return Path(chosen) if chosen else root / FOLDER


def digest(raw: bytes) -> bytes:
    return blake2b(raw, digest_size=16).digest()


def _fingerprint(root: Path) -> bytes:
    """What every entry depends on besides the file itself."""
    hasher = blake2b(digest_size=16)
    hasher.update(FILE.encode() + sys.version.encode())
    here = Path(__file__).parent
    for name in _CODE:
        hasher.update((here / name).read_bytes())
    schema = root / "schema"
    for path in sorted(schema.glob("*.schema.json")) if schema.is_dir() else ():
        hasher.update(path.name.encode() + b"\0" + path.read_bytes())
    return hasher.digest()


def pack(problem: Problem) -> tuple[Any, ...]:
    p = problem
    return (p.file, p.line, p.col, p.field, p.message, p.hint, p.code, p.where, p.at_key)


def unpack(fields: tuple[Any, ...]) -> Problem:
    file, line, col, field, message, hint, code, where, at_key = fields
    return Problem(file, line, col, field, message, hint, code, tuple(where), at_key)


#: the file starts with these bytes and the fingerprint, then holds frames: each the
#: length (4 bytes), the hash (16) and the marshal of a list of entries
_MAGIC = b"jwbcache"
#: entries per frame: a frame is built and read whole, so memory stays bounded
_FRAME = 1000
Entry = tuple[bytes, Any, list[tuple[Any, ...]], list[tuple[Any, ...]], tuple[str, ...]]
#: one shared "no problems" for the entries of every clean file
_NONE: list[tuple[Any, ...]] = []


class Cache:
    """The entries of one data root; a disabled cache finds nothing and writes nothing."""

    def __init__(self, root: Path, enabled: bool = True) -> None:
        self.path = folder(root) / FILE
        self.enabled = enabled
        #: entries not yet asked for; what is left at the end belongs to files gone
        self._old: dict[str, Entry] = {}
        self._new: dict[str, Entry] = {}
        self._changed = False
        #: what every entry depends on besides its file: Python, code and schema files
        self.fingerprint = b""
        if enabled:
            try:
                self.fingerprint = _fingerprint(root)
                self._old = self._read()
            except (OSError, ValueError):
                self.enabled = False  # the code or schema files cannot be read: no cache

    def _read(self) -> dict[str, Entry]:
        try:
            with self.path.open("rb") as handle:
                if handle.read(len(_MAGIC) + 16) != _MAGIC + self.fingerprint:
                    return {}  # another version, other schemas, or not a cache at all
                entries: dict[str, Entry] = {}
                while head := handle.read(20):
                    size, check = int.from_bytes(head[:4], "little"), head[4:]
                    frame = handle.read(size)
                    if len(head) < 20 or len(frame) < size or digest(frame) != check:
                        return {}  # truncated or damaged: start afresh
                    for name, *entry in marshal.loads(frame):
                        entries[name] = tuple(entry)
                return entries
        except (OSError, EOFError, ValueError, TypeError):
            return {}

    def get(self, name: str, key: bytes) -> Result | None:
        """What ``name`` gave when its bytes hashed to ``key``, or None."""
        entry = self._old.pop(name, None)
        if entry is None or entry[0] != key:
            self._changed |= entry is not None
            return None
        try:
            _, data, problems, findings, cited = entry
            result = Result(
                data,
                [unpack(p) for p in problems],
                tuple(unpack(p) for p in findings),
                tuple(cited),
            )
        except (TypeError, ValueError):  # an entry of another shape: treat as missing
            self._changed = True
            return None
        self._new[name] = entry
        return result

    def put(self, name: str, key: bytes, result: Result) -> None:
        if self.enabled:
            self._new[name] = (
                key,
                result.data,
                [pack(p) for p in result.problems] or _NONE,
                [pack(p) for p in result.findings] or _NONE,
                result.cited,
            )
            self._changed = True

    def save(self) -> None:
        """Write the entries seen in this run (files gone are dropped), if any changed."""
        if not self.enabled or not (self._changed or self._old):
            return
        # a read-only checkout or the packaged snapshot: run without a cache
        with contextlib.suppress(OSError, ValueError):  # ValueError: a value marshal refuses
            write_file(self.path, self._frames())

    def _frames(self) -> Iterator[bytes]:
        yield _MAGIC + self.fingerprint
        items = list(self._new.items())
        for start in range(0, len(items), _FRAME):
            frame = marshal.dumps([(name, *entry) for name, entry in items[start : start + _FRAME]])
            yield len(frame).to_bytes(4, "little") + digest(frame) + frame


def write_file(path: Path, blobs: Iterator[bytes]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    for name, text in ((".gitignore", "# made by jwst-builds\n*\n"), ("CACHEDIR.TAG", _TAG)):
        if not (path.parent / name).exists():
            (path.parent / name).write_text(text, encoding="utf-8")
    import tempfile  # only when writing

    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".files-", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            for blob in blobs:
                handle.write(blob)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
