"""Shared fixtures: throwaway data roots built from the real schemas and a small base tree."""

from __future__ import annotations

import shutil
from pathlib import Path

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
