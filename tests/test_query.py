"""`jwst-builds affects`, `show` and `operations`: answers, errors and the JSON contract.

Expected answers are written by hand from the records and the sources, never saved from
the code's output.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from jsonschema import Draft202012Validator
from referencing import Registry, Resource

from jwst_builds import dataset, query
from jwst_builds.cli import cli

from .test_issues import REPO, issue_root

_AFFECTS_ID = "https://jwst-builds.github.io/schema/affects.schema.json"


def _validator(ref: str = "") -> Draft202012Validator:
    resources = []
    for path in sorted((REPO / "schema").glob("*.schema.json")):
        schema = json.loads(path.read_text(encoding="utf-8"))
        resources.append((schema["$id"], Resource.from_contents(schema)))
    registry: Registry[Any] = Registry().with_resources(resources)
    return Draft202012Validator({"$ref": _AFFECTS_ID + ref}, registry=registry)


AFFECTS = _validator()
SHOW = _validator("#/$defs/show")
OPERATIONS = _validator("#/$defs/operations_on")


def run(root: Path, *args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, ["--root", str(root), *args])
    return result.exit_code, result.stdout, result.stderr


def answer(root: Path, *args: str) -> Any:
    code, out, err = run(root, *args, "--format", "json")
    assert (0, "") == (code, err)
    return json.loads(out)


def schema_errors(validator: Draft202012Validator, doc: Any) -> list[str]:
    return [e.message for e in validator.iter_errors(doc)]


@pytest.fixture
def root(tmp_path: Path) -> Path:
    """The small issue tree: builds 1.0 and 1.1 archived, 1.2 in operations, 1.3 a candidate."""
    return issue_root(tmp_path / "root")


# --- the real data: answers follow the schema; expectations live in tests/cases/affects ---


def test_affects_answers_every_release() -> None:
    """Every jwst tag of the build table gets an answer that follows the schema, with --all too."""
    ds = dataset.load(REPO)
    versions = [rel["jwst_version"] for _, rel in ds.releases()]
    bad = {}
    for version in versions:
        for include_all in (False, True):
            doc = query.affects(ds, query.Question(cal_ver=version), include_all=include_all)
            errors = schema_errors(AFFECTS, doc)
            if errors:
                bad[version] = errors
    assert ([], {}) == ([v for v in versions if not v], bad)
    assert len(versions) == len(set(versions))


def test_affects_real_answers_key_facts() -> None:
    """1.14.0 is build 10.2, archived; the numpy 2 problem is an installation issue fixed by
    the PyPI-only 1.14.1 (JDox 10.2 release notes), so it shows only with --all."""
    doc = answer(REPO, "affects", "--cal-ver", "1.14.0")
    assert ("10.2", "archived", "12.3") == (
        doc["build"]["id"],
        doc["build"]["status"],
        doc["operations"]["build"],
    )
    assert "numpy2-incompatible-jwst-1-14-0" not in {i["id"] for i in doc["issues"]}
    assert doc["other_issues"] >= 1
    everything = answer(REPO, "affects", "--cal-ver", "1.14.0", "--all")
    numpy = next(i for i in everything["issues"] if i["id"] == "numpy2-incompatible-jwst-1-14-0")
    assert ("installation", False, "10.2", "1.14.1", "software") == (
        numpy["impact"],
        numpy["data_issue"],
        numpy["fix"]["build"],
        numpy["fix"]["release"],
        numpy["fix"]["needs"],
    )
    # data issues come first in the list
    flags = [i["data_issue"] for i in everything["issues"]]
    assert flags == sorted(flags, reverse=True)


def test_affects_fits_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A FITS product written with astropy is read from its primary header, DETECTOR included."""
    from astropy.io import fits

    hdu = fits.PrimaryHDU()
    for key, value in (("CAL_VER", "1.5.3"), ("CRDS_CTX", "jwst_0900.pmap"), ("INSTRUME", "MIRI"),
                       ("EXP_TYPE", "MIR_MRS"), ("READPATT", "FASTR1"), ("DETECTOR", "MIRIFUSHORT")):  # fmt: skip
        hdu.header[key] = value
    hdu.writeto(tmp_path / "jw01234_mirifushort_cal.fits")
    monkeypatch.chdir(tmp_path)
    code, out, err = run(REPO, "affects", "jw01234_mirifushort_cal.fits", "--format", "json")
    assert (0, "") == (code, err)
    doc = json.loads(out)
    assert [] == schema_errors(AFFECTS, doc)
    assert {
        "cal_ver": "1.5.3",
        "crds_ctx": "jwst_0900.pmap",
        "instrument": "MIRI",
        "exp_type": "MIR_MRS",
        "readpatt": "FASTR1",
        "subarray": None,
        "detector": "MIRIFUSHORT",
        "file": "jw01234_mirifushort_cal.fits",
        "missing_keywords": [],
        "cal_ver_given": "1.5.3",
        "cal_ver_note": None,
    } == doc["query"]
    # 1.5.3 is the patch of build 8.0 (README: B8.0.1)
    assert ("8.0", "patch") == (doc["release"]["build"], doc["release"]["kind"])
    assert "older" == doc["inflight_reference_files"]["verdict"]
    # every issue listed concerns MIRI (or no instrument in particular) and MRS (or any mode)
    for issue in doc["issues"]:
        assert (
            issue["scope"]["instruments"] in ([], ["MIRI"])
            or "MIRI" in issue["scope"]["instruments"]
        )
        assert not issue["scope"]["exp_types"] or "MIR_MRS" in issue["scope"]["exp_types"]


