"""`jwst-builds new build|release|issue|fragment ...`: start a record from its skeleton."""

from __future__ import annotations

from collections.abc import Callable

import click

from .. import scaffold
from ..report import REPORTERS
from . import Settings


@click.group()
def new() -> None:
    """Start a build, release, known issue or fragment from a skeleton.

    Each command writes only a file that does not exist yet (a release is added
    to its build file) and prints its path. Fill in the nulls the schema does
    not allow, then run `jwst-builds validate`.
    """


@new.command()
@click.argument("build_id", metavar="BUILD")
@click.pass_obj
def build(settings: Settings, build_id: str) -> None:
    """Write builds/BUILD.yaml for a new build.

    Example: `jwst-builds new build 13.1`.
    """
    _run(lambda: scaffold.new_build(settings.root, build_id))


@new.command()
@click.argument("build_id", metavar="BUILD")
@click.argument("jwst_version", metavar="JWST_VERSION")
@click.pass_obj
def release(settings: Settings, build_id: str, jwst_version: str) -> None:
    """Add the release JWST_VERSION (a jwst tag) to builds/BUILD.yaml.

    The release goes in tag order; comments and layout of the file are kept,
    and a new build's empty first release is filled in first. Example:
    `jwst-builds new release 13.0 3.0.1`.
    """
    _run(lambda: scaffold.new_release(settings.root, build_id, jwst_version))


@new.command()
@click.argument("issue_id", metavar="ID")
@click.pass_obj
def issue(settings: Settings, issue_id: str) -> None:
    """Write issues/ID.yaml for a new known issue.

    ID is lowercase words joined by hyphens, e.g. `nirspec-fs-slit-offset`.
    """
    _run(lambda: scaffold.new_issue(settings.root, issue_id))


@new.command()
@click.argument("build_id", metavar="BUILD")
@click.argument("name")
@click.argument("category")
@click.option(
    "--content",
    "-c",
    default="",
    help="The fragment's text; without it the file starts empty for you to write.",
)
@click.pass_obj
def fragment(settings: Settings, build_id: str, name: str, category: str, content: str) -> None:
    """Write changes/BUILD/NAME.CATEGORY.md, a release-note fragment.

    NAME is a jwst pull-request number or a short slug; CATEGORY is one declared
    in towncrier.toml (CONTRIBUTING.md (Release-note fragments)).
    """
    _run(lambda: scaffold.new_fragment(settings.root, build_id, name, category, content))


def _run(make: Callable[[], scaffold.Created]) -> None:
    try:
        created = make()
    except scaffold.ScaffoldError as exc:
        if exc.code == 2:
            raise click.UsageError(str(exc)) from exc
        if exc.problem is not None:
            click.echo(REPORTERS["text"]([exc.problem]))
        click.echo(f"nothing written: {exc}", err=True)
        raise SystemExit(1) from exc
    click.echo(created.shown)
    where = f"{created.shown}:{created.line}" if created.line > 1 else created.shown
    if created.complete:
        message = f"wrote {created.what} in {where}; check it with"
    else:
        message = f"started {created.what} in {where}; fill it in, then run"
    click.echo(f"{message}: jwst-builds validate {created.shown}", err=True)
