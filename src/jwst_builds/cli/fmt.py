"""`jwst-builds fmt [PATHS] [--check | --diff]`."""

from __future__ import annotations

from pathlib import Path

import click

from .. import fmt as fmt_mod
from ..report import REPORTERS
from . import Settings, problem_format


@click.command()
@click.argument("paths", nargs=-1, type=click.Path(exists=True, path_type=Path))
@click.option("--check", is_flag=True, help="Write nothing; list the files that would change.")
@click.option("--diff", is_flag=True, help="Write nothing; print what would change as a diff.")
@problem_format
@click.pass_obj
def fmt(settings: Settings, paths: tuple[Path, ...], check: bool, diff: bool, report: str) -> None:
    """Rewrite data files in canonical form (key order, indentation, quoting).

    Formats builds/, issues/ and the YAML files at the root that have a schema
    (sources.yaml), or only the data files in PATHS (other files are skipped
    with a note, so that pre-commit may pass any YAML file). Comments and values are
    kept: a file whose data or comments would change is refused and left as it
    is. With --check or --diff, exit 1 if any file would change. A file that
    does not load is reported as `jwst-builds validate` reports it (exit 1).
    """
    root = settings.root
    files, skipped = fmt_mod.select(root, paths)
    for path in skipped:
        click.echo(f"skipped {path}: not a data file with a schema", err=True)
    dry = check or diff
    result = fmt_mod.run(root, files, write=not dry)
    if diff:
        for shown in result.changed:
            click.echo(result.diffs[shown], nl=False)
    problems = fmt_mod.check_problems(result) if check else sorted(result.problems)
    out = REPORTERS[report](problems)
    if out:
        click.echo(out)
    if not dry:
        for shown in result.changed:
            click.echo(f"reformatted {shown}", err=True)
    click.echo(_summary(result, dry), err=True)
    raise SystemExit(1 if result.problems or (dry and result.changed) else 0)


def _summary(result: fmt_mod.Result, dry: bool) -> str:
    changed, same, bad = len(result.changed), len(result.unchanged), len(result.problems)
    parts = [
        f"{changed} file{'s' * (changed != 1)} {'would be reformatted' if dry else 'reformatted'}",
        f"{same} already canonical",
    ]
    if bad:
        parts.append(f"{bad} refused")
    return ", ".join(parts)
