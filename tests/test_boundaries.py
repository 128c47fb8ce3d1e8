"""Rules at their edges: equal versions, equal contexts, rows that touch. Each expected
value is worked out by hand from the rule's wording in CONTRIBUTING.md (these cases were
found by mutation testing: `nox -s mutate`)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from jwst_builds import dataset
from jwst_builds.checks.inflight import _overlap
from jwst_builds.checks.issues import _before
from jwst_builds.fixhistory import carries as _carries
from jwst_builds.issuerange import known_issues, position
from jwst_builds.model import Point

from .conftest import CASES, make_root


@pytest.mark.parametrize(
    ("a", "b", "expected"),
    [
        (("1.0", None), ("1.1", None), True),  # an earlier build
        (("1.1", None), ("1.0", None), False),
        (("1.0", "0.1.0"), ("1.0", "0.1.1"), True),  # an earlier release of one build
        (("1.0", "0.1.1"), ("1.0", "0.1.0"), False),
        (("1.0", "0.1.0"), ("1.0", "0.1.0"), False),  # the same release is not before it
        (("1.0", None), ("1.0", "0.1.0"), False),  # a bare build covers all its releases
        (("1.0", "0.1.0"), ("1.0", None), False),
    ],
)
def test_before(a: tuple[str, str | None], b: tuple[str, str | None], expected: bool) -> None:
    """A mitigation's default_from is before its available_from only when surely earlier."""
    assert expected == _before(Point(*a), Point(*b))


def _row(readpatt: list[str] | None, subarray: str | None) -> dict[str, Any]:
    return {"readpatt": readpatt, "subarray": subarray}


@pytest.mark.parametrize(
    ("a", "b", "expected"),
    [
        (_row(None, None), _row(None, None), True),  # both match every exposure
        (_row(["FAST"], None), _row(["SLOW"], None), False),  # different readouts
        (_row(["FAST", "SLOW"], None), _row(["SLOW"], None), True),  # a shared readout
        (_row(None, "full"), _row(None, "subarray"), False),  # full frame and subarrays
        (_row(None, "full"), _row(None, "full"), True),
        (_row(None, "full"), _row(None, None), True),  # any subarray includes full frame
        (_row(None, None), _row(None, "subarray"), True),
    ],
)
def test_inflight_rows_overlap(a: dict[str, Any], b: dict[str, Any], expected: bool) -> None:
    """Two rows of one EXP_TYPE overlap unless readouts or subarrays keep them apart."""
    assert (expected, expected) == (_overlap(a, b), _overlap(b, a))


def test_fix_is_carried_from_the_fixing_build_and_context_on(tmp_path: Path) -> None:
    """both-fix is fixed in build 1.2 and in jwst_0150.pmap: software of build 1.2 with
    exactly that context carries the fix; one context earlier or build 1.1 does not."""
    root = make_root(tmp_path / "root", base=CASES / "issues" / "base")
    issue = next(i for i in known_issues(dataset.load(root)) if i.id == "both-fix")
    assert (True, False, False) == (
        _carries(issue, position("1.2"), "jwst_0150.pmap"),
        _carries(issue, position("1.2"), "jwst_0149.pmap"),
        _carries(issue, position("1.1", "0.2.1"), "jwst_0150.pmap"),
    )


def _issue_tree(tmp_path: Path, file: str, *edits: tuple[str, str]) -> Path:
    root = make_root(tmp_path / "root", base=CASES / "issues" / "base")
    path = root / "issues" / file
    text = path.read_text(encoding="utf-8")
    for old, new in edits:
        assert old in text, old
        text = text.replace(old, new, 1)
    path.write_text(text, encoding="utf-8")
    return root


def _validate(root: Path) -> tuple[int, list[str]]:
    from click.testing import CliRunner

    from jwst_builds.cli import cli

    result = CliRunner().invoke(cli, ["--root", str(root), "validate"])
    return result.exit_code, result.stdout.splitlines()


DOCUMENTED_0_2_0 = (
    '    build: "1.0"\n    release: "0.1.1"',
    '    build: "1.1"\n    release: "0.2.0"',
)


@pytest.mark.parametrize(
    "last",
    [
        '    build: "1.1"\n    release: null',  # the whole build 1.1, which holds 0.2.0
        '    build: "1.1"\n    release: "0.2.0"',  # the very release documented first
    ],
)
def test_last_affected_may_end_where_the_record_starts(tmp_path: Path, last: str) -> None:
    """documented_from 0.2.0 (build 1.1) and last_affected build 1.1 or 0.2.0 itself: the
    range is one build or one release long, which is valid (no I008)."""
    root = _issue_tree(
        tmp_path,
        "pin-needed.yaml",
        DOCUMENTED_0_2_0,
        ('  last_affected:\n    build: "1.1"\n    release: null', f"  last_affected:\n{last}"),
    )
    assert (0, []) == _validate(root)


