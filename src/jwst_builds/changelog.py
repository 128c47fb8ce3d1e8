"""Read the jwst change log (CHANGES.rst): versions, their dates, and entries per category.

The change log is the authority on which jwst release carries a code change. Known-issue
records cite its entries by version, pull-request number and category; the tests check
every citation against a copy of the file.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

_VERSION = re.compile(r"^(\d+\.\d+\.\d+) \((\d{4}-\d{2}-\d{2}|unreleased)\)\s*$")
_PR = re.compile(r"#(\d+)")
#: headings spelled differently from the category names of the issue schema
_ALIASES = {"documentation": "docs", "general": "other", "breaking changes": "breaking"}


@dataclass
class Section:
    """One version of the change log: its date and the PR numbers under each category."""

    version: str
    date: str
    prs: dict[str, set[int]] = field(default_factory=dict)


def category_key(name: str) -> str:
    """A heading or category name reduced for comparison (``flat_field`` = ``flatfield``)."""
    name = name.strip().strip("`").split(" (")[0].strip("`").strip().lower()
    return _ALIASES.get(name, name).replace("_", "").replace(" ", "")


def parse(text: str) -> dict[str, Section]:
    """Every version section of a CHANGES.rst text, by version."""
    lines = text.splitlines()
    sections: dict[str, Section] = {}
    current: Section | None = None
    category = ""
    for i, line in enumerate(lines):
        below = lines[i + 1] if i + 1 < len(lines) else ""
        match = _VERSION.match(line)
        if match and below.startswith("==="):
            current = Section(match.group(1), match.group(2))
            sections[current.version] = current
            category = ""
            continue
        if current is None:
            continue
        if below.startswith("---") and line.strip() and not line.startswith(("-", " ")):
            category = category_key(line)
            continue
        for number in _PR.findall(line):
            current.prs.setdefault(category, set()).add(int(number))
    return sections


def release_dates(sections: dict[str, Section]) -> dict[str, str]:
    """Version -> date of every released section (not the ``unreleased`` one)."""
    return {v: s.date for v, s in sections.items() if s.date != "unreleased"}


def carries(sections: dict[str, Section], version: str, pr: int, category: str) -> bool:
    """Whether the section of ``version`` lists ``pr`` under ``category``."""
    section = sections.get(version)
    return section is not None and pr in section.prs.get(category_key(category), set())
