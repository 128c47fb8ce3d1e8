"""`affects` on remedies and fixes: answers worked out by hand from a small tree.

The tree is the issues base tree (builds 1.0 and 1.1 archived, 1.2 in operations with
its final 0.3.1 and jwst_0140.pmap, 1.3 a candidate) plus one record with a remedy,
written below. Each expected value follows from the rules in CONTRIBUTING.md and
docs/affects-json.md, step by step in the comments.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from click.testing import CliRunner

from jwst_builds.cli import cli

from .conftest import CASES, make_root

REMEDY = """\
# yaml-language-server: $schema=../schema/issue.schema.json
id: remedy
title: Bad pixels spread into spectra
summary: A test issue with a remedy that came with build 1.2 and is on by default from 1.3.
status: mitigated
impact: data-quality
scope:
  instruments: []
  mode_groups: []
  exp_types: []
  subarray: any
  readpatt: []
  detectors: []
  products: []
  steps:
    - pixel_replace
  conditions: null
software:
  introduced: null
  documented_from:
    build: "1.0"
    release: "0.1.1"
  last_affected: null
  fixed: null
reference_files:
  introduced: null
  fixed: null
  reftypes: []
symptoms:
  - Spectra show spikes.
workaround: null
mitigations:
  - summary: Turn on the pixel_replace step.
    kind: step
    step: pixel_replace
    available_from:
      build: "1.2"
      release: "0.3.1"
    default_from:
      build: "1.3"
      release: null
mitigation_plan: null
discovered: "2024-01"
last_reviewed: "2026-01-01"
withdrawn: null
sources:
  - page
evidence:
  - source: page
    supports:
      - summary
      - mitigations
    says: The test page describes the problem and the step that helps.
