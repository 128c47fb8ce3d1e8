"""The built package works anywhere: sdist and wheel built, the wheel installed in a fresh
virtual environment, and the commands and the documented API used from an empty folder."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tarfile
import zipfile
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent


def run(cmd: list[str | Path], cwd: Path, env: dict[str, str]) -> str:
    proc = subprocess.run(
        [str(c) for c in cmd], cwd=cwd, env=env, capture_output=True, text=True, timeout=600
    )
    assert 0 == proc.returncode, f"{cmd}:\n{proc.stdout[-3000:]}\n{proc.stderr[-3000:]}"
    return proc.stdout


def _head() -> str | None:
    proc = subprocess.run(
        ["git", "-C", str(REPO), "rev-parse", "HEAD"], capture_output=True, text=True, check=False
    )
    return proc.stdout.strip() if proc.returncode == 0 else None


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, dict[str, str]]:
    """(venv bin folder, dist folder, environment) after building and installing the wheel."""
    tmp = tmp_path_factory.mktemp("wheel")
    env = {k: v for k, v in os.environ.items() if k not in ("JWST_BUILDS_ROOT", "VIRTUAL_ENV")}
    venv = tmp / "venv"
    run([sys.executable, "-m", "venv", venv], tmp, env)
    bin_ = venv / "bin"
    run([bin_ / "python", "-m", "pip", "install", "-q", "build>=1.0"], tmp, env)
    # the sdist first, then the wheel from the sdist: the route pip and PyPI take
    run([bin_ / "python", "-m", "build", "--outdir", tmp / "dist", REPO], tmp, env)
    (wheel,) = (tmp / "dist").glob("*.whl")
    run([bin_ / "python", "-m", "pip", "install", "-q", f"{wheel}[fits]"], tmp, env)
    return bin_, tmp / "dist", env


def _empty(tmp_path: Path) -> Path:
    folder = tmp_path / "empty"
    folder.mkdir()
    return folder


def test_wheel_and_sdist_carry_the_stamped_data(
    installed: tuple[Path, Path, dict[str, str]],
) -> None:
    """The wheel holds every data file under jwst_builds/_data with a stamp of this commit;
    the sdist holds the data folders and the same stamp."""
    _, dist, _ = installed
    (wheel,) = dist.glob("*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    for folder in ("builds", "issues", "schema", "changes"):
        ours = sorted(
            p.relative_to(REPO).as_posix()
            for p in (REPO / folder).rglob("*")
            if p.is_file() and not p.name.startswith(".")
        )
        assert [] == [f for f in ours if f"jwst_builds/_data/{f}" not in names]
    for name in ("sources.yaml", "inflight-contexts.yaml", "towncrier.toml"):
        assert f"jwst_builds/_data/{name}" in names
    stamp = json.loads(zipfile.ZipFile(wheel).read("jwst_builds/_data/stamp.json"))
    assert (_head() or "unknown") == stamp["commit"]
    (sdist,) = dist.glob("*.tar.gz")
    with tarfile.open(sdist) as tar:
        member = next(m for m in tar.getmembers() if m.name.endswith("/data-stamp.json"))
        handle = tar.extractfile(member)
        assert handle is not None
        assert stamp == json.loads(handle.read())


def test_commands_from_an_empty_folder(
    installed: tuple[Path, Path, dict[str, str]], tmp_path: Path
) -> None:
    """--version names the packaged snapshot; affects and scan answer from it."""
    bin_, _, env = installed
    empty = _empty(tmp_path)
    version = run([bin_ / "jwst-builds", "--version"], empty, env).splitlines()
    assert version[1].startswith("data: the snapshot packaged with jwst-builds (")
    doc = json.loads(
        run(
            [bin_ / "jwst-builds", "affects", "--cal-ver", "1.14.0", "--format", "json"], empty, env
        )
    )
    assert ("10.2", "final") == (doc["release"]["build"], doc["release"]["kind"])
    from astropy.io import fits

    products = tmp_path / "products"
    products.mkdir()
    header = fits.Header()
    header["CAL_VER"], header["CRDS_CTX"] = "1.14.0", "jwst_1240.pmap"
    header["INSTRUME"], header["EXP_TYPE"] = "NIRSPEC", "NRS_MSASPEC"
    fits.PrimaryHDU(header=header).writeto(products / "jw01234_nrs1_cal.fits")
    out = run([bin_ / "jwst-builds", "scan", products, "--format", "json"], empty, env)
    (row,) = json.loads(out)["products"]
    assert ("download", "1.14.0", "10.2") == (row["verdict"], row["release"], row["build"])
    assert [] == list(empty.iterdir())


def test_documented_api_examples(
    installed: tuple[Path, Path, dict[str, str]], tmp_path: Path
) -> None:
    """The examples of docs/api.md pass in the fresh environment, from an empty folder."""
    bin_, _, env = installed
    empty = _empty(tmp_path)
    page = REPO / "docs" / "api.md"
    run(
        [bin_ / "python", "-m", "doctest", "-o", "ELLIPSIS", "-o", "NORMALIZE_WHITESPACE", page],
        empty,
        env,
    )
    code = "import jwst_builds; print(jwst_builds.load().origin)"
    assert "packaged\n" == run([bin_ / "python", "-c", code], empty, env)


def test_build_fails_on_broken_data(
    installed: tuple[Path, Path, dict[str, str]], tmp_path: Path
) -> None:
    """A data problem stops the wheel build and is printed with its place."""
    import shutil

    bin_, _, env = installed
    project = tmp_path / "project"
    project.mkdir()
    for name in ("pyproject.toml", "hatch_build.py", "README.md", "sources.yaml",
                 "inflight-contexts.yaml", "towncrier.toml"):  # fmt: skip
        shutil.copy2(REPO / name, project / name)
    for name in ("src", "schema", "builds", "issues", "changes"):
        shutil.copytree(REPO / name, project / name, ignore=shutil.ignore_patterns("__pycache__"))
    build = project / "builds" / "10.2.yaml"
    text = build.read_text(encoding="utf-8")
    build.write_text(text.replace('crds_context: "jwst_1240.pmap"', "crds_context: 1240", 1))
    # the build tools beside the installed package: no isolated environment to fetch
    run([bin_ / "python", "-m", "pip", "install", "-q", "hatchling>=1.18"], tmp_path, env)
    proc = subprocess.run(
        [
            bin_ / "python",
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--no-build-isolation",
            "-w",
            tmp_path / "out",
            project,
        ],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    output = proc.stdout + proc.stderr
    assert (True, True, []) == (
        proc.returncode != 0,
        "problem(s) in the data: nothing built" in output,
        list((tmp_path / "out").glob("*.whl")) if (tmp_path / "out").exists() else [],
    )
    assert "builds/10.2.yaml:" in output
    assert "crds_context: expected a string or null, got the number 1240" in output
