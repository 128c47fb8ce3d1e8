"""What a README row means for our data: which build a tag belongs to, what kind of
release it is, the fields of a new build, and the build lifecycle that install dates imply.

The rules follow how the records were written from the README (CONTRIBUTING.md, "Builds
and releases"); the tests check them against every release already in builds/.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from ..dataset import version_key
from .upstream import Row

_LABEL = re.compile(r"^B(\d+\.\d+(?:\.\d+)?)(?:rc(\d+))?$")
_LABEL_START = re.compile(r"^B(\d+\.\d+)")
_ORDINALS = ("first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth")
_NOTE_RC = re.compile(
    r"\b(" + "|".join(_ORDINALS) + r")\s+release candidate for (?:build\s*|B)(\d+\.\d+(?:\.\d+)?)",
    re.IGNORECASE,
)
#: kinds of tags made for no build, by a phrase of their README note
_NO_BUILD = (
    ("pypi-only", "pypi-only"),
    ("pinning dependencies", "dependency-pin"),
    ("dms test", "dms-test"),
)
#: since build 11.1 each build has one fixed CRDS context (JDox build page)
FIXED_SINCE = (11, 1)


@dataclass(frozen=True)
class Placement:
    """The build-related fields of a release, as its README label and note give them."""

    dms_version: str | None
    kind: str
    candidate: int | None

    @property
    def build(self) -> str | None:
        if self.dms_version is None:
            return None
        return ".".join(self.dms_version.split(".")[:2])


def label_version(label: str | None) -> str | None:
    """The build or patch level a README label names: B10.2rc1 -> 10.2, B9.2.x -> 9.2."""
    match = _LABEL.match(label or "") or _LABEL_START.match(label or "")
    return match.group(1) if match else None


def place(label: str | None, note: str | None) -> Placement:
    """dms_version, kind and candidate number of a tag from its README label and note."""
    text = (note or "").lower()
    match = _LABEL.match(label or "")
    version = label_version(label)
    rc = int(match.group(2)) if match and match.group(2) else None
    from_note = _NOTE_RC.search(note or "")
    if version is None:
        for phrase, kind in _NO_BUILD:
            if phrase in text:
                return Placement(None, kind, None)
        if from_note is None:
            return Placement(None, "dms-test", None)  # unlabelled and unexplained
        version = from_note.group(2)
    if rc is None and from_note is not None and version == from_note.group(2):
        rc = _ORDINALS.index(from_note.group(1).lower()) + 1
    if rc is not None:
        return Placement(version, "candidate", rc)
    if "documentation" in text:
        return Placement(version, "documentation", None)
    if text.startswith("same as") and "install" in text:
        return Placement(version, "packaging", None)
    return Placement(version, "patch" if version.count(".") == 2 else "final", None)


def builds_of_new_tags(existing: Mapping[str, str], rows: Iterable[Row]) -> dict[str, str | None]:
    """The build of each upstream tag missing from ``existing`` (tag -> build id).

    A labelled tag goes to the build its label (or note) names. A tag made for no
    build lives beside the tags it was made around: a DMS test with the next build's
    candidates, a PyPI-only or pinning release with the build of the tag before it.
    """
    where: dict[str, str | None] = dict(existing)
    new = [r for r in rows if r.jwst_version not in existing]
    for row in new:
        where[row.jwst_version] = place(row.raw("dms_label"), row.raw("note")).build
    order = sorted(where, key=version_key)
    out: dict[str, str | None] = {}
    for row in new:
        tag = row.jwst_version
        if where[tag] is not None:
            out[tag] = where[tag]
            continue
        i = order.index(tag)
        before = [where[t] for t in reversed(order[:i]) if where[t]]
        after = [where[t] for t in order[i + 1 :] if where[t]]
        kind = place(row.raw("dms_label"), row.raw("note")).kind
        first, second = (after, before) if kind == "dms-test" else (before, after)
        out[tag] = (first or second or [None])[0]
    return out


def new_build(build_id: str, rows: list[Row], source: str) -> dict[str, Any]:
    """The build-level fields of a build that upstream has and our data lacks.

    Its context and SDP version are those of the release installed first (or, for a
    build not installed yet, of its newest release that gives one).
    """
    rows = sorted(rows, key=lambda r: version_key(r.jwst_version))
    released = sorted(d for r in rows if (d := r.value("released")))
    installed = sorted((d, r.jwst_version) for r in rows if (d := r.value("ops_install")))
    chosen = [next(r for r in rows if r.jwst_version == installed[0][1])] if installed else []

    def pick(name: str) -> str | None:
        for row in chosen + list(reversed(rows)):
            if row.value(name):
                return row.value(name)
        return None

    return {
        "id": build_id,
        "status": "operations" if installed else "candidate" if released else "development",
        "pre_launch": all(r.pre_launch for r in rows),
        "candidate_released": released[0] if released else None,
        "operations_installed": installed[0][0] if installed else None,
        "crds_context": pick("crds_context"),
        "context_policy": "fixed" if version_key(build_id) >= FIXED_SINCE else "minimum",
        "sdp_version": pick("sdp_version"),
        "release_notes": None,
        "sources": [source],
        "releases": [],
    }


@dataclass(frozen=True)
class Change:
    """A build-level value that the lifecycle rules change."""

    build: str
    field: str
    old: Any
    new: Any
    why: str


def lifecycle(builds: Mapping[str, Mapping[str, Any]]) -> list[Change]:
    """Build-level dates and statuses that the releases' dates imply.

    - an empty ``operations_installed`` takes the earliest Ops Install of the build's
      releases, an empty ``candidate_released`` the earliest Released;
    - the build installed last is in operations, older builds are archived, and a
      newer build in development whose candidate is out becomes a candidate.
    """
    changes: list[Change] = []
    dates: dict[str, dict[str, Any]] = {}
    for bid, data in builds.items():
        now = {k: data[k] for k in ("status", "operations_installed", "candidate_released")}
        for field, cell in (
            ("operations_installed", "ops_install"),
            ("candidate_released", "released"),
        ):
            found = sorted(r[cell] for r in data["releases"] if r.get(cell))
            if now[field] is None and found:
                changes.append(
                    Change(bid, field, None, found[0], f"earliest {cell} of its releases")
                )
                now[field] = found[0]
        dates[bid] = now
    installed = [
        (d["operations_installed"], version_key(b), b)
        for b, d in dates.items()
        if d["operations_installed"]
    ]
    current = max(installed)[2] if installed else None
    for bid in sorted(builds, key=version_key):
        status = dates[bid]["status"]
        want = status
        if bid == current:
            want = "operations"
        elif current is not None and version_key(bid) < version_key(current):
            want = "archived" if status in ("operations", "candidate", "development") else status
        elif status == "development" and dates[bid]["candidate_released"]:
            want = "candidate"
        if want != status:
            why = (
                f"installed {dates[bid]['operations_installed']}, the latest install"
                if want == "operations"
                else f"build {current} was installed later"
                if want == "archived"
                else f"its candidate was released {dates[bid]['candidate_released']}"
            )
            changes.append(Change(bid, "status", status, want, why))
    return changes
