"""`jwst-builds sync` on a small tree whose README copy agrees with it, then changed by hand.

tests/cases/sync/tree holds two builds; tests/cases/sync/README.md and CHANGES.rst say
exactly what the tree says. Each test edits the README text the way upstream changes it
and checks the report line, the exit status and, with --write, the files.
"""

from __future__ import annotations

import http.server
import json
import socket
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result
from ruamel.yaml import YAML

from jwst_builds.cli import cli

from .conftest import CASES, make_root

SYNC = CASES / "sync"
RULE = "| -------- | --------- | -------- | ------------ | ---------- | ----------- | ------------------------------------ |"
README = (SYNC / "README.md").read_text(encoding="utf-8")
CHANGES = (SYNC / "CHANGES.rst").read_text(encoding="utf-8")
HEADER = "| jwst tag | DMS build | SDP_VER  | CRDS_CONTEXT | Released   | Ops Install | Notes                                |"
ROW_020 = "| 0.2.0    | B1.1      | 2024.2.0 | 0120         | 2024-05-01 | 2024-06-01  | Final release candidate for B1.1     |"
NEW_ROW = "| 0.3.0 | B1.2rc1 | | 0130 | 2024-09-01 | | First release candidate for B1.2 |"


@pytest.fixture
def root(tmp_path: Path) -> Path:
    return make_root(tmp_path / "root", base=SYNC / "tree")


def sync(root: Path, readme: str = README, *args: str, changes: str | None = None) -> Result:
    """Run sync with the README text (and change-log text) given, from files in the root's parent."""
    path = root.parent / "README.md"
    path.write_text(readme, encoding="utf-8")
    extra = ["--no-changes"]
    if changes is not None:
        (root.parent / "CHANGES.rst").write_text(changes, encoding="utf-8")
        extra = ["--changes", str(root.parent / "CHANGES.rst")]
    return CliRunner().invoke(
        cli, ["--root", str(root), "sync", "--readme", str(path), *extra, *args]
    )


def load(root: Path, build: str) -> dict[str, Any]:
    data: dict[str, Any] = YAML(typ="safe").load(root / "builds" / f"{build}.yaml")
    return data


def release(root: Path, build: str, tag: str) -> dict[str, Any]:
    return next(r for r in load(root, build)["releases"] if r["jwst_version"] == tag)


def validate(root: Path) -> Result:
    return CliRunner().invoke(cli, ["--root", str(root), "validate"])


def lines(result: Result) -> list[str]:
    return result.stdout.splitlines()


def test_the_copy_agrees_with_the_tree(root: Path) -> None:
    """README and change log say what the tree says: no drift, exit 0, the conflict listed."""
    result = sync(root, changes=CHANGES)
    assert 0 == result.exit_code, result.output
    assert "no drift: builds/ agrees with upstream" in lines(result)
    assert any(ln.startswith("  builds/1.1.yaml:") and "sdp_version" in ln for ln in lines(result))


def test_a_changed_value_is_one_located_line_and_write_records_a_conflict(root: Path) -> None:
    """A changed context: file:line:col, field, ours and upstream; --write keeps ours, adds a conflict."""
    readme = README.replace(ROW_020, ROW_020.replace("0120 ", "0121 "))
    result = sync(root, readme)
    assert 1 == result.exit_code
    expected = (
        'builds/1.1.yaml:28:19: releases[0].crds_context: ours "jwst_0120.pmap", '
        'upstream "jwst_0121.pmap" (jwst 0.2.0) '
        "(--write records a conflict; then keep ours or take upstream's)"
    )
    assert expected == lines(result)[1]
    assert "1 difference with upstream (drift)" == lines(result)[2]
    written = sync(root, readme, "--write")
    assert 0 == written.exit_code, written.output
    rel = release(root, "1.1", "0.2.0")
    assert "jwst_0120.pmap" == rel["crds_context"]
    assert {
        "field": "crds_context",
        "chosen": "jwst_0120.pmap",
        "chosen_source": "jwst-readme-history",
        "alternative": "jwst_0121.pmap",
        "alternative_source": "jwst-readme-table",
    } == {k: v for k, v in rel["conflicts"][0].items() if k != "reason"}
    text = (root / "builds" / "1.1.yaml").read_text(encoding="utf-8")
    assert "# Build 1.1: a comment that sync --write must keep." in text
    assert '"jwst_0120.pmap"  # the test-server context' in text
    assert "  # the PyPI-only pin lives with the build it patches\n  - jwst_version" in text
    assert 0 == sync(root, readme).exit_code  # the conflict now explains the difference


