"""Regenerate tests/golden/export/ after a deliberate change to the export: a separate step.

The tests never write a golden file. This script exports the fixture tree
(tests/cases/export/) into a temporary folder and runs tests/test_golden_facts.py on
that new export: those tests compare it with values written by hand from the fixture's
YAML. Only when they pass are the files copied over the goldens, so regenerating cannot
make a wrong golden pass. Review `git diff tests/golden` before committing.

    python scripts/update_goldens.py        (or: nox -s goldens)
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
FIXTURE = REPO / "tests" / "cases" / "export"
GOLDEN = REPO / "tests" / "golden" / "export"
#: export.schema.json is a copy of schema/export.schema.json; tests compare it there
NOT_GOLDEN = {"export.schema.json"}


def main() -> int:
    with tempfile.TemporaryDirectory() as tmp:
        root, out = Path(tmp) / "root", Path(tmp) / "out"
        shutil.copytree(REPO / "schema", root / "schema")
        shutil.copytree(FIXTURE, root, dirs_exist_ok=True)
        done = subprocess.run(
            [sys.executable, "-m", "jwst_builds", "--root", str(root), "export", "--out", str(out)],
            check=False,
        )
        if done.returncode != 0:
            print("the fixture does not export; goldens left as they were", file=sys.stderr)
            return 1
        facts = subprocess.run(
            [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider",
             str(REPO / "tests" / "test_golden_facts.py")],
            env={**os.environ, "JWST_BUILDS_GOLDEN_DIR": str(out)},
            cwd=REPO,
            check=False,
        )  # fmt: skip
        if facts.returncode != 0:
            print(
                "the new export disagrees with the hand-written facts; goldens left as they "
                "were (fix the code, or the facts if the fixture changed)",
                file=sys.stderr,
            )
            return 1
        names = sorted(p.name for p in out.iterdir() if p.name not in NOT_GOLDEN)
        GOLDEN.mkdir(parents=True, exist_ok=True)
        for stale in sorted(GOLDEN.iterdir()):
            if stale.name not in names:
                stale.unlink()
        for name in names:
            shutil.copyfile(out / name, GOLDEN / name)
    print(f"wrote {len(names)} golden files to {GOLDEN.relative_to(REPO)}; review git diff")
    return 0


if __name__ == "__main__":
    sys.exit(main())