# --- the logic, on the small tree ----------------------------------------------------------


def _ids(doc: Any) -> dict[str, str]:
    return {i["id"]: i["applies"] for i in doc["issues"]}


def test_software_fix_ends_the_range(root: Path) -> None:
    """An issue fixed in build 1.1 applies to 1.0 releases and not to 1.1 ones."""
    before = answer(root, "affects", "--cal-ver", "0.1.0", "--exp-type", "NRS_MSASPEC")
    after = answer(root, "affects", "--cal-ver", "0.2.0", "--exp-type", "NRS_MSASPEC")
    assert ("yes", False) == (_ids(before).get("mos-crash"), "mos-crash" in _ids(after))


def test_withdrawn_records_never_apply(root: Path) -> None:
    """A withdrawn record is left out of every answer."""
    assert "withdrawn-dup" not in _ids(answer(root, "affects", "--cal-ver", "0.2.0"))


def test_unchecked_axes_make_an_issue_possible(root: Path) -> None:
    """Without instrument, mode or context an issue that depends on them applies 'possibly'.

    0.2.0 is build 1.1. both-fix (NIRISS WFSS, fixed in 1.2) and ctx-only-fix (MIRI, fixed by
    jwst_0130) depend on values not given; fixed-in-candidate is documented from build 1.2
    only, so 1.1 may have it; mos-crash is fixed in 1.1. open-everywhere (performance) and
    pin-needed (installation) are not data issues: counted, and listed with --all.
    """
    doc = answer(root, "affects", "--cal-ver", "0.2.0")
    entries = {i["id"]: (i["applies"], i["unchecked"], i["undocumented"]) for i in doc["issues"]}
    assert {
        "both-fix": ("possibly", ["instrument", "exp_type"], False),
        "ctx-only-fix": ("possibly", ["instrument", "crds_ctx"], False),
        "fixed-in-candidate": ("possibly", ["instrument", "exp_type"], True),
    } == entries
    assert 2 == doc["other_issues"]
    everything = answer(root, "affects", "--cal-ver", "0.2.0", "--all")
    assert ("yes", "yes", 0) == (
        _ids(everything)["open-everywhere"],
        _ids(everything)["pin-needed"],
        everything["other_issues"],
    )


