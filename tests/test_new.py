"""`jwst-builds new`: skeletons that validate once filled, refusals, round-trip release edits."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from jwst_builds.cli import cli

MODELINE = "# yaml-language-server: $schema=../schema/{}.schema.json\n"


def new(root: Path, *args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, ["--root", str(root), "new", *args])
    return result.exit_code, result.stdout, result.stderr


def validate(root: Path, *paths: str) -> list[str]:
    args = [str(root / p) for p in paths]
    result = CliRunner().invoke(cli, ["--root", str(root), "validate", *args])
    return result.stdout.splitlines()


def fill(path: Path, *pairs: tuple[str, str]) -> None:
    """Replace placeholder lines, each exactly once."""
    text = path.read_text(encoding="utf-8")
    for old, new_text in pairs:
        assert 1 == text.count(old), old
        text = text.replace(old, new_text)
    path.write_text(text, encoding="utf-8")


# --- build ------------------------------------------------------------------------------

BUILD_SKELETON = (
    MODELINE.format("build")
    + """id: "13.1"
status: development
pre_launch: false
candidate_released: null
operations_installed: null
crds_context: null
context_policy: fixed
sdp_version: null
release_notes: null
sources:
  - null
releases:
  - jwst_version: null
    dms_label: null
    dms_version: "13.1"
    kind: null
    sdp_version: null
    crds_context: null
    released: null
    ops_install: null
    note: null
    sources:
      - null
