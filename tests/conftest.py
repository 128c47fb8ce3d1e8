"""Shared fixtures: throwaway data roots built from the real schemas and a small base tree."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

REPO = Path(__file__).resolve().parent.parent
CASES = Path(__file__).resolve().parent / "cases"


def make_root(dest: Path, *overlays: Path, base: Path = CASES / "base") -> Path:
    """A data root: the repository's schema/, a base tree, then each overlay on top."""
    shutil.copytree(REPO / "schema", dest / "schema")
    shutil.copytree(base, dest, dirs_exist_ok=True)
    for overlay in overlays:
        shutil.copytree(
            overlay,
            dest,
            dirs_exist_ok=True,
            symlinks=True,  # a case may hold a link on purpose
            ignore=shutil.ignore_patterns("expected.txt"),
        )
    return dest


@pytest.fixture
def base_root(tmp_path: Path) -> Path:
    """A valid data root with two builds (1.0 archived, 1.1 in operations)."""
    return make_root(tmp_path / "root")


# --- the built site and a browser (test_site*.py) -----------------------------------------


@pytest.fixture(scope="session")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The site of the repository's real data, built once (read-only for the tests)."""
    from click.testing import CliRunner

    from jwst_builds.cli import cli

    out = tmp_path_factory.mktemp("site") / "out"
    result = CliRunner().invoke(cli, ["--root", str(REPO), "site", "--out", str(out)])
    assert (0, "") == (result.exit_code, result.stdout), result.stderr
    return out


@pytest.fixture(scope="session")
def real_ds() -> Any:
    """The repository's data, loaded once."""
    from jwst_builds import dataset

    return dataset.load(REPO)


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    """One headless Chromium for every browser test (tests/browser.py)."""
    from .browser import chromium

    with chromium() as driver:
        yield driver


@pytest.fixture(scope="session")
def server(site: Path) -> Iterator[str]:
    """The built site over http on 127.0.0.1."""
    from .browser import serve

    with serve(site) as address:
        yield address


@pytest.fixture(params=["file", "http"])
def base(request: pytest.FixtureRequest, site: Path) -> str:
    """The site's address, once from disk and once over http."""
    if request.param == "file":
        return site.as_uri() + "/"
    address: str = request.getfixturevalue("server")
    return address
