"""Write the exports: `python scripts/export.py [--out DIR]` is `jwst-builds export [--out DIR]`."""

from __future__ import annotations

import sys

from jwst_builds.cli import cli

if __name__ == "__main__":
    cli.main(args=["export", *sys.argv[1:]], prog_name="jwst-builds")
