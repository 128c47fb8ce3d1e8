"""Known-issue records and inflight-contexts.yaml: schema and cross-file checks."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from jwst_builds import dataset
from jwst_builds.cli import cli
from jwst_builds.issuerange import (
    Product,
    Verdict,
    known_issues,
    mitigation_state,
    mode_groups,
    position,
    verdict,
)
from jwst_builds.model import KnownIssue, Point
from jwst_builds.query import issues_for_build

from .conftest import make_root

REPO = Path(__file__).resolve().parent.parent
CASES = Path(__file__).resolve().parent / "cases" / "issues"
INVALID = sorted(p.name for p in (CASES / "invalid").iterdir() if p.is_dir())


def issue_root(dest: Path, *overlays: Path) -> Path:
    """A data root: the repository's schema/, the issues base tree, then each overlay."""
    return make_root(dest, *overlays, base=CASES / "base")


def validate(root: Path, *paths: Path) -> tuple[int, str]:
    result = CliRunner().invoke(cli, ["--root", str(root), "validate", *map(str, paths)])
    return result.exit_code, result.stdout


def test_repository_data_is_valid() -> None:
    """Every record in issues/ and inflight-contexts.yaml of the repository passes validate."""
    assert (0, "") == validate(REPO, REPO / "issues", REPO / "inflight-contexts.yaml")


def test_repository_has_the_documented_issues() -> None:
    """The known issues named by the sources are all present as records that load (typed)."""
    ds = dataset.load(REPO)
    expected = {
        "gwcs-0-22-breaks-builds-11-0-11-1",
        "ifu-outlier-detection-anomalies",
        "jump-slow-many-cosmic-rays",
        "large-mosaics-slow",
        "nircam-coron-four-detector-associations",
        "nircam-subarray-cyclic-bias",
        "nircam-wfss-trace-dispersion-mismatch",
        "niriss-wfss-wavelength-offset",
        "nirspec-fs-pathloss-applied-twice",
        "nirspec-mos-master-background-crash",
        "numpy2-incompatible-jwst-1-14-0",
        "one-over-f-noise",
        "resample-drizzle-missing-regions",
        "source-catalog-jwst-1-20-0",
        "spectra-bad-pixel-contamination",
        "stpipe-run-method-no-logging",
        "velosys-missing-after-reprocessing",
        "wfss-background-nan-image",
        "wfss-crowded-field-background-mix",
    }
    assert set() == expected & ds.broken
    assert expected <= {issue.id for issue in known_issues(ds)}
    assert ds.inflight is not None


def test_repository_files_start_with_the_schema_modeline() -> None:
    """Every issue file and the in-flight table point editors at their schema."""
    files = [*sorted((REPO / "issues").glob("*.yaml")), REPO / "inflight-contexts.yaml"]
    firsts = {f.name: f.read_text(encoding="utf-8").splitlines()[0] for f in files}
    wanted = {
        f.name: "# yaml-language-server: $schema="
        + (
            "schema/inflight-contexts.schema.json"
            if f.parent == REPO
            else "../schema/issue.schema.json"
        )
        for f in files
    }
    assert wanted == firsts


def test_base_tree_is_valid(tmp_path: Path) -> None:
    """The small issue tree the other cases start from has no problems."""
    assert (0, "") == validate(issue_root(tmp_path / "root"))


@pytest.mark.parametrize("name", INVALID)
def test_invalid_case(tmp_path: Path, name: str) -> None:
    """Each invalid case gives exactly the problems in its expected.txt, and exit 1."""
    case = CASES / "invalid" / name
    expected = (case / "expected.txt").read_text(encoding="utf-8")
    assert (1, expected) == validate(issue_root(tmp_path / "root", case))


