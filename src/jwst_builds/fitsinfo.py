"""Read the keywords `affects` needs from the primary header of a FITS file (needs astropy)."""

from __future__ import annotations

import warnings
from pathlib import Path

#: header keyword -> field of jwst_builds.query.Question
KEYWORDS = {
    "CAL_VER": "cal_ver",
    "CRDS_CTX": "crds_ctx",
    "INSTRUME": "instrument",
    "EXP_TYPE": "exp_type",
    "READPATT": "readpatt",
    "SUBARRAY": "subarray",
    "DETECTOR": "detector",
}
#: keywords whose absence is reported (READPATT, SUBARRAY and DETECTOR only refine the answer)
EXPECTED = ("CAL_VER", "CRDS_CTX", "INSTRUME", "EXP_TYPE")

_FITS_MAGIC = b"SIMPLE  ="


class FitsError(Exception):
    """The file cannot be read as a FITS product: one line naming it."""


def read_keywords(path: Path, shown: str | None = None) -> dict[str, str]:
    """The keywords of KEYWORDS found in the primary header, as stripped strings."""
    name = shown or str(path)
    if path.exists() and not path.is_file():  # a pipe would block the read below
        raise FitsError(f"{name} is not a regular file")
    try:
        with path.open("rb") as fh:
            start = fh.read(len(_FITS_MAGIC))
    except OSError as exc:
        raise FitsError(f"cannot read {name}: {exc.strerror}") from exc
    if start != _FITS_MAGIC:
        raise FitsError(f"{name} is not a FITS file (it does not start with a SIMPLE card)")
    try:
        from astropy.io import fits
    except ImportError as exc:
        raise FitsError(
            "reading FITS headers needs astropy: pip install 'jwst-builds[fits]', "
            "or give the values with --cal-ver, --crds-ctx, --instrument and --exp-type"
        ) from exc
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            header = fits.getheader(path, 0)
    except Exception as exc:  # astropy raises many kinds for damaged files
        reason = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise FitsError(f"{name} is not a readable FITS file: {reason}") from exc
    found = {}
    for key in KEYWORDS:
        value = header.get(key)
        if value is not None and str(value).strip():
            found[key] = str(value).strip()
    return found
