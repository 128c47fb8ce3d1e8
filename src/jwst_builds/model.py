"""Typed, immutable known-issue records, built once from schema-valid YAML data.

The issue schema (schema/issue.schema.json) is the documentation of every field; these
classes mirror it so that the checks, the queries, the notes and the exports share one
reading of a record instead of each walking raw dictionaries.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .dataset import Record

#: impacts that change or withhold science data; the others concern the software itself
DATA_IMPACTS = ("data-quality", "processing-failure")


@dataclass(frozen=True)
class Point:
    """A point on the software axis: a build, and one of its jwst releases when known."""

    build: str
    release: str | None

    @classmethod
    def of(cls, data: dict[str, Any] | None) -> Point | None:
        return None if data is None else cls(str(data["build"]), data["release"])

    def __str__(self) -> str:
        return f"jwst {self.release}" if self.release else f"build {self.build}"


@dataclass(frozen=True)
class ChangelogEntry:
    """One entry of the jwst change log: its version section, pull request and category."""

    version: str
    pr: int
    category: str


@dataclass(frozen=True)
class SoftwareFix:
    """The first build (and release) whose software carries the fix."""

    build: str
    release: str | None
    changelog: tuple[ChangelogEntry, ...]
    changelog_note: str | None

    @property
    def point(self) -> Point:
        return Point(self.build, self.release)


@dataclass(frozen=True)
class Scope:
    """Which products an issue can touch; an empty tuple puts no limit on that axis."""

    instruments: tuple[str, ...]
    mode_groups: tuple[str, ...]
    exp_types: tuple[str, ...]
    subarray: str  # any | full | subarray
    readpatt: tuple[str, ...]
    detectors: tuple[str, ...]
    products: tuple[str, ...]
    steps: tuple[str, ...]
    conditions: str | None


@dataclass(frozen=True)
class Mitigation:
    """A remedy the pipeline or STScI offers, with when it came and when it became default."""

    summary: str
    kind: str
    step: str | None
    available_from: Point | None
    default_from: Point | None


@dataclass(frozen=True)
class Evidence:
    """What one source says, and which fields of the record it backs."""

    source: str
    supports: tuple[str, ...]
    says: str


@dataclass(frozen=True)
class Conflict:
    """A value on which two sources disagree: the one the record holds and the other."""

    field: str
    chosen: str | None
    chosen_source: str
    alternative: str | None
    alternative_source: str
    reason: str


@dataclass(frozen=True)
class KnownIssue:
    """One known issue of JWST data products (issues/<id>.yaml)."""

    id: str
    file: str
    title: str
    summary: str
    status: str
    impact: str
    scope: Scope
    introduced: Point | None
    documented_from: Point
    last_affected: Point | None
    fixed: SoftwareFix | None
    context_introduced: str | None
    context_fixed: str | None
    reftypes: tuple[str, ...]
    symptoms: tuple[str, ...]
    workaround: str | None
    mitigations: tuple[Mitigation, ...]
    plan: str | None
    planned_build: str | None
    discovered: str | None
    last_reviewed: str
    withdrawn_reason: str | None
    replaced_by: str | None
    related: tuple[str, ...]
    notes: str | None
    sources: tuple[str, ...]
    evidence: tuple[Evidence, ...]
    conflicts: tuple[Conflict, ...]
    #: last build a source shows affected, for old records nothing later confirms
    documented_until: Point | None = None

    @property
    def active(self) -> bool:
        """Withdrawn records stay in the data but apply to nothing."""
        return self.status != "withdrawn"

    @property
    def data_issue(self) -> bool:
        """Whether the issue changes or withholds science data (shown by default)."""
        return self.impact in DATA_IMPACTS

    @classmethod
    def from_record(cls, rec: Record) -> KnownIssue:
        d = rec.data
        sc, sw, rf = d["scope"], d["software"], d["reference_files"]
        fix = sw["fixed"]
        plan = d["mitigation_plan"]
        gone = d["withdrawn"]
        return cls(
            id=rec.id,
            file=rec.file,
            title=d["title"],
            summary=_text(d["summary"]),
            status=d["status"],
            impact=d["impact"],
            scope=Scope(
                instruments=tuple(sc["instruments"]),
                mode_groups=tuple(sc["mode_groups"]),
                exp_types=tuple(sc["exp_types"]),
                subarray=sc["subarray"],
                readpatt=tuple(sc["readpatt"]),
                detectors=tuple(sc["detectors"]),
                products=tuple(sc["products"]),
                steps=tuple(sc["steps"]),
                conditions=_text(sc["conditions"]) if sc["conditions"] else None,
            ),
            introduced=Point.of(sw["introduced"]),
            documented_from=Point(sw["documented_from"]["build"], sw["documented_from"]["release"]),
            documented_until=Point.of(sw.get("documented_until")),
            last_affected=Point.of(sw["last_affected"]),
            fixed=None
            if fix is None
            else SoftwareFix(
                build=fix["build"],
                release=fix["release"],
                changelog=tuple(
                    ChangelogEntry(c["version"], c["pr"], c["category"]) for c in fix["changelog"]
                ),
                changelog_note=fix["changelog_note"],
            ),
            context_introduced=rf["introduced"],
            context_fixed=rf["fixed"],
            reftypes=tuple(rf["reftypes"]),
            symptoms=tuple(_text(s) for s in d["symptoms"]),
            workaround=_text(d["workaround"]) if d["workaround"] else None,
            mitigations=tuple(
                Mitigation(
                    summary=_text(m["summary"]),
                    kind=m["kind"],
                    step=m["step"],
                    available_from=Point.of(m["available_from"]),
                    default_from=Point.of(m["default_from"]),
                )
                for m in d["mitigations"]
            ),
            plan=_text(plan["summary"]) if plan else None,
            planned_build=plan["planned_build"] if plan else None,
            discovered=d["discovered"],
            last_reviewed=d["last_reviewed"],
            withdrawn_reason=_text(gone["reason"]) if gone else None,
            replaced_by=gone["replaced_by"] if gone else None,
            related=tuple(d.get("related", ())),
            notes=_text(d["notes"]) if d.get("notes") else None,
            sources=tuple(d["sources"]),
            evidence=tuple(
                Evidence(e["source"], tuple(e["supports"]), _text(e["says"])) for e in d["evidence"]
            ),
            conflicts=tuple(Conflict(**c) for c in d.get("conflicts", ())),
        )


def _text(value: str) -> str:
    """Folded YAML text as one line (the records wrap long text for reading)."""
    return " ".join(value.split())
