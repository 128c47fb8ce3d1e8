"""`jwst-builds site [--out DIR] [--base-url URL]`."""

from __future__ import annotations

import re
from pathlib import Path

import click

from ..report import text
from ..schemas import SchemaError
from ..site.runner import SiteError, run
from . import Settings


def _base_url(_ctx: click.Context, _param: click.Parameter, value: str | None) -> str:
    if not value:
        return ""
    if not re.match(r"^https?://[^\s/]+(/\S*)?$", value):
        raise click.BadParameter(
            f"'{value}' is not an http(s) address such as https://owner.github.io/jwst-builds/"
        )
    return value if value.endswith("/") else value + "/"


@click.command()
@click.option(
    "--out",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Folder to write the site into (created if missing). Default: dist/site in the data root.",
)
@click.option(
    "--base-url",
    callback=_base_url,
    metavar="URL",
    help="Where the site will be published; makes the links of the Atom feed and the calendar absolute.",
)
@click.pass_obj
def site(settings: Settings, out: Path | None, base_url: str) -> None:
    """Write the static website and its JSON API (api/v1/, with openapi.json).

    Pages, API documents, the Atom feed and the ICS calendar, all with relative
    links: open index.html from disk or publish the folder on any static host.
    Refuses data that does not pass `jwst-builds validate` (exit 1), and a folder
    that is not empty and was not written by this command (exit 2).
    """
    root = settings.root
    target = out if out is not None else root / "dist" / "site"
    try:
        outcome = run(root, target, base_url)
    except SiteError as exc:
        raise click.UsageError(str(exc)) from exc
    except SchemaError as exc:
        raise click.UsageError(str(exc)) from exc
    except (OSError, ValueError) as exc:
        raise click.ClickException(f"site not written: {exc}") from exc
    if outcome.problems:
        click.echo(text(outcome.problems))
        click.echo("no site written: fix the problems above first", err=True)
        raise SystemExit(1)
    size = sum(p.stat().st_size for p in outcome.written)
    click.echo(f"wrote {len(outcome.written)} files ({size / 1e6:.1f} MB) to {target}", err=True)