def test_other_instrument_excludes_an_issue(root: Path) -> None:
    """An issue of MIRI does not apply to NIRCam data."""
    doc = answer(root, "affects", "--cal-ver", "0.2.0", "--instrument", "NIRCam", "--all")
    assert ["fixed-in-candidate", "open-everywhere", "pin-needed"] == sorted(_ids(doc))


def test_context_fix(root: Path) -> None:
    """A fix in reference files applies below its context and not from it on."""
    old = answer(
        root,
        "affects",
        "--cal-ver",
        "0.2.0",
        "--instrument",
        "MIRI",
        "--crds-ctx",
        "jwst_0125.pmap",
    )
    new = answer(
        root,
        "affects",
        "--cal-ver",
        "0.2.0",
        "--instrument",
        "MIRI",
        "--crds-ctx",
        "jwst_0130.pmap",
    )
    fix = next(i for i in old["issues"] if i["id"] == "ctx-only-fix")
    assert {
        "needs": "reference-files",
        "build": None,
        "release": None,
        "changelog": [],
        "crds_context": "jwst_0130.pmap",
        "release_has_fix": None,
        "context_has_fix": False,
        "in_operations": True,
        "in_archive_since": "2024-10-01",
    } == fix["fix"]
    assert ("redownload", False) == (fix["action"], "ctx-only-fix" in _ids(new))


def test_fix_needing_software_and_context(root: Path) -> None:
    """With both a software and a context fix, new software with an old context is still affected."""
    args = ["affects", "--cal-ver", "0.3.1", "--exp-type", "NIS_WFSS"]
    old_ctx = answer(root, *args, "--crds-ctx", "jwst_0140.pmap")
    new_ctx = answer(root, *args, "--crds-ctx", "jwst_0150.pmap")
    entry = next(i for i in old_ctx["issues"] if i["id"] == "both-fix")
    assert ("yes", "reprocess", False) == (
        entry["applies"],
        entry["action"],
        entry["fix"]["in_operations"],
    )
    assert "both-fix" not in _ids(new_ctx)


def test_fix_only_in_a_candidate(root: Path) -> None:
    """A fix in a build not yet in operations says reprocess, and MAST does not have it."""
    doc = answer(root, "affects", "--cal-ver", "0.3.1", "--exp-type", "NRC_IMAGE")
    entry = next(i for i in doc["issues"] if i["id"] == "fixed-in-candidate")
    assert {
        "needs": "software",
        "build": "1.3",
        "release": "0.4.0",
        "changelog": [{"version": "0.4.0", "pr": 101, "category": "flatfield"}],
        "crds_context": None,
        "release_has_fix": False,
        "context_has_fix": None,
        "in_operations": False,
        "in_archive_since": None,
    } == entry["fix"]
    assert "reprocess" == entry["action"]


def test_installation_range_ends_without_fix(root: Path) -> None:
    """An installation caveat covers its release range and points to the workaround; before
    the first documented release (0.1.1) it may apply, after its last build (1.1) it does not."""
    inside = answer(root, "affects", "--cal-ver", "0.2.1", "--all")
    assert "workaround" == next(i["action"] for i in inside["issues"] if i["id"] == "pin-needed")
    assert "possibly" == _ids(answer(root, "affects", "--cal-ver", "0.1.0", "--all"))["pin-needed"]
    assert "pin-needed" not in _ids(answer(root, "affects", "--cal-ver", "0.3.0", "--all"))


def test_inflight_readout_conditions(root: Path) -> None:
    """The in-flight check picks the row of the readout and compares the context."""
    base = [
        "affects",
        "--cal-ver",
        "0.2.0",
        "--exp-type",
        "MIR_IMAGE",
        "--crds-ctx",
        "jwst_0100.pmap",
    ]
    fast = answer(root, *base, "--readpatt", "fastr1", "--subarray", "FULL")[
        "inflight_reference_files"
    ]
    slow = answer(root, *base, "--readpatt", "SLOWR1")["inflight_reference_files"]
    unknown = answer(root, *base)["inflight_reference_files"]
    assert ("older", "no-minimum", "older") == (
        fast["verdict"],
        slow["verdict"],
        unknown["verdict"],
    )
    assert [True, False] == [r["conditions_match"] for r in fast["modes"]]
    assert {
        "instrument": "MIRI",
        "mode": "Imaging (FASTR1, full frame)",
        "readpatt": ["FASTR1"],
        "subarray": "full",
        "conditions_match": None,
        "minimum_context": "jwst_0110.pmap",
        "status": "known",
        "verdict": "older",
    } == unknown["modes"][0]


