"""The HTML pages, rendered with Jinja2 from templates/ (autoescaped).

Every link is relative, so the pages work from ``file://`` and under any folder of
any static host. The release notes of a build are the Markdown `jwst-builds notes`
compiles, made HTML with markdown-it-py (raw HTML in the Markdown is escaped).
"""

from __future__ import annotations

import re
from functools import cache
from typing import Any

import jinja2
from markdown_it import MarkdownIt
from markdown_it.token import Token

from ..dataset import Record
from ..model import KnownIssue
from ..notes import render as render_notes
from .api import fix as fix_status
from .contract import API_ROOT
from .data import SiteData, releases_newest_first
from .timeline import layout

#: where the compiled notes list the build's known and fixed issues (templates/notes.md.jinja);
#: the build page lists them itself, with links, so the notes stop there
_NOTES_ISSUES = "\n## Known issues\n"
_ISSUE_ID = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
_JWST_PR = "https://github.com/spacetelescope/jwst/pull/{}"


@cache
def environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("jwst_builds.site", "templates"),
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        undefined=jinja2.StrictUndefined,
    )
    env.filters["status_label"] = lambda s: s.replace("-", " ").capitalize()
    env.globals["jwst_pr"] = _JWST_PR.format
    return env


def notes_html(markdown: str, issue_ids: set[str], root: str) -> str:
    """The sections of compiled release notes as HTML.

    The notes' title and header (status, dates, context, summary) are left out: the
    build page shows them from the record. Headings move one level down, below the
    page's own; a code span that names a known issue links to its page. The closing
    sections (known issues, fixed in this build) are left out too: the page lists them.
    """
    sections = markdown.partition(_NOTES_ISSUES)[0]
    _, found, body = sections.partition("\n## ")
    if not found:
        return ""
    md = MarkdownIt("commonmark", {"html": False})
    tokens = md.parse("## " + body)
    for token in tokens:
        if token.type in ("heading_open", "heading_close"):
            token.tag = f"h{min(int(token.tag[1]) + 1, 6)}"
        if token.type == "inline" and token.children:
            token.children = _link_issues(token.children, issue_ids, root)
    html: str = md.renderer.render(tokens, md.options, {})
    return html


def _link_issues(children: list[Token], issue_ids: set[str], root: str) -> list[Token]:
    out: list[Token] = []
    for child in children:
        if (
            child.type == "code_inline"
            and _ISSUE_ID.match(child.content)
            and child.content in issue_ids
        ):
            href = f"{root}issues/{child.content}.html"
            out.append(Token("link_open", "a", 1, attrs={"href": href}))
            out.append(child)
            out.append(Token("link_close", "a", -1))
        else:
            out.append(child)
    return out


def _common(site: SiteData, root: str) -> dict[str, Any]:
    commit = site.snap.commit
    return {
        "root": root,
        "api": f"{root}{API_ROOT}/",
        "as_of": site.as_of,
        "commit": commit.sha[:12] if commit.sha else None,
        "operations": site.operations,
    }


def _render(name: str, **context: Any) -> str:
    return environment().get_template(name).render(**context)


def home(site: SiteData) -> str:
    rows = []
    for record in reversed(site.snap.builds):
        versions = [r["jwst_version"] for r in record.data["releases"]]
        life = next(life for life in site.lifetimes if life.build == record.id)
        rows.append({"record": record.data, "versions": versions, "end": life.end})
    return _render(
        "index.html.jinja",
        **_common(site, ""),
        timeline=layout(site),
        rows=rows,
        issue_count=len(site.snap.issues),
    )


def issues_index(site: SiteData) -> str:
    issues = sorted(
        site.snap.issues, key=lambda i: (not i.data_issue, i.status == "withdrawn", i.id)
    )
    return _render("issues.html.jinja", **_common(site, ""), issues=issues)


def check(site: SiteData) -> str:
    versions = [rel["jwst_version"] for _, rel in releases_newest_first(site.snap)]
    return _render(
        "check.html.jinja",
        **_common(site, ""),
        versions=versions,
        exp_types=site.exp_types,
    )


def _conflicts(build: Record) -> list[dict[str, Any]]:
    """Every recorded disagreement of the build and of its releases, in record order."""
    out = [{"where": f"build {build.id}", **c} for c in build.data.get("conflicts", [])]
    for rel in build.data["releases"]:
        out += [{"where": f"jwst {rel['jwst_version']}", **c} for c in rel.get("conflicts", [])]
    return out


def build_page(site: SiteData, build: Record) -> str:
    snap = site.snap
    ids = {i.id for i in snap.issues}
    known = sorted(snap.issues_by_build[build.id], key=lambda i: (not i.data_issue, i.id))
    cited = set(build.data["sources"])
    for rel in build.data["releases"]:
        cited |= set(rel["sources"])
    return _render(
        "build.html.jinja",
        **_common(site, "../"),
        build=build.data,
        life=next(life for life in site.lifetimes if life.build == build.id),
        periods=[p for p in site.history if p.build == build.id],
        known=known,
        fixed=snap.fixed_by_build[build.id],
        notes=notes_html(render_notes(site.ds.root, build.id, site.ds), ids, "../"),
        conflicts=_conflicts(build),
        sources=[s for s in snap.sources if s["id"] in cited],
    )


def issue_page(site: SiteData, issue: KnownIssue) -> str:
    snap = site.snap
    record = snap.issue_records[issue.id].data
    says = {e.source: e for e in issue.evidence}
    return _render(
        "issue.html.jinja",
        **_common(site, "../"),
        issue=issue,
        record=record,
        exp_types=snap.exp_types(issue),
        builds=snap.builds_of_issue(issue.id),
        fix=fix_status(site, issue),
        sources=[(s, says.get(s["id"])) for s in snap.sources if s["id"] in set(issue.sources)],
    )


def pages(site: SiteData) -> dict[str, str]:
    """Path in the site -> HTML, for every page."""
    out = {"index.html": home(site), "issues.html": issues_index(site), "check.html": check(site)}
    for build in site.snap.builds:
        out[f"builds/{build.id}.html"] = build_page(site, build)
    for issue in site.snap.issues:
        out[f"issues/{issue.id}.html"] = issue_page(site, issue)
    return out
