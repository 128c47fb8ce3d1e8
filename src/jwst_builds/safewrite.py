"""Replace a data file in place without ever losing an edit or leaving half a file.

`fmt` and `new release` read a file, compute its new text, and replace it. Three
things can go wrong between the read and the replace, and each is refused:

- someone saved the file meanwhile (an editor): the bytes on disk are compared
  with the bytes that were read, just before the replace;
- the path is a symbolic link: replacing it would cut the link and leave its
  target with the old text;
- the file is read-only: its owner asked for it not to change.

The new text goes to a temporary file beside the target, then over it with one
:func:`os.replace`. The temporary name starts with ``.`` and holds
:data:`TEMP_MARK`, so that `validate` can name a file that an interrupted run
left behind (a killed process cannot clean up after itself).
"""

from __future__ import annotations

import os
from pathlib import Path

#: part of every temporary file name this package creates beside a data file
TEMP_MARK = ".jwst-builds-"


class WriteRefused(Exception):
    """The file was not replaced; the message says why in one line."""


def temp_path(target: Path) -> Path:
    """A fresh hidden name beside ``target``: ``.<name>.jwst-builds-<random>.tmp``."""
    import secrets  # only when writing: a read-only run never needs it (nor OpenSSL)

    return target.with_name(f".{target.name}{TEMP_MARK}{secrets.token_hex(6)}.tmp")


def is_temp_name(name: str) -> bool:
    """Whether a file name is one of :func:`temp_path`'s."""
    return name.startswith(".") and TEMP_MARK in name and name.endswith(".tmp")


def _current(path: Path) -> bytes | None:
    try:
        return path.read_bytes()
    except OSError:
        return None


def _writable(path: Path) -> bool:
    return os.access(path, os.W_OK)


def replace_file(path: Path, data: bytes, expected: bytes) -> None:
    """Replace ``path`` with ``data`` if it still holds exactly ``expected``.

    Raises WriteRefused (nothing written) or OSError from the file system.
    """
    if path.is_symlink():
        raise WriteRefused("is a symbolic link; replacing it would cut the link")
    if not _writable(path):
        raise WriteRefused("is read-only; make it writable to reformat it")
    mode = path.stat().st_mode & 0o7777
    tmp = temp_path(path)
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, mode)
        if _current(path) != expected:
            raise WriteRefused(
                "changed on disk while it was being formatted; run the command again"
            )
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
