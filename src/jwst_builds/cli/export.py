"""`jwst-builds export [--out DIR]`."""

from __future__ import annotations

from pathlib import Path

import click

from ..export.atomic import TargetRefused
from ..export.runner import run
from ..report import text
from . import Settings


@click.command()
@click.option(
    "--out",
    default=None,
    metavar="DIR",
    help="Folder to hold the files (created if missing; it may hold only a previous "
    "export, which it replaces). Default: dist/ in the data root.",
)
@click.pass_obj
def export(settings: Settings, out: str | None) -> None:
    """Write the CSV, JSON and Markdown exports and datapackage.json.

    Refuses to export data that does not pass `jwst-builds validate`: prints the
    problems and exits 1. The folder is replaced as a whole, or not at all.
    """
    if out is not None and not out.strip():
        raise click.UsageError("--out needs a folder name")
    root = settings.root
    target = Path(out) if out is not None else root / "dist"
    try:
        outcome = run(root, target)
    except TargetRefused as exc:
        raise click.UsageError(str(exc)) from exc
    except (OSError, ValueError) as exc:
        raise click.ClickException(
            f"export failed, previous files left as they were: {exc}"
        ) from exc
    if outcome.problems:
        click.echo(text(outcome.problems))
        click.echo("nothing exported: fix the problems above first", err=True)
        raise SystemExit(1)
    click.echo(f"wrote {len(outcome.written)} files to {target}", err=True)
