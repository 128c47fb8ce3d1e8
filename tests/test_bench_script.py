"""scripts/bench_validate.py: what decides its verdicts, and the data it times.

Nothing here times anything: the figures are made up, and only behaviour is checked.
"""

from __future__ import annotations

import importlib.util
import json
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import jsonschema
import pytest
import ruamel.yaml

REPO = Path(__file__).resolve().parent.parent


def _load() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "bench_validate", REPO / "scripts" / "bench_validate.py"
    )
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


bench = _load()
benchlib = sys.modules["benchlib"]  # imported by the script from beside it


def _timing(*cpu_wall_peak: tuple[float, float, float]):
    return benchlib.Timing([benchlib.Sample(*s) for s in cpu_wall_peak])


def test_medians_not_best_or_mean() -> None:
    t = _timing((0.5, 1.0, 30), (0.1, 9.0, 40), (0.3, 0.2, 35), (9.0, 0.4, 20), (0.2, 0.3, 10))
    assert 0.3 == t.cpu
    assert 0.4 == t.wall
    assert 40 == t.peak_mib  # memory: the worst run, not a median
    assert [0.5, 0.1, 0.3, 9.0, 0.2] == t.as_json()["cpu_s_each"]


def test_a_failed_run_stops_with_its_output() -> None:
    cmd = [sys.executable, "-c", "import sys; print('broken tree'); sys.exit(3)"]
    with pytest.raises(benchlib.RunFailed, match=r"(?s)exited 3.*broken tree"):
        benchlib.run_once(cmd)
    sample = benchlib.run_once(cmd, ok=(3,))  # a documented status is accepted
    assert sample.cpu > 0 and sample.wall > 0 and sample.peak_mib > 0


@pytest.mark.parametrize(
    ("value", "strict", "verdict"),
    [
        (0.35, False, "holds"),  # "at most" includes the limit
        (0.351, False, "misses"),
        (0.35, True, "misses"),  # "under" does not
        (0.2, True, "holds"),
        (None, False, "not measured"),
    ],
)
def test_verdict(value: float | None, strict: bool, verdict: str) -> None:
    target = benchlib.Target("t", 0.35, value, "x", strict=strict)
    assert verdict == target.verdict
    assert target.line().startswith(verdict)


def test_targets_from_figures() -> None:
    figures = {
        "real/ours": 0.2,
        "real/peer-c": 1.0,  # 0.2x: holds
        "10000/ours": 3.0,
        "10000/peer-c": 10.0,  # 0.3x: misses 0.25x
        "changed": 1.5,  # at most 1.5 s: holds
        "real/warm": 0.2,  # misses 0.12 s
        "10000/ours-ms": 0.30,
        "big/ours-ms": 0.375,  # 1.25x the 10,000-file figure: misses 1.2x
        "big/peak": 300.0,  # not under 300 MiB: misses
    }
    goals = benchlib.targets(figures, 50000, {"affects": "why not"})
    got = [(g.verdict, g.note) for g in goals]
    assert [
        ("holds", ""),
        ("misses", ""),
        ("holds", ""),
        ("misses", ""),
        ("misses", ""),
        ("misses", ""),
        ("not measured", "why not"),
    ] == got
    assert pytest.approx(0.2) == goals[0].value
    assert pytest.approx(1.25) == goals[4].value
    assert "50,000 files" in goals[5].text


def test_the_real_data_target_quotes_the_floor() -> None:
    figures = {"real/ours": 0.5, "real/peer-c": 1.0, "real/floor": 0.3}
    real = benchlib.targets(figures, 50000, {})[0]
    assert ("misses", "the floor alone is 0.30x") == (real.verdict, real.note)
    assert real.line().endswith("(the floor alone is 0.30x)")
    assert "" == benchlib.targets({"real/ours": 0.5, "real/peer-c": 1.0}, 50000, {})[0].note


def test_the_floor_reads_every_record_file(tmp_path: Path) -> None:
    """FLOOR parses each YAML file of builds/ and issues/ in full: a broken one stops it."""
    for sub, text in (("builds", "a: 1\n"), ("issues", "b: [1, 2]\n")):
        (tmp_path / sub).mkdir()
        (tmp_path / sub / "x.yaml").write_text(text)
    run = [sys.executable, "-c", bench.FLOOR, str(tmp_path)]
    assert 0 == subprocess.run(run, capture_output=True).returncode
    (tmp_path / "issues" / "y.yaml").write_text("c: [1\n")
    failed = subprocess.run(run, capture_output=True, text=True)
    assert 1 == failed.returncode and "while parsing" in failed.stderr


def test_ratios_only_against_peers() -> None:
    rows = [
        benchlib.Row("c", 10, "ours, one process", _timing((1.0, 1.0, 1))),
        benchlib.Row("c", 10, "ours, parallel", _timing((2.0, 0.6, 1)), note="parallel"),
        benchlib.Row("c", 10, "peer", _timing((4.0, 4.0, 1)), ratio=0.25),
    ]
    lines = benchlib.table(rows).splitlines()[2:]
    assert [False, False, True] == [line.rstrip().endswith("0.25x") for line in lines]
    assert "100.00" in lines[0]  # ms of CPU per file


def test_fast_files_are_what_ruamel_writes() -> None:
    yaml = bench._yaml()
    model = yaml.load((REPO / "builds" / f"{bench.TEMPLATE}.yaml").read_text())
    text = bench._dump(yaml, bench._record(model, *bench._PLACEHOLDER, "archived"))
    for i in (0, 9, 10, 999, 1000, 1001, 49999):
        assert bench._dump(yaml, bench._build(model, i, 50001)) == bench._fast_text(text, i)


def test_synthetic_tree_passes_the_bundled_schema(tmp_path: Path) -> None:
    root = bench.synthetic_tree(tmp_path / "tree", 3)
    schema = json.loads(bench.bundled_schema(tmp_path).read_text())
    validator = jsonschema.Draft202012Validator(
        schema, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER
    )
    yaml = ruamel.yaml.YAML(typ="safe")
    records = [yaml.load(p.read_text()) for p in sorted((root / "builds").glob("*.yaml"))]
    for rec in records:
        validator.validate(rec)
    assert ["100.0", "100.1", "100.2"] == [r["id"] for r in records]
    assert ["archived", "archived", "operations"] == [r["status"] for r in records]
    tags = [rel["jwst_version"] for r in records for rel in r["releases"]]
    assert len(set(tags)) == len(tags)


def test_synthetic_tree_validates(tmp_path: Path) -> None:
    cli = [sys.executable, "-m", "jwst_builds"]
    usage = subprocess.run([*cli, "validate", "--help"], capture_output=True, text=True)
    if "--no-cache" not in usage.stdout or "--jobs" not in usage.stdout:
        pytest.skip("this jwst-builds has no `validate --no-cache --jobs` yet")
    root = bench.synthetic_tree(tmp_path / "tree", 3)
    proc = subprocess.run(
        [*cli, "--root", str(root), "validate", "--no-cache", "--jobs", "1"],
        capture_output=True,
        text=True,
    )
    assert 0 == proc.returncode, proc.stdout + proc.stderr
    assert not (root / ".jwst-builds-cache").exists()  # --no-cache writes nothing