def test_an_empty_field_is_filled(root: Path) -> None:
    """Upstream gives a value our record lacks: drift; --write fills it in."""
    readme = README.replace("| B1.0rc1   |          |", "| B1.0rc1   | 2024.0.9 |")
    result = sync(root, readme)
    assert 1 == result.exit_code
    assert 'ours null, upstream "2024.0.9" (jwst 0.1.0) (--write fills it in)' in lines(result)[1]
    assert 0 == sync(root, readme, "--write").exit_code
    assert "2024.0.9" == release(root, "1.0", "0.1.0")["sdp_version"]
    assert "conflicts" not in release(root, "1.0", "0.1.0")


def test_a_value_upstream_drops_is_drift_only_without_another_source(root: Path) -> None:
    """An emptied cell is drift for a README-only record, not for one with another source."""
    readme = README.replace("| Final release candidate for B1.1     |", "| |")
    result = sync(root, readme)
    assert 1 == result.exit_code
    assert 'ours "Final release candidate for B1.1", upstream null' in lines(result)[1]
    path = root / "builds" / "1.1.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(
        text.replace(
            "      - jwst-readme-table\n  # the", "      - jwst-readme-table\n      - page\n  # the"
        ),
        encoding="utf-8",
    )
    assert 0 == sync(root, readme).exit_code


def test_a_recorded_conflict_explains_a_difference(root: Path) -> None:
    """A conflict whose alternative is upstream's value is not drift; it is listed."""
    readme = README.replace(
        "| 0.1.1    | B1.0      | 2024.1.0 | 0100 ", "| 0.1.1    | B1.0      | 2024.1.0 | 0101 "
    )
    assert 1 == sync(root, readme).exit_code
    path = root / "builds" / "1.0.yaml"
    path.write_text(
        path.read_text(encoding="utf-8")
        + '    conflicts:\n      - field: crds_context\n        chosen: "jwst_0100.pmap"\n'
        '        chosen_source: jwst-readme-history\n        alternative: "jwst_0101.pmap"\n'
        '        alternative_source: jwst-readme-table\n        reason: "Kept until reviewed."\n',
        encoding="utf-8",
    )
    assert 0 == validate(root).exit_code
    result = sync(root, readme)
    assert 0 == result.exit_code, result.output
    assert any(
        "releases[1].crds_context" in ln and "Kept until reviewed." in ln for ln in lines(result)
    )


def test_a_new_candidate_creates_its_build(root: Path) -> None:
    """A tag for a build we lack: --write creates builds/1.2.yaml as a candidate; validate passes."""
    readme = README.replace(HEADER + "\n", HEADER + "\n").replace(
        "| 0.2.1    |", NEW_ROW + "\n| 0.2.1    |", 1
    )
    result = sync(root, readme)
    assert 1 == result.exit_code
    assert (
        "builds/1.2.yaml: jwst 0.3.0 is upstream (B1.2rc1, released 2024-09-01) but not in our data "
        "(--write creates build 1.2 for it)"
    ) == lines(result)[1]
    written = sync(root, readme, "--write")
    assert 0 == written.exit_code, written.output
    assert "validate: no problems" in lines(written)
    build = load(root, "1.2")
    assert ("candidate", "2024-09-01", None, "jwst_0130.pmap", "fixed" if False else "minimum") == (
        build["status"], build["candidate_released"], build["operations_installed"],
        build["crds_context"], build["context_policy"],
    )  # fmt: skip
    assert {"jwst_version": "0.3.0", "dms_label": "B1.2rc1", "dms_version": "1.2",
            "kind": "candidate", "candidate": 1, "sdp_version": None,
            "crds_context": "jwst_0130.pmap", "released": "2024-09-01", "ops_install": None,
            "note": "First release candidate for B1.2", "sources": ["jwst-readme-table"]} == build["releases"][0]  # fmt: skip
    assert "operations" == load(root, "1.1")["status"]
    check = CliRunner().invoke(cli, ["--root", str(root), "fmt", "--check"])
    assert 0 == check.exit_code, check.output


