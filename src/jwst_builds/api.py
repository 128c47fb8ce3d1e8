"""The public Python API: ``jwst_builds.load()`` and the questions a Dataset answers.

Everything here returns the typed, immutable records of :mod:`jwst_builds.model`,
:mod:`jwst_builds.buildmodel` and :mod:`jwst_builds.answers`; docs/api.md shows them
in use.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterator, Mapping
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

from . import dataset as _dataset
from .answers import Answer, Operations
from .buildmodel import Build, Release, Source
from .dataroot import DataRoot, Stamp, resolve, stamp_of
from .errors import QueryError
from .fitsinfo import EXPECTED, KEYWORDS, FitsError, read_keywords
from .issuerange import known_issues
from .model import KnownIssue
from .problems import Problem

if TYPE_CHECKING:
    from .scan import ScanRow


def load(root: str | os.PathLike[str] | None = None) -> Dataset:
    """Load the data once: from ``root``, else ``$JWST_BUILDS_ROOT``, else the checkout
    around the current folder, else the snapshot packaged with jwst-builds.

    Raises :class:`DataRootError` when ``root`` (or the variable) holds no data. Records
    that fail their schema are left out and listed in :attr:`Dataset.problems`.
    """
    found = resolve(None if root is None else Path(root), named="root")
    return Dataset(_dataset.load(found.path), found)


class Dataset:
    """Every build, release, known issue and source of one data root, and the questions
    they answer. Make one with :func:`load`."""

    def __init__(self, raw: _dataset.Dataset, where: DataRoot) -> None:
        self._raw = raw
        self._where = where

    def __repr__(self) -> str:
        return f"<jwst_builds.Dataset {len(self.builds)} builds, {len(self.issues)} issues>"

    # --- where the data come from ---------------------------------------------------

    @property
    def root(self) -> Path:
        """The folder the data were read from."""
        return self._where.path

    @property
    def origin(self) -> str:
        """How the root was found: option, environment, checkout, packaged or
        installed-checkout."""
        return self._where.origin

    @cached_property
    def stamp(self) -> Stamp:
        """The commit and date of the data (from git, or the packaged snapshot's stamp)."""
        return stamp_of(self._where)

    @property
    def problems(self) -> tuple[Problem, ...]:
        """Files that failed to load or to pass their schema (left out of the answers)."""
        return tuple(self._raw.problems)

    # --- the records --------------------------------------------------------------------

    @cached_property
    def builds(self) -> tuple[Build, ...]:
        """Every build, oldest first."""
        ordered = sorted(self._raw.builds.values(), key=lambda r: _dataset.version_key(r.id))
        return tuple(Build.from_record(r) for r in ordered)

    @cached_property
    def releases(self) -> tuple[Release, ...]:
        """Every jwst tag, build by build, oldest first."""
        return tuple(r for b in self.builds for r in b.releases)

    @cached_property
    def issues(self) -> tuple[KnownIssue, ...]:
        """Every known issue, withdrawn ones included, by id."""
        return tuple(known_issues(self._raw))

    @cached_property
    def sources(self) -> tuple[Source, ...]:
        """Every source the records cite, by id."""
        return tuple(Source.of(self._raw.sources[k]) for k in sorted(self._raw.sources))

    def build(self, build_id: str) -> Build:
        """One build by id (``"10.2"``); QueryError names the nearest when it is unknown."""
        found = next((b for b in self.builds if b.id == build_id.strip()), None)
        if found is None:
            from .lookup import nearest

            near = " and ".join(nearest([b.id for b in self.builds], build_id))
            hint = f" (known builds nearby: {near})" if near else ""
            raise QueryError(f"unknown build '{build_id}'{hint}")
        return found

    def release(self, jwst_version: str) -> Release:
        """One jwst tag (``"1.14.0"``); QueryError names the nearest when it is unknown."""
        wanted = jwst_version.strip()
        found = next((r for r in self.releases if r.jwst_version == wanted), None)
        if found is None:
            from .lookup import nearest

            near = " and ".join(nearest([r.jwst_version for r in self.releases], wanted))
            hint = f" (nearest known: {near})" if near else ""
            raise QueryError(f"unknown jwst release '{jwst_version}'{hint}")
        return found

    def issue(self, issue_id: str) -> KnownIssue:
        """One known issue by id; QueryError when there is none."""
        found = next((i for i in self.issues if i.id == issue_id.strip()), None)
        if found is None:
            raise QueryError(f"unknown known issue '{issue_id}'")
        return found

    # --- questions --------------------------------------------------------------------

    def operations(self, on: str | dt.date | None = None) -> Operations:
        """Which build was in operations on a day (``"2024-07-01"`` or a date; default today)."""
        from .query import operations_on, parse_day

        if on is None:
            day = dt.date.today().isoformat()
        elif isinstance(on, dt.date):
            day = on.isoformat()
        else:
            try:
                day = parse_day(on)
            except ValueError as exc:
                raise QueryError(str(exc)) from None
        return Operations.from_dict(operations_on(self._raw, day))

    def affects(
        self,
        cal_ver: str,
        crds_ctx: str | None = None,
        instrument: str | None = None,
        exp_type: str | None = None,
        readpatt: str | None = None,
        subarray: str | None = None,
        detector: str | None = None,
        *,
        include_all: bool = False,
    ) -> Answer:
        """Which known issues affect data made with these header values.

        Values are written as in the header (``cal_ver="1.14.0"``,
        ``crds_ctx="jwst_1240.pmap"``, ``instrument="NIRSPEC"``). Data issues are
        listed; installation, speed and usability issues too with ``include_all``.
        QueryError says which value is unknown or malformed.
        """
        from .query import Question

        return self._ask(
            Question(
                cal_ver=cal_ver,
                crds_ctx=crds_ctx,
                instrument=instrument,
                exp_type=exp_type,
                readpatt=readpatt,
                subarray=subarray,
                detector=detector,
            ),
            include_all,
        )

    def affects_header(
        self, header: Mapping[str, Any], *, include_all: bool = False, file: str | None = None
    ) -> Answer:
        """:meth:`affects` for a FITS primary header: any mapping of keyword to value,
        an astropy Header included (CAL_VER, CRDS_CTX, INSTRUME, EXP_TYPE, READPATT,
        SUBARRAY, DETECTOR; the last three only refine the answer)."""
        values = {}
        for key in KEYWORDS:
            value = header.get(key)
            if value is not None and str(value).strip():
                values[key] = str(value).strip()
        return self._from_keywords(values, include_all, file)

    def affects_file(self, path: str | os.PathLike[str], *, include_all: bool = False) -> Answer:
        """:meth:`affects` for a FITS product (``.fits`` or ``.fits.gz``; needs astropy).

        Raises QueryError when the file cannot be read or lacks CAL_VER.
        """
        shown = os.fspath(path)
        try:
            values = read_keywords(Path(shown), shown)
        except FitsError as exc:
            raise QueryError(str(exc)) from None
        return self._from_keywords(values, include_all, shown)

    def scan(self, *paths: str | os.PathLike[str], include_all: bool = False) -> Iterator[ScanRow]:
        """One row per FITS product under ``paths`` (files, folders, globs), as they are read.

        A path that names nothing raises FileNotFoundError when the scan reaches it.
        """
        from .scan import Scanner, expand

        scanner = Scanner(self._raw, include_all=include_all)
        for product in expand([os.fspath(p) for p in paths]):
            yield scanner.row(product)

    def _from_keywords(self, values: dict[str, str], include_all: bool, file: str | None) -> Answer:
        from .query import Question

        if "CAL_VER" not in values:
            where = f"{file} has" if file else "the header has"
            raise QueryError(f"{where} no CAL_VER keyword (is it a calibrated product?)")
        fields = {KEYWORDS[k]: v for k, v in values.items()}
        question = Question(
            **fields,
            file=file,
            missing_keywords=tuple(k for k in EXPECTED if k not in values),
        )
        return self._ask(question, include_all)

    def _ask(self, question: Any, include_all: bool) -> Answer:
        from .query import affects

        return Answer.from_dict(affects(self._raw, question, include_all=include_all))
