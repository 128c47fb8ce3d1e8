"""The public Python API: load(), Dataset, the typed records and answers."""

from __future__ import annotations

import dataclasses
import subprocess
import sys
from pathlib import Path

import pytest

import jwst_builds
from jwst_builds import dataset, query
from jwst_builds.operations import operations_on

from .test_issues import issue_root

REPO = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def real() -> jwst_builds.Dataset:
    return jwst_builds.load(REPO)


@pytest.fixture
def small(tmp_path: Path) -> jwst_builds.Dataset:
    """The small issue tree: builds 1.0 and 1.1 archived, 1.2 in operations, 1.3 a candidate."""
    return jwst_builds.load(issue_root(tmp_path / "root"))


def test_import_is_light() -> None:
    """`import jwst_builds` loads none of its dependencies and none of its own modules."""
    code = (
        "import sys, jwst_builds; "
        "print(sorted(m for m in sys.modules if m.split('.')[0] in "
        "('jwst_builds', 'click', 'jsonschema', 'ruamel', 'astropy', 'towncrier', 'packaging')))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert "['jwst_builds']" == out.stdout.strip()


def test_every_public_name_resolves() -> None:
    """Each name of __all__ is importable from the package; records are frozen and documented."""
    for name in jwst_builds.__all__:
        value = getattr(jwst_builds, name)
        assert value.__doc__, name
        if dataclasses.is_dataclass(value):
            assert value.__dataclass_params__.frozen, name  # type: ignore[attr-defined]
    with pytest.raises(AttributeError):
        jwst_builds.no_such_name  # noqa: B018


def test_records_are_immutable(small: jwst_builds.Dataset) -> None:
    """A record cannot be changed after loading."""
    with pytest.raises(dataclasses.FrozenInstanceError):
        small.build("1.2").status = "archived"  # type: ignore[misc]


def test_builds_and_releases_from_the_records(small: jwst_builds.Dataset) -> None:
    """Builds come oldest first with their releases, as the YAML files hold them."""
    assert ["1.0", "1.1", "1.2", "1.3"] == [b.id for b in small.builds]
    build = small.build("1.2")
    assert ("operations", "2024-10-01", "jwst_0140.pmap", "builds/1.2.yaml") == (
        build.status,
        build.operations_installed,
        build.crds_context,
        build.file,
    )
    assert [("0.3.0", "candidate"), ("0.3.1", "final")] == [
        (r.jwst_version, r.kind) for r in build.releases
    ]
    assert ("1.1", "pypi-only") == (small.release("0.2.1").build, small.release("0.2.1").kind)
    assert ["0.1.0", "0.1.1", "0.2.0", "0.2.1", "0.3.0", "0.3.1", "0.4.0"] == [
        r.jwst_version for r in small.releases
    ]


def test_conflicts_are_typed(real: jwst_builds.Dataset) -> None:
    """A disagreement between sources is a Conflict with both values (jwst 1.14.0: JDox
    calls it a build 10.2 tag, the README table B10.2.1)."""
    conflict = real.release("1.14.0").conflicts[0]
    assert isinstance(conflict, jwst_builds.Conflict)
    assert ("dms_version", "10.2", "10.2.1") == (
        conflict.field,
        conflict.chosen,
        conflict.alternative,
    )


def test_sources_and_issues(small: jwst_builds.Dataset) -> None:
    """Sources and issues come by id; an issue is the typed KnownIssue."""
    assert [s.id for s in small.sources] == sorted(s.id for s in small.sources)
    issue = small.issue("fixed-in-candidate")
    assert ("fixed", "1.3", "0.4.0", ("NIRCam",)) == (
        issue.status,
        issue.fixed.build if issue.fixed else None,
        issue.fixed.release if issue.fixed else None,
        issue.scope.instruments,
    )


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda ds: ds.build("1.5"), "unknown build '1.5' (known builds nearby: 1.3)"),
        (lambda ds: ds.release("0.2.5"), "unknown jwst release '0.2.5' (nearest known: 0.2.1 and 0.3.0)"),
        (lambda ds: ds.issue("nope"), "unknown known issue 'nope'"),
        (lambda ds: ds.operations(on="2024-13-01"), "'2024-13-01' is not a date such as 2024-06-12"),
        (lambda ds: ds.operations(on="2023-01-01"), "no build was in operations on 2023-01-01 (the first was installed on 2024-02-01)"),
        (lambda ds: ds.affects(cal_ver="9.0.0"), "unknown CAL_VER '9.0.0': no jwst release has that version (nearest known: 0.4.0)"),
        (lambda ds: ds.affects_header({"INSTRUME": "NIRSPEC"}), "the header has no CAL_VER keyword (is it a calibrated product?)"),
    ],
)  # fmt: skip
def test_unknown_values_raise_query_error(
    small: jwst_builds.Dataset, call: object, message: str
) -> None:
    """Unknown ids and values raise QueryError with a one-line message."""
    with pytest.raises(jwst_builds.QueryError) as caught:
        call(small)  # type: ignore[operator]
    assert message == str(caught.value)


def test_operations_answer_equals_the_json(small: jwst_builds.Dataset) -> None:
    """ds.operations(on=...).to_dict() is the JSON answer of `operations --on`."""
    raw = dataset.load(small.root)
    for day in ("2024-02-01", "2024-07-15", "2025-01-01"):
        assert operations_on(raw, day) == small.operations(on=day).to_dict()
    assert ("1.1", "0.2.0", "2024-10-01") == (
        small.operations(on="2024-07-15").build,
        small.operations(on="2024-07-15").release,
        small.operations(on="2024-07-15").replaced,
    )