"""


def _tree(tmp_path: Path, in_operations: bool = True) -> Path:
    root = make_root(tmp_path / "root", base=CASES / "issues" / "base")
    (root / "issues" / "remedy.yaml").write_text(REMEDY, encoding="utf-8")
    if not in_operations:
        build = root / "builds" / "1.2.yaml"
        build.write_text(build.read_text().replace("status: operations", "status: archived"))
    return root


def _affects(root: Path, *args: str) -> dict[str, Any]:
    result = CliRunner().invoke(cli, ["--root", str(root), "affects", *args, "--format", "json"])
    assert 0 == result.exit_code, result.output
    answer: dict[str, Any] = json.loads(result.stdout)
    return answer


def _issue(answer: dict[str, Any], issue_id: str) -> dict[str, Any]:
    return next(i for i in answer["issues"] if i["id"] == issue_id)


def test_the_tree_is_valid(tmp_path: Path) -> None:
    """The remedy record passes validate, so the answers below are about valid data."""
    result = CliRunner().invoke(cli, ["--root", str(_tree(tmp_path)), "validate"])
    assert (0, "") == (result.exit_code, result.stdout)


def test_remedy_through_the_releases(tmp_path: Path) -> None:
    """pixel_replace is available from 0.3.1 and on by default from build 1.3:
    0.2.0 (1.1) predates it, 0.3.1 (1.2) offers it, 0.4.0 (1.3) runs it; operations run
    0.3.1, where it is optional, so the action is to turn it on."""
    root = _tree(tmp_path)
    states = {}
    for version in ("0.2.0", "0.3.1", "0.4.0"):
        remedy = _issue(_affects(root, "--cal-ver", version), "remedy")
        (mitigation,) = remedy["mitigations"]
        states[version] = (mitigation["in_your_release"], mitigation["in_operations"])
        assert "mitigate" == remedy["action"]
        assert {
            "summary": "Turn on the pixel_replace step.",
            "kind": "step",
            "step": "pixel_replace",
            "available_from": {"build": "1.2", "release": "0.3.1"},
            "default_from": {"build": "1.3", "release": None},
        } == {
            k: mitigation[k] for k in ("summary", "kind", "step", "available_from", "default_from")
        }
    assert {
        "0.2.0": ("not-available", "optional"),
        "0.3.1": ("optional", "optional"),
        "0.4.0": ("default", "optional"),
    } == states


def test_remedy_without_a_build_in_operations(tmp_path: Path) -> None:
    """With no build in operations there is no state in operations, nothing to turn on
    there, and no workaround: the action is none; fixes are in operations nowhere."""
    answer = _affects(_tree(tmp_path, in_operations=False), "--cal-ver", "0.3.1")
    remedy = _issue(answer, "remedy")
    assert (None, None, "none") == (
        answer["operations"],
        remedy["mitigations"][0]["in_operations"],
        remedy["action"],
    )
    fixed = _issue(answer, "fixed-in-candidate")
    assert (False, None) == (fixed["fix"]["in_operations"], fixed["fix"]["in_archive_since"])


def test_documented_range_in_the_answer(tmp_path: Path) -> None:
    """The answer repeats where the record says the issue was documented and introduced."""
    remedy = _issue(_affects(_tree(tmp_path), "--cal-ver", "0.2.0"), "remedy")
    assert ({"build": "1.0", "release": "0.1.1"}, None) == (
        remedy["documented_from"],
        remedy["introduced"],
    )


def test_fixes_in_operations_and_in_the_archive(tmp_path: Path) -> None:
    """From 1.0 (0.1.1) with jwst_0100.pmap:
    - mos-crash, fixed in build 1.1: operations (1.2) carry it, and the archive since
      1.1's install on 2024-06-01;
    - ctx-only-fix, fixed by jwst_0130.pmap: operations use jwst_0140.pmap, the archive
      since 1.2's install on 2024-10-01 (1.1 ran jwst_0120.pmap);
    - both-fix needs build 1.2 and jwst_0150.pmap: operations use jwst_0140.pmap, so
      nowhere yet; a data issue fixed in operations means: redownload."""
    answer = _affects(_tree(tmp_path), "--cal-ver", "0.1.1", "--crds-ctx", "jwst_0100.pmap")
    facts = {
        i: (
            _issue(answer, i)["fix"]["needs"],
            _issue(answer, i)["fix"]["in_operations"],
            _issue(answer, i)["fix"]["in_archive_since"],
            _issue(answer, i)["fix"]["release_has_fix"],
            _issue(answer, i)["fix"]["context_has_fix"],
        )
        for i in ("mos-crash", "ctx-only-fix", "both-fix")
        if any(e["id"] == i for e in answer["issues"])
    }
    assert {
        "mos-crash": ("software", True, "2024-06-01", False, None),
        "ctx-only-fix": ("reference-files", True, "2024-10-01", None, False),
        "both-fix": ("both", False, None, False, False),
    } == facts
    assert ("redownload", "reprocess") == (
        _issue(answer, "ctx-only-fix")["action"],
        _issue(answer, "both-fix")["action"],
    )


def test_context_against_operations(tmp_path: Path) -> None:
    """Operations use jwst_0140.pmap (build 1.2): jwst_0100.pmap is older, jwst_0140.pmap
    is not, and without a context there is no comparison."""
    root = _tree(tmp_path)
    blocks = [
        _affects(root, "--cal-ver", "0.2.0", *ctx)["crds_context"]
        for ctx in (("--crds-ctx", "jwst_0100.pmap"), ("--crds-ctx", "jwst_0140.pmap"), ())
    ]
    assert [
        {"value": "jwst_0100.pmap", "release_context": "jwst_0120.pmap",
         "operations_context": "jwst_0140.pmap", "older_than_operations": True},
        {"value": "jwst_0140.pmap", "release_context": "jwst_0120.pmap",
         "operations_context": "jwst_0140.pmap", "older_than_operations": False},
        {"value": None, "release_context": "jwst_0120.pmap",
         "operations_context": "jwst_0140.pmap", "older_than_operations": None},
    ] == blocks  # fmt: skip


def test_issues_come_data_first_then_sure_then_by_id(tmp_path: Path) -> None:
    """From 0.2.0 with --all: data issues before the others; among them those that surely
    apply before those that possibly do (a scope the question leaves open); then by id."""
    answer = _affects(_tree(tmp_path), "--cal-ver", "0.2.0", "--all")
    order = [(i["data_issue"], i["applies"], i["id"]) for i in answer["issues"]]
    assert sorted(order, key=lambda e: (not e[0], e[1] != "yes", e[2])) == order
    assert [True, False] == sorted({d for d, _, _ in order}, reverse=True)
    assert {"yes", "possibly"} == {a for _, a, _ in order}


def test_context_still_to_check_is_named_once(tmp_path: Path) -> None:
    """A record whose reference files both bring and fix the problem, asked without a
    context, leaves crds_ctx to check: once."""
    root = _tree(tmp_path)
    path = root / "issues" / "ctx-only-fix.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(
        text.replace(
            '  introduced: null\n  fixed: "jwst_0130',
            '  introduced: "jwst_0110.pmap"\n  fixed: "jwst_0130',
            1,
        )
    )
    entry = _issue(_affects(root, "--cal-ver", "0.2.0"), "ctx-only-fix")
    # its scope names an instrument the question leaves open too
    assert (["instrument", "crds_ctx"], "possibly") == (entry["unchecked"], entry["applies"])


def _show(root: Path, *args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, ["--root", str(root), "show", *args])
    return result.exit_code, result.stdout, result.stderr


def test_show_answers(tmp_path: Path) -> None:
    """show names the build's summary; an unknown build id gets the nearby ones, a word
    gets none."""
    root = _tree(tmp_path)
    build = root / "builds" / "1.2.yaml"
    build.write_text(
        build.read_text().replace("release_notes:", "summary: The third build.\nrelease_notes:", 1)
    )
    code, out, _ = _show(root, "1.2", "--format", "json")
    assert (0, "The third build.") == (code, json.loads(out)["build"]["summary"])
    assert (1, "", "error: unknown build '9.9' (known builds nearby: 1.3)\n") == _show(root, "9.9")
    assert (1, "", "error: unknown build 'latest'\n") == _show(root, "latest")
