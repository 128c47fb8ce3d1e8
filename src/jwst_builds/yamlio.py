"""Reading data files safely: the bytes and text of a file, and the files of a folder.

Every file is read without following links or blocking (:func:`read_bytes`), and
any file that cannot be read as UTF-8 text ends as one located problem. Turning
the text into data is :mod:`jwst_builds.yamlparse`'s job; this module imports no
YAML library, so that a run answered from the cache never loads one.
"""

from __future__ import annotations

import errno
import os
import stat
from collections.abc import Iterator
from pathlib import Path

from .problems import Problem

#: Record files are a few kilobytes; anything this large is a mistake or an attack.
MAX_BYTES = 1_000_000


class LoadError(Exception):
    """A file that could not be read as data; carries its one problem."""

    def __init__(self, problem: Problem) -> None:
        super().__init__(problem.text())
        self.problem = problem


_KINDS = (
    (stat.S_ISDIR, "a folder"),
    (stat.S_ISFIFO, "a named pipe"),
    (stat.S_ISSOCK, "a socket"),
    (stat.S_ISCHR, "a device"),
    (stat.S_ISBLK, "a device"),
)


def _refused(shown: str, message: str, hint: str = "") -> LoadError:
    return LoadError(Problem(shown, 1, 1, "", message, hint))


_TOO_BIG = "a record is a few kilobytes; split it or remove what does not belong"


def read_bytes(
    path: str | Path, shown: str, limit: int = MAX_BYTES, too_big: str = _TOO_BIG
) -> bytes:
    """The bytes of a regular file of at most ``limit`` bytes, or LoadError.

    Never follows a symbolic link (a link is reported, so that nothing writes
    through it later) and never blocks: a named pipe or a device named like a
    data file is reported without being read.
    """
    # O_NOFOLLOW refuses a link in the same call that opens the file; where there is
    # no such flag, ask first
    if not _NOFOLLOW and os.path.islink(path):
        raise _symlink(shown)
    try:
        fd = os.open(path, os.O_RDONLY | _NOFOLLOW | getattr(os, "O_NONBLOCK", 0))
    except OSError as exc:
        if exc.errno == errno.ELOOP and os.path.islink(path):
            raise _symlink(shown) from exc
        raise _refused(shown, f"cannot read file: {exc.strerror}") from exc
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            kind = next((name for test, name in _KINDS if test(info.st_mode)), "not a file")
            hint = "only regular files belong here; remove it or rename it"
            raise _refused(shown, f"is {kind}, not a regular file", hint)
        raw = _read_all(fd, min(info.st_size, limit) + 1, limit + 1)
    except OSError as exc:
        raise _refused(shown, f"cannot read file: {exc.strerror}") from exc
    finally:
        os.close(fd)
    if len(raw) > limit:
        size = max(info.st_size, len(raw))
        raise _refused(shown, f"file is {size:,} bytes, over the limit of {limit:,}", too_big)
    return raw


_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)


def _symlink(shown: str) -> LoadError:
    return _refused(
        shown,
        "is a symbolic link; data files are regular files",
        "replace the link with the file it points to",
    )


def _read_all(fd: int, first: int, most: int) -> bytes:
    """Up to ``most`` bytes: ``first`` (the size plus one) in one call, which comes back
    short at the end of a regular file; then more, in case it grew since its size was
    taken."""
    raw = os.read(fd, first)
    if len(raw) < first:
        return raw
    while len(raw) < most:
        more = os.read(fd, most - len(raw))
        if not more:
            break
        raw += more
    return raw


def decode(raw: bytes, shown: str) -> str:
    """UTF-8 text without a byte-order mark, or LoadError naming the first bad byte."""
    if raw.startswith((b"\xfe\xff", b"\xff\xfe")):
        raise LoadError(
            Problem(shown, 1, 1, "", "file is UTF-16 text, not UTF-8", "save the file as UTF-8")
        )
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    nul = raw.find(b"\x00")
    if nul >= 0:
        line, col = _place_of(raw, nul)
        # UTF-16 without a byte-order mark is valid UTF-8 full of NUL bytes
        utf16 = raw.count(b"\x00") > 1
        hint = "it looks like UTF-16; save the file as UTF-8" if utf16 else "remove it"
        raise LoadError(
            Problem(shown, line, col, "", "NUL byte (0x00): the file is not text", hint)
        )
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line, col = _place_of(raw, exc.start)
        byte = raw[exc.start]
        raise LoadError(
            Problem(
                shown,
                line,
                col,
                "",
                f"byte 0x{byte:02x} is not valid UTF-8",
                "save the file as UTF-8",
            )
        ) from exc


def _place_of(raw: bytes, index: int) -> tuple[int, int]:
    """1-based line and column of a byte offset."""
    return raw.count(b"\n", 0, index) + 1, index - (raw.rfind(b"\n", 0, index) + 1) + 1


def read_text(path: Path, shown: str) -> str:
    """Read a data file as UTF-8 text, or raise LoadError with a located problem."""
    return text_of(read_bytes(path, shown), shown)


def text_of(raw: bytes, shown: str) -> str:
    """The text of a data file's bytes, or LoadError (not UTF-8, empty)."""
    text = decode(raw, shown)
    if not text.strip() or all(
        not ln.strip() or ln.lstrip().startswith("#") for ln in text.splitlines()
    ):
        raise LoadError(
            Problem(
                shown, 1, 1, "", "file is empty", "a record is a YAML mapping starting with 'id:'"
            )
        )
    return text


DATA_SUFFIXES = (".yaml", ".yml")


def relative_name(root: Path, path: Path) -> str | None:
    """``path`` relative to ``root`` (posix), without following a link at its end; None
    when it lies outside ``root``.

    The folders above it are resolved, the last part is not: a symbolic link named
    ``builds/10.2.yaml`` stays that name, whatever (or wherever) it points to.
    """
    full = Path(os.path.abspath(path))
    try:
        full = full.parent.resolve() / full.name if full.name else full.resolve()
        return full.relative_to(root.resolve()).as_posix()
    except (OSError, RuntimeError, ValueError):  # outside the root, or a loop above it
        return None


def unreadable(folder: Path) -> str | None:
    """Why a folder that exists cannot be listed (``Permission denied``), or None."""
    try:
        if folder.is_dir():
            os.listdir(folder)
    except OSError as exc:
        return exc.strerror or str(exc)
    return None


def names(folder: Path) -> list[str]:
    """The names in a folder, sorted; none when it cannot be listed (checks/records
    reports that)."""
    try:
        return sorted(os.listdir(folder)) if folder.is_dir() else []
    except OSError:
        return []


def entries(folder: Path) -> list[Path]:
    """Every entry of a folder, by name (as sorting the paths would order them)."""
    return [folder / name for name in names(folder)]


def data_names(folder: Path) -> Iterator[str]:
    """The names in a data folder that are named as data files (``<name>.yaml`` or ``.yml``).

    Whatever each one is: a symbolic link, a pipe or a folder so named is read
    by :func:`read_text`, which reports it; it is never skipped in silence.
    When both ``<name>.yaml`` and ``<name>.yml`` exist, only the first counts
    (checks/records reports the second).
    """
    seen: set[str] = set()
    for name in names(folder):
        stem, dot, suffix = name.rpartition(".")
        wanted = dot and "." + suffix in DATA_SUFFIXES and stem and not name.startswith(".")
        if wanted and stem not in seen:
            seen.add(stem)
            yield name


def iter_files(folder: Path) -> Iterator[Path]:
    """The paths of :func:`data_names`."""
    for name in data_names(folder):
        yield folder / name
