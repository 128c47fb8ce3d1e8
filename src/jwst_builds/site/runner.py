"""`jwst-builds site`: validate, gather, render every file in memory, then write the site.

Each file is replaced atomically (export/atomic.py). The site folder holds a manifest
of what the last build wrote: a rebuild removes the files it no longer writes, and a
folder that is not empty and has no manifest is refused rather than mixed with.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path, PurePosixPath

from .. import validate
from ..dataset import load
from ..export.atomic import write_files
from ..export.gitinfo import data_commit
from ..export.runner import has_problems
from ..export.snapshot import collect
from ..fragments import load_fragments
from ..problems import Problem
from . import api, feeds, openapi, pages
from .contract import API_ROOT, MANIFEST
from .data import SiteData, gather

#: the scripts and the style sheet, copied as they are
ASSETS = ("site.css", "verdict.js", "check.js")
#: the documents the check page needs, also bundled into one script for file:// pages
BUNDLED = ("index.json", "builds.json", "issues.json", "operations.json")


class SiteError(Exception):
    """The site cannot be written where asked (one line, for the user)."""


@dataclass
class Outcome:
    """What a build did: the problems that stopped it, or the files it wrote."""

    problems: list[Problem] = field(default_factory=list)
    written: list[Path] = field(default_factory=list)


def compact(document: object) -> str:
    """The API's JSON: sorted keys, no spaces, non-ASCII kept, final newline."""
    return json.dumps(document, sort_keys=True, ensure_ascii=False, separators=(",", ":")) + "\n"


def render(site: SiteData, base_url: str = "") -> dict[str, bytes]:
    """Path in the site -> content of every file."""
    text: dict[str, str] = {}
    documents = api.documents(site)
    for path, document in documents.items():
        text[f"{API_ROOT}/{path}"] = compact(document)
    spec = openapi.description(site.ds.root / "schema")
    text[f"{API_ROOT}/openapi.json"] = json.dumps(spec, indent=2, ensure_ascii=False) + "\n"
    bundle = {name: documents[name] for name in BUNDLED}
    text["assets/api-bundle.js"] = f"window.JWST_BUILDS_API = {compact(bundle).strip()};\n"
    static = resources.files("jwst_builds.site").joinpath("static")
    for name in ASSETS:
        text[f"assets/{name}"] = static.joinpath(name).read_text(encoding="utf-8")
    text.update(pages.pages(site))
    text.update(feeds.feed_files(site, base_url))
    return {path: content.encode("utf-8") for path, content in text.items()}


def _inside(out: Path, rel: str) -> Path | None:
    """``out / rel`` when ``rel`` is a plain relative path that stays inside ``out``."""
    parts = PurePosixPath(rel).parts
    if not parts or rel.startswith("/") or ".." in parts:
        return None
    return out.joinpath(*parts)


def write_site(out: Path, files: dict[str, bytes]) -> list[Path]:
    """Make ``out`` hold exactly this site, all at once (the folder is swapped in one rename,
    so a previous build's files that this one drops disappear with it)."""
    manifest = out / MANIFEST
    if out.exists() and not out.is_dir():
        raise SiteError(f"{out} is a file, not a folder")
    if out.is_dir() and not manifest.is_file() and any(out.iterdir()):
        raise SiteError(
            f"{out} is not empty and holds no site written by jwst-builds (choose an empty or new folder)"
        )
    previous = manifest.read_text(encoding="utf-8").splitlines() if manifest.is_file() else []
    listing = "".join(f"{rel}\n" for rel in sorted(files)).encode("utf-8")
    # Files the user added (a CNAME, say) are neither ours now nor before: carry them over.
    keep = _foreign(out, {*previous, *files, MANIFEST}) if manifest.is_file() else {}
    allow = {PurePosixPath(rel).parts[0] for rel in previous if _inside(out, rel) is not None}
    write_files(out, {**keep, **files, MANIFEST: listing}, allow=allow)
    return sorted(out.joinpath(*PurePosixPath(rel).parts) for rel in files)


def _foreign(out: Path, ours: set[str]) -> dict[str, bytes]:
    """Files under ``out`` that no site build listed (relative name -> content)."""
    found: dict[str, bytes] = {}
    for path in sorted(out.rglob("*")):
        rel = path.relative_to(out).as_posix()
        if path.is_file() and not path.is_symlink() and rel not in ours:
            found[rel] = path.read_bytes()
    return found


def run(root: Path, out: Path, base_url: str = "") -> Outcome:
    """Validate the data under ``root`` and, if it is clean, write the site into ``out``."""
    ds = load(root)
    if has_problems(ds):
        problems = validate.run(root)
        if problems:
            return Outcome(problems=problems)
    snap = collect(ds, load_fragments(root), data_commit(root))
    files = render(gather(ds, snap), base_url)
    return Outcome(written=write_site(out, files))
