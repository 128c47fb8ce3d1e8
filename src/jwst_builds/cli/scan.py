"""`jwst-builds scan PATH...`: a verdict for every FITS product in files, folders and globs."""

from __future__ import annotations

import itertools
import sys
from contextlib import nullcontext
from typing import Any, TextIO

import click

from . import Settings

FAIL_ON = ("download", "reprocess", "unknown", "any")


def _fail_on(_ctx: click.Context, _param: click.Parameter, value: tuple[str, ...]) -> set[str]:
    wanted = {v.strip() for item in value for v in item.split(",") if v.strip()}
    bad = sorted(wanted - set(FAIL_ON))
    if bad:
        raise click.BadParameter(f"{', '.join(bad)}: use {', '.join(FAIL_ON)}")
    if "any" in wanted:
        wanted = {"download", "reprocess", "unknown"}
    return wanted


@click.command()
@click.argument("paths", nargs=-1, required=True)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["table", "csv", "json", "markdown"]),
    default="table",
    show_default=True,
    help="table for people; csv, json (schema/scan.schema.json) or markdown for reports.",
)
@click.option(
    "--fail-on",
    multiple=True,
    callback=_fail_on,
    metavar="VERDICTS",
    help="Exit 1 when a product's verdict is one of these (comma-separated, or repeat): "
    "download, reprocess, unknown, or any of them.",
)
@click.option(
    "--all",
    "include_all",
    is_flag=True,
    help="Also count installation, speed and usability issues (data issues always count).",
)
@click.option(
    "--progress/--no-progress",
    default=None,
    help="Progress bar on stderr. Default: when stderr is a terminal and the rows go to a "
    "file or a pipe.",
)
@click.pass_obj
def scan(
    settings: Settings,
    paths: tuple[str, ...],
    fmt: str,
    fail_on: set[str],
    include_all: bool,
    progress: bool | None,
) -> None:
    """Tell, for every FITS product under PATHS, what to do about known issues.

    PATHS are files, folders (searched recursively for .fits and .fits.gz) and
    globs. Only primary headers are read (needs astropy: jwst-builds[fits]).
    Each product gets one row and a verdict: nothing to do (made by the operations
    build and context, or a newer one), download again (MAST has reprocessed it
    since), reprocess (a fix exists that operations does not have yet: the row
    says with which release), unknown version, or cannot read (one line saying
    why; the scan goes on). Exit 0 when every product was read and none matches
    --fail-on, 1 otherwise, 2 on wrong usage.
    """
    from .. import dataset
    from ..dataroot import stamp_of
    from ..scan import PathError, Scanner, Summary, check_paths, expand
    from ..scanout import WRITERS

    try:
        check_paths(paths)
    except PathError as exc:
        raise click.UsageError(str(exc)) from exc
    try:
        from astropy.io import fits  # noqa: F401 - needed for every product: say so once
    except ImportError:
        click.echo(
            "error: scan reads FITS headers with astropy: pip install 'jwst-builds[fits]'",
            err=True,
        )
        raise SystemExit(1) from None
    ds = dataset.load(settings.root)
    if ds.problems:
        n = len(ds.problems)
        click.echo(
            f"warning: {n} problem{'s' * (n != 1)} in the data; records with problems are "
            "left out (run jwst-builds validate)",
            err=True,
        )
    scanner = Scanner(ds, include_all=include_all)
    out, err = sys.stdout, sys.stderr
    writer = WRITERS[fmt](out, err, scanner.titles)
    meta: dict[str, Any] = {}
    if fmt == "json":  # which data judged the products (git is asked only here)
        meta = {"origin": settings.data.origin, **stamp_of(settings.data).to_dict()}
    # rows printed on the terminal show the progress themselves
    show_bar = (err.isatty() and not out.isatty()) if progress is None else progress
    products = expand(paths)
    try:
        first = next(products, None)
    except PathError as exc:  # a path removed since it was checked
        raise click.UsageError(str(exc)) from exc
    if first is None:
        click.echo(f"error: no FITS products (.fits, .fits.gz) in {' '.join(paths)}", err=True)
        raise SystemExit(1)
    summary = Summary.empty()
    writer.start(meta)
    try:
        with _bar(paths, show_bar, err) as bar:
            for file in itertools.chain([first], products):
                row = scanner.row(file)
                summary.add(row)
                if bar is not None and out.isatty():
                    err.write("\r\033[K")  # clear the bar before a row shares its line
                writer.row(row)
                if bar is not None:
                    out.flush()
                    bar.update(1)
    except PathError as exc:
        raise click.UsageError(str(exc)) from exc
    writer.finish(summary)
    failed = summary.verdicts["unreadable"] > 0 or any(summary.verdicts[v] for v in fail_on)
    raise SystemExit(1 if failed else 0)


def _bar(paths: tuple[str, ...], show: bool, err: TextIO) -> Any:
    if not show:
        return nullcontext(None)
    from ..scan import expand

    total = sum(1 for _ in expand(paths))  # a first pass, so the bar knows its end
    return click.progressbar(length=total, label="scanning", file=err)