def test_issues_for_build_in_the_base_tree(tmp_path: Path) -> None:
    """issues_for_build lists the active issues whose software range covers a release of the build.

    Worked out by hand from the base tree (builds 1.0: 0.1.0, 0.1.1; 1.1: 0.2.0, 0.2.1;
    1.2: 0.3.0, 0.3.1; 1.3: 0.4.0). A release counts when Range.state is "affected": from
    software.introduced (every one is null, so from documented_from; releases before it are
    "undocumented", which may apply to data but does not count for a build) up to but not
    including software.fixed, or to the end of last_affected. reference_files.fixed does not
    end the software range.

    - both-fix: documented from 1.0, software fixed in 1.2 (a bare build: from its first release)
      -> 1.0, 1.1.
    - ctx-only-fix: documented from 1.1, fixed only by a context -> 1.1, 1.2, 1.3 (1.0 undocumented).
    - fixed-in-candidate: documented from 1.2, fixed in jwst 0.4.0 (1.3) -> 1.2 only.
    - mos-crash: documented from 1.0, fixed in build 1.1 -> 1.0.
    - open-everywhere: documented from 1.0, no end -> every build.
    - pin-needed: documented from jwst 0.1.1, last affected the whole of build 1.1 -> 1.0 (by
      0.1.1; 0.1.0 is undocumented), 1.1.
    - withdrawn-dup: withdrawn -> never.
    """
    ds = dataset.load(issue_root(tmp_path / "root"))
    found = {b: [r.id for r in issues_for_build(ds, b)] for b in ("1.0", "1.1", "1.2", "1.3")}
    assert {
        "1.0": ["both-fix", "mos-crash", "open-everywhere", "pin-needed"],
        "1.1": ["both-fix", "ctx-only-fix", "open-everywhere", "pin-needed"],
        "1.2": ["ctx-only-fix", "fixed-in-candidate", "open-everywhere"],
        "1.3": ["ctx-only-fix", "open-everywhere"],
    } == found


def test_issues_for_build_of_an_unknown_build(tmp_path: Path) -> None:
    """A build id without a record is placed by its number alone, as the start of build 2.0.

    By hand: after every fix (both-fix 1.2, fixed-in-candidate 0.4.0, mos-crash 1.1) and after
    pin-needed's last build 1.1, so only the two issues with an open software range remain.
    """
    ds = dataset.load(issue_root(tmp_path / "root"))
    assert ["ctx-only-fix", "open-everywhere"] == [r.id for r in issues_for_build(ds, "2.0")]


def test_issues_for_build_with_the_real_data() -> None:
    """Build 12.0 carries its two JDox known issues; 11.0 its gwcs caveat; 12.3 not the MOS crash."""
    ds = dataset.load(REPO)
    ids_12_0 = [r.id for r in issues_for_build(ds, "12.0")]
    assert "nirspec-mos-master-background-crash" in ids_12_0
    assert "wfss-crowded-field-background-mix" in ids_12_0
    assert "gwcs-0-22-breaks-builds-11-0-11-1" in [r.id for r in issues_for_build(ds, "11.0")]
    assert "gwcs-0-22-breaks-builds-11-0-11-1" not in [r.id for r in issues_for_build(ds, "11.2")]
    assert "nirspec-mos-master-background-crash" not in [r.id for r in issues_for_build(ds, "12.3")]


# --- verdict: where one issue applies, on small hand-made records ----------------------------

GROUPS = mode_groups(REPO / "schema")

_RECORD: dict[str, Any] = {
    "id": "x",
    "title": "A hand-made issue for verdicts",
    "summary": "An issue documented from build 2.0, with no limit on any axis.",
    "status": "open",
    "impact": "data-quality",
    "scope": {
        "instruments": [],
        "mode_groups": [],
        "exp_types": [],
        "subarray": "any",
        "readpatt": [],
        "detectors": [],
        "products": [],
        "steps": [],
        "conditions": None,
    },
    "software": {
        "introduced": None,
        "documented_from": {"build": "2.0", "release": None},
        "last_affected": None,
        "fixed": None,
    },
    "reference_files": {"introduced": None, "fixed": None, "reftypes": []},
    "symptoms": ["Something is wrong."],
    "workaround": None,
    "mitigations": [],
    "mitigation_plan": None,
    "discovered": None,
    "last_reviewed": "2026-01-01",
    "withdrawn": None,
    "sources": ["page"],
    "evidence": [{"source": "page", "supports": ["summary"], "says": "A page states it all."}],
}


