"""`jwst-builds info` and `--version`: which jwst-builds, which data, where, and how old."""

from __future__ import annotations

import datetime as dt
from importlib import metadata

import click

from ..dataroot import ORIGINS, DataRoot, DataRootError, Stamp, resolve, stamp_of
from . import Settings


def _version(package: str) -> str | None:
    try:
        return metadata.version(package)
    except metadata.PackageNotFoundError:
        return None


def stamp_text(stamp: Stamp, today: dt.date | None = None) -> str:
    """``commit 1a2b3c4d of 2026-05-30, 3 days old`` (or what is unknown of it)."""
    commit = f"commit {stamp.commit[:12]}" if stamp.commit else "commit unknown"
    if stamp.date is None:
        text = f"{commit}, date unknown"
    else:
        age = stamp.age_days(today)
        made = stamp.date[:10]
        of = "" if stamp.date_of == "commit" else f" ({stamp.date_of})" if stamp.date_of else ""
        text = f"{commit} of {made}{of}, {age} day{'s' * (age != 1)} old"
    if stamp.modified:
        text += ", with uncommitted changes"
    return text


def data_line(found: DataRoot) -> str:
    return f"{ORIGINS[found.origin]} ({found.path}), {stamp_text(stamp_of(found))}"


def version_text() -> str:
    """What `jwst-builds --version` prints: the version, and the data found from here."""
    head = f"jwst-builds {_version('jwst-builds') or 'unknown'}"
    try:
        found = resolve()
    except DataRootError as exc:
        return f"{head}\ndata: none ({exc})"
    return f"{head}\ndata: {data_line(found)}"


@click.command()
@click.pass_obj
def info(settings: Settings) -> None:
    """Which data are in use, where they are, how old they are, and what they hold."""
    from .. import dataset
    from ..operations import operations_now

    found = settings.data
    ds = dataset.load(found.path)
    releases = sum(len(b.data["releases"]) for b in ds.builds.values())
    ops = operations_now(ds)
    astropy = _version("astropy")
    lines = [
        f"jwst-builds {_version('jwst-builds') or 'unknown'}",
        f"data:       {ORIGINS[found.origin]}",
        f"path:       {found.path}",
        f"version:    {stamp_text(stamp_of(found))}",
        f"records:    {len(ds.builds)} builds, {releases} jwst releases, "
        f"{len(ds.issues)} known issues, {len(ds.sources)} sources",
        "operations: "
        + (
            f"build {ops['build']} (jwst {ops['release']}, {ops['crds_context']}) "
            f"since {ops['since']}"
            if ops
            else "no build is in operations"
        ),
        "FITS:       "
        + (
            f"astropy {astropy}"
            if astropy
            else "astropy is not installed (pip install 'jwst-builds[fits]' for scan)"
        ),
    ]
    if ds.problems:
        lines.append(f"problems:   {len(ds.problems)} (run jwst-builds validate)")
    click.echo("\n".join(lines))
