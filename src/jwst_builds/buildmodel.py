"""Typed, immutable build, release and source records, built once from schema-valid YAML.

The schemas (schema/build.schema.json, schema/sources.schema.json) document every field;
these classes mirror them, as :mod:`jwst_builds.model` does for known issues.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .dataset import Record
from .model import Conflict


@dataclass(frozen=True)
class OtherLabel:
    """A further row of the jwst README table for the same tag (0.8.0 is B7.1 and B7.1.1)."""

    dms_label: str
    dms_version: str
    note: str | None


@dataclass(frozen=True)
class Release:
    """One jwst tag (a row of the jwst README table) and the build it belongs to."""

    jwst_version: str
    #: id of the build that holds the tag
    build: str
    #: candidate, final, patch, documentation, packaging, pypi-only, dependency-pin, dms-test
    kind: str
    #: release-candidate number, for kind "candidate" when known
    candidate: int | None
    dms_label: str | None
    dms_version: str | None
    sdp_version: str | None
    crds_context: str | None
    released: str | None
    ops_install: str | None
    note: str | None
    also_labelled: tuple[OtherLabel, ...]
    sources: tuple[str, ...]
    conflicts: tuple[Conflict, ...]

    @classmethod
    def of(cls, build_id: str, data: dict[str, Any]) -> Release:
        return cls(
            jwst_version=data["jwst_version"],
            build=build_id,
            kind=data["kind"],
            candidate=data.get("candidate"),
            dms_label=data["dms_label"],
            dms_version=data["dms_version"],
            sdp_version=data["sdp_version"],
            crds_context=data["crds_context"],
            released=data["released"],
            ops_install=data["ops_install"],
            note=data["note"],
            also_labelled=tuple(
                OtherLabel(a["dms_label"], a["dms_version"], a["note"])
                for a in data.get("also_labelled", ())
            ),
            sources=tuple(data["sources"]),
            conflicts=tuple(Conflict(**c) for c in data.get("conflicts", ())),
        )


@dataclass(frozen=True)
class Build:
    """One DMS operations build (builds/<id>.yaml) with every jwst tag released for it."""

    id: str
    file: str
    #: development, candidate, operations or archived
    status: str
    pre_launch: bool
    candidate_released: str | None
    operations_installed: str | None
    crds_context: str | None
    #: fixed (one context, since build 11.1) or minimum (earlier builds)
    context_policy: str
    sdp_version: str | None
    release_notes: str | None
    summary: str | None
    #: oldest first, as in the record
    releases: tuple[Release, ...]
    sources: tuple[str, ...]
    conflicts: tuple[Conflict, ...]

    def release(self, jwst_version: str) -> Release | None:
        """The release of this build with that tag, if any."""
        return next((r for r in self.releases if r.jwst_version == jwst_version), None)

    @classmethod
    def from_record(cls, rec: Record) -> Build:
        d = rec.data
        return cls(
            id=rec.id,
            file=rec.file,
            status=d["status"],
            pre_launch=d["pre_launch"],
            candidate_released=d["candidate_released"],
            operations_installed=d["operations_installed"],
            crds_context=d["crds_context"],
            context_policy=d["context_policy"],
            sdp_version=d["sdp_version"],
            release_notes=d["release_notes"],
            summary=" ".join(d["summary"].split()) if d.get("summary") else None,
            releases=tuple(Release.of(rec.id, r) for r in d["releases"]),
            sources=tuple(d["sources"]),
            conflicts=tuple(Conflict(**c) for c in d.get("conflicts", ())),
        )


@dataclass(frozen=True)
class Source:
    """A document the records cite (sources.yaml), by id."""

    id: str
    title: str
    #: jdox-page, release-notes, news, github-readme, changelog, ...
    kind: str
    url: str | None
    #: the date or build the document describes
    as_of: str
    #: where the copy the facts were taken from is, relative to the repository
    copy: str | None
    note: str | None

    @classmethod
    def of(cls, data: dict[str, Any]) -> Source:
        return cls(
            id=data["id"],
            title=data["title"],
            kind=data["kind"],
            url=data.get("url"),
            as_of=data["as_of"],
            copy=data.get("copy"),
            note=data.get("note"),
        )
