"""Typed answers of the questions the data answer: `affects` and `operations`.

The JSON answers (schema/affects.schema.json, docs/affects-json.md) are the contract
programs rely on; these frozen records mirror them field for field, so that
``Answer.from_dict(doc).to_dict() == doc``. Field names are the JSON keys.
"""

from __future__ import annotations

import dataclasses
import types
import typing
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from typing import Any, TypeVar

from packaging.version import Version

from .dataset import version_key
from .model import ChangelogEntry, Point, Scope

T = TypeVar("T")


@dataclass(frozen=True)
class CalVerNote:
    """How a CAL_VER that is not a known tag was read (a development install, a candidate)."""

    #: development, local, pre-release, post-release or equivalent
    kind: str
    #: "warning" when the answer is an approximation, "note" otherwise
    level: str
    message: str


@dataclass(frozen=True)
class AnsweredQuestion:
    """The question as understood: values normalised, None where not given."""

    #: the jwst tag the answer is for
    cal_ver: str
    crds_ctx: str | None
    instrument: str | None
    exp_type: str | None
    readpatt: str | None
    subarray: str | None
    detector: str | None
    #: the FITS file the values were read from
    file: str | None
    missing_keywords: tuple[str, ...]
    #: CAL_VER as given (a development version, a candidate, ...)
    cal_ver_given: str
    cal_ver_note: CalVerNote | None


@dataclass(frozen=True)
class ReleaseInfo:
    """The jwst release that made the data."""

    build: str
    jwst_version: str
    kind: str
    dms_label: str | None
    dms_version: str | None
    crds_context: str | None
    released: str | None
    ops_install: str | None
    note: str | None


@dataclass(frozen=True)
class BuildInfo:
    """The build that holds the release, as it stands today."""

    id: str
    status: str
    candidate_released: str | None
    operations_installed: str | None
    crds_context: str | None
    context_policy: str
    sdp_version: str | None
    release_notes: str | None


@dataclass(frozen=True)
class OperationsNow:
    """The build in operations today and its release."""

    build: str
    release: str
    since: str | None
    crds_context: str | None


@dataclass(frozen=True)
class ContextCheck:
    """The product's CRDS context next to its release's and the operations context."""

    value: str | None
    release_context: str | None
    operations_context: str | None
    older_than_operations: bool | None


@dataclass(frozen=True)
class MitigationState:
    """A remedy the pipeline offers, and whether it is in the product's release and in
    operations: not-available, optional or default."""

    summary: str
    kind: str
    step: str | None
    available_from: Point | None
    default_from: Point | None
    in_your_release: str
    in_operations: str | None


@dataclass(frozen=True)
class FixInfo:
    """Where an issue is fixed and whether the product, operations and MAST have the fix."""

    #: software, reference-files or both
    needs: str
    build: str | None
    release: str | None
    changelog: tuple[ChangelogEntry, ...]
    crds_context: str | None
    release_has_fix: bool | None
    context_has_fix: bool | None
    in_operations: bool
    in_archive_since: str | None


@dataclass(frozen=True)
class IssueMatch:
    """A known issue that applies ("yes") or may apply ("possibly") to the product."""

    id: str
    title: str
    summary: str
    status: str
    impact: str
    data_issue: bool
    applies: str
    unchecked: tuple[str, ...]
    documented_from: Point
    introduced: Point | None
    undocumented: bool
    #: the last build a source shows affected, for an old record nothing newer confirms
    documented_until: Point | None
    #: the product is newer than documented_until
    unassessed: bool
    scope: Scope
    symptoms: tuple[str, ...]
    workaround: str | None
    mitigations: tuple[MitigationState, ...]
    fix: FixInfo | None
    mitigation_plan: str | None
    planned_build: str | None
    sources: tuple[str, ...]
    #: redownload, reprocess, mitigate, workaround or none
    action: str


@dataclass(frozen=True)
class InflightMode:
    """One row of the in-flight reference-file table that concerns the product's mode."""

    instrument: str
    mode: str
    readpatt: tuple[str, ...] | None
    subarray: str | None
    conditions_match: bool | None
    minimum_context: str | None
    status: str
    verdict: str


@dataclass(frozen=True)
class InflightCheck:
    """The product's context against the minimum with in-flight reference files."""

    as_of: str
    verdict: str
    modes: tuple[InflightMode, ...]
    advice: str


@dataclass(frozen=True)
class Verdict:
    """What to do with a product, in one word, and with which release or context.

    ``kind`` is ``ok`` (made by the operations build and context, or a newer one: nothing
    to do), ``download`` (MAST has reprocessed it since, or operations has the fix of an
    issue that applies: download it again) or ``reprocess`` (a fix exists that operations
    does not have yet: reprocess with ``release``, and ``crds_context`` when the fix
    needs new reference files).
    """

    kind: str
    build: str | None = None
    release: str | None = None
    crds_context: str | None = None

    def __str__(self) -> str:
        if self.kind == "ok":
            return "nothing to do"
        if self.kind == "download":
            return "download again"
        parts = []
        if self.release or self.build:
            parts.append(f"jwst {self.release}" if self.release else f"build {self.build}")
        if self.crds_context:
            parts.append(self.crds_context)
        return "reprocess with " + " and ".join(parts)


