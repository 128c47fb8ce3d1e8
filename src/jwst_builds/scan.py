"""`scan`: one verdict per FITS product of files, folders and globs, row by row.

Paths are expanded lazily and each product gives its row as soon as its primary header
is read, so memory does not grow with the number of files. Products that share header
values share one answer (a small cache of recent questions).
"""

from __future__ import annotations

import os
from collections import Counter, OrderedDict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, fields, replace
from pathlib import Path
from typing import Any

from .answers import FixPoint, decide
from .dataset import Dataset
from .errors import QueryError
from .fitsinfo import EXPECTED, KEYWORDS, FitsError, read_keywords

#: version of the JSON of `scan --format json` (schema/scan.schema.json)
SCAN_SCHEMA_VERSION = "1.0"
#: file names scan picks up in folders and globs (any case)
SUFFIXES = (".fits", ".fits.gz")
#: what each verdict tells the user, in table order
VERDICTS = {
    "ok": "nothing to do",
    "download": "download again",
    "reprocess": "reprocess",
    "unknown": "unknown version",
    "unreadable": "cannot read",
}
_GLOB = frozenset("*?[")
_CACHE_SIZE = 4096


class PathError(FileNotFoundError):
    """A path argument that names no file, folder or match: one line."""


@dataclass(frozen=True)
class ScanRow:
    """The verdict for one product (schema/scan.schema.json, $defs/product)."""

    file: str
    #: ok, download, reprocess, unknown or unreadable
    verdict: str
    #: what to do, in words: "nothing to do", "reprocess with jwst 1.20.1", ...
    action: str
    #: CAL_VER as in the header
    cal_ver: str | None
    #: the jwst tag the answer is for
    release: str | None
    build: str | None
    build_status: str | None
    crds_ctx: str | None
    instrument: str | None
    exp_type: str | None
    detector: str | None
    #: data issues that apply
    issues: tuple[str, ...]
    #: data issues that may apply (a header value missing, or builds not yet assessed)
    may_apply: tuple[str, ...]
    reprocess_build: str | None
    reprocess_release: str | None
    reprocess_context: str | None
    #: how CAL_VER was read, or why the product has no answer
    note: str | None

    def to_dict(self) -> dict[str, Any]:
        out = {f.name: getattr(self, f.name) for f in fields(self)}
        out["issues"], out["may_apply"] = list(self.issues), list(self.may_apply)
        return out


def _blank(file: str, verdict: str, note: str, values: dict[str, str]) -> ScanRow:
    return ScanRow(
        file=file,
        verdict=verdict,
        action=VERDICTS[verdict],
        cal_ver=values.get("CAL_VER"),
        release=None,
        build=None,
        build_status=None,
        crds_ctx=values.get("CRDS_CTX"),
        instrument=values.get("INSTRUME"),
        exp_type=values.get("EXP_TYPE"),
        detector=values.get("DETECTOR"),
        issues=(),
        may_apply=(),
        reprocess_build=None,
        reprocess_release=None,
        reprocess_context=None,
        note=note,
    )


def row_of(file: str, doc: dict[str, Any]) -> ScanRow:
    """The row of a product from its answer (the JSON of `affects`, as
    :meth:`Answer.to_dict` gives it)."""
    q = doc["query"]
    # only data issues decide the verdict; the answer lists others too with --all
    listed = doc["issues"]
    sure = [i for i in listed if i["data_issue"] and i["applies"] == "yes"]
    ops = doc["operations"]
    verdict = decide(
        doc["release"]["jwst_version"],
        ops["release"] if ops else None,
        doc["crds_context"]["older_than_operations"],
        [(i["action"], _fix_point(i["fix"])) for i in sure],
    )
    note = q["cal_ver_note"]
    return ScanRow(
        file=file,
        verdict=verdict.kind,
        action=str(verdict),
        cal_ver=q["cal_ver_given"],
        release=doc["release"]["jwst_version"],
        build=doc["build"]["id"],
        build_status=doc["build"]["status"],
        crds_ctx=q["crds_ctx"],
        instrument=q["instrument"],
        exp_type=q["exp_type"],
        detector=q["detector"],
        issues=tuple(i["id"] for i in listed if i["applies"] == "yes"),
        may_apply=tuple(i["id"] for i in listed if i["applies"] == "possibly"),
        reprocess_build=verdict.build,
        reprocess_release=verdict.release,
        reprocess_context=verdict.crds_context,
        note=f"{note['level']}: {note['message']}" if note else None,
    )


def _fix_point(fix: dict[str, Any] | None) -> FixPoint | None:
    return None if fix is None else (fix["build"], fix["release"], fix["crds_context"])