def issue(**parts: Any) -> KnownIssue:
    """A typed issue: _RECORD with top-level fields replaced, and scope, software and
    reference_files updated key by key."""
    data = copy.deepcopy(_RECORD)
    for key, value in parts.items():
        if key in ("scope", "software", "reference_files"):
            data[key].update(value)
        else:
            data[key] = value
    return KnownIssue.from_record(dataset.Record("issue", "issues/x.yaml", data))


def point(build: str, release: str | None = None) -> dict[str, str | None]:
    return {"build": build, "release": release}


def fix(build: str, release: str | None) -> dict[str, Any]:
    return {**point(build, release), "changelog": [], "changelog_note": "Fixed outside jwst."}


def at(cal_ver: str, **header: str | None) -> Product:
    """A product made with jwst ``cal_ver`` (build = its first two numbers)."""
    build = ".".join(cal_ver.split(".")[:2])
    return Product(position=position(build, cal_ver), **header)


def applies(i: KnownIssue, p: Product) -> tuple[str, tuple[str, ...], bool] | None:
    """The verdict in short: applies, unchecked, undocumented; None when it does not apply."""
    v = verdict(i, p, GROUPS)
    return None if v is None else (v.applies, v.unchecked, v.undocumented)


def test_verdict_introduced_unknown_is_possible_before_the_documentation() -> None:
    """With introduced null, data older than documented_from may be affected (possibly,
    undocumented); from documented_from on the issue applies."""
    i = issue()
    assert ("possibly", (), True) == applies(i, at("1.9.0"))
    assert ("yes", (), False) == applies(i, at("2.0.0"))
    assert ("yes", (), False) == applies(i, at("2.3.1"))


def test_verdict_introduced_known_starts_the_range() -> None:
    """With introduced known, older data are not affected and newer data are, even before
    documented_from (no 'undocumented' doubt)."""
    i = issue(software={"introduced": point("1.5", "1.5.2")})
    assert None is applies(i, at("1.5.1"))
    assert ("yes", (), False) == applies(i, at("1.5.2"))
    assert ("yes", (), False) == applies(i, at("1.9.0"))


def test_verdict_software_fix_only() -> None:
    """A software fix ends the range at its release, whatever the context."""
    i = issue(status="fixed", software={"fixed": fix("3.0", "3.0.1")})
    before = verdict(i, at("3.0.0", crds_ctx="jwst_0500.pmap"), GROUPS)
    assert Verdict("yes", (), False, False, False, None) == before
    assert None is applies(i, at("3.0.1"))
    assert None is applies(i, at("3.1.0", crds_ctx="jwst_0100.pmap"))


def test_verdict_software_fix_given_as_a_build() -> None:
    """A fix given as a bare build counts from the first release of that build."""
    i = issue(status="fixed", software={"fixed": fix("3.0", None)})
    assert ("yes", (), False) == applies(i, at("2.9.9"))
    assert None is applies(i, at("3.0.0"))


def test_verdict_reference_files_fix_only() -> None:
    """A context fix: older contexts are affected, the fixing one and later are not, and a
    product without CRDS_CTX is possibly affected with crds_ctx unchecked."""
    i = issue(status="fixed", reference_files={"fixed": "jwst_0200.pmap"})
    old = verdict(i, at("2.5.0", crds_ctx="jwst_0199.pmap"), GROUPS)
    assert Verdict("yes", (), False, False, None, False) == old
    assert None is applies(i, at("2.5.0", crds_ctx="jwst_0200.pmap"))
    assert ("possibly", ("crds_ctx",), False) == applies(i, at("2.5.0"))


