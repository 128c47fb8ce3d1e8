"""`jwst-builds export`: golden files, determinism, refusal of bad data, atomicity, contracts.

The tests never write a golden file. After an intended change, regenerate them with
``nox -s goldens`` (scripts/update_goldens.py), which refuses unless the new export passes
the hand-written facts of tests/test_golden_facts.py, and review the diff.
"""

from __future__ import annotations

import csv
import io
import json
import re
import runpy
import shutil
import sys
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from jsonschema import Draft202012Validator, FormatChecker

from jwst_builds.cli import cli
from jwst_builds.dataset import load
from jwst_builds.export import atomic, jsonout
from jwst_builds.export.columns import BUILDS, ISSUES, RELEASES, TableSpec
from jwst_builds.export.runner import has_problems
from jwst_builds.fragments import load_fragments
from jwst_builds.validate import run as validate_run

from .conftest import CASES, REPO, make_root

FIXTURE = CASES / "export"
GOLDEN = Path(__file__).resolve().parent / "golden" / "export"
SCHEMA = REPO / "schema"
#: every file an export writes
FILES = sorted([
    "builds.csv", "builds.json", "builds.md", "datapackage.json", "export.schema.json",
    "issues.csv", "issues.json", "issues.md", "releases.csv", "releases.md",
])  # fmt: skip
INVALID = sorted(p for p in (CASES / "invalid").iterdir() if p.is_dir())


def export_root(dest: Path) -> Path:
    """A copy of the export fixture with the real schemas, outside any git checkout."""
    shutil.copytree(SCHEMA, dest / "schema")
    shutil.copytree(FIXTURE, dest, dirs_exist_ok=True)
    return dest


def export(root: Path, out: Path) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, ["--root", str(root), "export", "--out", str(out)])
    return result.exit_code, result.stdout, result.stderr


