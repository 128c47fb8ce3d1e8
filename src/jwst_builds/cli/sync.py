"""`jwst-builds sync [--readme PATH|URL] [--changes PATH|URL] [--write] [--format ...]`."""

from __future__ import annotations

import click

from .. import fmt as fmt_mod
from .. import sync as sync_mod
from ..report import REPORTERS
from ..sync.apply import WriteError
from ..sync.render import RENDERERS
from . import Settings, problem_format


@click.command()
@click.option(
    "--readme",
    metavar="PATH|URL",
    default=sync_mod.README_URL,
    show_default=True,
    help="The jwst README whose 'DMS Operational Build Versions' table to compare with.",
)
@click.option(
    "--changes",
    metavar="PATH|URL",
    default=sync_mod.CHANGES_URL,
    show_default=True,
    help="The jwst change log (CHANGES.rst), for its release dates.",
)
@click.option("--no-changes", is_flag=True, help="Do not read the change log.")
@click.option(
    "--write",
    is_flag=True,
    help="Apply what is safe (add releases and builds, fill empty fields, record conflicts), "
    "then validate.",
)
@problem_format
@click.pass_obj
def sync(
    settings: Settings, readme: str, changes: str, no_changes: bool, write: bool, report: str
) -> None:
    """Compare builds/ with the jwst README build table and change log.

    Prints each difference as `file:line:col: field: ours ..., upstream ...`, then
    the disagreements that records already explain and the change-log dates that
    differ from the README's (information, not drift). With --write, adds missing
    releases (and build files), fills empty fields and records a conflict where
    upstream's value differs from ours; it never overwrites or deletes a value the
    README gives, and runs validate at the end.

    Exit 0 no drift, 1 drift (after --write: validate problems or differences left
    to a person), 2 upstream cannot be read or its table changed layout.
    """
    root = settings.root
    try:
        result = sync_mod.run(root, readme, None if no_changes else changes, write)
    except sync_mod.UpstreamError as exc:
        click.echo(f"error: {exc}", err=True)
        raise SystemExit(2) from exc
    except sync_mod.DataError as exc:
        click.echo(REPORTERS[report](exc.problems))
        click.echo("sync: the data has problems; fix them first (jwst-builds validate)", err=True)
        raise SystemExit(1) from exc
    except fmt_mod.FormatError as exc:
        click.echo(REPORTERS[report]([exc.problem]))
        raise SystemExit(1) from exc
    except WriteError as exc:
        click.echo(f"error: {exc}", err=True)
        raise SystemExit(1) from exc
    out = RENDERERS[report](result)
    if out:
        click.echo(out)
    raise SystemExit(result.exit_code)