class Scanner:
    """Answers products one by one against one loaded dataset."""

    def __init__(self, ds: Dataset, include_all: bool = False) -> None:
        self._ds = ds
        self._include_all = include_all
        self._answers: OrderedDict[tuple[str | None, ...], ScanRow] = OrderedDict()
        #: issue id -> title, for the issues seen so far (bounded by the records)
        self.titles: dict[str, str] = {}

    def row(self, file: str) -> ScanRow:
        """The row of one product; never raises for a product that cannot be answered."""
        if isinstance(file, Unlisted):
            return _blank(file, "unreadable", file.reason, {})
        try:
            values = read_keywords(Path(file), file)
        except FitsError as exc:
            return _blank(file, "unreadable", exc.reason, {})
        if "CAL_VER" not in values:
            return _blank(
                file, "unknown", "no CAL_VER keyword (is it a calibrated product?)", values
            )
        key = tuple(values.get(k) for k in KEYWORDS)
        cached = self._answers.get(key)
        if cached is not None:
            self._answers.move_to_end(key)
            return replace(cached, file=file)
        row = self._answer(file, values)
        self._answers[key] = row
        if len(self._answers) > _CACHE_SIZE:
            self._answers.popitem(last=False)
        return row

    def _answer(self, file: str, values: dict[str, str]) -> ScanRow:
        from .query import Question, affects

        question = Question(
            **{KEYWORDS[k]: v for k, v in values.items()},
            file=file,
            missing_keywords=tuple(k for k in EXPECTED if k not in values),
        )
        try:
            doc = affects(self._ds, question, include_all=self._include_all)
        except QueryError as exc:
            row = _blank(file, "unknown", str(exc), values)
            if "CAL_VER" not in str(exc):
                row = replace(row, action="cannot answer")
            return row
        for issue in doc["issues"]:
            self.titles.setdefault(issue["id"], issue["title"])
        return row_of(file, doc)


@dataclass
class Summary:
    """Counts over every row so far: per verdict, and per data issue that applies."""

    verdicts: Counter[str]
    issues: Counter[str]

    @classmethod
    def empty(cls) -> Summary:
        return cls(Counter(), Counter())

    def add(self, row: ScanRow) -> None:
        self.verdicts[row.verdict] += 1
        self.issues.update(row.issues)

    @property
    def products(self) -> int:
        return sum(self.verdicts.values())

    def line(self) -> str:
        """One line: how many products, and how many of each verdict."""
        n = self.products
        parts = [f"{self.verdicts[v]} {label}" for v, label in VERDICTS.items() if self.verdicts[v]]
        return f"{n:,} product{'s' * (n != 1)}: " + ", ".join(parts)

    def to_dict(self) -> dict[str, Any]:
        return {
            "products": self.products,
            **{v: self.verdicts[v] for v in VERDICTS},
            "issues": dict(sorted(self.issues.items(), key=lambda kv: (-kv[1], kv[0]))),
        }


# --- paths --------------------------------------------------------------------------


def is_product(name: str) -> bool:
    return name.lower().endswith(SUFFIXES)


def check_paths(args: Iterable[str]) -> None:
    """PathError for the first argument that is no file, no folder and no matching glob."""
    import glob

    for arg in args:
        if os.path.exists(arg):
            continue
        if _GLOB & set(arg) and next(glob.iglob(arg, recursive=True), None) is not None:
            continue
        raise PathError(f"{arg}: no such file or folder")


def expand(args: Iterable[str]) -> Iterator[str]:
    """The products named by files, folders (searched recursively) and globs, in order.

    A file named on its own is always scanned; in folders and globs only names ending
    in .fits or .fits.gz are. A path that names nothing raises PathError when reached.
    """
    import glob

    for arg in args:
        if os.path.isdir(arg):
            yield from _walk(arg)
        elif os.path.exists(arg):
            yield arg
        elif _GLOB & set(arg):
            matches = sorted(glob.iglob(arg, recursive=True))
            if not matches:
                raise PathError(f"{arg}: no such file or folder")
            for match in matches:
                if os.path.isdir(match):
                    yield from _walk(match)
                elif is_product(match):
                    yield match
        else:
            raise PathError(f"{arg}: no such file or folder")


class Unlisted(str):
    """A folder that could not be read while walking (a row of its own, never skipped)."""

    reason: str

    def __new__(cls, path: str, reason: str) -> Unlisted:
        made = super().__new__(cls, path)
        made.reason = reason
        return made


def _walk(folder: str) -> Iterator[str]:
    failed: list[OSError] = []
    for here, dirs, files in os.walk(folder, onerror=failed.append):
        while failed:
            yield _unlisted(failed.pop(0))
        dirs.sort()
        for name in sorted(files):
            if is_product(name):
                yield os.path.join(here, name)
    while failed:
        yield _unlisted(failed.pop(0))


def _unlisted(exc: OSError) -> Unlisted:
    return Unlisted(str(exc.filename), f"cannot list this folder: {exc.strerror or exc}")