def contents(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


@pytest.fixture
def fixture_out(tmp_path: Path) -> Path:
    """The export of the fixture tree."""
    out = tmp_path / "out"
    code, _, err = export(export_root(tmp_path / "root"), out)
    assert (0, "wrote 10 files") == (code, err.split(" to ")[0])
    return out


@pytest.fixture(scope="module")
def real_out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The export of the repository's real data (into a temporary folder)."""
    out = tmp_path_factory.mktemp("real") / "out"
    code, stdout, _ = export(REPO, out)
    assert (0, "") == (code, stdout)
    return out


def test_export_writes_every_file(fixture_out: Path) -> None:
    """An export writes exactly the documented files and nothing else (no temp files)."""
    assert FILES == sorted(p.name for p in fixture_out.iterdir())


@pytest.mark.parametrize("name", [f for f in FILES if f != "export.schema.json"])
def test_export_matches_golden_file(fixture_out: Path, name: str) -> None:
    """Each export file of the fixture equals its golden copy byte for byte."""
    actual = (fixture_out / name).read_bytes()
    assert (GOLDEN / name).read_bytes() == actual


def test_export_ships_the_export_schema(fixture_out: Path) -> None:
    """The published JSON Schema travels with the exports, unchanged."""
    assert (SCHEMA / "export.schema.json").read_bytes() == (
        fixture_out / "export.schema.json"
    ).read_bytes()


def test_text_files_use_lf_and_utf8(fixture_out: Path) -> None:
    """Every file is UTF-8 without a BOM, ends with one newline and has no carriage return."""
    for name in FILES:
        data = (fixture_out / name).read_bytes()
        text = data.decode("utf-8")
        assert (False, True, False) == (
            text.startswith("\ufeff"),
            text.endswith("\n") and not text.endswith("\n\n"),
            "\r" in text,
        ), name


def test_export_is_deterministic(tmp_path: Path) -> None:
    """The same data exported twice gives byte-identical files."""
    root = export_root(tmp_path / "root")
    export(root, tmp_path / "a")
    export(root, tmp_path / "b")
    assert contents(tmp_path / "a") == contents(tmp_path / "b")


def test_real_export_is_deterministic(real_out: Path, tmp_path: Path) -> None:
    """Exporting the real data again (same commit) gives byte-identical files."""
    export(REPO, tmp_path / "again")
    assert contents(real_out) == contents(tmp_path / "again")


def test_export_replaces_previous_files(tmp_path: Path) -> None:
    """A second export over the first replaces its files with the new content."""
    root = export_root(tmp_path / "root")
    out = tmp_path / "out"
    export(root, out)
    path = root / "builds" / "7.2.yaml"
    path.write_text(path.read_text().replace("note: null", 'note: "A new note"'))
    assert 0 == export(root, out)[0]
    assert "A new note" in (out / "releases.csv").read_text()


def test_export_refuses_invalid_data(tmp_path: Path) -> None:
    """Invalid data: the problems are printed as validate prints them, exit 1, nothing written."""
    root = export_root(tmp_path / "root")
    out = tmp_path / "out"
    export(root, out)
    before = contents(out)
    path = root / "builds" / "7.2.yaml"
    path.write_text(path.read_text().replace("status: candidate", "status: candidat"))
    code, stdout, stderr = export(root, out)
    expected_stdout = CliRunner().invoke(cli, ["--root", str(root), "validate"]).stdout
    assert (1, expected_stdout) == (code, stdout)
    assert "nothing exported" in stderr
    assert before == contents(out)


def test_export_refuses_a_fragment_without_its_build(tmp_path: Path) -> None:
    """A fragment whose build has no record would be lost, so the export stops."""
    root = export_root(tmp_path / "root")
    (root / "changes" / "9.9").mkdir()
    (root / "changes" / "9.9" / "lost.highlights.md").write_text("Text.\n")
    code, stdout, _ = export(root, tmp_path / "out")
    assert (1, False) == (code, (tmp_path / "out").exists())
    assert "changes/9.9" in stdout


def test_export_interrupted_midway_keeps_previous_files(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A writer failing half-way through a file leaves the previous export whole."""
    root = export_root(tmp_path / "root")
    out = tmp_path / "out"
    export(root, out)
    before = contents(out)
    path = root / "builds" / "7.2.yaml"
    path.write_text(path.read_text().replace("note: null", 'note: "Changed"'))
    real = atomic._write_temp

    def failing(temp: Path, data: bytes) -> None:
        if temp.name == "issues.csv":  # some files are already written by now
            real(temp, data[: len(data) // 2])
            raise OSError(28, "No space left on device")
        real(temp, data)

    monkeypatch.setattr(atomic, "_write_temp", failing)
    code, _, stderr = export(root, out)
    assert 1 == code
    assert "previous files left as they were" in stderr
    assert before == contents(out)


def test_default_out_is_dist_in_the_data_root(tmp_path: Path) -> None:
    """Without --out, the files go to dist/ in the data root, wherever the command runs."""
    root = export_root(tmp_path / "root")
    result = CliRunner().invoke(cli, ["--root", str(root), "export"])
    assert 0 == result.exit_code
    assert FILES == sorted(p.name for p in (root / "dist").iterdir())


def test_script_entry_point_exports(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """scripts/export.py is the same command: it takes --out and writes the files."""
    root = export_root(tmp_path / "root")
    out = tmp_path / "out"
    monkeypatch.chdir(root)
    monkeypatch.setattr(sys, "argv", ["export.py", "--out", str(out)])
    with pytest.raises(SystemExit) as exit_info:
        runpy.run_path(str(REPO / "scripts" / "export.py"), run_name="__main__")
    assert 0 == exit_info.value.code
    assert FILES == sorted(p.name for p in out.iterdir())


@pytest.mark.parametrize("case", INVALID, ids=[p.name for p in INVALID])
def test_precheck_agrees_with_validate(case: Path, tmp_path: Path) -> None:
    """The export's single-load check finds problems exactly when validate does."""
    root = make_root(tmp_path / "root", case)
    assert bool(validate_run(root)) == has_problems(load(root))


def _validator() -> Draft202012Validator:
    schema = json.loads((SCHEMA / "export.schema.json").read_text(encoding="utf-8"))
    Draft202012Validator.check_schema(schema)
    return Draft202012Validator(schema, format_checker=FormatChecker())


@pytest.mark.parametrize("name", ["builds.json", "issues.json"])
@pytest.mark.parametrize("which", ["fixture", "real"])
def test_json_export_passes_the_export_schema(
    name: str, which: str, fixture_out: Path, real_out: Path
) -> None:
    """builds.json and issues.json validate against schema/export.schema.json."""
    folder = fixture_out if which == "fixture" else real_out
    document = json.loads((folder / name).read_text(encoding="utf-8"))
    assert [] == [e.message for e in _validator().iter_errors(document)]


def test_export_schema_rejects_a_wrong_document() -> None:
    """The schema is strict: an unknown key or another major version is an error."""
    good: dict[str, Any] = {"schema_version": "2.1.0", "commit": None, "commit_date": None, "sources": [],
            "builds": []}  # fmt: skip
    validator = _validator()
    expected = (0, 1, 1, 1)
    actual = tuple(
        len(list(validator.iter_errors(doc)))
        for doc in (
            good,
            {**good, "extra": 1},
            {**good, "schema_version": "1.0.0"},
            {**good, "schema_version": "3.0.0"},
        )
    )
    assert expected == actual


def _local(node: Any) -> Any:
    """A schema fragment with references into common.schema.json made local (#/$defs/...)."""
    if isinstance(node, dict):
        return {
            k: v.replace("common.schema.json#", "#") if k == "$ref" else _local(v)
            for k, v in node.items()
        }
    if isinstance(node, list):
        return [_local(v) for v in node]
    return node


def _schema(name: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((SCHEMA / name).read_text(encoding="utf-8"))
    return data


@pytest.mark.parametrize(
    ("other", "names"),
    [
        ("common.schema.json", ["date", "build_id", "dms_version", "jwst_version", "crds_context",
                                "crds_context_or_null", "sdp_version", "source_id", "sources",
                                "conflict", "conflicts"]),
        ("issue.schema.json", ["issue_id", "issue_id_or_null", "build_id_or_null",
                               "jwst_version_or_null", "instrument", "exp_type", "step",
                               "date_or_month_or_null", "mode_group", "mode_group_members",
                               "changelog_entry", "mitigation", "evidence"]),
    ],
)  # fmt: skip
def test_export_schema_copies_shared_definitions_exactly(other: str, names: list[str]) -> None:
    """The self-contained export schema's copies of shared types equal their originals
    (references into common.schema.json made local)."""
    mine = _schema("export.schema.json")["$defs"]
    theirs = _schema(other)["$defs"]
    assert {n: _local(theirs[n]) for n in names} == {n: mine[n] for n in names}


def test_export_schema_issue_is_the_issue_schema_plus_computed_keys() -> None:
    """Each issue field of issues.json is described as issue.schema.json describes it (notes
    may be null, as the export fills it in); two computed keys come on top; all are required."""
    mine = _schema("export.schema.json")["$defs"]["issue"]
    theirs = _schema("issue.schema.json")
    fields = [n for n in theirs["properties"] if n != "notes"]
    expected = (
        {n: _local(theirs["properties"][n]) for n in fields},
        ["string", "null"],
        set(theirs["properties"]) | {"affected_builds", "data_issue"},
        False,
    )
    actual = (
        {n: mine["properties"][n] for n in fields},
        mine["properties"]["notes"]["type"],
        set(mine["required"]),
        mine["additionalProperties"],
    )
    assert expected == actual
    assert set(mine["properties"]) == set(mine["required"])


def test_export_schema_source_kinds_follow_the_sources_schema() -> None:
    """A source of the envelope may have every kind that sources.yaml allows, and no other."""
    mine = _schema("export.schema.json")["$defs"]["source"]["properties"]["kind"]["enum"]
    theirs = _schema("sources.schema.json")["properties"]["sources"]["items"]["properties"]
    assert theirs["kind"]["enum"] == mine


def _optional(schema: dict[str, Any]) -> set[str]:
    return set(schema["properties"]) - set(schema["required"])


def test_json_defaults_cover_every_optional_field() -> None:
    """Each optional field of builds, releases and issues is always present in the JSON."""
    build = json.loads((SCHEMA / "build.schema.json").read_text(encoding="utf-8"))
    issue = json.loads((SCHEMA / "issue.schema.json").read_text(encoding="utf-8"))
    expected = (
        _optional(build),
        _optional(build["$defs"]["release"]),
        _optional(issue),
    )
    actual = (
        set(jsonout.BUILD_DEFAULTS),
        set(jsonout.RELEASE_DEFAULTS),
        set(jsonout.ISSUE_DEFAULTS),
    )
    assert expected == actual


@pytest.mark.parametrize("which", ["fixture", "real"])
def test_data_package_passes_frictionless(which: str, fixture_out: Path, real_out: Path) -> None:
    """frictionless validates datapackage.json: types, keys, foreign keys, hashes."""
    frictionless = pytest.importorskip("frictionless")
    folder = fixture_out if which == "fixture" else real_out
    report = frictionless.validate(str(folder / "datapackage.json"))
    errors = [f"{t.name}: {e.message}" for t in report.tasks for e in t.errors]
    assert ([], True) == (errors + [e.message for e in report.errors], report.valid)


def test_data_package_catches_a_broken_foreign_key(fixture_out: Path) -> None:
    """The foreign keys are live: a release naming an unknown build fails validation."""
    frictionless = pytest.importorskip("frictionless")
    path = fixture_out / "releases.csv"
    path.write_text(path.read_text().replace("0.3.0,7.2,", "0.3.0,9.9,"))
    package = json.loads((fixture_out / "datapackage.json").read_text())
    for resource in package["resources"]:  # the edit changes the file's hash and size
        resource.pop("hash")
        resource.pop("bytes")
    (fixture_out / "datapackage.json").write_text(json.dumps(package))
    report = frictionless.validate(str(fixture_out / "datapackage.json"))
    assert ["foreign-key"] == sorted({e.type for t in report.tasks for e in t.errors})


@pytest.mark.parametrize("spec", [RELEASES, BUILDS, ISSUES], ids=lambda s: s.name)
def test_csv_header_is_the_documented_columns(spec: TableSpec, real_out: Path) -> None:
    """Each CSV's header row is its column list, and docs/exports.md documents every column."""
    with open(real_out / spec.filename, newline="", encoding="utf-8") as fh:
        header = next(csv.reader(fh))
    docs = (REPO / "docs" / "exports.md").read_text(encoding="utf-8")
    undocumented = [n for n in spec.names if f"`{n}`" not in docs]
    assert (spec.names, []) == (header, undocumented)


def test_formula_like_cells_stay_verbatim(fixture_out: Path) -> None:
    """Notes that start with = - @ + are exported unchanged (the documented policy)."""
    with open(fixture_out / "releases.csv", newline="", encoding="utf-8") as fh:
        notes = {row["jwst_version"]: row["note"] for row in csv.DictReader(fh)}
    expected = ("=1+1 looks like a formula", "-not a formula, @not a mention, +not a sum")
    assert expected == (notes["0.0.9"], notes["0.1.2"])


def _cells(line: str) -> int:
    """Number of cells in a Markdown table line: pipes not escaped by a backslash."""
    return len(re.findall(r"(?<!\\)\|", line)) - 1


@pytest.mark.parametrize("name", ["builds.md", "releases.md", "issues.md"])
@pytest.mark.parametrize("which", ["fixture", "real"])
def test_markdown_tables_are_rectangular(
    name: str, which: str, fixture_out: Path, real_out: Path
) -> None:
    """Every row of every Markdown table has as many cells as its header."""
    folder = fixture_out if which == "fixture" else real_out
    ragged = []
    width = 0
    for line in (folder / name).read_text(encoding="utf-8").splitlines():
        if not line.startswith("|"):
            width = 0
        elif width == 0:
            width = _cells(line)
        elif _cells(line) != width:
            ragged.append(line)
    assert [] == ragged


def test_real_export_holds_every_record(real_out: Path) -> None:
    """Every build, release, known issue and change fragment of the data is in the exports."""
    ds = load(REPO)
    builds = json.loads((real_out / "builds.json").read_text(encoding="utf-8"))["builds"]
    issues = json.loads((real_out / "issues.json").read_text(encoding="utf-8"))["issues"]
    with open(real_out / "releases.csv", newline="", encoding="utf-8") as fh:
        csv_tags = [row["jwst_version"] for row in csv.DictReader(fh)]
    expected = (
        sorted(ds.builds),
        sorted(rel["jwst_version"] for _, rel in ds.releases()),
        sorted(ds.issues),
        sorted((f.build, f.category, f.name) for f in load_fragments(REPO)),
    )
    actual = (
        sorted(b["id"] for b in builds),
        sorted(csv_tags),
        sorted(i["id"] for i in issues),
        sorted((b["id"], c["category"], c["name"]) for b in builds for c in b["changes"]),
    )
    assert expected == actual


def test_real_export_records_the_data_commit(real_out: Path) -> None:
    """The JSON envelope names the commit of the data and its date, not the wall clock."""
    document = json.loads((real_out / "builds.json").read_text(encoding="utf-8"))
    in_git = (REPO / ".git").exists()
    assert (in_git, in_git) == (document["commit"] is not None, document["commit_date"] is not None)


def test_fixture_export_outside_git_has_null_commit(fixture_out: Path) -> None:
    """A data root outside git exports null commit fields (and no commit line in Markdown)."""
    document = json.loads((fixture_out / "issues.json").read_text(encoding="utf-8"))
    assert (None, None) == (document["commit"], document["commit_date"])


def test_csv_reads_back_like_the_json(real_out: Path) -> None:
    """releases.csv and builds.json carry the same values for every release."""
    builds = json.loads((real_out / "builds.json").read_text(encoding="utf-8"))["builds"]
    from_json = {
        r["jwst_version"]: (b["id"], r["dms_label"] or "", r["crds_context"] or "", r["note"] or "")
        for b in builds
        for r in b["releases"]
    }
    text = (real_out / "releases.csv").read_text(encoding="utf-8")
    from_csv = {
        row["jwst_version"]: (row["build"], row["dms_build"], row["crds_context"], row["note"])
        for row in csv.DictReader(io.StringIO(text, newline=""))
    }
    assert from_json == from_csv


def test_export_help_describes_the_command() -> None:
    """`jwst-builds export --help` explains the command and its --out option."""
    result = CliRunner().invoke(cli, ["export", "--help"])
    assert (0, True, True) == (
        result.exit_code,
        "--out" in result.stdout,
        "datapackage" in result.stdout,
    )


def docs_table(spec: TableSpec) -> str:
    """The column table of one CSV file as docs/exports.md shows it."""
    lines = ["| Column | Type | Required | Meaning |", "|---|---|---|---|"]
    for c in spec.columns:
        meaning = c.description
        if c.enum:
            meaning += " One of " + ", ".join(f"`{v}`" for v in c.enum) + "."
        kind = "list" if c.is_list else c.type
        lines.append(f"| `{c.name}` | {kind} | {'yes' if c.required else ''} | {meaning} |")
    return "\n".join(lines) + "\n"


@pytest.mark.parametrize("spec", [RELEASES, BUILDS, ISSUES], ids=lambda s: s.name)
def test_docs_show_each_column_table(spec: TableSpec) -> None:
    """docs/exports.md holds each CSV's column table exactly as the column definitions say."""
    docs = (REPO / "docs" / "exports.md").read_text(encoding="utf-8")
    assert docs_table(spec) in docs, f"paste into docs/exports.md:\n{docs_table(spec)}"


def _csv_rows(path: Path) -> dict[str, dict[str, str]]:
    with open(path, newline="", encoding="utf-8") as fh:
        return {row["id"]: row for row in csv.DictReader(fh)}


def test_issue_columns_carry_scope_range_and_fix(fixture_out: Path) -> None:
    """issues.csv of the fixture: mode groups expanded into EXP_TYPEs (members of other
    instruments left out), each end of the software range, change-log entries, what a fix
    needs, the remedies and the earliest default among them."""
    row = _csv_rows(fixture_out / "issues.csv")["flat-field-stripes"]
    names = ["exp_types", "subarray", "introduced_release", "documented_from_release",
             "fixed_build", "fixed_release", "fixed_changelog", "context_fixed", "fix_needs",
             "mitigations", "default_mitigation_from", "data_issue"]  # fmt: skip
    expected = {
        "exp_types": "MIR_4QPM;MIR_CORONCAL;MIR_IMAGE;MIR_LYOT;NRC_CORON;NRC_IMAGE",
        "subarray": "full",
        "introduced_release": "0.1.0",
        "documented_from_release": "0.1.1",
        "fixed_build": "7.2",
        "fixed_release": "0.3.0",
        "fixed_changelog": "0.3.0#1234;0.3.0#1240",
        "context_fixed": "jwst_0130.pmap",
        "fix_needs": "both",
        "mitigations": "step:clean_flicker_noise;reference-files;parameter:flatfield",
        # 0.2.0 (build 7.1) comes before build 7.2, although it is listed later
        "default_mitigation_from": "0.2.0",
        "data_issue": "true",
    }
    assert expected == {n: row[n] for n in names}


def test_issue_columns_of_a_range_without_fix(fixture_out: Path) -> None:
    """An installation caveat with an unknown start and a last affected build: no introduced
    point, no fix, not a data issue, and the builds from documented_from to last_affected."""
    row = _csv_rows(fixture_out / "issues.csv")["gwcs-pin-needed"]
    names = ["introduced_build", "documented_from_build", "last_affected_build",
             "fixed_build", "fix_needs", "data_issue", "affected_builds"]  # fmt: skip
    expected = ["", "7.0", "7.1", "", "", "false", "7.0;7.1"]
    assert expected == [row[n] for n in names]


def test_builds_json_lists_known_and_fixed_issues(fixture_out: Path) -> None:
    """builds.json: known issues per build, and the issue whose software fix came with 7.2
    (a withdrawn record is in neither list)."""
    builds = json.loads((fixture_out / "builds.json").read_text(encoding="utf-8"))["builds"]
    actual = {
        b["id"]: ([i["id"] for i in b["known_issues"]], [i["id"] for i in b["fixed_issues"]])
        for b in builds
    }
    expected = {
        "6.9": ([], []),
        "7.0": (["flat-field-stripes", "gwcs-pin-needed"], []),
        "7.1": (["flat-field-stripes", "gwcs-pin-needed"], []),
        "7.2": ([], ["flat-field-stripes"]),
    }
    assert expected == actual


def test_data_package_links_range_columns_to_builds(fixture_out: Path) -> None:
    """Every build column of issues.csv is a foreign key into builds.csv."""
    package = json.loads((fixture_out / "datapackage.json").read_text(encoding="utf-8"))
    issues = next(r for r in package["resources"] if r["name"] == "issues")
    keys = [(k["fields"], k["reference"]) for k in issues["schema"]["foreignKeys"]]
    expected = [
        ([name], {"resource": "builds", "fields": ["id"]})
        for name in ("introduced_build", "documented_from_build", "last_affected_build",
                     "fixed_build", "documented_until_build")
    ]  # fmt: skip
    assert (expected, "2.1.0") == (keys, package["schema_version"])


def _point_cells(point: dict[str, Any] | None) -> tuple[str, str]:
    if point is None:
        return "", ""
    return point["build"], point["release"] or ""


@pytest.mark.parametrize("which", ["fixture", "real"])
def test_issue_csv_agrees_with_issue_json(which: str, fixture_out: Path, real_out: Path) -> None:
    """issues.csv and issues.json carry the same range, fix, scope and computed values."""
    folder = fixture_out if which == "fixture" else real_out
    issues = json.loads((folder / "issues.json").read_text(encoding="utf-8"))["issues"]
    from_json = {}
    for i in issues:
        sw, fix = i["software"], i["software"]["fixed"]
        from_json[i["id"]] = (
            _point_cells(sw["introduced"]),
            _point_cells(sw["documented_from"]),
            _point_cells(sw["last_affected"]),
            _point_cells(fix),
            ";".join(f"{c['version']}#{c['pr']}" for c in fix["changelog"]) if fix else "",
            i["reference_files"]["fixed"] or "",
            ";".join(i["scope"]["instruments"]),
            "true" if i["data_issue"] else "false",
            ";".join(i["affected_builds"]),
            len(i["mitigations"]),
        )
    from_csv = {
        key: (
            (row["introduced_build"], row["introduced_release"]),
            (row["documented_from_build"], row["documented_from_release"]),
            (row["last_affected_build"], row["last_affected_release"]),
            (row["fixed_build"], row["fixed_release"]),
            row["fixed_changelog"],
            row["context_fixed"],
            row["instruments"],
            row["data_issue"],
            row["affected_builds"],
            len(row["mitigations"].split(";")) if row["mitigations"] else 0,
        )
        for key, row in _csv_rows(folder / "issues.csv").items()
    }
    assert from_json == from_csv


def test_real_json_data_issue_follows_impact(real_out: Path) -> None:
    """data_issue is true exactly for data-quality and processing-failure issues."""
    issues = json.loads((real_out / "issues.json").read_text(encoding="utf-8"))["issues"]
    wrong = [
        i["id"]
        for i in issues
        if i["data_issue"] != (i["impact"] in ("data-quality", "processing-failure"))
    ]
    assert ([], True) == (wrong, len(issues) > 0)