def test_verdict_fix_needs_software_and_reference_files() -> None:
    """With both fixes, data are fixed only with the new release and the new context; an old
    release is affected whatever the context; a new release with an unknown context is
    possibly affected, with crds_ctx unchecked."""
    i = issue(
        status="fixed",
        software={"fixed": fix("3.0", "3.0.0")},
        reference_files={"fixed": "jwst_0200.pmap"},
    )
    new_sw_old_ctx = verdict(i, at("3.0.0", crds_ctx="jwst_0150.pmap"), GROUPS)
    old_sw_new_ctx = verdict(i, at("2.5.0", crds_ctx="jwst_0200.pmap"), GROUPS)
    assert Verdict("yes", (), False, False, True, False) == new_sw_old_ctx
    assert Verdict("yes", (), False, False, False, True) == old_sw_new_ctx
    assert None is applies(i, at("3.0.0", crds_ctx="jwst_0200.pmap"))
    assert ("possibly", ("crds_ctx",), False) == applies(i, at("3.0.0"))
    assert ("yes", (), False) == applies(i, at("2.5.0"))


def test_verdict_context_that_introduced_the_problem() -> None:
    """reference_files.introduced: older contexts are not affected, unknown ones possibly."""
    i = issue(reference_files={"introduced": "jwst_0100.pmap"})
    assert None is applies(i, at("2.0.0", crds_ctx="jwst_0099.pmap"))
    assert ("yes", (), False) == applies(i, at("2.0.0", crds_ctx="jwst_0100.pmap"))
    assert ("possibly", ("crds_ctx",), False) == applies(i, at("2.0.0"))


def test_verdict_scope_by_instrument() -> None:
    """Another instrument is out of scope; a missing INSTRUME leaves the axis unchecked."""
    i = issue(scope={"instruments": ["MIRI"]})
    assert ("yes", (), False) == applies(i, at("2.0.0", instrument="MIRI"))
    assert None is applies(i, at("2.0.0", instrument="NIRCam"))
    assert ("possibly", ("instrument",), False) == applies(i, at("2.0.0"))


def test_verdict_scope_by_mode_group() -> None:
    """A mode group stands for its EXP_TYPEs, less those of instruments not listed: ifu with
    NIRSpec is NRS_IFU only (MIR_MRS is left out); without instruments it is both."""
    nirspec = issue(scope={"instruments": ["NIRSpec"], "mode_groups": ["ifu"]})
    assert ("yes", (), False) == applies(
        nirspec, at("2.0.0", instrument="NIRSpec", exp_type="NRS_IFU")
    )
    assert None is applies(nirspec, at("2.0.0", instrument="NIRSpec", exp_type="NRS_MSASPEC"))
    assert None is applies(nirspec, at("2.0.0", exp_type="MIR_MRS"))
    assert ("possibly", ("exp_type",), False) == applies(nirspec, at("2.0.0", instrument="NIRSpec"))
    anyone = issue(scope={"mode_groups": ["ifu"]})
    assert ("yes", (), False) == applies(anyone, at("2.0.0", instrument="MIRI", exp_type="MIR_MRS"))


def test_verdict_scope_by_subarray() -> None:
    """full: only SUBARRAY FULL; subarray: anything else; a missing SUBARRAY is unchecked."""
    full = issue(scope={"subarray": "full"})
    sub = issue(scope={"subarray": "subarray"})
    assert ("yes", (), False) == applies(full, at("2.0.0", subarray="FULL"))
    assert None is applies(full, at("2.0.0", subarray="SUB64P"))
    assert ("possibly", ("subarray",), False) == applies(full, at("2.0.0"))
    assert ("yes", (), False) == applies(sub, at("2.0.0", subarray="SUB64P"))
    assert None is applies(sub, at("2.0.0", subarray="FULL"))
    assert ("possibly", ("subarray",), False) == applies(sub, at("2.0.0"))


