"""Replay the README's history: from the table (and our data) as they stood on an older
date, `sync` against today's README must report every change made after that date, and
`--write` must leave data that validates, in canonical form, with nothing deleted.

The old table and the expected changes come from the reference CSV files alone
(tests/replay.py); the old data is today's builds/ rewound to that table.
"""

from __future__ import annotations

import json
import shutil
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from ruamel.yaml import YAML

from jwst_builds import fmt
from jwst_builds import validate as validate_mod
from jwst_builds.cli import cli
from jwst_builds.dataset import Dataset, Record
from jwst_builds.scaffold import commented
from jwst_builds.sync.compare import compare
from jwst_builds.sync.upstream import parse_readme

from . import replay
from .conftest import REPO

pytestmark = pytest.mark.skipif(
    not replay.available(), reason=f"the reference copies are not here ({replay.REFERENCE})"
)
DAYS = replay.history_days() if replay.available() else ()
#: days the issue names (1.14.0 at 1215, 1.20.0 labelled B12.0.3, 2.0.0 at 1533, TBD cells),
#: and every twelfth day of the history
WRITE_DAYS = sorted({"2023-04-03", "2024-03-25", "2025-09-23", "2026-04-13", *DAYS[::12]})
SCHEMA = "build.schema.json"
DRIFT_OF_A_CHANGE = ("differs", "empty", "emptied")


@cache
def today() -> dict[str, dict[str, Any]]:
    yaml = YAML(typ="safe")
    return {p.stem: yaml.load(p) for p in sorted((REPO / "builds").glob("*.yaml"))}


def _dataset(day: str) -> Dataset:
    builds = replay.rewind(today(), day)
    ds = Dataset(root=REPO)
    ds.builds = {bid: Record("build", f"builds/{bid}.yaml", data) for bid, data in builds.items()}
    return ds


@pytest.mark.parametrize("day", DAYS)
def test_every_later_change_is_reported(day: str) -> None:
    """Tags added and values changed after the day, each once, with the old and new values."""
    table = parse_readme(replay.README.read_text(encoding="utf-8"), "README")
    found = compare(_dataset(day), table, None).findings
    drift = [f for f in found if f.drift]
    added, changed = replay.changes_after(day)
    assert sorted(added) == sorted(f.tag for f in drift if f.kind == "missing")
    assert changed == {
        (f.tag, f.field): (f.ours, f.upstream) for f in drift if f.kind in DRIFT_OF_A_CHANGE
    }
    assert [] == [f.text() for f in drift if f.kind not in ("missing", *DRIFT_OF_A_CHANGE)]


def test_the_replay_covers_what_the_issue_names() -> None:
    """1.14.0 went 1215 -> 1238 -> 1240, 2.0.0 went 1533 -> 1535, B10.2rc1 became B10.2.1."""
    assert ("jwst_1215.pmap", "jwst_1240.pmap") == replay.changes_after("2024-03-25")[1][
        ("1.14.0", "crds_context")
    ]
    assert ("jwst_1238.pmap", "jwst_1240.pmap") == replay.changes_after("2024-06-12")[1][
        ("1.14.0", "crds_context")
    ]
    assert ("B10.2rc1", "B10.2.1") == replay.changes_after("2024-03-25")[1][("1.14.0", "dms_label")]
    assert ("jwst_1533.pmap", "jwst_1535.pmap") == replay.changes_after("2026-04-13")[1][
        ("2.0.0", "crds_context")
    ]
    assert {"2.0.1", "3.0.0"} == replay.changes_after("2026-04-13")[0]


_RENDERED: dict[str, str] = {}


def _write_tree(root: Path, day: str) -> None:
    shutil.copytree(REPO / "schema", root / "schema")
    shutil.copy(REPO / "sources.yaml", root / "sources.yaml")
    (root / "builds").mkdir()
    schemas = fmt.load_schemas(REPO / "schema")
    mode = "# yaml-language-server: $schema=../schema/build.schema.json"
    for bid, data in replay.rewind(today(), day).items():
        key = json.dumps(data, sort_keys=True)
        if key not in _RENDERED:  # most builds look the same on many days
            doc = fmt.Document([], commented(data))
            _RENDERED[key] = fmt.render(doc, schemas, SCHEMA, mode, bid)
        (root / "builds" / f"{bid}.yaml").write_text(_RENDERED[key], encoding="utf-8")
    (root / "README.md").write_text(replay.markdown(replay.table_at(day)), encoding="utf-8")


def _kept(old: Any, new: Any, at: str = "", top: bool = True) -> list[str]:
    """Where ``new`` lost or changed something of ``old`` (empty fields may be filled,
    lists may grow, a build's status and empty dates follow its releases)."""
    if isinstance(old, dict):
        lost = [f"{at}.{k}" for k in old if k not in new]
        for k in old:
            if k in new and not (top and k == "status"):
                lost += _kept(old[k], new[k], f"{at}.{k}", False)
        return lost
    if isinstance(old, list):
        if len(new) < len(old):
            return [at]
        if old and isinstance(old[0], dict) and "jwst_version" in old[0]:
            by_tag = {r["jwst_version"]: r for r in new}
            return [
                x
                for r in old
                for x in _kept(
                    r, by_tag.get(r["jwst_version"], {}), f"{at}[{r['jwst_version']}]", False
                )
            ]
        return [x for i, o in enumerate(old) for x in _kept(o, new[i], f"{at}[{i}]", False)]
    return [] if old is None or old == new else [at]


@pytest.mark.parametrize("day", WRITE_DAYS)
def test_write_keeps_the_data_valid_and_everything_in_it(tmp_path: Path, day: str) -> None:
    """--write on the data of that day: validate and fmt --check clean, nothing lost, no drift left.

    Where the rebuilt table itself breaks a rule (a typo upstream fixed later, such as
    1.9.1 'Released 2022-01-03'), validate reports exactly what it reported before.
    """
    root = tmp_path / "root"
    _write_tree(root, day)
    before_problems = [p.text() for p in validate_mod.run(root)]
    yaml = YAML(typ="safe")
    before = {p.name: yaml.load(p) for p in (root / "builds").glob("*.yaml")}
    args = ["--root", str(root), "sync", "--readme", str(replay.README), "--no-changes"]
    result = CliRunner().invoke(cli, [*args, "--write"])
    assert (0 if not before_problems else 1) == result.exit_code, result.output
    assert before_problems == [p.text() for p in validate_mod.run(root)]
    check = CliRunner().invoke(cli, ["--root", str(root), "fmt", "--check"])
    assert 0 == check.exit_code, check.output
    after = {p.name: yaml.load(p) for p in (root / "builds").glob("*.yaml")}
    assert [] == [x for name, data in before.items() for x in _kept(data, after[name], name)]
    again = CliRunner().invoke(cli, args)
    assert 0 == again.exit_code, again.output
