"""The sync command as documented: options in README.md and CONTRIBUTING.md, nox, the workflow."""

from __future__ import annotations

import re

from click.testing import CliRunner
from ruamel.yaml import YAML

from jwst_builds.cli import cli

from .conftest import REPO

WORKFLOW = REPO / ".github" / "workflows" / "sync.yml"


def _help() -> str:
    result = CliRunner().invoke(cli, ["sync", "--help"])
    assert 0 == result.exit_code
    return result.stdout


def test_documented_sync_options_exist() -> None:
    """Every option README.md and CONTRIBUTING.md show with `jwst-builds sync` is in its --help."""
    shown = set()
    for name in ("README.md", "CONTRIBUTING.md"):
        for line in (REPO / name).read_text(encoding="utf-8").splitlines():
            if "jwst-builds sync" in line or "nox -s sync" in line:
                shown.update(re.findall(r"(--[a-z][a-z-]+)", line))
    assert {"--readme", "--changes", "--no-changes", "--write", "--format"} <= shown
    help_text = _help()
    assert [] == sorted(o for o in shown if o not in help_text)


def test_the_commands_table_lists_sync() -> None:
    """README's commands table has a row for sync."""
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    assert any(ln.startswith("| `jwst-builds sync") for ln in readme.splitlines())


def test_nox_has_a_sync_session() -> None:
    """`nox -s sync` runs the command (the noxfile is read as text: nox is not a test dependency)."""
    text = (REPO / "noxfile.py").read_text(encoding="utf-8")
    assert re.search(r'def sync\(session[^)]*\)[^\n]*:\n(?:.*\n){0,3}.*"jwst-builds", "sync"', text)


def test_the_weekly_workflow_runs_the_documented_command() -> None:
    """The workflow parses, runs weekly and on demand, and calls `jwst-builds sync --write`."""
    workflow = YAML(typ="safe").load(WORKFLOW)
    triggers = workflow[True] if True in workflow else workflow["on"]  # YAML 1.1 reads `on` as true
    assert {"schedule", "workflow_dispatch"} <= set(triggers)
    assert re.fullmatch(r"[\d*/,-]+ [\d*/,-]+ \* \* [\d*/,-]+", triggers["schedule"][0]["cron"])
    steps = workflow["jobs"]["sync"]["steps"]
    commands = [ln.strip() for s in steps for ln in str(s.get("run", "")).splitlines()]
    calls = [c for c in commands if c.startswith("jwst-builds sync")]
    assert 1 == len(calls)
    options = re.findall(r"(--[a-z][a-z-]+)", calls[0])
    assert "--write" in options
    help_text = _help()
    assert [] == [o for o in options if o not in help_text]
    assert any("create-pull-request" in str(s.get("uses", "")) for s in steps)
