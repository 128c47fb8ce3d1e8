"""CAL_VER as real headers write it: development installs, candidates, post releases."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from jwst_builds.cli import cli
from jwst_builds.errors import QueryError
from jwst_builds.versions import read_cal_ver

from .test_issues import issue_root

TAGS = ("1.14.0", "1.16.0", "1.16.1", "1.17.0", "3.0.0")


@pytest.mark.parametrize(
    ("given", "release", "kind", "level"),
    [
        ("1.16.1", "1.16.1", "release", None),
        ("  1.16.1 ", "1.16.1", "release", None),
        # setuptools-scm: twelve commits after the 1.16.1 tag
        ("1.16.2.dev12+g3a2b1c0", "1.16.1", "development", "warning"),
        ("1.17.0.dev3", "1.16.1", "development", "warning"),
        # a development version of 1.16.1 comes before the 1.16.1 tag
        ("1.16.1.dev5", "1.16.0", "development", "warning"),
        ("3.0.0rc1", "3.0.0", "pre-release", "note"),
        ("3.0.0b2", "3.0.0", "pre-release", "note"),
        ("1.14.0.post1", "1.14.0", "post-release", "note"),
        ("1.14.0+local.fix", "1.14.0", "local", "warning"),
        ("1.14", "1.14.0", "equivalent", "note"),
        ("v1.14.0", "1.14.0", "equivalent", "note"),
    ],
)
def test_read_cal_ver(given: str, release: str, kind: str, level: str | None) -> None:
    """Each form of CAL_VER is answered as the tag it stands for, with the right level."""
    found = read_cal_ver(given, TAGS)
    assert (given.strip(), release, kind, level) == (
        found.given,
        found.release,
        found.kind,
        found.level,
    )
    assert (found.message is None) == (level is None)


def test_development_message_names_the_release_before() -> None:
    """The warning says the install is a development one after the nearest earlier tag."""
    found = read_cal_ver("1.16.2.dev12+g3a2b1c0", TAGS)
    assert (
        "CAL_VER 1.16.2.dev12+g3a2b1c0 is a development install after jwst 1.16.1, not an "
        "operations build: answered with the known issues of 1.16.1; changes made after "
        "1.16.1 are not taken into account"
    ) == found.message


@pytest.mark.parametrize(
    ("given", "message"),
    [
        ("latest", "CAL_VER 'latest' is not a jwst version such as 1.14.0"),
        ("1.15.0", "unknown CAL_VER '1.15.0': no jwst release has that version (nearest known: 1.14.0 and 1.16.0)"),
        ("3.0.1rc1", "unknown CAL_VER '3.0.1rc1': no jwst release has that version (nearest known: 3.0.0)"),
        ("1.0.0.dev1", "CAL_VER '1.0.0.dev1' is a development version older than every known jwst release"),
    ],
)  # fmt: skip
def test_unreadable_cal_ver(given: str, message: str) -> None:
    """A version that stands for no known tag is refused with one line."""
    with pytest.raises(QueryError) as caught:
        read_cal_ver(given, TAGS)
    assert message == str(caught.value)


@pytest.fixture
def root(tmp_path: Path) -> Path:
    """The small issue tree: tags 0.1.0 to 0.4.0 in builds 1.0 to 1.3."""
    return issue_root(tmp_path / "root")


def test_affects_answers_a_development_version(root: Path) -> None:
    """affects reads a dev CAL_VER as the tag before it, with a warning in text and JSON."""
    args = ["--root", str(root), "affects", "--cal-ver", " 0.3.2.dev4+gabc1234 "]
    text = CliRunner().invoke(cli, args)
    first = "warning: CAL_VER 0.3.2.dev4+gabc1234 is a development install after jwst 0.3.1"
    assert (0, True) == (text.exit_code, text.stdout.startswith(first))
    doc = json.loads(CliRunner().invoke(cli, [*args, "--format", "json"]).stdout)
    assert ("0.3.1", "0.3.2.dev4+gabc1234", "development", "warning", "0.3.1") == (
        doc["query"]["cal_ver"],
        doc["query"]["cal_ver_given"],
        doc["query"]["cal_ver_note"]["kind"],
        doc["query"]["cal_ver_note"]["level"],
        doc["release"]["jwst_version"],
    )


def test_affects_answers_a_candidate_with_a_note(root: Path) -> None:
    """A release candidate is answered as its final tag, with a note."""
    result = CliRunner().invoke(cli, ["--root", str(root), "affects", "--cal-ver", "0.4.0rc1"])
    first = "note: CAL_VER 0.4.0rc1 is a release candidate of jwst 0.4.0: answered as 0.4.0;"
    assert (0, True) == (result.exit_code, result.stdout.startswith(first))
    assert "jwst 0.4.0 is a release candidate of build 1.3" in result.stdout