def test_inflight_verdicts_without_values(root: Path) -> None:
    """Without EXP_TYPE the table is unchecked; an unlisted mode is not-listed; no context is unknown."""

    def verdict(*args: str) -> str:
        return str(
            answer(root, "affects", "--cal-ver", "0.2.0", *args)["inflight_reference_files"][
                "verdict"
            ]
        )

    assert ("unchecked", "not-listed", "unknown", "ok") == (
        verdict(),
        verdict("--exp-type", "NIS_SOSS"),
        verdict("--exp-type", "NRS_MSASPEC"),
        verdict("--exp-type", "NRS_MSASPEC", "--crds-ctx", "jwst_0105.pmap"),
    )


def test_exp_type_implies_instrument(root: Path) -> None:
    """EXP_TYPE alone sets the instrument in the normalised question."""
    doc = answer(root, "affects", "--cal-ver", "0.2.0", "--exp-type", "nrs_msaspec")
    assert ("NIRSpec", "NRS_MSASPEC") == (doc["query"]["instrument"], doc["query"]["exp_type"])


# --- errors: one line, exit 1, no traceback -------------------------------------------------


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--cal-ver", "0.2.5"],
         "error: unknown CAL_VER '0.2.5': no jwst release has that version (nearest known: 0.2.1 and 0.3.0)\n"),
        (["--cal-ver", "9.0.0"],
         "error: unknown CAL_VER '9.0.0': no jwst release has that version (nearest known: 0.4.0)\n"),
        (["--cal-ver", "latest"], "error: CAL_VER 'latest' is not a jwst version such as 1.14.0\n"),
        (["--cal-ver", "0.2.0", "--crds-ctx", "0125"],
         "error: CRDS_CTX '0125' is not a CRDS context such as jwst_1240.pmap (write it in full: jwst_0125.pmap)\n"),
        (["--cal-ver", "0.2.0", "--crds-ctx", "jwst_125.pmap"],
         "error: CRDS_CTX 'jwst_125.pmap' is not a CRDS context such as jwst_1240.pmap\n"),
        (["--cal-ver", "0.2.0", "--exp-type", "NRS_MSASPC"],
         "error: unknown EXP_TYPE 'NRS_MSASPC' (did you mean NRS_MSASPEC?)\n"),
        (["--cal-ver", "0.2.0", "--instrument", "NIRCAM2"],
         "error: unknown instrument 'NIRCAM2' (one of NIRCam, NIRSpec, NIRISS, MIRI, FGS)\n"),
        (["--cal-ver", "0.2.0", "--exp-type", "NRS_IFU", "--instrument", "MIRI"],
         "error: EXP_TYPE NRS_IFU is a NIRSpec mode, but the instrument is MIRI\n"),
    ],
)  # fmt: skip
def test_affects_bad_values(root: Path, args: list[str], message: str) -> None:
    """A bad value gives one line naming it on stderr, nothing on stdout, and exit 1."""
    assert (1, "", message) == run(root, "affects", *args)


def test_affects_needs_a_question(root: Path) -> None:
    """Without FILE or --cal-ver the command is a usage error (exit 2)."""
    code, out, err = run(root, "affects")
    assert (2, "", "Error: give a FITS FILE or --cal-ver") == (code, out, err.splitlines()[-1])


def test_affects_not_fits(root: Path, tmp_path: Path) -> None:
    """A file that is not FITS gives a one-line error naming it."""
    path = tmp_path / "notes.fits"
    path.write_text("hello", encoding="utf-8")
    message = f"error: {path} is not a FITS file (it does not start with a SIMPLE card)\n"
    assert (1, "", message) == run(root, "affects", str(path))


