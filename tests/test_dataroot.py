"""Which data are used: --root, JWST_BUILDS_ROOT, the checkout, the packaged snapshot."""

from __future__ import annotations

import datetime as dt
import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from jwst_builds import dataroot
from jwst_builds.cli import cli

from .test_issues import issue_root

REPO = Path(__file__).resolve().parent.parent


@pytest.fixture
def snapshot(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A packaged snapshot (the small issue tree and a stamp), and an empty current folder."""
    data = issue_root(tmp_path / "site-packages" / "jwst_builds" / "_data")
    stamp = {"commit": "0123456789abcdef", "date": "2026-01-02T03:04:05+00:00", "date_of": "commit", "modified": False}  # fmt: skip
    (data / dataroot.STAMP).write_text(json.dumps(stamp), encoding="utf-8")
    monkeypatch.setattr(dataroot, "PACKAGED", data)
    empty = tmp_path / "empty"
    empty.mkdir()
    monkeypatch.chdir(empty)
    monkeypatch.delenv(dataroot.ENV, raising=False)
    return data


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, list(args))
    return result.exit_code, result.stdout, result.stderr


def test_order_of_roots(snapshot: Path, tmp_path: Path) -> None:
    """--root beats the variable, which beats the checkout, which beats the snapshot."""
    checkout = issue_root(tmp_path / "checkout")
    other = issue_root(tmp_path / "other")
    inside = checkout / "builds"
    env = {dataroot.ENV: str(other)}
    assert ("option", checkout) == _found(checkout, inside, env)
    assert ("environment", other) == _found(None, inside, env)
    assert ("checkout", checkout) == _found(None, inside, {})
    assert ("packaged", snapshot) == _found(None, tmp_path / "empty", {})


def _found(root: Path | None, cwd: Path, env: dict[str, str]) -> tuple[str, Path]:
    found = dataroot.resolve(root, cwd=cwd, environ=env)
    return found.origin, found.path


def test_installed_checkout_is_the_last_fallback(
    snapshot: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Without a snapshot, an editable install reads the checkout it runs from."""
    checkout = issue_root(tmp_path / "checkout")
    (checkout / "src" / "jwst_builds").mkdir(parents=True)
    monkeypatch.setattr(dataroot, "PACKAGED", checkout / "src" / "jwst_builds" / "_data")
    found = dataroot.resolve(cwd=tmp_path / "empty", environ={})
    assert ("installed-checkout", checkout) == (found.origin, found.path)
    with pytest.raises(dataroot.DataRootError):
        dataroot.resolve(cwd=tmp_path / "empty", environ={}, fallback=False)


def test_read_only_commands_use_the_snapshot(snapshot: Path) -> None:
    """Outside a checkout, affects, show and operations answer from the packaged snapshot."""
    code, out, err = run("affects", "--cal-ver", "0.2.0", "--format", "json")
    assert (0, "", "1.1") == (code, err, json.loads(out)["release"]["build"])
    assert 0 == run("operations", "--on", "2024-07-01")[0]
    assert 0 == run("show", "1.2")[0]


@pytest.mark.parametrize(
    "command", [["fmt", "--check"], ["new", "build", "9.9"], ["export", "--out", "x"]]
)
def test_commands_that_write_need_a_checkout(snapshot: Path, command: list[str]) -> None:
    """fmt, new and export refuse the packaged snapshot with one line (exit 2)."""
    code, _, err = run(*command)
    assert (2, True) == (
        code,
        err.splitlines()[-1].startswith(
            f"Error: no jwst-builds checkout here ({command[0]} changes"
        ),
    )
    assert [] == sorted(p.name for p in snapshot.glob("builds/9.9*"))


def test_environment_variable(
    snapshot: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """JWST_BUILDS_ROOT names the data; a folder without data is a usage error."""
    other = issue_root(tmp_path / "other")
    shutil.rmtree(other / "issues")
    monkeypatch.setenv(dataroot.ENV, str(other))
    code, out, _ = run("affects", "--cal-ver", "0.2.0", "--format", "json")
    assert (0, 0) == (code, json.loads(out)["records_checked"])
    monkeypatch.setenv(dataroot.ENV, str(tmp_path / "empty"))
    code, _, err = run("affects", "--cal-ver", "0.2.0")
    message = (
        f"Error: {dataroot.ENV}={tmp_path / 'empty'} holds no schema/build.schema.json and builds/"
    )
    assert (2, message) == (code, err.splitlines()[-1])


def test_version_and_info_name_the_data(snapshot: Path) -> None:
    """--version and info say which data are in use, where, and of which commit."""
    code, out, _ = run("--version")
    lines = out.splitlines()
    assert (0, 2, True) == (code, len(lines), lines[0].startswith("jwst-builds "))
    assert lines[1].startswith(
        f"data: the snapshot packaged with jwst-builds ({snapshot}), commit 0123456789ab of 2026-01-02, "
    )
    code, out, _ = run("info")
    assert 0 == code
    assert f"path:       {snapshot}" in out.splitlines()
    assert "records:    4 builds, 7 jwst releases, 7 known issues, 2 sources" in out.splitlines()
    assert "operations: build 1.2 (jwst 0.3.1, jwst_0140.pmap) since 2024-10-01" in out.splitlines()


def test_version_without_any_data(snapshot: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """--version still answers when no data can be found."""
    monkeypatch.setattr(dataroot, "PACKAGED", snapshot.parent / "missing")
    monkeypatch.setattr(dataroot, "find_root", lambda start: None)
    code, out, _ = run("--version")
    assert (0, True) == (
        code,
        out.splitlines()[1].startswith("data: none (no jwst-builds data here:"),
    )


def test_stamp_age_and_damage(tmp_path: Path) -> None:
    """A stamp gives the data's age in days; a damaged or missing stamp reads as unknown."""
    stamp = dataroot.Stamp("abc", "2026-01-02T03:04:05+00:00", "commit", False)
    assert 10 == stamp.age_days(dt.date(2026, 1, 12))
    (tmp_path / dataroot.STAMP).write_text("{not json", encoding="utf-8")
    assert dataroot.Stamp(None, None, None, None) == dataroot.read_stamp(tmp_path)
    assert {"commit": "unknown", "date": "unknown", "date_of": "unknown", "modified": None} == (
        dataroot.read_stamp(tmp_path / "missing").to_dict()
    )


def test_checkout_stamp_from_git() -> None:
    """In this checkout the stamp is the HEAD commit (when git is there)."""
    import subprocess

    head = subprocess.run(
        ["git", "-C", str(REPO), "rev-parse", "HEAD"], capture_output=True, text=True
    )
    if head.returncode != 0:
        pytest.skip("not a git checkout")
    stamp = dataroot.git_stamp(REPO)
    assert (head.stdout.strip(), "commit") == (stamp.commit, stamp.date_of)
