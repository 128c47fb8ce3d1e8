"""Read the keywords `affects` needs from the primary header of a FITS file (needs astropy)."""

from __future__ import annotations

import warnings
from pathlib import Path
from typing import Any, Protocol

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
_GZIP_MAGIC = b"\x1f\x8b"
_BLOCK = 2880  # FITS headers come in blocks of 36 cards of 80 bytes
_CARD = 80
_END = b"END     "
_WANTED = {key.ljust(8).encode("ascii"): key for key in KEYWORDS}


class _Readable(Protocol):
    def read(self, size: int = -1, /) -> bytes: ...


class FitsError(Exception):
    """The file cannot be read as a FITS product: one line naming it.

    ``reason`` is the same line without the file name (for output that shows it already).
    """

    def __init__(self, message: str, reason: str | None = None) -> None:
        super().__init__(message)
        self.reason = reason or message


def read_keywords(path: Path, shown: str | None = None) -> dict[str, str]:
    """The keywords of KEYWORDS found in the primary header, as stripped strings.

    Reads plain and gzip-compressed files (``.fits.gz``), and only the primary header.
    """
    name = shown or str(path)
    if path.exists() and not path.is_file():  # a pipe would block the read below
        raise FitsError(f"{name} is not a regular file")
    try:
        with path.open("rb") as raw:
            if raw.read(len(_GZIP_MAGIC)) != _GZIP_MAGIC:
                raw.seek(0)
                return _read(raw, path, name)
            raw.seek(0)
            import gzip  # only for a compressed product

            with gzip.GzipFile(fileobj=raw, mode="rb") as unpacked:
                return _read(unpacked, path, name)
    except (OSError, EOFError) as exc:
        reason = getattr(exc, "strerror", None) or str(exc) or type(exc).__name__
        raise FitsError(f"cannot read {name}: {reason}", reason) from exc


def _read(fh: _Readable, path: Path, name: str) -> dict[str, str]:
    start = fh.read(len(_FITS_MAGIC))
    if start != _FITS_MAGIC:
        reason = "not a FITS file (it does not start with a SIMPLE card)"
        raise FitsError(f"{name} is {reason}", reason)
    try:
        from astropy.io import fits
    except ImportError as exc:
        raise FitsError(
            "reading FITS headers needs astropy: pip install 'jwst-builds[fits]', "
            "or give the values with --cal-ver, --crds-ctx, --instrument and --exp-type"
        ) from exc
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            # A scan reads thousands of headers and needs seven cards of each: find them by
            # keyword and let astropy parse only those. Anything unusual goes to astropy's
            # full reader, which either reads the header or says what is wrong with it.
            found = _cards(start + fh.read(_BLOCK - len(start)), fh, fits.Card)
        except Exception:  # astropy decides below
            found = None
        if found is None:
            found = _full_header(fits, path, name)
    return {key: str(value).strip() for key, value in found.items() if str(value).strip()}


def _cards(block: bytes, fh: _Readable, card_type: Any) -> dict[str, Any] | None:
    """The wanted cards' values up to the END card; None when the header is not plain."""
    found: dict[str, Any] = {}
    while len(block) == _BLOCK:
        for at in range(0, _BLOCK, _CARD):
            key = block[at : at + 8]
            if key == _END:
                return found
            wanted = _WANTED.get(key)
            if wanted is not None and wanted not in found:
                found[wanted] = card_type.fromstring(block[at : at + _CARD].decode("ascii")).value
        block = fh.read(_BLOCK)
    return None


def _full_header(fits: Any, path: Path, name: str) -> dict[str, Any]:
    try:
        header = fits.getheader(path, 0)
    except Exception as exc:  # astropy raises many kinds for damaged files
        reason = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        why = f"not a readable FITS file: {reason}"
        raise FitsError(f"{name} is {why}", why) from exc
    return {key: header[key] for key in KEYWORDS if header.get(key) is not None}
