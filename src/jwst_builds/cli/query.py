"""`jwst-builds affects`, `show` and `operations`: questions asked of the data."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any, NoReturn

import click

from .. import dataset, query, querytext
from ..fitsinfo import EXPECTED, KEYWORDS, FitsError, read_keywords
from ..lookup import INSTRUMENTS
from . import Settings

_FORMAT = click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help="text for people; json for programs (schema/affects.schema.json).",
)


def _load(settings: Settings) -> dataset.Dataset:
    ds = dataset.load(settings.root)
    if ds.problems:
        n = len(ds.problems)
        click.echo(
            f"warning: {n} problem{'s' * (n != 1)} in the data; records with problems are "
            "left out (run jwst-builds validate)",
            err=True,
        )
    return ds


def _emit(answer: dict[str, Any], fmt: str, text: str) -> None:
    if fmt == "json":
        import json  # only for programs: people get text

        text = json.dumps(answer, indent=2, ensure_ascii=False)
    click.echo(text)


def _fail(message: str) -> NoReturn:
    click.echo(f"error: {message}", err=True)
    raise SystemExit(1)


@click.command()
@click.argument(
    "file", required=False, type=click.Path(exists=True, dir_okay=False, path_type=Path)
)
@click.option(
    "--cal-ver", help="The jwst version the data were calibrated with (CAL_VER), e.g. 1.14.0."
)
@click.option("--crds-ctx", help="The CRDS context (CRDS_CTX), written in full: jwst_1240.pmap.")
@click.option(
    "--instrument",
    metavar="NAME",
    help=f"The instrument (INSTRUME): {', '.join(INSTRUMENTS)}; any case.",
)
@click.option("--exp-type", help="The exposure type (EXP_TYPE), e.g. NRS_MSASPEC.")
@click.option("--readpatt", help="The readout pattern (READPATT); refines the answer.")
@click.option(
    "--subarray", help="The subarray (SUBARRAY, FULL for full frame); refines the answer."
)
@click.option("--detector", help="The detector (DETECTOR), e.g. NRCBLONG; refines the answer.")
@click.option(
    "--all",
    "include_all",
    is_flag=True,
    help="Also list installation, speed and usability issues (data issues are always listed).",
)
@_FORMAT
@click.pass_obj
def affects(
    settings: Settings,
    file: Path | None,
    cal_ver: str | None,
    crds_ctx: str | None,
    instrument: str | None,
    exp_type: str | None,
    readpatt: str | None,
    subarray: str | None,
    detector: str | None,
    include_all: bool,
    fmt: str,
) -> None:
    """Which known issues affect data made with a jwst version (and context, instrument, mode)?

    Give FILE, a JWST FITS product (its primary header supplies CAL_VER,
    CRDS_CTX, INSTRUME and EXP_TYPE; needs astropy: jwst-builds[fits]), or the
    values as options; options override the header. Exit 0 with an answer,
    1 when a value is unknown or malformed, 2 on wrong usage.
    """
    options = {
        "cal_ver": cal_ver,
        "crds_ctx": crds_ctx,
        "instrument": instrument,
        "exp_type": exp_type,
        "readpatt": readpatt,
        "subarray": subarray,
        "detector": detector,
    }
    given = {k: v for k, v in options.items() if v is not None}
    missing: tuple[str, ...] = ()
    shown = None
    if file is not None:
        shown = str(file)
        try:
            header = read_keywords(file, shown)
        except FitsError as exc:
            _fail(str(exc))
        missing = tuple(k for k in EXPECTED if k not in header and KEYWORDS[k] not in given)
        given = {**{KEYWORDS[k]: v for k, v in header.items()}, **given}
        if "cal_ver" not in given:
            _fail(
                f"{shown} has no CAL_VER keyword in its primary header "
                "(is it a calibrated product?); give --cal-ver"
            )
    elif "cal_ver" not in given:
        raise click.UsageError("give a FITS FILE or --cal-ver")
    question = query.Question(
        cal_ver=given.pop("cal_ver"), file=shown, missing_keywords=missing, **given
    )
    try:
        answer = query.affects(_load(settings), question, include_all=include_all)
    except query.QueryError as exc:
        _fail(str(exc))
    _emit(answer, fmt, querytext.affects_text(answer))


@click.command()
@click.argument("build")
@_FORMAT
@click.pass_obj
def show(settings: Settings, build: str, fmt: str) -> None:
    """One build (by id, such as 10.2, or by a jwst version) with its releases and known issues."""
    ds = _load(settings)
    try:
        answer = query.show(ds, build)
    except query.QueryError as exc:
        _fail(str(exc))
    _emit(answer, fmt, querytext.show_text(answer))


def _day(_ctx: click.Context, _param: click.Parameter, value: str | None) -> str:
    if value is None:
        return dt.date.today().isoformat()
    try:
        return query.parse_day(value)
    except ValueError as exc:
        raise click.BadParameter(str(exc)) from exc


@click.command()
@click.option(
    "--on", "day", callback=_day, metavar="DATE", help="The day (YYYY-MM-DD); default today."
)
@_FORMAT
@click.pass_obj
def operations(settings: Settings, day: str, fmt: str) -> None:
    """Which build was in operations on a given day (from the builds' install dates)."""
    ds = _load(settings)
    try:
        answer = query.operations_on(ds, day)
    except query.QueryError as exc:
        _fail(str(exc))
    _emit(answer, fmt, querytext.operations_text(answer))
