"""`jwst-builds scan`: verdicts for folders of FITS products, in every output format."""

from __future__ import annotations

import csv
import gzip
import io
import json
import shutil
import sys
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from jsonschema import Draft202012Validator
from referencing import Registry, Resource

from jwst_builds import dataset
from jwst_builds.cli import cli
from jwst_builds.scan import Scanner, expand
from jwst_builds.scanout import CSV_COLUMNS, JsonWriter

from .test_issues import REPO, issue_root


def _fits(path: Path, **cards: str) -> Path:
    from astropy.io import fits

    hdu = fits.PrimaryHDU()
    for key, value in cards.items():
        hdu.header[key] = value
    path.parent.mkdir(parents=True, exist_ok=True)
    hdu.writeto(path)
    return path


#: file -> (verdict, action), worked out by hand from tests/cases/issues/base: build 1.2
#: (jwst 0.3.1, jwst_0140.pmap) is in operations; fixed-in-candidate (NIRCam imaging) is
#: fixed in 0.4.0 of the candidate 1.3; ctx-only-fix (MIRI) is fixed by jwst_0130.pmap.
EXPECTED = {
    "a/nircam_cal.fits": ("reprocess", "reprocess with jwst 0.4.0"),
    "a/nirspec_cal.fits": ("ok", "nothing to do"),
    "b/old_cal.fits.gz": ("download", "download again"),
    "b/sub/dev_cal.fits": ("ok", "nothing to do"),
    "b/sub/rc_cal.fits": ("ok", "nothing to do"),
    "c/notes.fits": ("unreadable", "cannot read"),
    "c/uncal.fits": ("unknown", "unknown version"),
    "c/unknown_cal.fits": ("unknown", "unknown version"),
}


