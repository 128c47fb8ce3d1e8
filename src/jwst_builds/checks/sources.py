"""Checks of source citations and recorded disagreements, in every record type."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from ..dataset import SOURCES_FILE, Dataset, Record
from ..problems import PathPart, Problem, problem


def _walk(
    node: Any, where: tuple[PathPart, ...]
) -> Iterator[tuple[dict[str, Any], tuple[PathPart, ...]]]:
    """Every mapping in a record, with its path, parents before children in file order.

    With a stack rather than nested generators: every record of a big tree passes
    through here, and each level of ``yield from`` re-yields everything below it.
    """
    stack: list[tuple[Any, tuple[PathPart, ...]]] = [(node, where)]
    while stack:
        node, where = stack.pop()
        if isinstance(node, dict):
            yield node, where
            items: Any = node.items()
        elif isinstance(node, list):
            items = enumerate(node)
        else:
            continue
        stack.extend(
            (value, (*where, key))
            for key, value in reversed(list(items))
            if isinstance(value, (dict, list))
        )


def _shown(value: Any) -> str | None:
    return None if value is None else str(value)


def check(ds: Dataset) -> Iterator[Problem]:
    """The rules that need sources.yaml: its ids are unique, and every cited id is one."""
    first: dict[str, int] = {}
    for i, sid in enumerate(ds.source_ids):
        if sid in first:
            yield problem(
                SOURCES_FILE,
                ("sources", i, "id"),
                f"source '{sid}' is already listed as sources[{first[sid]}]",
                "one entry per source: merge the two or give this one its own id",
                code="S005",
            )
        first.setdefault(sid, i)
    known = ds.sources
    if not known:
        return  # sources.yaml is missing or broken, and reported as such
    for record in [*ds.builds.values(), *ds.issues.values()]:
        # the ids were gathered when the file was loaded; only a record citing an
        # unknown one is walked again, to say where
        if all(sid in known for sid in record.cited):
            continue
        for node, where in _walk(record.data, ()):
            for i, sid in enumerate(node.get("sources") or []):
                if isinstance(sid, str) and sid not in known:
                    yield _unknown(record.file, (*where, "sources", i), sid)
            for i, c in enumerate(node.get("conflicts") or []):
                for key in ("chosen_source", "alternative_source"):
                    if c[key] not in known:
                        yield _unknown(record.file, (*where, "conflicts", i, key), c[key])


def _unknown(file: str, at: tuple[PathPart, ...], sid: str) -> Problem:
    return problem(
        file,
        at,
        f"unknown source '{sid}'",
        "add it to sources.yaml or cite an existing id",
        code="S001",
    )


def cited(data: dict[str, Any]) -> tuple[str, ...]:
    """Every source id the record cites (sources lists and conflicts), each once."""
    found: dict[str, None] = {}
    for node, _ in _walk(data, ()):
        for sid in node.get("sources") or []:
            if isinstance(sid, str):
                found[sid] = None
        for c in node.get("conflicts") or []:
            found[c["chosen_source"]] = None
            found[c["alternative_source"]] = None
    return tuple(found)


def one_record(record: Record) -> Iterator[Problem]:
    """The conflicts of one record name its own fields and values: run as the file is
    loaded, and cached with it."""
    for node, where in _walk(record.data, ()):
        for i, conflict in enumerate(node.get("conflicts") or []):
            yield from _conflict(record.file, (*where, "conflicts", i), node, conflict)


def _lookup(owner: dict[str, Any], name: str) -> tuple[bool, Any]:
    """The value at a field name or dotted path (``software.fixed.release``)."""
    node: Any = owner
    for part in name.split("."):
        if not isinstance(node, dict) or part not in node:
            return False, None
        node = node[part]
    return True, node


def _conflict(
    file: str,
    at: tuple[PathPart, ...],
    owner: dict[str, Any],
    c: dict[str, Any],
) -> Iterator[Problem]:
    name = c["field"]
    found, value = _lookup(owner, name)
    if name in ("sources", "conflicts", "evidence") or not found:
        yield problem(
            file,
            (*at, "field"),
            f"'{name}' is not a field of this record",
            "name the field whose value the sources dispute (a dotted path for nested fields)",
            code="S002",
        )
    elif _shown(value) != c["chosen"]:
        yield problem(
            file,
            (*at, "chosen"),
            f"{c['chosen']!r} is not the value of {name} ({_shown(value)!r})",
            "chosen must be the value the record holds",
            code="S003",
        )
    if c["chosen"] == c["alternative"]:
        yield problem(
            file,
            (*at, "alternative"),
            "the alternative equals the chosen value",
            "a conflict records two different values",
            code="S004",
        )
