"""Small lookups shared by the checks and the queries: instruments, modes, contexts, versions."""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable

from .dataset import version_key

INSTRUMENTS = ("NIRCam", "NIRSpec", "NIRISS", "MIRI", "FGS")

#: EXP_TYPE prefix -> instrument
_PREFIXES = {"MIR": "MIRI", "NRC": "NIRCam", "NIS": "NIRISS", "NRS": "NIRSpec", "FGS": "FGS"}

# \Z, not $: Python's $ also matches before a final line break
CONTEXT = re.compile(r"^jwst_([0-9]{4})\.pmap\Z")
VERSION = re.compile(r"^(?:0|[1-9][0-9]{0,3})(?:\.(?:0|[1-9][0-9]{0,3})){2}\Z")
EXP_TYPE = re.compile(r"^[A-Z]{3}_[A-Z0-9-]+\Z")


def instrument_of(exp_type: str) -> str | None:
    """The instrument an EXP_TYPE value belongs to (``NRS_IFU`` -> ``NIRSpec``)."""
    return _PREFIXES.get(exp_type.split("_", 1)[0])


def canonical_instrument(value: str) -> str | None:
    """``NIRSPEC`` (as in INSTRUME) or ``nirspec`` -> ``NIRSpec``; None if unknown."""
    wanted = value.strip().upper()
    return next((name for name in INSTRUMENTS if name.upper() == wanted), None)


def context_number(context: str) -> int:
    """``jwst_1240.pmap`` -> 1240 (the caller has checked the form)."""
    match = CONTEXT.match(context)
    if match is None:
        raise ValueError(f"not a CRDS context: {context!r}")
    return int(match.group(1))


def nearest(known: Iterable[str], value: str) -> list[str]:
    """The known versions just below and just above ``value``, in version order."""
    return VersionIndex(known).nearest(value)


class VersionIndex:
    """Known versions sorted once, for asking :func:`nearest` many times: a check that
    sorted every build again for each unknown reference would cost n^2 on a tree with
    many of them."""

    def __init__(self, known: Iterable[str]) -> None:
        self._ordered = sorted(set(known), key=version_key)
        self._keys = [version_key(v) for v in self._ordered]

    def nearest(self, value: str) -> list[str]:
        at = bisect.bisect_left(self._keys, version_key(value))
        return self._ordered[max(at - 1, 0) : at + 1]
