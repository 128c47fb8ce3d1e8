"""`jwst-builds check --base REF`: the pull-request check for release-note fragments."""

from __future__ import annotations

import click

from . import Settings


@click.command()
@click.option(
    "--base",
    required=True,
    metavar="REF",
    help="Branch, tag or commit the changes are compared with (e.g. origin/main).",
)
@click.pass_obj
def check(settings: Settings, base: str) -> None:
    """Fail when the commits since REF change builds/ or issues/ without adding a fragment.

    Compares the merge base of REF and HEAD with HEAD. A shallow clone must
    hold REF and the history back to the merge base (`fetch-depth: 0` in CI).
    Exit 0 ok, 1 a fragment is missing, 2 usage (REF not in the clone, no git).
    """
    from .. import prcheck

    try:
        result = prcheck.run(settings.root, base)
    except prcheck.UsageProblem as exc:
        raise click.UsageError(str(exc)) from exc
    click.echo(result.message(), err=not result.ok)
    raise SystemExit(0 if result.ok else 1)
