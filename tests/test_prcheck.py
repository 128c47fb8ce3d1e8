"""`jwst-builds check --base REF` on throwaway git repositories."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from jwst_builds.cli import cli

from .conftest import make_root

#: keep the user's and the system's git configuration out of the tests
GIT_ENV = {
    **os.environ,
    "GIT_CONFIG_NOSYSTEM": "1",
    "GIT_CONFIG_GLOBAL": os.devnull,
    "GIT_AUTHOR_NAME": "Test",
    "GIT_AUTHOR_EMAIL": "test@example.org",
    "GIT_COMMITTER_NAME": "Test",
    "GIT_COMMITTER_EMAIL": "test@example.org",
}
FRAGMENT_HINT = (
    "add changes/<build>/<name>.<category>.md saying what changed "
    "(see CONTRIBUTING.md (Release-note fragments))"
)


def git(repo: Path, *args: str) -> str:
    proc = subprocess.run(
        ["git", "-C", str(repo), *args], capture_output=True, text=True, env=GIT_ENV, check=True
    )
    return proc.stdout


def commit_all(repo: Path, message: str) -> None:
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", message)


def check(root: Path, base: str) -> Result:
    return CliRunner().invoke(cli, ["--root", str(root), "check", "--base", base], env=GIT_ENV)


def last_line(result: Result) -> str:
    return result.stderr.strip().splitlines()[-1]


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """A git repository whose main branch holds the base data tree; HEAD is branch 'feature'."""
    root = make_root(tmp_path / "repo")
    git(root, "init", "-q", "-b", "main")
    commit_all(root, "base data")
    git(root, "checkout", "-q", "-b", "feature")
    return root


def edit_build(root: Path) -> None:
    path = root / "builds" / "1.1.yaml"
    path.write_text(
        path.read_text(encoding="utf-8").replace("2024-06-20", "2024-06-21"), encoding="utf-8"
    )


def add_fragment(root: Path, name: str = "date.other.md") -> None:
    folder = root / "changes" / "1.1"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / name).write_text("Corrected the release date of 0.2.1.\n", encoding="utf-8")


def test_data_change_without_fragment_fails(repo: Path) -> None:
    """A commit that changes builds/ but adds no fragment exits 1 and lists the file."""
    edit_build(repo)
    commit_all(repo, "fix a date")
    result = check(repo, "main")
    expected = (
        1,
        "",
        "1 data file changed since main, but no fragment was added under changes/:\n"
        "  builds/1.1.yaml\n" + FRAGMENT_HINT + "\n",
    )
    assert expected == (result.exit_code, result.stdout, result.stderr)


def test_data_change_with_fragment_passes(repo: Path) -> None:
    """A data change that comes with a new fragment passes."""
    edit_build(repo)
    add_fragment(repo)
    commit_all(repo, "fix a date, with a fragment")
    result = check(repo, "main")
    expected = (0, "1 data file changed and 1 fragment added since main: ok\n")
    assert expected == (result.exit_code, result.stdout)


def test_fragment_in_an_earlier_commit_of_the_branch_counts(repo: Path) -> None:
    """Every commit since the merge base counts, not only the last one."""
    add_fragment(repo)
    commit_all(repo, "fragment first")
    edit_build(repo)
    commit_all(repo, "then the data")
    expected = 0
    assert expected == check(repo, "main").exit_code


def test_deleting_an_issue_needs_a_fragment(repo: Path) -> None:
    """Removing a file under issues/ is a data change too."""
    git(repo, "checkout", "-q", "main")
    (repo / "issues").mkdir()
    (repo / "issues" / "old.yaml").write_text("id: old\n", encoding="utf-8")
    commit_all(repo, "an issue")
    git(repo, "checkout", "-q", "-b", "drop")
    (repo / "issues" / "old.yaml").unlink()
    commit_all(repo, "drop it")
    result = check(repo, "main")
    expected = (1, "  issues/old.yaml")
    assert expected == (result.exit_code, result.stderr.splitlines()[1])


def test_no_data_change_needs_no_fragment(repo: Path) -> None:
    """Changes outside builds/ and issues/ pass without a fragment."""
    (repo / "README.md").write_text("notes\n", encoding="utf-8")
    commit_all(repo, "docs")
    result = check(repo, "main")
    expected = (0, "no changes under builds/ or issues/ since main: no fragment needed\n")
    assert expected == (result.exit_code, result.stdout)


def test_uncommitted_changes_do_not_count(repo: Path) -> None:
    """Only commits are compared: an uncommitted data edit is not seen."""
    edit_build(repo)
    expected = 0
    assert expected == check(repo, "main").exit_code


@pytest.mark.parametrize("name", ["README.md", "notes.txt"])
def test_files_that_are_no_fragments_do_not_count(repo: Path, name: str) -> None:
    """A new file under changes/ that is no fragment does not satisfy the check."""
    edit_build(repo)
    target = repo / "changes" / name if name == "README.md" else repo / "changes" / "1.1" / name
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text("text\n", encoding="utf-8")
    commit_all(repo, "no real fragment")
    expected = 1
    assert expected == check(repo, "main").exit_code


def test_data_root_below_the_repository_top(tmp_path: Path) -> None:
    """Paths are read relative to the data root when it is a subfolder of the repository."""
    top = tmp_path / "top"
    root = make_root(top / "data")
    git(top, "init", "-q", "-b", "main")
    commit_all(top, "base")
    git(top, "checkout", "-q", "-b", "feature")
    edit_build(root)
    add_fragment(root)
    commit_all(top, "change")
    result = check(root, "main")
    expected = (0, "1 data file changed and 1 fragment added since main: ok\n")
    assert expected == (result.exit_code, result.stdout)


def test_unknown_ref_is_a_usage_error(repo: Path) -> None:
    """A REF the clone does not have exits 2 and says how to get it."""
    result = check(repo, "origin/main")
    expected = (
        2,
        "Error: origin/main is not a commit in this clone: fetch it first "
        "(`git fetch origin <branch>`) or name an existing branch, tag or commit",
    )
    assert expected == (result.exit_code, last_line(result))


def test_shallow_clone_without_ref_asks_for_full_history(repo: Path, tmp_path: Path) -> None:
    """In a shallow single-branch clone the message names fetch-depth: 0."""
    edit_build(repo)
    commit_all(repo, "change")
    clone = tmp_path / "clone"
    subprocess.run(
        ["git", "clone", "-q", "--depth", "1", "--branch", "feature", repo.as_uri(), str(clone)],
        check=True,
        env=GIT_ENV,
    )
    result = check(clone, "origin/main")
    expected = (
        2,
        "Error: origin/main is not a commit in this clone, which is shallow (only the latest "
        "commits were fetched). In CI check out with `fetch-depth: 0` (actions/checkout) so that "
        "the base branch and its history are present, or fetch it first: "
        "`git fetch origin <branch>`",
    )
    assert expected == (result.exit_code, last_line(result))


def test_shallow_clone_without_merge_base_asks_for_full_history(repo: Path, tmp_path: Path) -> None:
    """When REF is present but the common history was not fetched, exit 2 and say so."""
    edit_build(repo)
    commit_all(repo, "change on feature")
    git(repo, "checkout", "-q", "main")
    (repo / "README.md").write_text("main moved on\n", encoding="utf-8")
    commit_all(repo, "change on main")
    clone = tmp_path / "clone"
    subprocess.run(
        ["git", "clone", "-q", "--depth", "1", "--no-single-branch", "--branch", "feature",
         repo.as_uri(), str(clone)],
        check=True,
        env=GIT_ENV,
    )  # fmt: skip
    result = check(clone, "origin/main")
    expected = (
        2,
        "Error: origin/main and HEAD have no common commit in this shallow clone: the history "
        "between them was not fetched. In CI check out with `fetch-depth: 0` (actions/checkout), "
        "or run `git fetch --unshallow`",
    )
    assert expected == (result.exit_code, last_line(result))


def test_full_clone_works(repo: Path, tmp_path: Path) -> None:
    """A full clone (fetch-depth: 0) compares against origin/main."""
    edit_build(repo)
    commit_all(repo, "change")
    clone = tmp_path / "clone"
    subprocess.run(
        ["git", "clone", "-q", "--branch", "feature", repo.as_uri(), str(clone)],
        check=True,
        env=GIT_ENV,
    )
    expected = 1
    assert expected == check(clone, "origin/main").exit_code


def test_not_a_repository_is_a_usage_error(base_root: Path) -> None:
    """Outside a git repository the check exits 2 with a plain sentence."""
    result = check(base_root, "main")
    assert (2, f"Error: {base_root} is not inside a git repository") == (
        result.exit_code,
        last_line(result),
    )