def test_affects_answer_equals_the_json_for_every_release(real: jwst_builds.Dataset) -> None:
    """For every jwst tag, with and without include_all and with full header values,
    Answer.to_dict() is exactly query.affects()."""
    raw = dataset.load(REPO)
    mismatched = []
    for rel in real.releases:
        for include_all in (False, True):
            for values in (
                {},
                {"crds_ctx": "jwst_1240.pmap", "exp_type": "NRS_MSASPEC", "subarray": "FULL"},
            ):
                expected = query.affects(
                    raw, query.Question(cal_ver=rel.jwst_version, **values), include_all
                )
                got = real.affects(rel.jwst_version, include_all=include_all, **values)
                if got.to_dict() != expected:
                    mismatched.append((rel.jwst_version, include_all, values))
    assert [] == mismatched


def test_answer_fields_are_typed(small: jwst_builds.Dataset) -> None:
    """Nested parts of an answer are records, lists are tuples."""
    answer = small.affects("0.3.1", crds_ctx="jwst_0140.pmap", exp_type="NRC_IMAGE")
    (issue,) = answer.issues
    assert isinstance(issue, jwst_builds.IssueMatch)
    assert issue.fix is not None
    assert ("fixed-in-candidate", "yes", "reprocess", False, ("NRC_IMAGE",)) == (
        issue.id,
        issue.applies,
        issue.action,
        issue.fix.in_operations,
        issue.scope.exp_types,
    )
    assert (answer.issues, "NIRCam") == (answer.applies, answer.query.instrument)


@pytest.mark.parametrize(
    ("values", "kind", "text"),
    [
        # fixed in the candidate build 1.3 (0.4.0), which operations does not have
        ({"cal_ver": "0.3.1", "crds_ctx": "jwst_0140.pmap", "exp_type": "NRC_IMAGE"}, "reprocess", "reprocess with jwst 0.4.0"),
        # the operations release and context, no data issue with a fix
        ({"cal_ver": "0.3.1", "crds_ctx": "jwst_0140.pmap", "exp_type": "NRS_MSASPEC"}, "ok", "nothing to do"),
        # older than operations: MAST has reprocessed it (and has the jwst_0130.pmap fix)
        ({"cal_ver": "0.2.0", "crds_ctx": "jwst_0120.pmap", "exp_type": "NRS_MSASPEC"}, "download", "download again"),
        # the operations release with an older context
        ({"cal_ver": "0.3.1", "crds_ctx": "jwst_0138.pmap", "exp_type": "NRS_MSASPEC"}, "download", "download again"),
        # newer than operations: nothing to do
        ({"cal_ver": "0.4.0", "crds_ctx": "jwst_0160.pmap", "exp_type": "NRC_IMAGE"}, "ok", "nothing to do"),
    ],
)  # fmt: skip
def test_verdicts(small: jwst_builds.Dataset, values: dict[str, str], kind: str, text: str) -> None:
    """The verdict follows the rules of Verdict's docstring on the small tree."""
    verdict = small.affects(**values).verdict
    assert (kind, text) == (verdict.kind, str(verdict))


def test_affects_header_takes_any_mapping(small: jwst_builds.Dataset, tmp_path: Path) -> None:
    """A dict, an astropy Header and a file give the same answer as the values."""
    from astropy.io import fits

    values = {"CAL_VER": "0.2.0", "CRDS_CTX": "jwst_0120.pmap", "INSTRUME": "NIRSPEC"}
    expected = small.affects("0.2.0", crds_ctx="jwst_0120.pmap", instrument="NIRSpec").to_dict()
    from_dict = small.affects_header(values).to_dict()
    header = fits.Header()
    for key, value in values.items():
        header[key] = value
    from_header = small.affects_header(header).to_dict()
    fits.PrimaryHDU(header=header).writeto(tmp_path / "p.fits")
    from_file = small.affects_file(tmp_path / "p.fits").to_dict()
    for doc in (expected, from_dict, from_header, from_file):
        doc["query"]["missing_keywords"] = []
        doc["query"]["file"] = None
    assert expected == from_dict == from_header == from_file
    assert ("EXP_TYPE",) == small.affects_header(values).query.missing_keywords


def test_affects_file_errors(small: jwst_builds.Dataset, tmp_path: Path) -> None:
    """A file that is not FITS raises QueryError naming it."""
    path = tmp_path / "notes.fits"
    path.write_text("hello", encoding="utf-8")
    with pytest.raises(jwst_builds.QueryError) as caught:
        small.affects_file(path)
    assert f"{path} is not a FITS file (it does not start with a SIMPLE card)" == str(caught.value)


def test_load_refuses_a_folder_without_data(tmp_path: Path) -> None:
    """load(root) on a folder without data raises DataRootError."""
    with pytest.raises(jwst_builds.DataRootError) as caught:
        jwst_builds.load(tmp_path)
    assert f"root {tmp_path} holds no schema/build.schema.json and builds/" == str(caught.value)


def test_dataset_says_where_its_data_come_from(small: jwst_builds.Dataset) -> None:
    """root and origin name the folder given; problems is empty for valid data."""
    assert ("option", (), "<jwst_builds.Dataset 4 builds, 7 issues>") == (
        small.origin,
        small.problems,
        repr(small),
    )
