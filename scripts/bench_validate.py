"""Benchmark: `jwst-builds validate` next to check-jsonschema on the same files.

Builds synthetic data trees of 100, 1,000 and 10,000 valid build files (plus the
real data), runs each tool as a whole process a few times, and prints the best
wall time, whole-process and per file. Not a test: numbers vary by machine.

check-jsonschema gets the same schema, bundled into one file (our schemas $ref
each other by https $id, which it would try to download).

    python scripts/bench_validate.py [--sizes 100,1000,10000] [--repeat 3]
"""

from __future__ import annotations

import argparse
import copy
import json
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import ruamel.yaml

REPO = Path(__file__).resolve().parent.parent
TEMPLATE = "10.0"  # a typical build: candidates, final, dependency pin, patch
ISSUE_TEMPLATE = "coron3-incorrect-area-extensions"  # fixed, with a change-log citation


def bundled_schema(dest: Path) -> Path:
    """One self-contained schema equal to build.schema.json with common.schema.json inlined."""
    build = json.loads((REPO / "schema" / "build.schema.json").read_text())
    common = json.loads((REPO / "schema" / "common.schema.json").read_text())
    text = json.dumps(build).replace('"common.schema.json#/$defs/', '"#/$defs/common_')
    text = text.replace('"#/$defs/', '"#/$defs/').replace(
        '"$ref": "#/$defs/source_id"', '"$ref": "#/$defs/common_source_id"'
    )
    schema = json.loads(text)
    for name, sub in common["$defs"].items():
        sub_text = json.dumps(sub).replace('"#/$defs/', '"#/$defs/common_')
        schema["$defs"][f"common_{name}"] = json.loads(sub_text)
    schema.pop("$id", None)
    out = dest / "build.bundled.schema.json"
    out.write_text(json.dumps(schema, indent=1))
    return out


def synthetic_tree(dest: Path, n: int, issues: int = 0) -> Path:
    """A valid data root with n build files modelled on a real one, all ids and tags distinct,
    and ``issues`` issue records that each name a release of one build and a fix in the next.

    Build ids are 100.0, 100.1, ... 100.99, 101.0, ...: id parts have at most four digits, so
    one part per build would stop being valid after 9,900 builds.
    """
    shutil.copytree(REPO / "schema", dest / "schema")
    shutil.copy(REPO / "sources.yaml", dest / "sources.yaml")
    (dest / "builds").mkdir()
    yaml = ruamel.yaml.YAML()
    yaml.width = 4096
    template = yaml.load((REPO / "builds" / f"{TEMPLATE}.yaml").read_text())
    for i in range(n):
        rec = copy.deepcopy(template)
        bid = _build_id(i)
        rec["id"] = bid
        rec["status"] = "operations" if i == n - 1 else "archived"
        rec["context_policy"] = "fixed"
        for rel in rec["releases"]:
            rel["jwst_version"] = f"{bid}.{rel['jwst_version'].rsplit('.', 1)[1]}"
            if rel["dms_version"]:
                rel["dms_version"] = bid + rel["dms_version"][len(TEMPLATE) :]
                rc = f"rc{rel['candidate']}" if "candidate" in rel else ""
                rel["dms_label"] = f"B{rel['dms_version']}{rc}"
        for key in ("candidate_released", "operations_installed"):
            rec[key] = f"{2000 + i // 365:04d}-{1 + (i // 28) % 12:02d}-{1 + i % 28:02d}"
        for rel in rec["releases"]:
            rel["released"], rel["ops_install"] = rec["candidate_released"], None
        rec["releases"][-1]["ops_install"] = rec["operations_installed"]
        with (dest / "builds" / f"{bid}.yaml").open("w") as fh:
            yaml.dump(rec, fh)
    if issues:
        _synthetic_issues(dest, n, issues, yaml)
    return dest


def _build_id(i: int) -> str:
    return f"{100 + i // 100}.{i % 100}"


def _synthetic_issues(dest: Path, n: int, count: int, yaml: ruamel.yaml.YAML) -> None:
    (dest / "issues").mkdir()
    template = yaml.load((REPO / "issues" / f"{ISSUE_TEMPLATE}.yaml").read_text())
    for j in range(count):
        rec = copy.deepcopy(template)
        rec["id"] = f"synthetic-{j}"
        first, fix = _build_id(j % (n - 1)), _build_id(j % (n - 1) + 1)
        software = rec["software"]
        software["documented_from"]["build"] = first
        software["documented_from"]["release"] = f"{first}.5"
        software["fixed"]["build"] = fix
        software["fixed"]["release"] = f"{fix}.0"
        software["fixed"]["changelog"][0]["version"] = f"{fix}.0"
        with (dest / "issues" / f"synthetic-{j}.yaml").open("w") as fh:
            yaml.dump(rec, fh)


def best_time(cmd: list[str], repeat: int, ok: tuple[int, ...] = (0,)) -> float:
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        proc = subprocess.run(cmd, capture_output=True, text=True)
        elapsed = time.perf_counter() - start
        if proc.returncode not in ok:
            sys.exit(
                f"{' '.join(cmd[:4])} ... failed ({proc.returncode}):\n{proc.stdout[-2000:]}{proc.stderr[-2000:]}"
            )
        best = min(best, elapsed)
    return best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="100,1000,10000")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument(
        "--peer",
        help="check-jsonschema as users install it (own venv, ruamel without its C loader)",
    )
    args = parser.parse_args()
    ours = shutil.which("jwst-builds")
    peer_c = shutil.which("check-jsonschema")  # beside us: ruamel.yaml.clib installed
    if not ours or not peer_c:
        sys.exit("needs jwst-builds and check-jsonschema on PATH (nox -s bench installs both)")
    peers = [("check-jsonschema +clib", peer_c)]
    if args.peer:
        peers.insert(0, ("check-jsonschema", args.peer))
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        schema = bundled_schema(Path(tmp))
        trees = [("real data", REPO)] + [
            (f"synthetic {n:,}", synthetic_tree(Path(tmp) / f"t{n}", n))
            for n in (int(s) for s in args.sizes.split(","))
        ]
        for label, root in trees:
            files = sorted(str(p) for p in (root / "builds").glob("*.yaml"))
            times = [best_time([ours, "--root", str(root), "validate"], args.repeat)]
            times += [
                best_time([exe, "--schemafile", str(schema), *files], args.repeat)
                for _, exe in peers
            ]
            rows.append((label, len(files), times))
    names = ["jwst-builds"] + [name for name, _ in peers]
    print("whole process, seconds (best of", args.repeat, "runs), and milliseconds per file")
    print(
        f"{'tree':<16}{'files':>7}"
        + "".join(f"{n:>26}" for n in names)
        + "".join(f"{'vs ' + n:>28}" for n in names[1:])
    )
    for label, n, times in rows:
        cells = "".join(f"{t:>9.2f} s {1000 * t / n:>8.2f} ms/f" for t in times)
        ratios = "".join(f"{t / times[0]:>27.1f}x" for t in times[1:])
        print(f"{label:<16}{n:>7}{cells}{ratios}")
    print("jwst-builds also runs its cross-file checks; 'x' = how many times faster jwst-builds is")


if __name__ == "__main__":
    main()