"""
)


def test_new_build_writes_the_skeleton(base_root: Path) -> None:
    """`new build` writes every required field in schema order and prints the path."""
    assert (
        0,
        "builds/13.1.yaml\n",
        "started build 13.1 in builds/13.1.yaml; fill it in, then run: "
        "jwst-builds validate builds/13.1.yaml\n",
    ) == new(base_root, "build", "13.1")
    assert BUILD_SKELETON == (base_root / "builds" / "13.1.yaml").read_text(encoding="utf-8")


def test_new_build_is_canonical(base_root: Path) -> None:
    """A skeleton is already in the form `fmt` writes."""
    new(base_root, "build", "13.1")
    new(base_root, "issue", "some-issue")
    result = CliRunner().invoke(cli, ["--root", str(base_root), "fmt", "--check"])
    assert (0, "") == (result.exit_code, result.stdout)


def test_new_build_names_its_placeholders(base_root: Path) -> None:
    """Validation points at each placeholder that the schema does not allow to stay null."""
    new(base_root, "build", "13.1")
    assert [
        "builds/13.1.yaml:12:5: sources[0]: expected a string, got null",
        "builds/13.1.yaml:14:19: releases[0].jwst_version: expected a string, got null",
        "builds/13.1.yaml:17:11: releases[0].kind: null is not one of: candidate, final, patch, "
        "documentation, packaging, pypi-only, dependency-pin, dms-test "
        "(this field needs a value; null is not allowed here)",
        "builds/13.1.yaml:24:9: releases[0].sources[0]: expected a string, got null",
        "4 problems in 1 file",
    ] == validate(base_root, "builds/13.1.yaml")


def test_new_build_validates_once_filled(base_root: Path) -> None:
    """With its placeholders filled, a new build passes every check."""
    new(base_root, "build", "13.1")
    new(base_root, "release", "13.1", "3.1.0")
    fill(
        base_root / "builds" / "13.1.yaml",
        ("sources:\n  - null\n", "sources:\n  - table\n"),
        ("kind: null", "kind: final"),
        ("      - null\n", "      - table\n"),
    )
    assert [] == validate(base_root)


def test_old_build_gets_a_minimum_context(base_root: Path) -> None:
    """A build before 11.1 starts with context_policy minimum, as the checks expect."""
    new(base_root, "build", "1.2")
    assert "context_policy: minimum\n" in (base_root / "builds" / "1.2.yaml").read_text()


def test_new_build_refuses_to_overwrite(base_root: Path) -> None:
    """An existing build file is never overwritten: exit 1 with a sentence."""
    path = base_root / "builds" / "1.1.yaml"
    before = path.read_bytes()
    assert (
        1,
        "",
        "nothing written: builds/1.1.yaml already exists; edit it instead of starting again\n",
    ) == new(base_root, "build", "1.1")
    assert before == path.read_bytes()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("build", "13"), "'13' is not a valid build id; expected the form \"10.2\""),
        (
            ("release", "1.1", "3.0"),
            "'3.0' is not a valid jwst version; expected the form \"1.14.0\"",
        ),
        (
            ("issue", "Bad_Id"),
            "'Bad_Id' is not a valid issue id; expected the form "
            '"numpy2-incompatible-jwst-1-14-0"',
        ),
        (
            ("fragment", "1.1", "a.b", "jump"),
            "'a.b' is not a fragment name: use lowercase letters, "
            "digits, '-' and '_', no dots (a jwst pull-request number, or a short slug)",
        ),
        (("fragment", "1.1", "x", "jmp"), "'jmp' is not a fragment category; did you mean 'jump'?"),
    ],
)
def test_bad_arguments_are_usage_errors(
    base_root: Path, args: tuple[str, ...], message: str
) -> None:
    """A malformed id, version, name or category is exit 2 and writes nothing."""
    (base_root / "issues").mkdir()
    before = sorted(p.as_posix() for p in base_root.rglob("*"))
    code, _, err = new(base_root, *args)
    assert (2, f"Error: {message}\n") == (code, err.splitlines(keepends=True)[-1])
    assert before == sorted(p.as_posix() for p in base_root.rglob("*"))


def test_skeleton_follows_the_schema(base_root: Path) -> None:
    """A field newly required by the schema appears in new skeletons, with its default."""
    path = base_root / "schema" / "build.schema.json"
    schema = json.loads(path.read_text(encoding="utf-8"))
    schema["properties"]["summary"]["default"] = "To be written."
    schema["required"].append("summary")
    path.write_text(json.dumps(schema), encoding="utf-8")
    new(base_root, "build", "13.1")
    text = (base_root / "builds" / "13.1.yaml").read_text(encoding="utf-8")
    assert "release_notes: null\nsummary: To be written.\nsources:\n" in text


# --- release --------------------------------------------------------------------------------


def test_new_release_goes_in_tag_order_and_keeps_comments(base_root: Path) -> None:
    """A release is inserted before the first later tag; comments stay with their lines."""
    path = base_root / "builds" / "1.1.yaml"
    fill(
        path,
        ('  - jwst_version: "0.2.1"', '  # the PyPI-only tag\n  - jwst_version: "0.2.1"'),
        ("kind: final\n", "kind: final  # B1.1\n"),
    )
    path.write_text(path.read_text(encoding="utf-8") + "# end of file\n", encoding="utf-8")
    before = path.read_text(encoding="utf-8")
    assert (
        0,
        "builds/1.1.yaml\n",
        "started release 0.2.5 of build 1.1 in builds/1.1.yaml:45; fill it in, then run: "
        "jwst-builds validate builds/1.1.yaml\n",
    ) == new(base_root, "release", "1.1", "0.2.5")
    assert "builds/1.1.yaml:22;" in new(base_root, "release", "1.1", "0.1.9")[2]
    skeleton = (
        "  - jwst_version: {v}\n"
        "    dms_label: null\n"
        '    dms_version: "1.1"\n'
        "    kind: null\n"
        "    sdp_version: null\n"
        "    crds_context: null\n"
        "    released: null\n"
        "    ops_install: null\n"
        "    note: null\n"
        "    sources:\n"
        "      - null\n"
    )
    expected = before.replace(
        'releases:\n  - jwst_version: "0.2.0"',
        "releases:\n" + skeleton.format(v='"0.1.9"') + '  - jwst_version: "0.2.0"',
    ).replace("# end of file\n", skeleton.format(v='"0.2.5"') + "# end of file\n")
    assert expected == path.read_text(encoding="utf-8")


def test_new_release_fills_the_empty_release_of_a_new_build(base_root: Path) -> None:
    """The first release added to a new build fills in its placeholder release."""
    new(base_root, "build", "13.1")
    assert (0, "builds/13.1.yaml\n") == new(base_root, "release", "13.1", "3.1.0")[:2]
    text = (base_root / "builds" / "13.1.yaml").read_text(encoding="utf-8")
    assert BUILD_SKELETON.replace("jwst_version: null", 'jwst_version: "3.1.0"') == text


def test_new_release_refuses_a_known_tag(base_root: Path) -> None:
    """A tag that is already a release anywhere is refused: a tag lives in one build."""
    new(base_root, "build", "13.1")
    assert (
        1,
        "",
        "nothing written: jwst 0.2.1 is already a release of build 1.1 (builds/1.1.yaml); "
        "a tag lives in one build only\n",
    ) == new(base_root, "release", "13.1", "0.2.1")


def test_new_release_needs_the_build(base_root: Path) -> None:
    """A release for a build without a file is refused with the command that starts one."""
    assert (
        1,
        "",
        "nothing written: there is no build 13.1: builds/13.1.yaml does not exist "
        "(start it with: jwst-builds new build 13.1)\n",
    ) == new(base_root, "release", "13.1", "3.1.0")


def test_new_release_reports_an_unloadable_build(base_root: Path) -> None:
    """A build file that does not load is reported as validate would, and left alone."""
    path = base_root / "builds" / "1.1.yaml"
    path.write_text('id: "1.1"\nreleases: [\n', encoding="utf-8")
    assert (
        1,
        "builds/1.1.yaml:3:1: did not find expected node content "
        "(while parsing a flow node that starts at 3:1)\n1 problem in 1 file\n",
        "nothing written: builds/1.1.yaml does not load\n",
    ) == new(base_root, "release", "1.1", "0.3.0")
    assert 'id: "1.1"\nreleases: [\n' == path.read_text(encoding="utf-8")


# --- issue ---------------------------------------------------------------------------------


def test_new_issue_validates_once_filled(base_root: Path) -> None:
    """A new issue starts open, reviewed today, and validates once its nulls are filled."""
    assert (0, "issues/stripes-in-images.yaml\n") == new(base_root, "issue", "stripes-in-images")[
        :2
    ]
    path = base_root / "issues" / "stripes-in-images.yaml"
    text = path.read_text(encoding="utf-8")
    assert text.startswith(MODELINE.format("issue") + "id: stripes-in-images\ntitle: null\n")
    assert f'last_reviewed: "{dt.date.today().isoformat()}"\n' in text
    assert "status: open\n" in text
    fill(
        path,
        ("title: null", 'title: "Stripes in calibrated images"'),
        ("summary: null", 'summary: "Faint stripes remain after calibration."'),
        ("impact: null", "impact: data-quality"),
        ("documented_from:\n    build: null", 'documented_from:\n    build: "1.1"'),
        ("symptoms:\n  - null", 'symptoms:\n  - "Stripes along rows."'),
        ("discovered: null", 'discovered: "2024-06"'),
        ("sources:\n  - null", "sources:\n  - table"),
        (
            "evidence:\n  - source: null\n    supports:\n      - null\n    says: null",
            "evidence:\n  - source: table\n    supports:\n      - symptoms\n"
            "      - software.documented_from\n"
            '    says: "The table shows stripes in images from build 1.1 on."',
        ),
    )
    assert [] == validate(base_root)


def test_new_issue_refuses_to_overwrite(base_root: Path) -> None:
    """An existing issue file is never overwritten."""
    new(base_root, "issue", "stripes-in-images")
    assert (
        1,
        "",
        "nothing written: issues/stripes-in-images.yaml already exists; "
        "edit it instead of starting again\n",
    ) == new(base_root, "issue", "stripes-in-images")


# --- fragment --------------------------------------------------------------------------------


def test_new_fragment_starts_empty(base_root: Path) -> None:
    """An empty fragment is written, and validation asks for its text."""
    assert (
        0,
        "changes/1.1/faster-jump.jump.md\n",
        "started jump fragment for build 1.1 in changes/1.1/faster-jump.jump.md; fill it in, "
        "then run: jwst-builds validate changes/1.1/faster-jump.jump.md\n",
    ) == new(base_root, "fragment", "1.1", "faster-jump", "jump")
    assert "" == (base_root / "changes" / "1.1" / "faster-jump.jump.md").read_text()
    assert [
        "changes/1.1/faster-jump.jump.md:1:1: fragment is empty "
        "(write a sentence or two about the change) [F013]",
        "1 problem in 1 file",
    ] == validate(base_root)


def test_new_fragment_with_content_validates(base_root: Path) -> None:
    """With --content the fragment is complete and validates."""
    code, out, err = new(
        base_root, "fragment", "1.1", "8295", "jump", "--content", "The jump step is faster."
    )
    assert (0, "changes/1.1/8295.jump.md\n") == (code, out)
    assert err.startswith("wrote jump fragment for build 1.1 in changes/1.1/8295.jump.md;")
    assert "The jump step is faster.\n" == (base_root / "changes/1.1/8295.jump.md").read_text()
    assert [] == validate(base_root)


def test_new_fragment_refuses_bad_text(base_root: Path) -> None:
    """Text that validation would reject is refused before anything is written."""
    code, _, err = new(base_root, "fragment", "1.1", "x", "jump", "-c", "- a bullet")
    assert (
        2,
        "Error: the text cannot be a fragment: fragment starts with a list marker "
        "(the notes add the bullet; start with the sentence itself)\n",
    ) == (
        code,
        err.splitlines(keepends=True)[-1],
    )
    assert not (base_root / "changes").exists()


def test_new_fragment_needs_the_build(base_root: Path) -> None:
    """A fragment for a build without a record is refused."""
    assert (
        1,
        "",
        "nothing written: there is no build 13.1: builds/13.1.yaml does not exist "
        "(start it with: jwst-builds new build 13.1)\n",
    ) == new(base_root, "fragment", "13.1", "x", "jump")


def test_new_fragment_refuses_to_overwrite(base_root: Path) -> None:
    """An existing fragment is never overwritten."""
    new(base_root, "fragment", "1.1", "x", "jump", "-c", "Some text.")
    assert (
        1,
        "",
        "nothing written: changes/1.1/x.jump.md already exists; edit it instead of starting again\n",
    ) == new(base_root, "fragment", "1.1", "x", "jump")
    assert "Some text.\n" == (base_root / "changes/1.1/x.jump.md").read_text()


def test_every_new_command_has_help() -> None:
    """Each `new` subcommand has a help text with a one-line summary."""
    ctx = cli.make_context("jwst-builds", ["new", "--help"], resilient_parsing=True)
    group = cli.get_command(ctx, "new")
    assert group is not None and group.help
    subcommands = group.to_info_dict(ctx)["commands"]
    assert ["build", "fragment", "issue", "release"] == sorted(subcommands)
    assert all(info["help"] for info in subcommands.values())