def test_verdict_scope_by_readpatt() -> None:
    """Another READPATT is out of scope; a missing one leaves the axis unchecked."""
    i = issue(scope={"readpatt": ["NRSIRS2RAPID"]})
    assert ("yes", (), False) == applies(i, at("2.0.0", readpatt="NRSIRS2RAPID"))
    assert None is applies(i, at("2.0.0", readpatt="NRSRAPID"))
    assert ("possibly", ("readpatt",), False) == applies(i, at("2.0.0"))


def test_verdict_scope_by_detector() -> None:
    """Another DETECTOR is out of scope; a missing one leaves the axis unchecked."""
    i = issue(scope={"detectors": ["NRCBLONG"]})
    assert ("yes", (), False) == applies(i, at("2.0.0", detector="NRCBLONG"))
    assert None is applies(i, at("2.0.0", detector="NRCALONG"))
    assert ("possibly", ("detector",), False) == applies(i, at("2.0.0"))


def test_verdict_unchecked_axes_add_up() -> None:
    """Each limited axis without a value is listed, in the order instrument, exp_type,
    readpatt, detector, subarray, crds_ctx; undocumented data stay 'possibly' too."""
    i = issue(
        scope={
            "instruments": ["NIRCam"],
            "exp_types": ["NRC_IMAGE"],
            "subarray": "full",
            "readpatt": ["RAPID"],
            "detectors": ["NRCBLONG"],
        },
        reference_files={"introduced": "jwst_0100.pmap"},
    )
    assert (
        "possibly",
        ("instrument", "exp_type", "readpatt", "detector", "subarray", "crds_ctx"),
        True,
    ) == applies(i, at("1.0.0"))


def test_verdict_last_affected_ends_the_range() -> None:
    """last_affected as a build covers all of its releases; as a release, up to and including it."""
    whole = issue(status="mitigated", software={"last_affected": point("2.1")})
    one = issue(status="mitigated", software={"last_affected": point("2.1", "2.1.1")})
    assert ("yes", (), False) == applies(whole, at("2.1.9"))
    assert None is applies(whole, at("2.2.0"))
    assert ("yes", (), False) == applies(one, at("2.1.1"))
    assert None is applies(one, at("2.1.2"))


def test_verdict_withdrawn_never_applies() -> None:
    """A withdrawn record applies to nothing, even inside its range."""
    gone = {"date": "2026-01-02", "reason": "It was a mistake.", "replaced_by": None}
    i = issue(status="withdrawn", withdrawn=gone)
    assert None is applies(i, at("2.0.0"))
    assert None is applies(i, at("1.0.0"))


def test_mitigation_state() -> None:
    """not-available before available_from, optional from it, default from default_from (a bare
    build counts from its first release); with no points a remedy is always optional."""
    available, default = Point("2.0", "2.0.1"), Point("2.1", None)
    assert [
        "not-available",
        "optional",
        "optional",
        "default",
        "default",
    ] == [
        mitigation_state(available, default, at(v).position)
        for v in ("2.0.0", "2.0.1", "2.0.9", "2.1.0", "3.0.0")
    ]
    assert "optional" == mitigation_state(None, None, at("0.1.0").position)
    assert "optional" == mitigation_state(None, default, at("2.0.0").position)
    assert "default" == mitigation_state(None, default, position("2.1"))


def test_verdict_documented_until_makes_newer_data_possible() -> None:
    """An old unfixed record documented up to build 2.1 applies to 2.0 and 2.1 releases;
    newer products may be affected (unassessed), never plainly yes or no."""
    i = issue(software={"documented_until": point("2.1")})
    later = verdict(i, at("2.2.0"), GROUPS)
    assert ("yes", (), False) == applies(i, at("2.1.3"))
    assert later is not None
    assert ("possibly", (), False, True) == (
        later.applies,
        later.unchecked,
        later.undocumented,
        later.unassessed,
    )
    one = issue(software={"documented_until": point("2.1", "2.1.1")})
    assert "possibly" == applies(one, at("2.1.2"))[0]  # type: ignore[index]
