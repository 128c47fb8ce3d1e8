"""Compile the release notes of a build from its fragments, with towncrier.

towncrier finds, groups and renders the fragments of ``changes/<build>/`` (its
Python API: ``find_fragments``, ``split_fragments``, ``render_fragments``) through
the project template ``templates/notes.md.jinja``. The header comes from the build
record and the closing section from the known issues in ``issues/``; neither is
ever written in a fragment. Fragments are only read.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Any

from . import fragments
from .checks import fragments as fragment_checks
from .dataset import Dataset, Record, load, version_key
from .model import KnownIssue
from .problems import Problem
from .yamlio import unreadable

_KIND = {
    "final": "final",
    "documentation": "documentation re-release",
    "packaging": "packaging re-release",
    "pypi-only": "PyPI-only",
    "dependency-pin": "dependency pin",
    "dms-test": "DMS test",
}


class NotesError(Exception):
    """The notes cannot be compiled: the data of the build has problems."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__(f"{len(problems)} problem(s) in the data")
        self.problems = problems


class UnknownBuild(Exception):
    """The build asked for has no record in builds/."""


def render(root: Path, build_id: str, ds: Dataset | None = None) -> str:
    """The Markdown notes of one build (raises UnknownBuild or NotesError)."""
    ds = ds if ds is not None else load(root)
    record = _record(ds, build_id)
    decl = fragments.declaration(root)
    problems = _problems(ds, build_id, decl)
    if problems:
        raise NotesError(problems)
    return _render(root, ds, record, decl)


def render_all(root: Path) -> dict[str, str]:
    """The notes of every build that has fragments, newest build first."""
    ds = load(root)
    ids = sorted(_fragment_builds(root), key=version_key, reverse=True)
    decl = fragments.declaration(root)
    problems = [p for b in ids for p in _problems(ds, b, decl)]
    if problems:
        raise NotesError(problems)
    return {b: _render(root, ds, _record(ds, b), decl) for b in ids}


def _fragment_builds(root: Path) -> list[str]:
    # Every build folder with a file in it, valid or not, so that a broken
    # fragment is reported rather than silently skipped.
    return [
        f.name
        for f in fragments.build_folders(root)
        if fragments.BUILD_FOLDER.match(f.name)
        and (any(fragments.iter_files(f)) or unreadable(f) is not None)
    ]


def _record(ds: Dataset, build_id: str) -> Record:
    record = ds.builds.get(build_id)
    if record is not None:
        return record
    file = f"builds/{build_id}.yaml"
    broken = [p for p in ds.problems if p.file == file]
    if broken:
        from .locate import locate

        raise NotesError(sorted(locate(broken, ds.root)))
    raise UnknownBuild(f"no build {build_id}: {file} does not exist")


def _problems(ds: Dataset, build_id: str, decl: fragments.Declaration) -> list[Problem]:
    folder = ds.root / fragments.CHANGES / build_id
    if not folder.is_dir():
        return []
    return sorted(fragment_checks.check_folder(ds, folder, decl))


def _render(root: Path, ds: Dataset, record: Record, decl: fragments.Declaration) -> str:
    from towncrier.build import find_fragments, render_fragments, split_fragments

    config = _towncrier_config(root, decl, record.id)
    found, _files = find_fragments(str(root), config, strict=False)
    definitions = {
        c.id: {"name": c.title, "showcontent": True, "group": c.group} for c in decl.categories
    }
    split = split_fragments(found, definitions, all_bullets=config.all_bullets)
    versiondata = {
        "name": config.name,
        "version": record.id,
        "date": record.data["operations_installed"] or record.data["candidate_released"] or "",
        "facts": _facts(record.data),
        "summary": record.data.get("summary", ""),
        "groups": [
            {
                "title": g.title,
                "subsections": g.subsections,
                "categories": [c.id for c in decl.categories if c.group == g.id],
            }
            for g in decl.groups
        ],
        "known_issues": _known_issues(ds, record.id),
        "fixed_issues": _fixed_issues(ds, record.id),
        # only names that are numbers are jwst references; the template links those
        "issue_format": config.issue_format or "#{issue}",
    }
    text: str = render_fragments(
        _template_text(config.template),
        None,
        split,
        definitions,
        config.underlines,
        config.wrap,
        versiondata,
        all_bullets=config.all_bullets,
    )
    return text.strip() + "\n"


