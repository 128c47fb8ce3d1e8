"""Write a set of files so that no reader ever sees a half-written one.

Every file is first written in full to a hidden temporary name in the target
folder; only when all of them are written are they moved over the old files
with :func:`os.replace`, which is atomic within one file system. If anything
fails while writing, the temporary files are removed and the previous export
is left exactly as it was.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Mapping
from pathlib import Path


def _temp_name(target: Path) -> Path:
    # Hidden, unique per call, and in the same folder so that os.replace is a rename.
    return target.with_name(f".{target.name}.{uuid.uuid4().hex[:12]}.tmp")


def _write_temp(path: Path, data: bytes) -> None:
    """Create ``path`` (which must not exist) and write ``data`` to it."""
    # O_EXCL: never follow or reuse a file someone else put there; 0o666 lets the umask decide.
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
    with os.fdopen(fd, "wb") as fh:
        fh.write(data)


def write_files(folder: Path, files: Mapping[str, bytes]) -> list[Path]:
    """Write ``files`` (name -> content) into ``folder``: all of them, or none.

    Returns the paths written, sorted by name.
    """
    folder.mkdir(parents=True, exist_ok=True)
    pending: list[tuple[Path, Path]] = []
    try:
        for name in sorted(files):
            target = folder / name
            temp = _temp_name(target)
            pending.append((temp, target))
            _write_temp(temp, files[name])
    except BaseException:
        for temp, _ in pending:
            temp.unlink(missing_ok=True)
        raise
    # Renames within one folder do not fail in practice; if one did, the files
    # already renamed would be new and the rest old, so remove what is left.
    try:
        for temp, target in pending:
            os.replace(temp, target)
    finally:
        for temp, _ in pending:
            temp.unlink(missing_ok=True)
    return [target for _, target in pending]
