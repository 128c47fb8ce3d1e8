"""The pull-request check: data changes since a base ref need a release-note fragment.

Compares ``merge-base(REF, HEAD)`` with ``HEAD`` (the commits of the branch, not the
working tree). A change under ``builds/`` or ``issues/`` needs at least one fragment
added under ``changes/<build>/``. Only git is asked; nothing is written.
"""

from __future__ import annotations

import subprocess
from dataclasses import dataclass, field
from pathlib import Path

from .fragments import CHANGES

#: folders whose changes need a fragment
DATA_FOLDERS = ("builds", "issues")


class UsageProblem(Exception):
    """The check cannot run: no git, no repository, or REF is not in the clone."""


@dataclass
class Result:
    base: str
    #: changed data files, relative to the data root, sorted
    data_changes: list[str] = field(default_factory=list)
    #: fragment files added, relative to the data root, sorted
    fragments_added: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.data_changes or bool(self.fragments_added)

    def message(self) -> str:
        data, frags = self.data_changes, self.fragments_added
        if not data:
            return f"no changes under builds/ or issues/ since {self.base}: no fragment needed"
        if frags:
            return (
                f"{_count(len(data), 'data file')} changed and "
                f"{_count(len(frags), 'fragment')} added since {self.base}: ok"
            )
        listed = "\n".join(f"  {p}" for p in data)
        return (
            f"{_count(len(data), 'data file')} changed since {self.base}, but no fragment was "
            f"added under {CHANGES}/:\n{listed}\n"
            f"add {CHANGES}/<build>/<name>.<category>.md saying what changed "
            "(see CONTRIBUTING.md (Release-note fragments))"
        )


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}{'s' * (n != 1)}"


def _git(repo: Path, *args: str) -> subprocess.CompletedProcess[str]:
    try:
        return subprocess.run(
            ["git", "-C", str(repo), *args],
            capture_output=True,
            text=True,
            encoding="utf-8",
            errors="replace",
            check=False,
        )
    except FileNotFoundError as exc:
        raise UsageProblem("git is not installed or not on PATH") from exc


def _out(repo: Path, *args: str) -> str:
    proc = _git(repo, *args)
    if proc.returncode != 0:
        detail = proc.stderr.strip().splitlines()
        raise UsageProblem(
            f"git {' '.join(args)} failed: {detail[-1] if detail else proc.returncode}"
        )
    return proc.stdout


def run(root: Path, base: str) -> Result:
    """Compare the branch with ``base``; raise UsageProblem when that is impossible."""
    top = _git(root, "rev-parse", "--show-toplevel")
    if top.returncode != 0:
        raise UsageProblem(f"{root} is not inside a git repository")
    if _git(root, "rev-parse", "--verify", "--quiet", "HEAD^{commit}").returncode != 0:
        raise UsageProblem("the repository has no commit yet")
    shallow = _out(root, "rev-parse", "--is-shallow-repository").strip() == "true"
    if _git(root, "rev-parse", "--verify", "--quiet", f"{base}^{{commit}}").returncode != 0:
        raise UsageProblem(_missing_ref(base, shallow))
    merge_base = _git(root, "merge-base", base, "HEAD")
    if merge_base.returncode != 0:
        if shallow:
            raise UsageProblem(
                f"{base} and HEAD have no common commit in this shallow clone: the history "
                "between them was not fetched. In CI check out with `fetch-depth: 0` "
                f"(actions/checkout), or run `git fetch --unshallow`"
            )
        raise UsageProblem(
            f"{base} and HEAD share no history: compare against the branch this one starts from"
        )
    prefix = _out(root, "rev-parse", "--show-prefix").strip()
    diff = _out(
        root,
        "diff",
        "--name-status",
        "--no-renames",
        "-z",
        merge_base.stdout.strip(),
        "HEAD",
        "--",
        ".",
    )
    return _result(base, diff, prefix)


def _missing_ref(base: str, shallow: bool) -> str:
    text = f"{base} is not a commit in this clone"
    if shallow:
        return (
            f"{text}, which is shallow (only the latest commits were fetched). "
            "In CI check out with `fetch-depth: 0` (actions/checkout) so that the base branch "
            f"and its history are present, or fetch it first: `git fetch origin <branch>`"
        )
    return (
        f"{text}: fetch it first (`git fetch origin <branch>`) "
        "or name an existing branch, tag or commit"
    )


def _result(base: str, diff: str, prefix: str) -> Result:
    """Sort the ``git diff --name-status -z`` output into data changes and added fragments."""
    result = Result(base)
    fields = diff.split("\0")
    for status, path in zip(fields[0::2], fields[1::2], strict=False):
        if not status:
            continue
        rel = path[len(prefix) :] if prefix and path.startswith(prefix) else path
        parts = rel.split("/")
        if parts[0] in DATA_FOLDERS and len(parts) > 1:
            result.data_changes.append(rel)
        elif status == "A" and _is_fragment(parts):
            result.fragments_added.append(rel)
    result.data_changes.sort()
    result.fragments_added.sort()
    return result


def _is_fragment(parts: list[str]) -> bool:
    return (
        len(parts) == 3
        and parts[0] == CHANGES
        and parts[2].endswith(".md")
        and not parts[2].startswith(".")
    )