def test_an_installed_new_build_archives_the_old_one(root: Path) -> None:
    """Upstream installs a new build: it goes into operations, the old one is archived."""
    row = "| 0.3.0 | B1.2 | 2024.3.0 | 0130 | 2024-09-01 | 2024-10-01 | Final release candidate for B1.2 |"
    readme = README.replace("| 0.2.1    |", row + "\n| 0.2.1    |", 1)
    written = sync(root, readme, "--write")
    assert 0 == written.exit_code, written.output
    assert ("operations", "2024-10-01") == (
        load(root, "1.2")["status"],
        load(root, "1.2")["operations_installed"],
    )
    assert "archived" == load(root, "1.1")["status"]
    assert (
        '  builds/1.1.yaml: status: "operations" -> "archived" (build 1.2 was installed later)'
        in lines(written)
    )


def test_a_tag_for_no_build_joins_the_build_before_it(root: Path) -> None:
    """A new PyPI-only tag lives with the build of the tag before it."""
    row = "| 0.2.2 | | | 0120 | 2024-07-01 | | PyPI-only release for external users |"
    readme = README.replace("| 0.2.1    |", row + "\n| 0.2.1    |", 1)
    assert 0 == sync(root, readme, "--write").exit_code
    assert ["0.2.0", "0.2.1", "0.2.2"] == [r["jwst_version"] for r in load(root, "1.1")["releases"]]
    assert ("pypi-only", None) == (
        release(root, "1.1", "0.2.2")["kind"],
        release(root, "1.1", "0.2.2")["dms_version"],
    )


def test_a_tag_missing_upstream_is_never_deleted(root: Path) -> None:
    """A README tag that vanished is drift; --write keeps the release and leaves exit 1."""
    readme = "\n".join(ln for ln in README.splitlines() if not ln.startswith("| 0.2.1")) + "\n"
    result = sync(root, readme)
    assert 1 == result.exit_code
    assert "jwst 0.2.1 is in our data but not in the README table" in lines(result)[1]
    before = (root / "builds" / "1.1.yaml").read_bytes()
    written = sync(root, readme, "--write")
    assert 1 == written.exit_code
    assert before == (root / "builds" / "1.1.yaml").read_bytes()


def test_a_second_row_for_a_tag_goes_to_also_labelled(root: Path) -> None:
    """Upstream lists a tag twice (as 0.8.0 is): the other label is added to also_labelled."""
    row = "| 0.1.1 | B1.0.1 | | 0100 | 2024-01-10 | | Patch release for B1.0.1 |"
    readme = README.replace("| 0.1.0    |", row + "\n| 0.1.0    |", 1)
    assert 1 == sync(root, readme).exit_code
    assert 0 == sync(root, readme, "--write").exit_code
    expected = [{"dms_label": "B1.0.1", "dms_version": "1.0.1", "note": "Patch release for B1.0.1"}]
    assert expected == release(root, "1.0", "0.1.1")["also_labelled"]
    assert 0 == sync(root, readme).exit_code


