"""Checks of source citations and recorded disagreements, in every record type."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from ..dataset import SOURCES_FILE, Dataset
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
    for record in [*ds.builds.values(), *ds.issues.values()]:
        for node, where in _walk(record.data, ()):
            for i, sid in enumerate(node.get("sources") or []):
                if isinstance(sid, str) and known and sid not in known:
                    yield problem(
                        record.file,
                        (*where, "sources", i),
                        f"unknown source '{sid}'",
                        "add it to sources.yaml or cite an existing id",
                        code="S001",
                    )
            for i, conflict in enumerate(node.get("conflicts") or []):
                yield from _conflict(record.file, (*where, "conflicts", i), node, conflict, known)


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
    known: dict[str, Any],
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
    for key in ("chosen_source", "alternative_source"):
        if known and c[key] not in known:
            yield problem(
                file,
                (*at, key),
                f"unknown source '{c[key]}'",
                "add it to sources.yaml or cite an existing id",
                code="S001",
            )
