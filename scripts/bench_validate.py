"""Benchmark: `jwst-builds validate` next to check-jsonschema on the same files.

Times whole processes (CPU = user + system of the process and its children, and wall
time; medians of --repeat runs) on the real data, on synthetic trees of valid build
files (--sizes, default 1,000 and 10,000) and once on a --big tree (default 50,000),
then prints each target of the issue with the measured value and whether it holds.
Not a test: numbers vary by machine, and CPU time varies less than wall time.

- cold: the cache folder is deleted before every run (so a cold run also writes it);
  warm: the cache is primed by one untimed run first.
- one process against one process: our figure in every ratio is `validate --jobs 1`;
  the default (a process pool on big trees) is a separate line, never in a ratio.
- check-jsonschema runs twice, with ruamel's pure-Python loader (as pip installs it
  with ruamel.yaml 0.19) and with its C loader; it validates only builds/*.yaml against
  the build schema bundled into one file (ours $ref each other by https $id, which it
  would try to download), while we validate the whole tree and the cross-file rules.

    python scripts/bench_validate.py [--sizes 1000,10000] [--big 50000] [--repeat 5]
        [--peer PATH] [--peer-c PATH] [--ours CMD] [--json PATH]
"""

from __future__ import annotations

import argparse
import copy
import datetime
import io
import json
import os
import platform
import re
import shlex
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import ruamel.yaml

sys.path.insert(0, str(Path(__file__).resolve().parent))  # benchlib, however we are loaded
import benchlib
from benchlib import Row, Timing

REPO = Path(__file__).resolve().parent.parent
TEMPLATE = "10.0"  # a typical build: candidates, final, dependency pin, patch
#: build ids are major.minor, at most four digits each (common.schema.json): 1,000 a major
_PER_MAJOR = 1000
#: id and date of the record dumped once as the text of every file; found nowhere in 10.0
_PLACEHOLDER = ("9876.5432", "1901-02-03")

#: The least any Python validator of these files must do: start, import a CLI layer, the
#: compiled validator and ruamel's C parser, and pull every YAML event of every record
#: file, building no data and checking nothing. Timed on the real data beside the peer,
#: it shows how much of the cold target is left for the work itself.
FLOOR = """
import os, sys
import click, jsonschema_rs
from _ruamel_yaml import CParser
root = sys.argv[1]
for sub in ("builds", "issues"):
    for name in sorted(os.listdir(os.path.join(root, sub))):
        with open(os.path.join(root, sub, name), "rb") as handle:
            parser = CParser(handle.read().decode())
        while parser.get_event() is not None:
            pass
"""


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


def _bid(i: int) -> str:
    return f"{100 + i // _PER_MAJOR}.{i % _PER_MAJOR}"


def _date(i: int) -> str:
    # a day apart and rising: the build installed last is the last one, the one in
    # operations, as the lifecycle rules want (50,000 days from 1900 end in 2036)
    return (datetime.date(1900, 1, 1) + datetime.timedelta(days=i)).isoformat()


def _yaml() -> ruamel.yaml.YAML:
    yaml = ruamel.yaml.YAML()
    yaml.width = 4096  # no folded lines, so a longer number cannot move a line break
    return yaml


def _record(model: Any, bid: str, date: str, status: str) -> Any:
    """Build ``bid`` made from the model build (10.0), every release on ``date``."""
    rec = copy.deepcopy(model)
    rec["id"] = bid
    rec["status"] = status
    rec["context_policy"] = "fixed"
    for rel in rec["releases"]:
        rel["jwst_version"] = f"{bid}." + rel["jwst_version"].rsplit(".", 1)[1]
        if rel["dms_version"]:
            rel["dms_version"] = bid + rel["dms_version"][len(TEMPLATE) :]
            rc = f"rc{rel['candidate']}" if "candidate" in rel else ""
            rel["dms_label"] = f"B{rel['dms_version']}{rc}"
    rec["candidate_released"] = rec["operations_installed"] = date
    for rel in rec["releases"]:
        rel["released"], rel["ops_install"] = date, None
    rec["releases"][-1]["ops_install"] = date
    return rec


