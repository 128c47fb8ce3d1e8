"""CAL_VER as real headers write it: read with packaging.version, answered as a known tag.

Calibrated products carry the version of the jwst package that made them. Operations
builds write a tag such as ``1.14.0``; a development install writes what setuptools-scm
derives from git (``1.16.2.dev12+g3a2b1c0``: twelve commits after 1.16.1); candidates and
post releases write ``3.0.0rc1`` or ``1.6.0.post1``. Each is answered as the tag whose
known issues fit it best, with a note (or, when the answer is only an approximation, a
warning) that says so.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING

from .errors import QueryError
from .lookup import nearest

if TYPE_CHECKING:
    from packaging.version import Version

#: how a CAL_VER value was read
KINDS = ("release", "development", "pre-release", "post-release", "local", "equivalent")


@dataclass(frozen=True)
class CalVer:
    """A CAL_VER value and the known jwst tag it is answered as.

    ``level`` is None when ``given`` is that tag, ``"note"`` when it stands for it
    (a candidate, a post release, another spelling), ``"warning"`` when the answer is
    an approximation (a development or locally changed install).
    """

    given: str
    release: str
    kind: str
    level: str | None
    message: str | None


def read_cal_ver(text: str, known: Iterable[str]) -> CalVer:
    """The known tag a CAL_VER value is answered as; QueryError when there is none."""
    given = text.strip()
    tags = frozenset(known)
    if given in tags:
        return CalVer(given, given, "release", None, None)
    # here: a CAL_VER that is a known tag, the usual case, needs no parsing
    from packaging.version import InvalidVersion, Version

    from .schemas import short  # messages quote at most a line of what was given

    try:
        # no real version is this long; huge digit strings overflow int() (ValueError)
        if len(given) > 64 or not given.isascii():
            raise InvalidVersion(given)
        version = Version(given)
    except (InvalidVersion, ValueError):
        raise QueryError(f"CAL_VER '{short(given)}' is not a jwst version such as 1.14.0") from None
    parsed = _parsed(tags)
    if version.is_devrelease:
        earlier = [v for v in parsed if v < version]
        if not earlier:
            raise QueryError(
                f"CAL_VER '{given}' is a development version older than every known jwst release"
            )
        tag = parsed[max(earlier)]
        return CalVer(
            given,
            tag,
            "development",
            "warning",
            f"CAL_VER {given} is a development install after jwst {tag}, not an operations "
            f"build: answered with the known issues of {tag}; changes made after {tag} are "
            "not taken into account",
        )
    base = Version(version.base_version)
    found = parsed.get(base)
    if found is None:
        near = " and ".join(nearest(tags, version.base_version))
        hint = f" (nearest known: {near})" if near else " (the data hold no releases)"
        raise QueryError(
            f"unknown CAL_VER '{short(given)}': no jwst release has that version{hint}"
        )
    if version.local is not None:
        return CalVer(
            given,
            found,
            "local",
            "warning",
            f"CAL_VER {given} is a locally built or changed copy of jwst {found}, not an "
            f"operations build: answered as {found}",
        )
    if version.is_prerelease:
        return CalVer(
            given,
            found,
            "pre-release",
            "note",
            f"CAL_VER {given} is a release candidate of jwst {found}: answered as {found}; "
            "fixes made between the candidate and the final are not taken into account",
        )
    if version.is_postrelease:
        return CalVer(
            given,
            found,
            "post-release",
            "note",
            f"CAL_VER {given} is a post release of jwst {found}: answered as {found}",
        )
    return CalVer(given, found, "equivalent", "note", f"CAL_VER {given} read as jwst {found}")


@cache
def _parsed(tags: frozenset[str]) -> dict[Version, str]:
    from packaging.version import InvalidVersion, Version

    out = {}
    for tag in tags:
        try:
            out[Version(tag)] = tag
        except InvalidVersion:  # the schema allows only x.y.z; be safe with other data
            continue
    return out
