"""`jwst-builds validate [PATHS]`."""

from __future__ import annotations

from pathlib import Path

import click

from .. import validate as validate_mod
from ..report import REPORTERS
from . import Settings, problem_format


@click.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@problem_format
@click.option(
    "--no-cache",
    is_flag=True,
    help="Load and check every file afresh; neither read nor write .jwst-builds-cache/.",
)
@click.option(
    "--jobs",
    type=click.IntRange(min=0),
    default=0,
    show_default=True,
    help="Processes that load files: 1 for one, 0 for one per CPU on big trees (4+ CPUs).",
)
@click.pass_obj
def validate(
    settings: Settings, paths: tuple[Path, ...], report: str, no_cache: bool, jobs: int
) -> None:
    """Check every data file against its schema and against each other.

    With PATHS, report only problems in those files or folders (cross-file
    checks still read the whole tree). Unchanged files are taken from the
    per-file cache in .jwst-builds-cache/ (safe to delete; --no-cache skips it).
    Exit 0 clean, 1 problems, 2 usage.
    """
    root = settings.root
    try:
        problems = validate_mod.run(root, paths, use_cache=not no_cache, jobs=jobs)
    except validate_mod.NotData as exc:
        raise click.UsageError(str(exc)) from exc
    out = REPORTERS[report](problems)
    if out:
        click.echo(out)
    if report == "text" and not problems:
        click.echo("no problems", err=True)
    raise SystemExit(1 if problems else 0)