def test_a_value_not_valid_for_our_field_is_reported_not_written(root: Path) -> None:
    """'TBD' in a date column is drift that --write leaves to a person (exit 1)."""
    readme = README.replace("| 2024-06-20 |             |", "| 2024-06-20 | TBD         |")
    result = sync(root, readme, "--write")
    assert 1 == result.exit_code
    assert (
        'ours null, upstream "TBD" (jwst 0.2.1): upstream\'s value is not a valid ops_install'
        in lines(result)[1]
    )
    assert release(root, "1.1", "0.2.1")["ops_install"] is None


def test_change_log_dates_are_information_unless_cited(root: Path) -> None:
    """A change-log date that differs is information; for a release citing the change log, drift."""
    changes = CHANGES.replace("0.2.0 (2024-05-01)", "0.2.0 (2024-05-03)")
    result = sync(root, changes=changes)
    assert 0 == result.exit_code
    expected = '  builds/1.1.yaml:29:15: releases[0].released: the change log dates jwst 0.2.0 2024-05-03, the README\'s Released "2024-05-01"'
    assert expected in lines(result)
    path = root / "builds" / "1.1.yaml"
    path.write_text(
        path.read_text(encoding="utf-8").replace(
            "      - jwst-readme-table\n  # the",
            "      - jwst-readme-table\n      - jwst-changelog\n  # the",
        ),
        encoding="utf-8",
    )
    cited = sync(root, changes=changes)
    assert 1 == cited.exit_code
    assert 'ours "2024-05-01", the change log "2024-05-03"' in lines(cited)[2]
    assert 0 == sync(root, README, "--write", changes=changes).exit_code
    conflict = release(root, "1.1", "0.2.0")["conflicts"][0]
    assert ("released", "2024-05-03", "jwst-changelog") == (
        conflict["field"], conflict["alternative"], conflict["alternative_source"],
    )  # fmt: skip


@pytest.mark.parametrize(
    ("header", "what"),
    [
        (
            HEADER.replace("| Notes", "| Pipeline | Notes") + "\n" + RULE + " --- |",
            "a column added",
        ),
        (HEADER.replace("Ops Install", "Ops Installed") + "\n" + RULE, "a column renamed"),
        (
            HEADER.replace("| SDP_VER  | CRDS_CONTEXT |", "| CRDS_CONTEXT | SDP_VER  |")
            + "\n"
            + RULE,
            "columns swapped",
        ),
    ],
)
def test_a_changed_table_layout_is_one_line_and_exit_2(root: Path, header: str, what: str) -> None:
    """A table whose columns changed is refused with one line, not read wrongly."""
    result = sync(root, README.replace(HEADER + "\n" + RULE, header))
    assert 2 == result.exit_code, what
    assert "" == result.stdout
    assert 1 == len(result.stderr.splitlines())
    assert result.stderr.startswith("error: ") and "the build table's columns are" in result.stderr


@pytest.mark.parametrize(
    ("readme", "message"),
    [
        (
            README.replace("## DMS Operational Build Versions", "## Build versions"),
            'no heading "DMS Operational Build Versions"',
        ),
        (README.split("| jwst tag")[0] + "## Another section\n", "no table under the heading"),
    ],
)
def test_a_readme_without_the_table_is_one_line(root: Path, readme: str, message: str) -> None:
    """No heading, or a heading without a table: one line, exit 2."""
    result = sync(root, readme)
    assert (2, 1) == (result.exit_code, len(result.stderr.splitlines()))
    assert message in result.stderr


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.mark.parametrize(
    ("option", "value"),
    [
        ("--readme", f"http://127.0.0.1:{_closed_port()}/README.md"),
        ("--readme", "ftp://example.org/README.md"),
        ("--readme", "no/such/README.md"),
        ("--changes", f"http://127.0.0.1:{_closed_port()}/CHANGES.rst"),
    ],
)
def test_upstream_that_cannot_be_read_is_one_line_and_exit_2(
    root: Path, option: str, value: str
) -> None:
    """An address nobody answers, a scheme we do not read, a missing file: one line, exit 2."""
    args = [
        "--readme",
        str(SYNC / "README.md"),
        "--changes",
        str(SYNC / "CHANGES.rst"),
        option,
        value,
    ]
    result = CliRunner().invoke(cli, ["--root", str(root), "sync", *args])
    assert 2 == result.exit_code
    assert ("", 1) == (result.stdout, len(result.stderr.splitlines()))
    assert result.stderr.startswith("error: ") and value in result.stderr


