"""What README.md, CONTRIBUTING.md and docs/ show exists: every command, subcommand, option
and nox session they name."""

from __future__ import annotations

import re

import click
import pytest
from click.testing import CliRunner

from jwst_builds.cli import cli

from .conftest import REPO

DOCS = (
    "README.md",
    "CONTRIBUTING.md",
    *sorted(f"docs/{p.name}" for p in (REPO / "docs").glob("*.md")),
)
#: `jwst-builds` followed by what a reader would type, up to the end of the code span,
#: table cell, comment or line
_INVOCATION = re.compile(r"jwst-builds((?:[ \t]+[^`|#\n]*)?)")
_OPTION = re.compile(r"(?<![\w-])(--[a-z][a-z-]*)")
_ALT = "\N{BROKEN BAR}"  # stands for an escaped \| (alternatives in a Markdown table)
_CODE = re.compile(r"```[^\n]*\n(.*?)```|`([^`\n]+)`", re.DOTALL)
#: code that quotes a message rather than showing a command
_QUOTED = (
    "Executable jwst-builds not found",
    "temporary file left by an interrupted jwst-builds run",
)


def _code(text: str) -> str:
    """The code of a Markdown text (fenced blocks and inline spans), one piece a line."""
    pieces = [m.group(1) or m.group(2) for m in _CODE.finditer(text.replace("\\|", _ALT))]
    return "\n".join(p for p in pieces if p not in _QUOTED)


def _invocations(text: str) -> list[tuple[str, list[str], list[str]]]:
    """(command, subcommands, options) of every `jwst-builds ...` the text's code shows."""
    found = []
    for match in _INVOCATION.finditer(_code(text)):
        words = match.group(1).split()
        while words and words[0] == "--root":  # the group's own option and its value
            words = words[2:]
        if not words or words[0].startswith("-") or words[0].isupper():  # COMMAND: a blank
            continue
        command = words[0].rstrip(").,:;")
        subs = words[1].split(_ALT) if command == "new" and len(words) > 1 else []
        options = _OPTION.findall(" ".join(words).replace(_ALT, " "))
        found.append((command, subs, options))
    return found


def _help(*args: str) -> str:
    result = CliRunner().invoke(cli, [*args, "--help"])
    assert 0 == result.exit_code, args
    return result.stdout


def _shown() -> list[tuple[str, str, str, list[str]]]:
    """(document, command, subcommand, options) for every invocation in the docs."""
    rows = []
    for name in DOCS:
        for command, subs, options in _invocations((REPO / name).read_text(encoding="utf-8")):
            for sub in subs or [""]:
                rows.append((name, command, sub, options))
    return rows


def test_docs_show_commands() -> None:
    """The parser finds the commands the docs are known to show (it is not reading nothing)."""
    commands = {command for _, command, _, _ in _shown()}
    assert {"validate", "fmt", "export", "new", "notes", "affects", "check"} <= commands


def test_documented_commands_exist() -> None:
    """Every `jwst-builds COMMAND` (and `new SUBCOMMAND`) in the docs is a command."""
    ctx = cli.make_context("jwst-builds", ["--help"], resilient_parsing=True)
    missing = []
    for doc, command, sub, _ in _shown():
        found = cli.get_command(ctx, command)
        if found is None:
            missing.append(f"{doc}: {command}")
        elif sub and (not isinstance(found, click.Group) or sub not in found.commands):
            missing.append(f"{doc}: {command} {sub}")
    assert [] == missing


def test_documented_options_exist() -> None:
    """Every --option shown with a command in the docs is in that command's --help."""
    missing = []
    group_help = _help()
    for doc, command, sub, options in _shown():
        if cli.get_command(cli.make_context("x", [], resilient_parsing=True), command) is None:
            continue  # test_documented_commands_exist names it
        text = _help(command, *([sub] if sub else []))
        for option in options:
            if option not in text and option not in group_help:
                missing.append(f"{doc}: jwst-builds {command} {sub} {option}".replace("  ", " "))
    assert [] == missing


def test_export_check_is_not_documented_without_the_option() -> None:
    """README once showed `export --check`, which never existed: the docs and --help agree."""
    shown = {o for _, command, _, options in _shown() if command == "export" for o in options}
    assert ("--check" in shown) == ("--check" in _help("export"))


def _sessions() -> set[str]:
    source = (REPO / "noxfile.py").read_text(encoding="utf-8")
    return set(re.findall(r"@nox\.session[^\n]*\ndef ([a-z_]+)\(", source))


@pytest.mark.parametrize("doc", DOCS)
def test_documented_nox_sessions_exist(doc: str) -> None:
    """Every `nox -s NAME` in the docs is a session of noxfile.py."""
    text = (REPO / doc).read_text(encoding="utf-8")
    named = set()
    for match in re.finditer(r"nox -s ((?:[a-z_]+[ \t]*)+)", text):
        named.update(match.group(1).split())
    assert [] == sorted(named - _sessions())
