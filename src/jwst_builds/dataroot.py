"""Which data a command or a script reads, where they are, and how old they are.

In order: ``--root DIR`` (``load(root)`` in Python), the ``JWST_BUILDS_ROOT``
variable, a checkout found by walking up from the current folder, the snapshot packaged
inside the installed wheel, and finally the checkout an editable install runs from.
The last two are read-only fallbacks: commands that change files need a checkout.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from .dataset import find_root

#: environment variable naming the data root
ENV = "JWST_BUILDS_ROOT"
#: the packaged snapshot, inside the installed package
PACKAGED = Path(__file__).resolve().parent / "_data"
#: the stamp the build hook writes into the snapshot
STAMP = "stamp.json"
#: what the snapshot holds, relative to a data root (the build hook copies exactly these)
CONTENTS = (
    "builds",
    "issues",
    "schema",
    "changes",
    "sources.yaml",
    "inflight-contexts.yaml",
    "towncrier.toml",
)

ORIGINS = {
    "option": "--root",
    "environment": f"${ENV}",
    "checkout": "the checkout around the current folder",
    "packaged": "the snapshot packaged with jwst-builds",
    "installed-checkout": "the checkout jwst-builds is installed from",
}


class DataRootError(Exception):
    """No data where they were asked for, or none at all: one line."""


@dataclass(frozen=True)
class DataRoot:
    """A data root and how it was found (one of ORIGINS)."""

    path: Path
    origin: str

    @property
    def writable(self) -> bool:
        """Whether commands may change files here (not in a packaged or fallback copy)."""
        return self.origin in ("option", "environment", "checkout")


def _holds_data(path: Path) -> bool:
    return find_root(path) == path.resolve()


def resolve(
    root: Path | None = None,
    *,
    cwd: Path | None = None,
    environ: Mapping[str, str] | None = None,
    fallback: bool = True,
    named: str = "--root",
) -> DataRoot:
    """The data root to use; ``fallback`` allows the packaged snapshot and installed checkout.

    ``named`` is how messages call ``root`` (the option, or the argument of load()).
    """
    if root is not None:
        if not _holds_data(root):
            raise DataRootError(f"{named} {root} holds no schema/build.schema.json and builds/")
        return DataRoot(root.resolve(), "option")
    env = os.environ if environ is None else environ
    named = env.get(ENV, "").strip()
    if named:
        if not _holds_data(Path(named)):
            raise DataRootError(f"{ENV}={named} holds no schema/build.schema.json and builds/")
        return DataRoot(Path(named).resolve(), "environment")
    found = find_root(Path.cwd() if cwd is None else cwd)
    if found is not None:
        return DataRoot(found, "checkout")
    if fallback:
        if (PACKAGED / STAMP).is_file():
            return DataRoot(PACKAGED, "packaged")
        installed = find_root(PACKAGED.parent)
        if installed is not None:
            return DataRoot(installed, "installed-checkout")
    raise DataRootError(
        "no jwst-builds data here: no folder above the current one has schema/ and builds/ "
        f"(use --root DIR or set {ENV})"
    )


@dataclass(frozen=True)
class Stamp:
    """Which commit of the data a root holds and when it was made (None: unknown)."""

    commit: str | None
    date: str | None  # ISO 8601
    #: what the date is: the commit's date, SOURCE_DATE_EPOCH, or the time of the build
    date_of: str | None
    #: the data differ from the commit (uncommitted changes); None when unknown
    modified: bool | None

    def age_days(self, today: dt.date | None = None) -> int | None:
        if self.date is None:
            return None
        made = dt.datetime.fromisoformat(self.date.replace("Z", "+00:00")).date()
        return ((today or dt.date.today()) - made).days

    def to_dict(self) -> dict[str, str | bool | None]:
        return {
            "commit": self.commit or "unknown",
            "date": self.date or "unknown",
            "date_of": self.date_of or "unknown",
            "modified": self.modified,
        }


def read_stamp(path: Path) -> Stamp:
    """The stamp of a packaged snapshot; unknown fields when it is missing or damaged."""
    try:
        import json  # only the packaged snapshot has a stamp file

        data = json.loads((path / STAMP).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return Stamp(None, None, None, None)

    def known(key: str) -> str | None:
        value = data.get(key)
        return value if isinstance(value, str) and value != "unknown" else None

    modified = data.get("modified")
    return Stamp(
        known("commit"),
        known("date"),
        known("date_of"),
        modified if isinstance(modified, bool) else None,
    )


def git_stamp(path: Path) -> Stamp:
    """The stamp of a checkout: its last commit, and whether the data differ from it."""
    import subprocess  # here: only `info` and the exports ask, and it costs every command

    def git(*args: str) -> str | None:
        try:
            proc = subprocess.run(
                ["git", "-C", str(path), *args],
                capture_output=True,
                text=True,
                check=False,
                timeout=30,
            )
        except (OSError, subprocess.SubprocessError):
            return None  # no git on this machine
        return proc.stdout if proc.returncode == 0 else None

    log = (git("log", "-1", "--format=%H%n%cI") or "").split()
    if len(log) != 2:
        return Stamp(None, None, None, None)
    status = git("status", "--porcelain", "--", *CONTENTS)
    return Stamp(log[0], log[1], "commit", None if status is None else bool(status.strip()))


def stamp_of(root: DataRoot) -> Stamp:
    """The packaged stamp when the root has one, otherwise what git says."""
    return read_stamp(root.path) if (root.path / STAMP).is_file() else git_stamp(root.path)
