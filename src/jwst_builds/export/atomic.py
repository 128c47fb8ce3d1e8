"""Write the export folder so that no reader ever sees a half-written or mixed export.

Every file is first written in full into a new hidden folder beside the target.
Only when all of them are written does that folder take the target's place:
the previous export is renamed aside, the new folder renamed into place, and
the previous one removed. If anything fails before the swap, the new folder is
removed and the previous export is left exactly as it was; if the second rename
fails, the previous export is renamed back. At no moment does the target hold
files of two exports.

Because the whole folder is replaced, it may hold nothing but an export: a
folder with other files in it is refused rather than emptied.
"""

from __future__ import annotations

import os
import secrets
import shutil
from collections.abc import Collection, Mapping
from pathlib import Path

from ..safewrite import TEMP_MARK


class TargetRefused(Exception):
    """The output folder cannot take an export; the message says why in one line."""


def _beside(target: Path, kind: str) -> Path:
    return target.with_name(f".{target.name}{TEMP_MARK}{secrets.token_hex(6)}.{kind}")


def check_folder(folder: Path, names: Collection[str], allow: Collection[str] = ()) -> None:
    """Refuse a target that is a file, a link, or a folder holding anything but an export.

    ``names`` are the export's file names, relative to the folder (``api/10.2.json``);
    ``allow`` names more top-level entries the caller knows to be its own (a previous
    build's files that this one drops).
    """
    if folder.is_symlink():
        raise TargetRefused(f"{folder} is a symbolic link; give the folder itself")
    if not folder.exists():
        return
    if not folder.is_dir():
        raise TargetRefused(f"{folder} is not a folder")
    try:
        present = sorted(os.listdir(folder))
    except OSError as exc:
        raise TargetRefused(f"cannot read {folder}: {exc.strerror}") from exc
    tops = {Path(name).parts[0] for name in names} | set(allow)
    others = [name for name in present if name not in tops]
    if others:
        raise TargetRefused(
            f"{folder} holds {others[0]!r}, which is not part of an export; the export "
            "replaces the whole folder, so give an empty folder or a previous export"
        )


def write_files(
    folder: Path, files: Mapping[str, bytes], allow: Collection[str] = ()
) -> list[Path]:
    """Make ``folder`` hold exactly ``files`` (relative name -> content): all, or none.

    Returns the paths written, sorted by name. ``allow``: see :func:`check_folder`.
    """
    folder = Path(os.path.abspath(folder))
    check_folder(folder, files, allow)
    folder.parent.mkdir(parents=True, exist_ok=True)
    fresh = _beside(folder, "tmp")
    os.mkdir(fresh)
    try:
        for name in sorted(files):
            path = fresh / name
            path.parent.mkdir(parents=True, exist_ok=True)
            _write_temp(path, files[name])
        _swap(fresh, folder)
    except BaseException:
        shutil.rmtree(fresh, ignore_errors=True)
        raise
    return [folder / name for name in sorted(files)]


def _write_temp(path: Path, data: bytes) -> None:
    """Create ``path`` (which must not exist) and write ``data`` to it."""
    # O_EXCL in a folder just made: nothing else can have put a file or a link there;
    # 0o666 lets the umask decide, as for any file the user creates.
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
    with os.fdopen(fd, "wb") as handle:
        handle.write(data)


def _swap(fresh: Path, folder: Path) -> None:
    """Put ``fresh`` in the place of ``folder``, with the previous one back on failure."""
    if not folder.exists():
        os.rename(fresh, folder)
        return
    old = _beside(folder, "old")
    os.rename(folder, old)
    try:
        os.rename(fresh, folder)
    except BaseException:
        os.rename(old, folder)
        raise
    shutil.rmtree(old, ignore_errors=True)
