"""`jwst-builds export [--out DIR]`."""

from __future__ import annotations

from pathlib import Path

import click

from ..export.runner import run
from ..report import text
from ..schemas import SchemaError
from . import Settings


@click.command()
@click.option(
    "--out",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Folder to write the files into (created if missing). Default: dist/ in the data root.",
)
@click.pass_obj
def export(settings: Settings, out: Path | None) -> None:
    """Write the CSV, JSON and Markdown exports and datapackage.json.

    Refuses to export data that does not pass `jwst-builds validate`: prints the
    problems and exits 1. Files are replaced all together, or not at all.
    """
    root = settings.root
    target = out if out is not None else root / "dist"
    try:
        outcome = run(root, target)
    except SchemaError as exc:
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
