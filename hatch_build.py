"""Build hook: the wheel carries a validated snapshot of the data, the sdist its stamp.

The wheel gets every build, release, known issue, source, schema and change fragment in
``jwst_builds/_data/``, with ``stamp.json`` saying which commit they come from and when.
The data are checked as ``jwst-builds validate`` checks them, and the build fails on any
problem. The sdist already holds the data folders; it gains ``data-stamp.json`` so that
a wheel built from it (without git) still knows its commit. Editable installs read the
checkout in place and skip all of this.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import sys
import tempfile
from pathlib import Path
from typing import Any

from hatchling.builders.hooks.plugin.interface import BuildHookInterface

#: the stamp an sdist carries at its top level
SDIST_STAMP = "data-stamp.json"


class DataSnapshotHook(BuildHookInterface):
    PLUGIN_NAME = "custom"

    def initialize(self, version: str, build_data: dict[str, Any]) -> None:
        if self.target_name == "wheel" and version == "editable":
            return  # the checkout's own files are read in place
        root = Path(self.root)
        sys.path.insert(0, str(root / "src"))
        try:
            from jwst_builds import dataroot
            from jwst_builds.validate import run
        finally:
            sys.path.pop(0)
        problems = run(root, use_cache=False)  # a build never writes into the tree
        if problems:
            for problem in problems:
                print(problem.text(), file=sys.stderr)
            raise RuntimeError(
                f"{len(problems)} problem(s) in the data: nothing built "
                "(fix them first; jwst-builds validate lists them)"
            )
        self._staging = Path(tempfile.mkdtemp(prefix="jwst-builds-data-"))
        stamp = json.dumps(self._stamp(root, dataroot), indent=2) + "\n"
        if self.target_name == "sdist":
            (self._staging / SDIST_STAMP).write_text(stamp, encoding="utf-8")
            build_data["force_include"][str(self._staging / SDIST_STAMP)] = SDIST_STAMP
            return
        data = self._staging / "_data"
        data.mkdir()
        ignore = shutil.ignore_patterns(".*", "__pycache__")
        for name in dataroot.CONTENTS:
            source = root / name
            if source.is_dir():
                shutil.copytree(source, data / name, ignore=ignore)
            elif source.is_file():
                shutil.copy2(source, data / name)
        (data / dataroot.STAMP).write_text(stamp, encoding="utf-8")
        build_data["force_include"][str(data)] = "jwst_builds/_data"

    def finalize(self, version: str, build_data: dict[str, Any], artifact_path: str) -> None:
        staging = getattr(self, "_staging", None)
        if staging is not None:
            shutil.rmtree(staging, ignore_errors=True)

    @staticmethod
    def _stamp(root: Path, dataroot: Any) -> dict[str, Any]:
        """The commit of a git checkout; else the stamp an sdist carries; else unknown."""
        if (root / ".git").exists():
            stamp = dataroot.git_stamp(root)
            if stamp.commit is not None:
                return dict(stamp.to_dict())
        carried = root / SDIST_STAMP
        if carried.is_file():
            return dict(json.loads(carried.read_text(encoding="utf-8")))
        epoch = os.environ.get("SOURCE_DATE_EPOCH")
        when = dt.datetime.fromtimestamp(
            int(epoch) if epoch else dt.datetime.now().timestamp(), dt.timezone.utc
        )
        return {
            "commit": "unknown",
            "date": when.isoformat(timespec="seconds"),
            "date_of": "SOURCE_DATE_EPOCH" if epoch else "build",
            "modified": None,
        }