def test_affects_truncated_fits(root: Path, tmp_path: Path) -> None:
    """A FITS file cut short gives a one-line error, not a traceback."""
    path = tmp_path / "cut.fits"
    path.write_bytes(b"SIMPLE  =                    T" + b" " * 50)
    message = f"error: {path} is not a readable FITS file: Empty or corrupt FITS file\n"
    assert (1, "", message) == run(root, "affects", str(path))


def _fits(path: Path, **cards: str) -> Path:
    from astropy.io import fits

    hdu = fits.PrimaryHDU()
    for key, value in cards.items():
        hdu.header[key] = value
    hdu.writeto(path)
    return path


def test_affects_fits_without_cal_ver(root: Path, tmp_path: Path) -> None:
    """A product without CAL_VER (an uncal file) is refused with a hint."""
    path = _fits(tmp_path / "uncal.fits", INSTRUME="NIRSPEC")
    message = (
        f"error: {path} has no CAL_VER keyword in its primary header "
        "(is it a calibrated product?); give --cal-ver\n"
    )
    assert (1, "", message) == run(root, "affects", str(path))


def test_affects_fits_missing_keywords(root: Path, tmp_path: Path) -> None:
    """Absent keywords are listed; options fill in for the header."""
    path = _fits(tmp_path / "cal.fits", CAL_VER="0.2.0", INSTRUME="NIRSPEC")
    doc = answer(root, "affects", str(path), "--crds-ctx", "jwst_0125.pmap")
    assert {
        "cal_ver": "0.2.0",
        "crds_ctx": "jwst_0125.pmap",
        "instrument": "NIRSpec",
        "exp_type": None,
        "readpatt": None,
        "subarray": None,
        "detector": None,
        "file": str(path),
        "missing_keywords": ["EXP_TYPE"],
        "cal_ver_given": "0.2.0",
        "cal_ver_note": None,
    } == doc["query"]


