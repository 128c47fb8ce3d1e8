"""docs/api.md: every example on the page runs and prints what the page says."""

from __future__ import annotations

import doctest
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
FLAGS = doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE


def run_page(page: Path) -> doctest.TestResults:
    return doctest.testfile(str(page), module_relative=False, optionflags=FLAGS, verbose=False)


def test_api_page_examples(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """The examples of docs/api.md pass as doctests against the checkout's data."""
    monkeypatch.chdir(REPO)
    monkeypatch.delenv("JWST_BUILDS_ROOT", raising=False)
    result = run_page(REPO / "docs" / "api.md")
    report = capsys.readouterr().out
    assert (0, "") == (result.failed, report)
    assert result.attempted > 20


def test_readme_links_the_api_page() -> None:
    """The README points readers at docs/api.md."""
    assert "(docs/api.md)" in (REPO / "README.md").read_text(encoding="utf-8")