@dataclass(frozen=True)
class Answer:
    """The answer to "which known issues affect data made with these values?"."""

    schema_version: str
    query: AnsweredQuestion
    release: ReleaseInfo
    build: BuildInfo
    operations: OperationsNow | None
    crds_context: ContextCheck
    all_issues: bool
    records_checked: int
    other_issues: int
    issues: tuple[IssueMatch, ...]
    inflight_reference_files: InflightCheck | None

    @classmethod
    def from_dict(cls, doc: dict[str, Any]) -> Answer:
        return _build(cls, doc)

    def to_dict(self) -> dict[str, Any]:
        """The JSON answer, exactly as `jwst-builds affects --format json` prints it."""
        return typing.cast(dict[str, Any], _plain(self))

    def text(self) -> str:
        """The answer for people, as `jwst-builds affects` prints it."""
        from .querytext import affects_text

        return affects_text(self.to_dict())

    @property
    def applies(self) -> tuple[IssueMatch, ...]:
        """The issues that apply for certain (``applies == "yes"``)."""
        return tuple(i for i in self.issues if i.applies == "yes")

    @property
    def verdict(self) -> Verdict:
        """What to do with the product: nothing, download again, or reprocess."""
        return decide(
            self.release.jwst_version,
            self.operations.release if self.operations else None,
            self.crds_context.older_than_operations,
            [
                (
                    i.action,
                    None if i.fix is None else (i.fix.build, i.fix.release, i.fix.crds_context),
                )
                for i in self.issues
                if i.data_issue and i.applies == "yes"
            ],
        )


@dataclass(frozen=True)
class Operations:
    """Which build (and release) was in operations on a day."""

    schema_version: str
    date: str
    build: str
    release: str
    crds_context: str | None
    installed: str
    #: when the next build was installed; None while it is still in operations
    replaced: str | None
    status_today: str

    @classmethod
    def from_dict(cls, doc: dict[str, Any]) -> Operations:
        return _build(cls, doc)

    def to_dict(self) -> dict[str, Any]:
        """The JSON answer, exactly as `jwst-builds operations --format json` prints it."""
        return typing.cast(dict[str, Any], _plain(self))


#: (build, release, CRDS context) of a fix
FixPoint = tuple[str | None, str | None, str | None]


def decide(
    release: str,
    operations_release: str | None,
    context_older: bool | None,
    sure: list[tuple[str, FixPoint | None]],
) -> Verdict:
    """The verdict for a product made with ``release``, from the (action, fix) of every data
    issue that applies for certain; see :class:`Verdict`."""
    fixes = [fix for action, fix in sure if action == "reprocess" and fix is not None]
    if fixes:
        software = [f for f in fixes if f[0] is not None]
        latest = max(
            software, key=lambda f: (version_key(f[0] or ""), version_key(f[1] or "")), default=None
        )
        contexts = [f[2] for f in fixes if f[2]]
        return Verdict(
            "reprocess",
            build=latest[0] if latest else None,
            release=latest[1] if latest else None,
            crds_context=max(contexts) if contexts else None,
        )
    if operations_release is None:
        return Verdict("ok")
    older = Version(release) < Version(operations_release)
    if older or context_older or any(action == "redownload" for action, _ in sure):
        return Verdict("download")
    return Verdict("ok")


# --- JSON <-> records, driven by the type hints ---------------------------------------


def _same(value: Any) -> Any:
    return value


@cache
def _converter(tp: Any) -> Callable[[Any], Any]:
    """A function turning JSON into a value of type ``tp``, worked out once per type."""
    origin = typing.get_origin(tp)
    if origin in (typing.Union, types.UnionType):
        (inner,) = (a for a in typing.get_args(tp) if a is not type(None))
        convert = _converter(inner)
        return _same if convert is _same else lambda v: None if v is None else convert(v)
    if origin is tuple:
        item = _converter(typing.get_args(tp)[0])
        return tuple if item is _same else lambda v: tuple(item(x) for x in v)
    if isinstance(tp, type) and dataclasses.is_dataclass(tp):
        return _record_converter(tp)
    return _same


def _record_converter(cls: type) -> Callable[[dict[str, Any]], Any]:
    hints = typing.get_type_hints(cls)
    plan = [(f.name, _converter(hints[f.name])) for f in dataclasses.fields(cls)]
    names = {name for name, _ in plan}

    def build(data: dict[str, Any]) -> Any:
        if data.keys() != names:
            unknown = ", ".join(sorted(set(data) - names)) or "-"
            missing = ", ".join(sorted(names - set(data))) or "-"
            raise TypeError(f"{cls.__name__}: unknown keys {unknown}; missing keys {missing}")
        return cls(**{name: convert(data[name]) for name, convert in plan})

    return build


def _build(cls: type[T], data: dict[str, Any]) -> T:
    """A record from its JSON object; every key must be a field and every field present."""
    convert = _converter(typing.cast(Any, cls))
    return typing.cast(T, convert(data))


def _plain(value: Any) -> Any:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: _plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, tuple):
        return [_plain(v) for v in value]
    return value