def test_affects_without_astropy(
    root: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Without astropy, reading a FITS file says how to install it."""
    path = _fits(tmp_path / "cal.fits", CAL_VER="0.2.0")
    monkeypatch.setitem(sys.modules, "astropy.io", None)
    message = (
        "error: reading FITS headers needs astropy: pip install 'jwst-builds[fits]', "
        "or give the values with --cal-ver, --crds-ctx, --instrument and --exp-type\n"
    )
    assert (1, "", message) == run(root, "affects", str(path))


# --- show and operations ---------------------------------------------------------------------


def test_show_json(root: Path) -> None:
    """show gives the build, its releases, the issues affecting it and those it fixes."""
    doc = answer(root, "show", "1.1")
    assert [] == schema_errors(SHOW, doc)
    brief = {k: [i["id"] for i in doc[k]] for k in ("issues", "fixed_issues")}
    assert {
        "issues": ["both-fix", "ctx-only-fix", "open-everywhere", "pin-needed"],
        "fixed_issues": ["mos-crash"],
    } == brief
    assert ["0.2.0", "0.2.1"] == [r["jwst_version"] for r in doc["releases"]]


def test_show_by_release_and_text(root: Path) -> None:
    """show accepts a jwst version of the build and prints the whole build as text."""
    code, out, _ = run(root, "show", "0.3.0")
    expected = """\
Build 1.2: operations
  candidate released: 2024-09-01
  installed in operations: 2024-10-01
  CRDS context (minimum): jwst_0140.pmap
  SDP version: 2024.3.0

Releases:
  0.3.0    candidate      B1.2rc1    jwst_0138.pmap  2024-08-20
  0.3.1    final          B1.2       jwst_0140.pmap  2024-09-01

Known issues: 3
  ctx-only-fix (fixed, data-quality)
    MIRI flux scale wrong in old reference files
  fixed-in-candidate (fixed, data-quality)
    NIRCam imaging bug fixed in the candidate
  open-everywhere (open, performance)
    Slow processing of large mosaics

Issues fixed in this build: 1
  both-fix (fixed, data-quality)
    WCS needs new code and new reference files
"""
    assert (0, expected) == (code, out)


def test_show_unknown_build(root: Path) -> None:
    """An unknown build names its neighbours."""
    assert (1, "", "error: unknown build '1.5' (known builds nearby: 1.3)\n") == run(
        root, "show", "1.5"
    )


def test_show_real_build() -> None:
    """show 12.1 lists the MOS crash and the 1.20.0 catalog bug among the issues it fixes
    (JDox 12.1 page; change log 1.20.0 and 1.20.1), and only issues fixed in 12.1."""
    doc = answer(REPO, "show", "12.1")
    assert [] == schema_errors(SHOW, doc)
    fixed = [i["id"] for i in doc["fixed_issues"]]
    assert {"nirspec-mos-master-background-crash", "source-catalog-jwst-1-20-0"} <= set(fixed)
    ds = dataset.load(REPO)
    assert {"12.1"} == {ds.issues[i].data["software"]["fixed"]["build"] for i in fixed}


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        ("2024-02-01", ("1.0", "0.1.1", "2024-02-01", "2024-06-01")),
        ("2024-07-15", ("1.1", "0.2.0", "2024-06-01", "2024-10-01")),
        ("2030-01-01", ("1.2", "0.3.1", "2024-10-01", None)),
    ],
)
def test_operations_on(root: Path, day: str, expected: tuple[str, str, str, str | None]) -> None:
    """operations --on names the build installed last on or before the day, and its successor."""
    doc = answer(root, "operations", "--on", day)
    assert [] == schema_errors(OPERATIONS, doc)
    assert expected == (doc["build"], doc["release"], doc["installed"], doc["replaced"])


def test_operations_text_real_data() -> None:
    """On 2025-10-10 build 12.0 ran jwst 1.19.2 (its second patch)."""
    code, out, _ = run(REPO, "operations", "--on", "2025-10-10")
    expected = (
        "2025-10-10: build 12.0 (jwst 1.19.2, jwst_1413.pmap), in operations since 2025-08-26 "
        "until 2025-11-20; archived today\n"
    )
    assert (0, expected) == (code, out)


def test_operations_before_the_first_install(root: Path) -> None:
    """A day before any install is an error naming the first install."""
    message = (
        "error: no build was in operations on 2020-01-01 (the first was installed on 2024-02-01)\n"
    )
    assert (1, "", message) == run(root, "operations", "--on", "2020-01-01")


def test_operations_bad_date(root: Path) -> None:
    """A malformed date is a usage error."""
    code, _, err = run(root, "operations", "--on", "2024-13-01")
    last = "Error: Invalid value for '--on': '2024-13-01' is not a date such as 2024-06-12"
    assert (2, last) == (code, err.splitlines()[-1])


def test_commands_have_help() -> None:
    """affects, show and operations each have help text."""
    for name in ("affects", "show", "operations"):
        result = CliRunner().invoke(cli, [name, "--help"])
        assert (0, True) == (result.exit_code, len(result.stdout.splitlines()) > 5)


def test_documented_affects_options_exist() -> None:
    """Every option README.md, CONTRIBUTING.md and docs/affects-json.md show for affects is in
    its --help."""
    import re

    text = "".join(
        (REPO / name).read_text(encoding="utf-8")
        for name in ("README.md", "CONTRIBUTING.md", "docs/affects-json.md")
    )
    shown = set()
    for line in text.splitlines():
        if "jwst-builds affects" in line or line.lstrip().startswith("[--"):
            shown.update(re.findall(r"(--[a-z][a-z-]+)", line))
    help_text = CliRunner().invoke(cli, ["affects", "--help"]).stdout
    assert {"--all", "--detector", "--subarray", "--readpatt"} <= shown
    assert [] == sorted(o for o in shown if o not in help_text)