def _build(model: Any, i: int, n: int) -> Any:
    """Build i of n: all archived but the last, which is in operations."""
    return _record(model, _bid(i), _date(i), "operations" if i == n - 1 else "archived")


def _fast_text(text: str, i: int) -> str:
    """The file of build i from the text of the placeholder record."""
    return text.replace(_PLACEHOLDER[0], _bid(i)).replace(_PLACEHOLDER[1], _date(i))


def _dump(yaml: ruamel.yaml.YAML, rec: Any) -> str:
    out = io.StringIO()
    yaml.dump(rec, out)
    return out.getvalue()


def synthetic_tree(dest: Path, n: int) -> Path:
    """A valid data root with n build files modelled on a real one, all ids and tags distinct."""
    shutil.copytree(REPO / "schema", dest / "schema")
    shutil.copy(REPO / "sources.yaml", dest / "sources.yaml")
    builds = dest / "builds"
    builds.mkdir()
    yaml = _yaml()
    model = yaml.load((REPO / "builds" / f"{TEMPLATE}.yaml").read_text())
    # Dumping each of 50,000 records with ruamel takes minutes; the files differ only in
    # the build id and one date, so dump one record and substitute those strings. Ids
    # and dates are quoted alike whatever their digits, so the text stays what ruamel
    # would write (tests/test_bench_script.py compares the two).
    text = _dump(yaml, _record(model, *_PLACEHOLDER, "archived"))
    for i in range(n - 1):
        (builds / f"{_bid(i)}.yaml").write_text(_fast_text(text, i))
    if n:  # the one build in operations differs in its status too: dumped in full
        (builds / f"{_bid(n - 1)}.yaml").write_text(_dump(yaml, _build(model, n - 1, n)))
    return dest


def _loader(exe: str) -> str:
    """Which YAML loader check-jsonschema at ``exe`` gets: "C" or "pure-Python"."""
    python = Path(exe).parent / "python"
    probe = "import ruamel.yaml; print(ruamel.yaml.YAML(typ='safe').Parser.__name__)"
    if not python.exists():
        return "unknown"
    out = subprocess.run([str(python), "-c", probe], capture_output=True, text=True).stdout
    return "C" if "CParser" in out else "pure-Python"


