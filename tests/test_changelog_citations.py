"""Every change-log entry a known issue cites is in the jwst change log.

The change log is read from the shared reference folder next to the checkout
(``../shared/reference/jwst_CHANGES.rst``); CI places it there. The parser is tested
on a small hand-written text first.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from jwst_builds import changelog, dataset
from jwst_builds.issuerange import known_issues

REPO = Path(__file__).resolve().parent.parent
CHANGES = REPO.parent / "shared" / "reference" / "jwst_CHANGES.rst"

SAMPLE = """\
2.0.1 (2026-05-06)
==================

assign_wcs (spec2)
------------------

- Fix a crash for stripe subarrays. (`#10453
  <https://github.com/spacetelescope/jwst/issues/10453>`_)

Associations
------------

- Exclude DHS subarrays. (`#10567 <https://github.com/spacetelescope/jwst/issues/10567>`_)

1.12.2 (2023-10-02)
===================

flat_field
----------

- Use the 1-D errors of the F-flat. [#7978]
"""


def test_parser_reads_versions_dates_and_categories() -> None:
    """Both entry styles (`#N <url>`_ and [#N]) and capitalised or underscored headings."""
    sections = changelog.parse(SAMPLE)
    assert ["2.0.1", "1.12.2"] == list(sections)
    assert "2026-05-06" == sections["2.0.1"].date
    assert changelog.carries(sections, "2.0.1", 10453, "assign_wcs")
    assert changelog.carries(sections, "2.0.1", 10567, "associations")
    assert changelog.carries(sections, "1.12.2", 7978, "flatfield")
    assert not changelog.carries(sections, "2.0.1", 7978, "flatfield")
    assert not changelog.carries(sections, "2.0.1", 10453, "associations")


@pytest.mark.skipif(not CHANGES.is_file(), reason="../shared/reference is not beside the checkout")
def test_every_cited_entry_is_in_the_change_log() -> None:
    """Each software fix's change-log citations name a real version, PR and category."""
    sections = changelog.parse(CHANGES.read_text(encoding="utf-8"))
    missing = []
    cited = 0
    for issue in known_issues(dataset.load(REPO)):
        for entry in issue.fixed.changelog if issue.fixed else ():
            cited += 1
            if not changelog.carries(sections, entry.version, entry.pr, entry.category):
                missing.append(f"{issue.id}: {entry.version} #{entry.pr} {entry.category}")
    assert [] == missing
    assert cited > 0