def test_open_issue_with_a_reference_file_fix_names_the_context(tmp_path: Path) -> None:
    """An open record whose reference files are fixed says which context fixes it [I013]."""
    root = _issue_tree(tmp_path, "ctx-only-fix.yaml", ("status: fixed", "status: open"))
    assert (
        1,
        [
            "issues/ctx-only-fix.yaml:5:9: status: status is open, but the record names a fix "
            "(jwst_0130.pmap) (set status to fixed, or clear the fix) [I013]",
            "1 problem in 1 file",
        ],
    ) == _validate(root)


@pytest.mark.parametrize(
    ("file", "edits"),
    [
        # reviewed the day it was discovered
        ("mos-crash.yaml", [('discovered: "2024-01"', 'discovered: "2026-01-01"')]),
        # a remedy planned for the first affected build itself (1.0, archived: the issue
        # is mitigated, so the plan is not stale)
        (
            "open-everywhere.yaml",
            [
                ('planned_build: "1.3"', 'planned_build: "1.0"'),
                ("status: open", "status: mitigated"),
                ("  last_affected: null", '  last_affected:\n    build: "1.3"\n    release: null'),
            ],
        ),
        # a conflict on a field whose value is null, chosen null
        (
            "mos-crash.yaml",
            [
                (
                    "    says: The test page describes the problem, the modes it touches and the builds it affects.\n",
                    "    says: The test page describes the problem, the modes it touches and the builds it affects.\n"
                    "conflicts:\n  - field: software.fixed.release\n    chosen: null\n    chosen_source: page\n"
                    '    alternative: "0.2.0"\n    alternative_source: page\n'
                    "    reason: The page names the build of the fix, not its release.\n",
                )
            ],
        ),
    ],
    ids=["reviewed-on-discovery", "plan-for-the-first-build", "conflict-on-null"],
)
def test_edges_that_are_valid(tmp_path: Path, file: str, edits: list[tuple[str, str]]) -> None:
    """Each edge is allowed by the rule's wording: no problem."""
    root = _issue_tree(tmp_path, file, *edits)
    assert (0, []) == _validate(root)


def test_plan_for_a_build_now_in_operations(tmp_path: Path) -> None:
    """An open issue planned for build 1.2, now in operations, is stale [I024]."""
    root = _issue_tree(
        tmp_path, "open-everywhere.yaml", ('planned_build: "1.3"', 'planned_build: "1.2"')
    )
    assert (
        1,
        [
            "issues/open-everywhere.yaml:35:18: mitigation_plan.planned_build: the remedy was "
            "planned for build 1.2, which is now operations (if that build fixed it, record the "
            "fix; if not, move the plan or mark it mitigated) [I024]",
            "1 problem in 1 file",
        ],
    ) == _validate(root)


def test_fix_without_a_release_but_with_change_log_entries(tmp_path: Path) -> None:
    """A fix named by its build only, while the change log names a release [I030]."""
    root = _issue_tree(
        tmp_path,
        "mos-crash.yaml",
        (
            "    changelog: []",
            '    changelog:\n      - version: "0.2.0"\n        pr: 7\n        category: master_background',
        ),
        (
            "    changelog_note: The fix is outside the jwst change log in this test tree.",
            "    changelog_note: null",
        ),
    )
    code, lines = _validate(root)
    assert (1, True) == (
        code,
        "software.fixed.release: the fix is given as build 1.1 without a release, but its "
        'latest change-log entry is in 0.2.0 (set release to "0.2.0" (record another '
        "source's value under conflicts)) [I030]" in lines[0],
    )


def test_two_instruments_are_listed_with_commas(tmp_path: Path) -> None:
    """The instruments of a scope are named in full in the message [I015]."""
    root = _issue_tree(
        tmp_path,
        "mos-crash.yaml",
        ("  instruments:\n    - NIRSpec", "  instruments:\n    - NIRSpec\n    - MIRI"),
        ("    - NRS_MSASPEC", "    - NRS_MSASPEC\n    - NIS_SOSS"),
    )
    code, lines = _validate(root)
    assert (1, True) == (
        code,
        "NIS_SOSS is a NIRISS mode, but instruments lists NIRSpec, MIRI" in lines[0],
    )


def test_a_conflict_cannot_dispute_its_sources(tmp_path: Path) -> None:
    """`sources` is a field of the record, but not one sources can disagree on [S002]."""
    root = make_root(tmp_path / "root", CASES / "invalid" / "conflict-chosen")
    path = root / "builds" / "1.1.yaml"
    path.write_text(
        path.read_text(encoding="utf-8").replace("field: sdp_version", "field: sources")
    )
    code, lines = _validate(root)
    assert (1, True) == (
        code,
        "conflicts[0].field: 'sources' is not a field of this record"
        in lines[1],  # after B004: the conflict no longer covers sdp_version
    )


def test_fragment_folder_file_without_a_suffix(tmp_path: Path) -> None:
    """A file without a suffix in a build folder is named as such [F009]."""
    root = make_root(tmp_path / "root", CASES / "notes" / "tree")
    (root / "changes" / "1.1" / "notes").write_text("Text.\n", encoding="utf-8")
    assert (
        1,
        [
            "changes/1.1/notes:1:1: not a Markdown fragment: a file without a suffix "
            "(fragments are named <name>.<category>.md) [F009]",
            "1 problem in 1 file",
        ],
    ) == _validate(root)
