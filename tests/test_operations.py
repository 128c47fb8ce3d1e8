"""Which build and release ran in operations, and when: answers worked out by hand.

The records are built in memory so that each case shows exactly the dates it turns on.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from jwst_builds.dataset import Dataset, Record
from jwst_builds.errors import QueryError
from jwst_builds.issuerange import position
from jwst_builds.operations import (
    events,
    installs,
    operational_release,
    operations_build,
    operations_now,
    operations_on,
)


def _release(version: str, kind: str, ops_install: str | None = None) -> dict[str, Any]:
    return {"jwst_version": version, "kind": kind, "ops_install": ops_install}


def _build(build_id: str, status: str, installed: str | None, *releases: dict[str, Any]) -> Record:
    data = {
        "id": build_id,
        "status": status,
        "operations_installed": installed,
        "crds_context": f"jwst_{build_id.replace('.', '')}00.pmap",
        "releases": list(releases),
    }
    return Record("build", f"builds/{build_id}.yaml", data)


# 2.0: final installed 2024-02-01, then its patch 2024-03-01, then a PyPI-only tag.
# 3.0: installed 2024-06-01 with no dated release: its last final or patch counts.
# 4.0: a candidate only, never installed.
B20 = _build(
    "2.0",
    "archived",
    "2024-02-01",
    _release("0.2.0", "final", "2024-02-01"),
    _release("0.2.1", "patch", "2024-03-01"),
    _release("0.2.2", "pypi-only"),
)
B30 = _build(
    "3.0",
    "operations",
    "2024-06-01",
    _release("0.3.0", "candidate"),
    _release("0.3.1", "final"),
    _release("0.3.2", "documentation"),
)
B40 = _build("4.0", "candidate", None, _release("0.4.0", "candidate"))


def _dataset(*builds: Record) -> Dataset:
    return Dataset(root=Path("."), builds={b.id: b for b in builds})


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (None, "0.2.1"),  # the last release with an install date
        ("2024-03-01", "0.2.1"),  # installed that very day
        ("2024-02-29", "0.2.0"),  # the patch was not yet installed
        ("2024-01-31", "0.2.1"),  # nothing installed yet: the last final or patch
    ],
)
def test_operational_release_of_a_dated_build(day: str | None, expected: str) -> None:
    """The release in operations is the last one installed by the day."""
    assert expected == operational_release(B20, day)["jwst_version"]


def test_operational_release_without_dates_is_the_last_final() -> None:
    """Without install dates, the last final or patch: not the documentation re-release."""
    assert "0.3.1" == operational_release(B30)["jwst_version"]


def test_operational_release_without_finals_is_the_last_release() -> None:
    """A build with candidates only: its last release."""
    assert "0.4.0" == operational_release(B40)["jwst_version"]


def test_operations_build_is_the_one_with_that_status() -> None:
    """The build whose status is operations, or None."""
    assert (B30, None) == (
        operations_build(_dataset(B20, B30, B40)),
        operations_build(_dataset(B20)),
    )


def test_installs_in_install_order() -> None:
    """Builds ever installed, by install date (the same day: by version), others left out."""
    same_day = _build("1.5", "archived", "2024-06-01", _release("0.1.5", "final"))
    ds = _dataset(B40, B30, same_day, B20)
    assert [("2024-02-01", "2.0"), ("2024-06-01", "1.5"), ("2024-06-01", "3.0")] == [
        (day, b.id) for day, b in installs(ds)
    ]


def test_events_are_every_installation() -> None:
    """One event per dated release, or one per build without dates, in date order."""
    got = [(day, pos, rel["jwst_version"], b.id) for day, pos, rel, b in events(_dataset(B30, B20))]
    assert [
        ("2024-02-01", position("2.0", "0.2.0"), "0.2.0", "2.0"),
        ("2024-03-01", position("2.0", "0.2.1"), "0.2.1", "2.0"),
        ("2024-06-01", position("3.0", "0.3.1"), "0.3.1", "3.0"),
    ] == got


def test_operations_on_a_day() -> None:
    """The answer names the build, the release of that day, and when it was replaced."""
    ds = _dataset(B20, B30, B40)
    answer = operations_on(ds, "2024-02-15")
    assert {
        "date": "2024-02-15",
        "build": "2.0",
        "release": "0.2.0",
        "crds_context": "jwst_2000.pmap",
        "installed": "2024-02-01",
        "replaced": "2024-06-01",
        "status_today": "archived",
    } == {k: v for k, v in answer.items() if k != "schema_version"}
    assert (None, "3.0") == (
        operations_on(ds, "2024-06-01")["replaced"],
        operations_on(ds, "2024-06-01")["build"],
    )


def test_operations_before_the_first_install() -> None:
    """Before any install the answer is an error that names the first install date, and
    without any install, says only that none was in operations."""
    with pytest.raises(QueryError) as first:
        operations_on(_dataset(B20, B30), "2024-01-01")
    with pytest.raises(QueryError) as none:
        operations_on(_dataset(B40), "2024-01-01")
    assert (
        "no build was in operations on 2024-01-01 (the first was installed on 2024-02-01)",
        "no build was in operations on 2024-01-01",
    ) == (str(first.value), str(none.value))


def test_operations_now() -> None:
    """Today's build, its release and context; None when no build is in operations."""
    assert (
        {
            "build": "3.0",
            "release": "0.3.1",
            "since": "2024-06-01",
            "crds_context": "jwst_3000.pmap",
        },
        None,
    ) == (operations_now(_dataset(B20, B30)), operations_now(_dataset(B20)))