def _towncrier_config(root: Path, decl: fragments.Declaration, build_id: str) -> Any:
    from towncrier._settings.load import load_config_from_file

    config = load_config_from_file(str(decl.path.parent), str(decl.path))
    # One folder per build: point towncrier at the folder of this build.
    directory = (root / fragments.CHANGES / build_id).as_posix()
    return dataclasses.replace(config, directory=directory, sections={"": ""})


def _template_text(template: str | tuple[str, str]) -> str:
    if isinstance(template, tuple):
        from importlib import resources

        package, resource = template
        return resources.files(package).joinpath(resource).read_text(encoding="utf-8")
    return Path(template).read_text(encoding="utf-8")


def _facts(data: dict[str, Any]) -> list[tuple[str, str]]:
    """The header lines: (label, value), all from the build record."""
    disputed = {c["field"]: c for c in data.get("conflicts", [])}

    def value(field: str, shown: str | None, missing: str, *notes: str) -> str:
        if not shown:
            return missing
        extra = list(notes)
        other = disputed.get(field)
        if other is not None:
            extra.append(
                f"per {other['chosen_source']}; {other['alternative_source']} "
                f"gives {other['alternative']}"
            )
        return f"{shown} ({'; '.join(extra)})" if extra else shown

    policy = f"{data['context_policy']} context"
    installed = data["operations_installed"]
    facts = [
        ("Status", value("status", data["status"].capitalize(), "not recorded")),
        ("jwst releases", ", ".join(_release(r, data["id"]) for r in data["releases"])),
        ("SDP version", value("sdp_version", data["sdp_version"], "not recorded")),
        ("CRDS context", value("crds_context", data["crds_context"], "not recorded", policy)),
        (
            "Candidate released",
            value("candidate_released", data["candidate_released"], "not recorded"),
        ),
        ("Installed in operations", value("operations_installed", installed, "not installed")),
    ]
    if data.get("release_notes"):
        facts.append(("Published release notes", f"<{data['release_notes']}>"))
    return facts


def _release(rel: dict[str, Any], build_id: str) -> str:
    kind = rel["kind"]
    if kind == "candidate":
        level = rel["dms_version"]
        what = f"rc{rel['candidate']}" + (f" of {level}" if level and level != build_id else "")
    elif kind == "patch":
        what = f"patch {rel['dms_version']}"
    else:
        what = _KIND.get(kind, kind)
    return f"{rel['jwst_version']} ({what})"


def _known_issues(ds: Dataset, build_id: str) -> list[dict[str, str]]:
    from .query import issues_for_build

    found = sorted(issues_for_build(ds, build_id), key=lambda i: (not i.data_issue, i.id))
    return [
        {
            "id": issue.id,
            "title": issue.title,
            "state": _issue_state(issue),
            "workaround": issue.workaround or "",
        }
        for issue in found
    ]


def _fixed_issues(ds: Dataset, build_id: str) -> list[dict[str, str]]:
    from .query import issues_fixed_in

    return [
        {"id": issue.id, "title": issue.title, "state": _issue_state(issue)}
        for issue in issues_fixed_in(ds, build_id)
    ]


def _issue_state(issue: KnownIssue) -> str:
    parts = [issue.impact]
    fix = issue.fixed
    if fix is not None:
        release = f", jwst {fix.release}" if fix.release else ""
        prs = ", ".join(f"#{c.pr}" for c in fix.changelog)
        parts.append(f"fixed in build {fix.build}{release}" + (f" ({prs})" if prs else ""))
    if issue.context_fixed:
        parts.append(f"reference files fixed in {issue.context_fixed}")
    if fix is None and not issue.context_fixed:
        parts.append(issue.status)
    return "; ".join(parts)
