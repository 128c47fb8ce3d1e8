"""Which commit of the data an export was made from."""

from __future__ import annotations

import subprocess
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Commit:
    """The last commit of the data root; both fields are None outside a git checkout."""

    sha: str | None = None
    date: str | None = None  # committer date, strict ISO 8601 with its UTC offset


def data_commit(root: Path) -> Commit:
    """The commit (hash and committer date) of ``root``'s checkout, not the wall clock.

    Using the commit date rather than the time of the export keeps the output
    byte-identical for the same data.
    """
    try:
        proc = subprocess.run(
            ["git", "-C", str(root), "log", "-1", "--format=%H%n%cI"],
            capture_output=True,
            text=True,
            check=False,
            timeout=30,
        )
    except (OSError, subprocess.SubprocessError):
        return Commit()  # no git on this machine
    lines = proc.stdout.split()
    if proc.returncode != 0 or len(lines) != 2:
        return Commit()  # not a checkout, or one without commits
    return Commit(sha=lines[0], date=lines[1])