class Bench:
    """Runs the cases and collects table rows and the figures the targets are judged on."""

    def __init__(self, ours: list[str], peers: list[tuple[str, str, str]], schema: Path, tmp: Path):
        self.ours, self.peers, self.schema = ours, peers, schema  # peers: (role, label, exe)
        # Our cache goes to a folder of our own, so the real data's cache is not touched
        # and "cold" can delete it.
        self.tmp, self.cache = tmp, tmp / "cache"
        # Every tool may cache its bytecode, as after an install with pip (which compiles
        # it): with PYTHONDONTWRITEBYTECODE and a venv made by uv (which does not), each
        # run would compile its imports again, and the tools would pay unequally.
        self.peer_env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
        self.env = {**self.peer_env, "JWST_BUILDS_CACHE_DIR": str(self.cache)}
        self.rows: list[Row] = []
        self.figures: dict[str, float] = {}
        self.why_not: dict[str, str] = {}
        self.skipped: list[str] = []

    def _progress(self, what: str) -> None:
        print(f"  timing {what} ...", file=sys.stderr, flush=True)

    def validate(self, root: Path, *extra: str) -> list[str]:
        return [*self.ours, "--root", str(root), "validate", *extra]

    def cold(self, case: str, root: Path, files: int, repeat: int, jobs: bool) -> Timing:
        run = "jwst-builds validate --jobs 1" if jobs else "jwst-builds validate, default jobs"
        self._progress(f"{run} on {case}")
        cmd = self.validate(root, "--jobs", "1") if jobs else self.validate(root)
        timing = benchlib.measure(
            cmd, repeat, before=lambda _: shutil.rmtree(self.cache, True), env=self.env
        )
        note = "" if jobs else "parallel figure, in no ratio"
        self.rows.append(Row(case, files, run + ", cold", timing, note=note))
        return timing

    def warm(
        self, case: str, files: int, run: str, cmd: list[str], repeat: int, before: Any = None
    ) -> Timing:
        """``cmd`` after one untimed run that primes the cache (``before`` as in measure)."""
        self._progress(f"{run} on {case}")
        shutil.rmtree(self.cache, True)
        benchlib.run_once(cmd, env=self.env)
        if not any(self.cache.glob("*")):
            print(f"warning: no cache written in {self.cache}: '{run}' is not warm", flush=True)
        timing = benchlib.measure(cmd, repeat, before=before, env=self.env)
        self.rows.append(Row(case, files, run, timing))
        return timing

    def against_peers(self, case: str, root: Path, ours: Timing, repeat: int) -> dict[str, Timing]:
        # relative names from inside builds/: 50,000 absolute paths would not fit ARG_MAX
        names = sorted(p.name for p in (root / "builds").glob("*.yaml"))
        out = {}
        for role, label, exe in self.peers:
            self._progress(f"{label} on {case}")
            cmd = [exe, "--schemafile", str(self.schema), *names]
            timing = benchlib.measure(cmd, repeat, cwd=root / "builds", env=self.peer_env)
            out[role] = timing
            self.rows.append(Row(case, len(names), label, timing, ratio=ours.cpu / timing.cpu))
        return out

    def floor(self, case: str, root: Path, peer: Timing | None, repeat: int) -> Timing | None:
        """FLOOR on ``root``, run by the Python that runs jwst-builds (None: not found)."""
        first = Path(self.ours[0])
        python = first if first.name.startswith("python") else first.parent / "python"
        if not python.exists():
            self.skipped.append(f"the floor: no python beside {first}")
            return None
        files = sum(1 for sub in ("builds", "issues") for _ in (root / sub).glob("*.yaml"))
        run = "floor: start, import, pull the YAML events (no data)"
        self._progress(f"{run} on {case}")
        timing = benchlib.measure([str(python), "-c", FLOOR, str(root)], repeat, env=self.env)
        ratio = timing.cpu / peer.cpu if peer else None
        self.rows.append(Row(case, files, run, timing, ratio, "a floor, not a tool"))
        return timing

    def warm_up(self) -> None:
        """One untimed run of each tool: code and data in the page cache, bytecode written."""
        self._progress("one untimed run of each tool")
        benchlib.run_once(self.validate(REPO, "--jobs", "1"), env=self.env)
        names = sorted(p.name for p in (REPO / "builds").glob("*.yaml"))
        for _, _, exe in self.peers:
            cmd = [exe, "--schemafile", str(self.schema), *names]
            benchlib.run_once(cmd, cwd=REPO / "builds", env=self.peer_env)


def changed_file(bench: Bench, case: str, root: Path, files: int, repeat: int) -> Timing:
    """`validate` after one build file got new content, the cache warm for all others."""
    path = root / "builds" / f"{_bid(0)}.yaml"
    original = path.read_text()

    def edit(k: int) -> None:
        # a value never seen before, so the file is new to the cache on every run
        text = f"summary: Benchmark edit {k + 1} at {time.time_ns()}."
        path.write_text(re.sub(r"(?m)^summary: .*$", text, original, count=1))

    run = "jwst-builds validate, warm, one file changed"
    try:
        return bench.warm(case, files, run, bench.validate(root), repeat, before=edit)
    finally:
        path.write_text(original)


