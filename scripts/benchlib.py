"""Helpers of scripts/bench_validate.py: timing whole processes, medians, targets, output.

Kept apart from the benchmark itself so that the parts that decide what gets printed
(medians, verdicts, the table) can be tested without timing anything.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any


class RunFailed(Exception):
    """A timed command exited with a status it should not have."""


@dataclass(frozen=True)
class Sample:
    """One whole process."""

    cpu: float  # user + system seconds of the process and of every child it waited for
    wall: float  # seconds from start to exit, as seen from here
    peak_mib: float  # largest resident set of any one of those processes


@dataclass
class Timing:
    """Several runs of one command; medians, because single runs on a shared machine
    wander (a best-of figure hides that, a mean lets one stall decide)."""

    runs: list[Sample] = field(default_factory=list)

    @property
    def cpu(self) -> float:
        return statistics.median(s.cpu for s in self.runs)

    @property
    def wall(self) -> float:
        return statistics.median(s.wall for s in self.runs)

    @property
    def peak_mib(self) -> float:
        return max(s.peak_mib for s in self.runs)

    def as_json(self) -> dict[str, Any]:
        return {
            "runs": len(self.runs),
            "cpu_s": round(self.cpu, 4),
            "wall_s": round(self.wall, 4),
            "peak_mib": round(self.peak_mib, 1),
            "cpu_s_each": [round(s.cpu, 4) for s in self.runs],
            "wall_s_each": [round(s.wall, 4) for s in self.runs],
        }


def _mib(maxrss: int) -> float:
    # ru_maxrss is in KiB on Linux and in bytes on macOS
    return maxrss / (1024 * 1024) if sys.platform == "darwin" else maxrss / 1024


def run_once(
    cmd: Sequence[str],
    *,
    cwd: Path | None = None,
    env: Mapping[str, str] | None = None,
    ok: tuple[int, ...] = (0,),
) -> Sample:
    """Run ``cmd`` to its end, output discarded, and measure it."""
    with tempfile.TemporaryFile() as out:
        start = time.perf_counter()
        proc = subprocess.Popen(
            list(cmd), cwd=cwd, env=env, stdin=subprocess.DEVNULL, stdout=out, stderr=out
        )
        # wait4 rather than getrusage(RUSAGE_CHILDREN) deltas: it gives this child's own
        # usage (including a process pool it reaped) and its own peak memory, where
        # RUSAGE_CHILDREN's ru_maxrss is the peak of every child this script ever had.
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)  # reaped: Popen must not wait
        if proc.returncode not in ok:
            out.seek(0)
            tail = out.read()[-3000:].decode(errors="replace")
            raise RunFailed(f"{' '.join(cmd[:6])} ... exited {proc.returncode}:\n{tail}")
    return Sample(usage.ru_utime + usage.ru_stime, wall, _mib(usage.ru_maxrss))


def measure(
    cmd: Sequence[str],
    repeat: int,
    *,
    before: Callable[[int], object] | None = None,
    cwd: Path | None = None,
    env: Mapping[str, str] | None = None,
    ok: tuple[int, ...] = (0,),
) -> Timing:
    """``repeat`` runs of ``cmd``; ``before(k)`` prepares run k, untimed."""
    timing = Timing()
    for k in range(repeat):
        if before is not None:
            before(k)
        timing.runs.append(run_once(cmd, cwd=cwd, env=env, ok=ok))
    return timing


@dataclass(frozen=True)
class Target:
    """A target of the issue next to what was measured."""

    text: str
    limit: float
    value: float | None  # None: not measured, and ``note`` says why
    unit: str  # "x" for a ratio, "s", "MiB"
    strict: bool = False  # "under" the limit rather than "at most"
    note: str = ""

    @property
    def verdict(self) -> str:
        if self.value is None:
            return "not measured"
        ok = self.value < self.limit if self.strict else self.value <= self.limit
        return "holds" if ok else "misses"

    def line(self) -> str:
        bound = "under" if self.strict else "at most"
        got = "-" if self.value is None else f"{self.value:.3g} {self.unit}".replace(" x", "x")
        limit = f"{self.limit:g} {self.unit}".replace(" x", "x")
        tail = f" ({self.note})" if self.note else ""
        return f"{self.verdict:<12} {self.text}: {got}, target {bound} {limit}{tail}"


def _ratio(m: Mapping[str, float], top: str, bottom: str) -> float | None:
    if top in m and bottom in m and m[bottom] > 0:
        return m[top] / m[bottom]
    return None


def targets(m: Mapping[str, float], big: int, why_not: Mapping[str, str]) -> list[Target]:
    """The issue's targets, judged on CPU seconds from the flat figures ``m``.

    Keys: ``real/ours``, ``real/peer-c`` (cold, one process each), ``real/warm``,
    ``affects`` (warm), ``10000/ours``, ``10000/peer-c``, ``10000/ours-ms``,
    ``changed`` (one file changed in 10,000, warm), ``big/ours-ms``, ``big/peak``, and
    ``real/floor`` (bench_validate.FLOOR on the real data), which the real-data target
    quotes against the peer.
    ``why_not`` explains a missing figure by target key: "real", "10000", "changed",
    "warm", "big-per-file", "big" (memory), "affects".
    """

    def note(key: str, value: float | None) -> str:
        return why_not.get(key, "") if value is None else ""

    def make(key: str, text: str, limit: float, value: float | None, unit: str, **kw: Any):
        return Target(text, limit, value, unit, note=kw.pop("note", note(key, value)), **kw)

    per_file = _ratio(m, "big/ours-ms", "10000/ours-ms")
    real = _ratio(m, "real/ours", "real/peer-c")
    floor = _ratio(m, "real/floor", "real/peer-c")
    return [
        make(
            "real",
            "real data, cold, CPU ours / check-jsonschema (C loader)",
            0.35,
            real,
            "x",
            note=f"the floor alone is {floor:.2f}x"
            if real is not None and floor
            else note("real", real),
        ),
        make(
            "10000",
            "10,000 files, cold, one process, CPU per file ours / check-jsonschema (C loader)",
            0.25,
            _ratio(m, "10000/ours", "10000/peer-c"),
            "x",
        ),
        make(
            "changed",
            "one changed file in 10,000, warm cache, CPU of the whole process",
            1.5,
            m.get("changed"),
            "s",
        ),
        make("warm", "real data, warm cache, nothing changed, CPU", 0.12, m.get("real/warm"), "s"),
        make(
            "big-per-file",
            f"{big:,} files, CPU per file / the 10,000-file figure",
            1.2,
            per_file,
            "x",
        ),
        make("big", f"{big:,} files, peak memory", 300, m.get("big/peak"), "MiB", strict=True),
        make("affects", "affects --cal-ver 1.14.0, warm cache, CPU", 0.15, m.get("affects"), "s"),
    ]


@dataclass(frozen=True)
class Row:
    """One line of the table."""

    case: str
    files: int
    run: str
    timing: Timing
    ratio: float | None = None  # CPU of our one-process run / this peer's
    note: str = ""


def table(rows: Sequence[Row]) -> str:
    head = (
        f"{'case':<30} {'files':>6}  {'run':<54} {'CPU s':>8} {'wall s':>8} "
        f"{'CPU ms/file':>11} {'peak MiB':>9} {'ours/peer CPU':>13}"
    )
    lines = [head, "-" * len(head)]
    last = None
    for r in rows:
        case = r.case if r.case != last else ""
        last = r.case
        ratio = f"{r.ratio:.2f}x" if r.ratio is not None else ""
        runs = "" if len(r.timing.runs) > 1 else " (1 run)"
        note = f"  {r.note}" if r.note else ""
        line = (
            f"{case:<30} {r.files:>6}  {r.run + runs:<54} {r.timing.cpu:>8.3f} "
            f"{r.timing.wall:>8.3f} {1000 * r.timing.cpu / r.files:>11.2f} "
            f"{r.timing.peak_mib:>9.0f} {ratio:>13}{note}"
        )
        lines.append(line.rstrip())
    return "\n".join(lines)


def write_json(
    path: Path,
    about: Mapping[str, Any],
    rows: Sequence[Row],
    goals: Sequence[Target],
    skipped: Sequence[str],
) -> None:
    doc = {
        **about,
        "rows": [
            {
                "case": r.case,
                "files": r.files,
                "run": r.run,
                **r.timing.as_json(),
                "cpu_ms_per_file": round(1000 * r.timing.cpu / r.files, 4),
                "ratio_cpu_ours_to_peer": None if r.ratio is None else round(r.ratio, 4),
                "note": r.note,
            }
            for r in rows
        ],
        "targets": [
            {
                "target": t.text,
                "limit": t.limit,
                "unit": t.unit,
                "strict": t.strict,
                "value": t.value,
                "verdict": t.verdict,
                "note": t.note,
            }
            for t in goals
        ],
        "skipped": list(skipped),
    }
    path.write_text(json.dumps(doc, indent=2) + "\n")