@pytest.fixture
def served() -> Iterator[str]:
    """The test copies served over HTTP on a local port."""

    class Handler(http.server.SimpleHTTPRequestHandler):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, directory=str(SYNC), **kwargs)

        def log_message(self, *args: Any) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def test_upstream_is_read_from_an_address(root: Path, served: str) -> None:
    """--readme and --changes take http(s) addresses; a 404 is one line and exit 2."""
    ok = CliRunner().invoke(
        cli,
        [
            "--root",
            str(root),
            "sync",
            "--readme",
            f"{served}/README.md",
            "--changes",
            f"{served}/CHANGES.rst",
        ],
    )
    assert 0 == ok.exit_code, ok.output
    assert f"upstream: README {served}/README.md" == lines(ok)[0]
    missing = CliRunner().invoke(
        cli, ["--root", str(root), "sync", "--readme", f"{served}/nothing.md", "--no-changes"]
    )
    assert (2, f"error: cannot read {served}/nothing.md: HTTP 404 File not found\n") == (
        missing.exit_code,
        missing.stderr,
    )


def test_json_and_github_formats(root: Path) -> None:
    """--format json is one document; --format github prints annotations."""
    readme = README.replace(ROW_020, ROW_020.replace("0120 ", "0121 "))
    doc = json.loads(sync(root, readme, "--format", "json").stdout)
    assert [
        ("differs", "releases[0].crds_context", "jwst_0120.pmap", "jwst_0121.pmap", "conflict")
    ] == [(d["kind"], d["field"], d["ours"], d["upstream"], d["write"]) for d in doc["drift"]]
    assert (1, None) == (doc["exit_code"], doc["written"])
    out = lines(sync(root, readme, "--format", "github"))
    assert out[0].startswith(
        "::warning file=builds/1.1.yaml,line=28,col=19,title=sync%3A releases[0].crds_context::"
    )
    assert out[1].startswith("::notice file=builds/1.1.yaml,line=10,col=14,")


def test_data_that_does_not_load_is_reported_not_synced(root: Path) -> None:
    """A build file that fails its schema stops sync with the problem (exit 1)."""
    path = root / "builds" / "1.0.yaml"
    path.write_text(
        path.read_text(encoding="utf-8").replace(
            'crds_context: "jwst_0099.pmap"', "crds_context: 99"
        ),
        encoding="utf-8",
    )
    result = sync(root)
    assert 1 == result.exit_code
    assert "builds/1.0.yaml:20:19: releases[0].crds_context" in result.stdout


def test_a_conflict_credited_to_another_source_does_not_explain_a_readme_change(root: Path) -> None:
    """The README now gives the value a conflict credits to another page: the record must follow."""
    readme = README.replace(ROW_020, ROW_020.replace("0120 ", "0121 "))
    path = root / "builds" / "1.1.yaml"
    text = path.read_text(encoding="utf-8").replace(
        "      - jwst-readme-table\n  # the",
        "      - jwst-readme-table\n    conflicts:\n      - field: crds_context\n"
        '        chosen: "jwst_0120.pmap"\n        chosen_source: jwst-readme-table\n'
        '        alternative: "jwst_0121.pmap"\n        alternative_source: page\n'
        '        reason: "The page gives the operations context."\n  # the',
    )
    path.write_text(text, encoding="utf-8")
    assert 0 == validate(root).exit_code
    result = sync(root, readme)
    assert 1 == result.exit_code
    assert (
        'releases[0].crds_context: ours "jwst_0120.pmap", upstream "jwst_0121.pmap"'
        in lines(result)[1]
    )