NOTES = """\
CPU: user + system seconds of the whole process and of the children it waited for.
ours/peer CPU: `validate --jobs 1` against the peer, one process each; the default jobs
  (a process pool on big trees) is shown apart and is in no ratio.
cold: cache folder deleted before each run (so the run also writes it); warm: primed by
  one untimed run. peak MiB: the largest single process (ru_maxrss). Bytecode: every
  tool may write it (PYTHONDONTWRITEBYTECODE is dropped), as after an install with pip.
real data: check-jsonschema checks builds/*.yaml only; jwst-builds checks the whole tree
  and the cross-file rules (its ms/file there is per build file). The floor starts Python,
  imports click, jsonschema-rs and ruamel's C parser and pulls the YAML events of every
  record file, building nothing: no validator of this tree in Python can take less."""


def run_all(bench: Bench, args: argparse.Namespace, sizes: list[int]) -> None:
    repeat, fig, why_not = args.repeat, bench.figures, bench.why_not
    bench.warm_up()
    case, n = "real data", len(list((REPO / "builds").glob("*.yaml")))
    ours = bench.cold(case, REPO, n, repeat, jobs=True)
    bench.cold(case, REPO, n, repeat, jobs=False)
    peers = bench.against_peers(case, REPO, ours, repeat)
    fig["real/ours"] = ours.cpu
    if "c" in peers:
        fig["real/peer-c"] = peers["c"].cpu
    floor = bench.floor(case, REPO, peers.get("c"), repeat)
    if floor is not None:
        fig["real/floor"] = floor.cpu
    run = "jwst-builds validate, warm, nothing changed"
    fig["real/warm"] = bench.warm(case, n, run, bench.validate(REPO), repeat).cpu
    # its documented statuses: 0 with an answer, 1 for an unknown or malformed value (an
    # error here), 2 for wrong usage; so only 0 is accepted
    affects = [*bench.ours, "--root", str(REPO), "affects", "--cal-ver", "1.14.0"]
    fig["affects"] = bench.warm(
        case, n, "jwst-builds affects --cal-ver 1.14.0, warm", affects, repeat
    ).cpu

    # the issue asks for one changed file in 10,000; a quick run shows it on its largest tree
    changed_at = 10000 if 10000 in sizes else max(sizes, default=0)
    for n in sizes:
        case = f"synthetic {n:,}"
        root = synthetic_tree(bench.tmp / f"t{n}", n)
        ours = bench.cold(case, root, n, repeat, jobs=True)
        bench.cold(case, root, n, repeat, jobs=False)
        peers = bench.against_peers(case, root, ours, repeat)
        changed = changed_file(bench, case, root, n, repeat) if n == changed_at else None
        if n == 10000:
            fig["10000/ours"], fig["10000/ours-ms"] = ours.cpu, 1000 * ours.cpu / n
            fig.update({f"10000/peer-{role}": t.cpu for role, t in peers.items()})
            if changed:
                fig["changed"] = changed.cpu
        shutil.rmtree(root)
    if 10000 not in sizes:
        why_not["10000"] = why_not["changed"] = why_not["big-per-file"] = "--sizes has no 10000"

    if not args.big:
        why_not["big"] = why_not["big-per-file"] = "skipped with --big 0"
        bench.skipped.append("the big tree: skipped with --big 0")
        return
    n, case = args.big, f"synthetic {args.big:,}"
    start = time.perf_counter()
    root = synthetic_tree(bench.tmp / f"t{n}", n)
    print(f"wrote {n:,} files in {time.perf_counter() - start:.0f} s", file=sys.stderr)
    ours = bench.cold(case, root, n, 1, jobs=True)  # once: the issue asks for one run
    bench.cold(case, root, n, 1, jobs=False)
    fig["big/ours-ms"], fig["big/peak"] = 1000 * ours.cpu / n, ours.peak_mib
    if args.big_peer:
        bench.against_peers(case, root, ours, 1)
    elif bench.peers:
        slowest = max((v for k, v in fig.items() if k.startswith("10000/peer-")), default=0)
        guess = (
            f"about {slowest / 10000 * n / 60:.0f} min of CPU per run at its 10,000-file speed"
            if slowest
            else "minutes per run"
        )
        bench.skipped.append(
            f"check-jsonschema on {n:,} files: skipped, it would take {guess}; "
            "--big-peer runs it once"
        )
    shutil.rmtree(root)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,10000", help="synthetic trees, comma-separated")
    parser.add_argument("--big", type=int, default=50000, help="tree timed once; 0 skips it")
    parser.add_argument("--big-peer", action="store_true", help="time the peers there too")
    parser.add_argument("--repeat", type=int, default=5, help="runs per figure (median)")
    parser.add_argument("--peer", help="check-jsonschema without the C loader (own venv)")
    parser.add_argument("--peer-c", help="check-jsonschema with the C loader (default: on PATH)")
    parser.add_argument("--ours", help="command running jwst-builds (default: on PATH)")
    parser.add_argument("--json", type=Path, help="also write the results to this file")
    args = parser.parse_args()
    if args.repeat < 1:
        parser.error("--repeat must be at least 1")
    sizes = sorted({int(s) for s in args.sizes.split(",") if s.strip()})
    if any(n < 2 for n in sizes) or 0 < args.big < 2:
        parser.error("a synthetic tree needs at least 2 files")
    ours = shlex.split(args.ours) if args.ours else [shutil.which("jwst-builds") or ""]
    if not ours[0]:
        sys.exit("needs jwst-builds on PATH or --ours (nox -s bench installs it)")
    usage = subprocess.run([*ours, "validate", "--help"], capture_output=True, text=True)
    if usage.returncode:
        sys.exit(f"{shlex.join(ours)} validate --help failed:\n{usage.stderr[-2000:]}")
    if "--jobs" not in usage.stdout:
        sys.exit("this jwst-builds has no `validate --jobs`: one process cannot be compared")

    peers, why_not = [], {}
    for role, exe in (("pure", args.peer), ("c", args.peer_c or shutil.which("check-jsonschema"))):
        if not exe:
            continue
        exe = os.path.abspath(exe)  # the peers run from inside builds/
        loader = _loader(exe)
        peers.append((role, f"check-jsonschema, {loader} loader", exe))
        if role == "c" and loader != "C":
            print(f"warning: {exe} has the {loader} loader, not the C loader", file=sys.stderr)
    if not any(role == "c" and "C loader" in label for role, label, _ in peers):
        why_not["real"] = why_not["10000"] = "no check-jsonschema with the C loader (--peer-c)"

    about = {
        "date": time.strftime("%Y-%m-%d %H:%M"),
        "machine": f"{platform.platform()}, {os.cpu_count()} CPUs",
        "python": platform.python_version(),
        "repeat": args.repeat,
        "ours": shlex.join(ours),
        "peers": {label: exe for _, label, exe in peers},
    }
    print(
        f"jwst-builds validate against check-jsonschema, {about['date']}, {about['machine']}, "
        f"Python {about['python']}\nwhole processes, medians of {args.repeat} run(s)"
        + (f"; the {args.big:,}-file tree once" if args.big else "")
    )
    for _, label, exe in [("", "jwst-builds", about["ours"]), *peers]:
        print(f"  {label}: {exe}")
    with tempfile.TemporaryDirectory(prefix="bench-validate-") as tmp:
        bench = Bench(ours, peers, bundled_schema(Path(tmp)), Path(tmp))
        bench.why_not.update(why_not)
        try:
            run_all(bench, args, sizes)
        except benchlib.RunFailed as exc:
            sys.exit(str(exc))
    goals = benchlib.targets(bench.figures, args.big or 50000, bench.why_not)
    print(benchlib.table(bench.rows))
    print(NOTES)
    for line in bench.skipped:
        print(f"not run: {line}")
    print("\ntargets (CPU):")
    print("\n".join(t.line() for t in goals))
    if args.json:
        benchlib.write_json(args.json, about, bench.rows, goals, bench.skipped)
        print(f"results written to {args.json}")


if __name__ == "__main__":
    main()
