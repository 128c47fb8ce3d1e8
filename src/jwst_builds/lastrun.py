"""What the last full `validate` of a tree found, kept for a tree in which nothing changed.

The per-file cache (:mod:`jwst_builds.cache`) spares parsing an unchanged file, but
the rules that compare records would still run on every call. When nothing those
rules can see has changed, their answer cannot change either, so it is kept under a
key made of all of it:

- the name and bytes of every data file that was loaded, and the per-file cache's
  fingerprint of Python and the schema files (both hashed while loading);
- the names in ``builds/`` and ``issues/`` (the folder rules look at names only);
- every entry under ``changes/``, its kind and, for a file, its bytes;
- the towncrier declaration the fragment rules read;
- the size and time of every module of this package (as Python itself decides that a
  module's bytecode is current);
- the day, so that no rule that looks at the date can be answered from yesterday.

Anything that cannot be read or listed gives no key: that run does the full check.
The answer lives in ``lastrun-v1`` beside the per-file cache and is safe to delete.
"""

from __future__ import annotations

import contextlib
import datetime
import marshal
import os
import stat
from pathlib import Path
from typing import Any

from .cache import blake2b, digest, folder, pack, unpack, write_file
from .errors import ConfigError
from .fragments import CHANGES, config_path
from .problems import Problem

FILE = "lastrun-v1"
_MAGIC = b"jwblast1"
_PACKAGE = Path(__file__).resolve().parent
#: the folders whose names the folder rules read
_FOLDERS = ("builds", "issues")


def key(root: Path, inputs: bytes) -> bytes | None:
    """The key of everything the checks of ``root`` depend on, given ``inputs`` (the hash
    of the loaded files, from :func:`jwst_builds.dataset.load`); None when some part of
    it cannot be read, or ``inputs`` is empty (the cache was off)."""
    if not inputs:
        return None
    hasher = blake2b(inputs, digest_size=16)
    hasher.update(datetime.date.today().isoformat().encode())
    try:
        _code(hasher)
        for name in _FOLDERS:
            _names(hasher, os.path.join(root, name))
        # the fragment rules follow changes/ itself when it is a link, and no link below it
        _tree(hasher, os.path.realpath(os.path.join(root, CHANGES)), CHANGES)
        declaration = config_path(root)
        hasher.update(os.fsencode(declaration) + b"\0" + digest(declaration.read_bytes()))
    except (OSError, ConfigError):  # no declaration: the full run reports it
        return None
    return hasher.digest()


def _code(hasher: Any) -> None:
    update = hasher.update
    for top, dirs, files in os.walk(_PACKAGE):
        dirs[:] = sorted(d for d in dirs if d != "__pycache__")
        for name in sorted(files):
            if name.endswith(".py"):
                st = os.stat(os.path.join(top, name))
                update(f"{top}/{name}\0{st.st_size}\0{st.st_mtime_ns}\0".encode())


def _names(hasher: Any, path: str) -> None:
    """The sorted names in ``path``; a missing folder counts as empty."""
    update = hasher.update
    try:
        listing = sorted(os.listdir(path))
    except FileNotFoundError:
        update(b"-" + os.fsencode(path))
        return
    update(b"N" + os.fsencode(path))
    for name in listing:
        update(os.fsencode(name) + b"\0")


def _tree(hasher: Any, path: str, shown: str) -> None:
    """Every entry under ``path`` with its kind, and the bytes of each regular file."""
    update = hasher.update
    try:
        mode = os.lstat(path).st_mode
    except FileNotFoundError:
        update(b"-" + shown.encode())
        return
    update(f"{stat.S_IFMT(mode)}:{stat.S_IMODE(mode)}:{shown}\0".encode())
    if stat.S_ISDIR(mode):
        for name in sorted(os.listdir(path)):
            _tree(hasher, os.path.join(path, name), f"{shown}/{name}")
    elif stat.S_ISREG(mode):
        with open(path, "rb") as handle:
            update(digest(handle.read()))


def recall(root: Path, at: bytes) -> list[Problem] | None:
    """The problems kept under ``at``, or None (no answer, another key, or a damaged file)."""
    try:
        with open(folder(root) / FILE, "rb") as handle:
            raw = handle.read()
        head = len(_MAGIC) + 32
        if raw[: len(_MAGIC) + 16] != _MAGIC + at or digest(raw[head:]) != raw[head - 16 : head]:
            return None
        return [unpack(p) for p in marshal.loads(raw[head:])]
    except (OSError, EOFError, ValueError, TypeError):
        return None


def remember(root: Path, at: bytes, problems: list[Problem]) -> None:
    """Keep ``problems`` under ``at``; a cache that cannot be written is left alone."""
    with contextlib.suppress(OSError, ValueError):  # ValueError: a value marshal refuses
        body = marshal.dumps([pack(p) for p in problems])
        write_file(folder(root) / FILE, iter((_MAGIC + at + digest(body), body)))