@pytest.fixture
def products(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A folder of mixed products (a .gz, a non-FITS file, a dev version, an rc), and the
    small data tree as the checkout around it."""
    root = issue_root(tmp_path / "root")
    top = root / "products"
    nircam = {"INSTRUME": "NIRCAM", "EXP_TYPE": "NRC_IMAGE"}
    nirspec = {"INSTRUME": "NIRSPEC", "EXP_TYPE": "NRS_MSASPEC"}
    _fits(top / "a" / "nircam_cal.fits", CAL_VER="0.3.1", CRDS_CTX="jwst_0140.pmap", **nircam)
    _fits(top / "a" / "nirspec_cal.fits", CAL_VER="0.3.1", CRDS_CTX="jwst_0140.pmap", **nirspec)
    miri = {"INSTRUME": "MIRI", "EXP_TYPE": "MIR_IMAGE"}
    old = _fits(top / "b" / "old_cal.fits", CAL_VER="0.2.0", CRDS_CTX="jwst_0120.pmap", **miri)
    with old.open("rb") as raw, gzip.open(old.with_suffix(".fits.gz"), "wb") as packed:
        shutil.copyfileobj(raw, packed)
    old.unlink()
    _fits(top / "b" / "sub" / "dev_cal.fits", CAL_VER="0.3.2.dev4+gabc1234", CRDS_CTX="jwst_0140.pmap", **nirspec)  # fmt: skip
    _fits(
        top / "b" / "sub" / "rc_cal.fits", CAL_VER="0.4.0rc1", CRDS_CTX="jwst_0160.pmap", **nircam
    )
    (top / "c").mkdir()
    (top / "c" / "notes.fits").write_text("not FITS", encoding="utf-8")
    (top / "c" / "readme.txt").write_text("not a product", encoding="utf-8")
    _fits(top / "c" / "uncal.fits", **nirspec)
    _fits(top / "c" / "unknown_cal.fits", CAL_VER="7.0.0", **nirspec)
    monkeypatch.chdir(top)
    return top


def scan(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, ["scan", *args])
    return result.exit_code, result.stdout, result.stderr


def _validator() -> Draft202012Validator:
    resources = []
    for path in sorted((REPO / "schema").glob("*.schema.json")):
        schema = json.loads(path.read_text(encoding="utf-8"))
        resources.append((schema["$id"], Resource.from_contents(schema)))
    registry: Registry[Any] = Registry().with_resources(resources)
    return Draft202012Validator(
        {"$ref": "https://jwst-builds.github.io/schema/scan.schema.json"}, registry=registry
    )


def test_json_verdicts_follow_the_schema(products: Path) -> None:
    """Every product gets its verdict; the document follows schema/scan.schema.json."""
    code, out, err = scan(".", "--format", "json")
    doc = json.loads(out)
    assert [] == [e.message for e in _validator().iter_errors(doc)]
    got = {p["file"].removeprefix("./"): (p["verdict"], p["action"]) for p in doc["products"]}
    assert EXPECTED == got
    # the unreadable product makes the exit code 1; the summary also goes to stderr
    assert (1, "8 products: 3 nothing to do, 1 download again, 1 reprocess, 2 unknown version, 1 cannot read\n") == (code, err)  # fmt: skip
    assert {
        "products": 8,
        "ok": 3,
        "download": 1,
        "reprocess": 1,
        "unknown": 2,
        "unreadable": 1,
    } == {k: v for k, v in doc["summary"].items() if k != "issues"}
    assert {"fixed-in-candidate": 1, "ctx-only-fix": 1} == doc["summary"]["issues"]


def test_rows_hold_the_header_values_and_notes(products: Path) -> None:
    """Rows give CAL_VER as written, the tag answered, issues and the reading notes."""
    doc = json.loads(scan(".", "--format", "json")[1])
    rows = {p["file"].removeprefix("./"): p for p in doc["products"]}
    dev = rows["b/sub/dev_cal.fits"]
    assert ("0.3.2.dev4+gabc1234", "0.3.1", "1.2", "operations") == (
        dev["cal_ver"],
        dev["release"],
        dev["build"],
        dev["build_status"],
    )
    assert dev["note"].startswith(
        "warning: CAL_VER 0.3.2.dev4+gabc1234 is a development install after jwst 0.3.1"
    )
    assert rows["b/sub/rc_cal.fits"]["note"].startswith(
        "note: CAL_VER 0.4.0rc1 is a release candidate"
    )
    nircam = rows["a/nircam_cal.fits"]
    assert (["fixed-in-candidate"], "1.3", "0.4.0", None) == (
        nircam["issues"],
        nircam["reprocess_build"],
        nircam["reprocess_release"],
        nircam["reprocess_context"],
    )
    assert ["ctx-only-fix"] == rows["b/old_cal.fits.gz"]["issues"]
    assert "not a FITS file (it does not start with a SIMPLE card)" == rows["c/notes.fits"]["note"]
    assert "no CAL_VER keyword (is it a calibrated product?)" == rows["c/uncal.fits"]["note"]
    assert rows["c/unknown_cal.fits"]["note"].startswith("unknown CAL_VER '7.0.0'")


def test_scan_agrees_with_affects(products: Path) -> None:
    """A row lists exactly the data issues `affects FILE` says apply."""
    doc = json.loads(scan("a", "--format", "json")[1])
    for row in doc["products"]:
        result = CliRunner().invoke(cli, ["affects", row["file"], "--format", "json"])
        answer = json.loads(result.stdout)
        sure = [i["id"] for i in answer["issues"] if i["applies"] == "yes" and i["data_issue"]]
        assert sure == row["issues"]


def test_table_is_the_default(products: Path) -> None:
    """The table has a header, one line per product (unreadable ones located), a summary."""
    code, out, _ = scan(".")
    lines = out.splitlines()
    assert 1 == code
    assert lines[0].split() == [
        "WHAT", "TO", "DO", "CAL_VER", "CRDS_CTX", "INSTRUME", "EXP_TYPE", "BUILD", "STATUS", "ISSUES", "FILE",
    ]  # fmt: skip
    assert "cannot read                ./c/notes.fits: not a FITS file (it does not start with a SIMPLE card)" in lines  # fmt: skip
    nircam = next(line for line in lines if line.endswith("./a/nircam_cal.fits"))
    assert nircam.split() == [
        "reprocess:", "0.4.0", "0.3.1", "jwst_0140.pmap", "NIRCam", "NRC_IMAGE", "1.2", "operations", "1", "./a/nircam_cal.fits",
    ]  # fmt: skip
    assert "8 products: 3 nothing to do, 1 download again, 1 reprocess, 2 unknown version, 1 cannot read" in lines  # fmt: skip
    assert "  ctx-only-fix (1 product): MIRI flux scale wrong in old reference files" in lines


def test_csv_columns_are_the_schema_fields(products: Path) -> None:
    """CSV has one column per field of a product row, in schema order; lists joined by ';'."""
    schema = json.loads((REPO / "schema" / "scan.schema.json").read_text(encoding="utf-8"))
    assert list(schema["$defs"]["product"]["properties"]) == list(CSV_COLUMNS)
    code, out, _ = scan("a", "b", "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(out)))
    assert (0, ["a/nircam_cal.fits", "a/nirspec_cal.fits", "b/old_cal.fits.gz", "b/sub/dev_cal.fits", "b/sub/rc_cal.fits"]) == (code, [r["file"] for r in rows])  # fmt: skip
    assert ("reprocess", "fixed-in-candidate", "") == (
        rows[0]["verdict"],
        rows[0]["issues"],
        rows[0]["reprocess_context"],
    )


def test_markdown(products: Path) -> None:
    """Markdown is a table with a separator row, then the summary."""
    code, out, _ = scan("a", "--format", "markdown")
    lines = out.splitlines()
    assert (0, "| file | what to do | CAL_VER | CRDS_CTX | instrument | EXP_TYPE | build | issues |") == (code, lines[0])  # fmt: skip
    assert "|---|---|---|---|---|---|---|---|" == lines[1]
    assert "| a/nircam_cal.fits | reprocess with jwst 0.4.0 | 0.3.1 | jwst_0140.pmap | NIRCam | NRC_IMAGE | 1.2 (operations) | fixed-in-candidate |" == lines[2]  # fmt: skip
    assert "2 products: 1 nothing to do, 1 reprocess" in lines


@pytest.mark.parametrize(
    ("fail_on", "code"),
    [((), 0), (("--fail-on", "download"), 0), (("--fail-on", "reprocess"), 1), (("--fail-on", "any"), 1),
     (("--fail-on", "download,unknown"), 0), (("--fail-on", "download", "--fail-on", "reprocess"), 1)],
)  # fmt: skip
def test_fail_on(products: Path, fail_on: tuple[str, ...], code: int) -> None:
    """--fail-on makes chosen verdicts fail the run (a reprocess in folder a)."""
    assert code == scan("a", *fail_on)[0]


def test_fail_on_refuses_unknown_verdicts(products: Path) -> None:
    """An unknown --fail-on value is a usage error."""
    code, _, err = scan("a", "--fail-on", "maybe")
    assert (
        2,
        "Error: Invalid value for '--fail-on': maybe: use download, reprocess, unknown, any",
    ) == (
        code,
        err.splitlines()[-1],
    )


def test_globs_files_and_missing_paths(products: Path) -> None:
    """Globs and files are scanned; a path that names nothing is a usage error."""
    code, out, _ = scan("b/**/*_cal.fits", "a/nirspec_cal.fits", "--format", "csv")
    files = [r["file"] for r in csv.DictReader(io.StringIO(out))]
    assert (0, ["b/sub/dev_cal.fits", "b/sub/rc_cal.fits", "a/nirspec_cal.fits"]) == (code, files)
    code, out, err = scan("a", "nowhere")
    assert (2, "", "Error: nowhere: no such file or folder") == (code, out, err.splitlines()[-1])
    code, out, err = scan("*.nothing")
    assert (2, "Error: *.nothing: no such file or folder") == (code, err.splitlines()[-1])


def test_folder_without_products(products: Path, tmp_path: Path) -> None:
    """A folder without FITS products is an error, not an empty success."""
    (tmp_path / "none").mkdir()
    code, out, err = scan(str(tmp_path / "none"))
    assert (1, "", f"error: no FITS products (.fits, .fits.gz) in {tmp_path / 'none'}\n") == (
        code,
        out,
        err,
    )


def test_no_progress_bar_when_stderr_is_not_a_terminal(products: Path) -> None:
    """Without a terminal, stderr gets only the summary line."""
    assert "" == scan("a", "--format", "table")[2]


@pytest.mark.skipif(sys.platform == "win32", reason="needs a pseudo-terminal")
def test_progress_bar_on_a_terminal(products: Path) -> None:
    """With stderr on a terminal and rows going to a pipe, a bar is drawn on stderr only."""
    import os
    import pty
    import subprocess

    main, other = pty.openpty()
    proc = subprocess.run(
        [sys.executable, "-m", "jwst_builds", "scan", "a", "b", "--format", "csv"],
        stdout=subprocess.PIPE,
        stderr=other,
        text=True,
        check=False,
    )
    os.close(other)
    drawn = os.read(main, 65536).decode()
    os.close(main)
    assert (0, "file,verdict", True, True) == (
        proc.returncode,
        proc.stdout[:12],
        "scanning" in drawn,
        "100%" in drawn,
    )
    assert "scanning" not in proc.stdout


def test_paths_are_expanded_lazily(products: Path) -> None:
    """expand() is a generator: rows can start before a big tree has been walked."""
    walker = expand(["."])
    assert iter(walker) is walker
    assert "./a/nircam_cal.fits" == next(walker)


def test_json_rows_are_written_as_they_come(products: Path) -> None:
    """The JSON writer puts each row on the stream at once (memory does not grow with rows)."""
    ds = dataset.load(products.parent)
    out, err = io.StringIO(), io.StringIO()
    writer = JsonWriter(out, err, {})
    writer.start({"origin": "checkout"})
    writer.row(Scanner(ds).row("a/nircam_cal.fits"))
    assert out.getvalue().endswith('"note": null}')


def test_scan_api(products: Path) -> None:
    """Dataset.scan yields the same rows as the command."""
    import jwst_builds

    ds = jwst_builds.load()
    rows = {r.file.removeprefix("./"): (r.verdict, r.action) for r in ds.scan(".")}
    assert EXPECTED == rows


def test_unlistable_folder_is_a_row(products: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A folder that cannot be listed is one unreadable row, and the walk goes on."""
    import os

    real_scandir = os.scandir

    def scandir(path: Any) -> Any:
        if str(path).endswith("sub"):
            raise PermissionError(13, "Permission denied", str(path))
        return real_scandir(path)

    monkeypatch.setattr(os, "scandir", scandir)
    code, out, _ = scan("b", "--format", "csv")
    rows = [(r["file"], r["verdict"], r["note"]) for r in csv.DictReader(io.StringIO(out))]
    assert (1, [("b/old_cal.fits.gz", "download", ""), ("b/sub", "unreadable", "cannot list this folder: Permission denied")]) == (code, rows)  # fmt: skip


def test_without_astropy(products: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Without astropy, scan says once how to install it."""
    monkeypatch.setitem(sys.modules, "astropy.io", None)
    code, out, err = scan("a")
    assert (1, "", "error: scan reads FITS headers with astropy: pip install 'jwst-builds[fits]'\n") == (code, out, err)  # fmt: skip


def test_all_lists_other_issues(products: Path) -> None:
    """--all adds installation, speed and usability issues to the rows, not to the verdict."""
    plain = json.loads(scan("a/nirspec_cal.fits", "--format", "json")[1])["products"][0]
    everything = json.loads(scan("a/nirspec_cal.fits", "--format", "json", "--all")[1])["products"][
        0
    ]
    # open-everywhere is a performance issue of every release (tests/cases/issues/base)
    assert ([], "ok", ["open-everywhere"], "ok") == (
        plain["issues"], plain["verdict"], everything["issues"], everything["verdict"],
    )  # fmt: skip


def test_scan_api_missing_path(products: Path) -> None:
    """Dataset.scan raises FileNotFoundError for a path that names nothing."""
    import jwst_builds

    with pytest.raises(FileNotFoundError) as caught:
        list(jwst_builds.load().scan("nowhere"))
    assert "nowhere: no such file or folder" == str(caught.value)


def test_documented_scan_options_exist() -> None:
    """Every option README.md and docs/scan.md show for scan is in its --help."""
    import re

    text = "".join(
        (REPO / name).read_text(encoding="utf-8") for name in ("README.md", "docs/scan.md")
    )
    shown = set()
    for line in text.splitlines():
        if "jwst-builds scan" in line or line.lstrip().startswith("[--"):
            shown.update(re.findall(r"(--[a-z][a-z-]+)", line))
    help_text = CliRunner().invoke(cli, ["scan", "--help"]).stdout
    assert {"--format", "--fail-on", "--progress", "--no-progress", "--all"} <= shown
    assert [] == sorted(o for o in shown if o not in help_text)


def test_affects_reads_gzip_products(products: Path) -> None:
    """affects FILE reads a .fits.gz product's primary header."""
    result = CliRunner().invoke(cli, ["affects", "b/old_cal.fits.gz", "--format", "json"])
    assert (0, "0.2.0", "b/old_cal.fits.gz") == (
        result.exit_code,
        json.loads(result.stdout)["query"]["cal_ver"],
        json.loads(result.stdout)["query"]["file"],
    )
