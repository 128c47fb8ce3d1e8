"""The Atom feed of builds and known issues, and the ICS calendar of build dates.

Both are made from the records alone: an entry's ``updated`` is the newest date in
its record, and the calendar's DTSTAMP is the data commit's date, so the same data
give the same bytes. Ids are tag URIs that do not change when the site moves.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from .data import SiteData
from .pages import environment

#: the authority of every tag URI (RFC 4151), the name the schemas' $id already use
TAG = "tag:jwst-builds.github.io,2026:"


@dataclass(frozen=True)
class Entry:
    id: str
    title: str
    updated: str  # RFC 3339
    published: str | None
    href: str
    summary: str
    category: str


def _stamp(day: str) -> str:
    return f"{day}T00:00:00Z"


def _build_entries(site: SiteData, base: str) -> list[Entry]:
    out = []
    for life in site.lifetimes:
        data = site.build(life.build).data
        days = [life.candidate, life.operations, life.end]
        days += [d for r in data["releases"] for d in (r["released"], r["ops_install"])]
        known = sorted(d for d in days if d)
        if not known:
            continue
        versions = ", ".join(r["jwst_version"] for r in data["releases"])
        summary = (
            f"Build {life.build} is {life.status}. jwst releases: {versions}. "
            f"CRDS context: {data['crds_context'] or 'not recorded'}. "
            f"First candidate: {life.candidate or 'not recorded'}; "
            f"in operations: {life.operations or 'never installed'}"
            + (f" until {life.end}." if life.operations and life.end else ".")
        )
        out.append(
            Entry(
                id=f"{TAG}builds/{life.build}",
                title=f"Build {life.build} ({life.status})",
                updated=_stamp(known[-1]),
                published=_stamp(known[0]),
                href=f"{base}builds/{life.build}.html",
                summary=summary,
                category="build",
            )
        )
    return out


def _issue_entries(site: SiteData, base: str) -> list[Entry]:
    out = []
    for issue in site.snap.issues:
        found = issue.discovered if issue.discovered and len(issue.discovered) == 10 else None
        out.append(
            Entry(
                id=f"{TAG}issues/{issue.id}",
                title=f"Known issue: {issue.title}",
                updated=_stamp(issue.last_reviewed),
                published=_stamp(found) if found and found <= issue.last_reviewed else None,
                href=f"{base}issues/{issue.id}.html",
                summary=f"{issue.summary} ({issue.impact}; {issue.status})",
                category="known-issue",
            )
        )
    return out


def atom(site: SiteData, base: str) -> str:
    """The feed, newest entry first; ``base`` is the site's URL ("" for relative links)."""
    entries = _build_entries(site, base) + _issue_entries(site, base)
    entries.sort(key=lambda e: e.id)
    entries.sort(key=lambda e: e.updated, reverse=True)
    return (
        environment()
        .get_template("feed.atom.jinja")
        .render(
            tag=TAG,
            base=base,
            entries=entries,
            updated=entries[0].updated if entries else _stamp(site.as_of),
        )
    )


# --- the calendar (RFC 5545) -----------------------------------------------------


def _escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n")


def _fold(line: str) -> str:
    """Fold a content line at 75 octets, never inside a UTF-8 character."""
    out: list[str] = []
    current = b""
    for char in line:
        encoded = char.encode("utf-8")
        limit = 75 if not out else 74  # continuation lines start with a space
        if len(current) + len(encoded) > limit:
            out.append(current.decode("utf-8"))
            current = b""
        current += encoded
    out.append(current.decode("utf-8"))
    return "\r\n ".join(out)


def _day(text: str) -> str:
    return text.replace("-", "")


def _event(
    uid: str, day: str, summary: str, description: str, url: str | None, stamp: str
) -> list[str]:
    following = (dt.date.fromisoformat(day) + dt.timedelta(days=1)).isoformat()
    lines = [
        "BEGIN:VEVENT",
        f"UID:{uid}@jwst-builds.github.io",
        f"DTSTAMP:{stamp}",
        f"DTSTART;VALUE=DATE:{_day(day)}",
        f"DTEND;VALUE=DATE:{_day(following)}",
        f"SUMMARY:{_escape(summary)}",
        f"DESCRIPTION:{_escape(description)}",
        "TRANSP:TRANSPARENT",
    ]
    if url:
        lines.append(f"URL:{url}")
    return [*lines, "END:VEVENT"]


def _events(site: SiteData) -> list[tuple[str, str, str, str, str]]:
    """(day, uid, summary, description, page) of every dated step of every build."""
    out: list[tuple[str, str, str, str, str]] = []
    for record in site.snap.builds:
        data, bid = record.data, record.id
        page = f"builds/{bid}.html"
        first = next(
            (
                r["jwst_version"]
                for r in data["releases"]
                if r["released"] == data["candidate_released"]
            ),
            None,
        )
        if data["candidate_released"]:
            out.append(
                (
                    data["candidate_released"],
                    f"build-{bid}-candidate",
                    f"Build {bid}: first release candidate" + (f" (jwst {first})" if first else ""),
                    f"First release candidate of JWST pipeline build {bid}.",
                    page,
                )
            )
        if data["operations_installed"]:
            out.append(
                (
                    data["operations_installed"],
                    f"build-{bid}-operations",
                    f"Build {bid} in operations",
                    f"JWST pipeline build {bid} installed in operations, CRDS context {data['crds_context'] or 'not recorded'}.",
                    page,
                )
            )
        for rel in data["releases"]:
            day = rel["ops_install"]
            if day and day != data["operations_installed"]:
                out.append(
                    (
                        day,
                        f"jwst-{rel['jwst_version']}-operations",
                        f"jwst {rel['jwst_version']} (build {bid}) in operations",
                        f"Release {rel['jwst_version']} of build {bid} installed in operations.",
                        page,
                    )
                )
    return sorted(out)


def _dtstamp(site: SiteData) -> str:
    date = site.snap.commit.date
    if date:
        moment = dt.datetime.fromisoformat(date).astimezone(dt.timezone.utc)
        return moment.strftime("%Y%m%dT%H%M%SZ")
    return _day(site.as_of) + "T000000Z"


def ics(site: SiteData, base: str) -> str:
    """The calendar: one all-day event per candidate and operations date."""
    stamp = _dtstamp(site)
    lines: list[str] = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//jwst-builds//jwst-builds site//EN",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        "X-WR-CALNAME:JWST pipeline builds",
    ]
    for day, uid, summary, description, page in _events(site):
        lines += _event(uid, day, summary, description, f"{base}{page}" if base else None, stamp)
    lines.append("END:VCALENDAR")
    return "".join(_fold(line) + "\r\n" for line in lines)


def feed_files(site: SiteData, base: str) -> dict[str, Any]:
    return {"feed.atom": atom(site, base), "calendar.ics": ics(site, base)}
