"""What data files may not hold, found while YAML reads them: a guard on the loader.

Two parts. :func:`scan_problem` passes once over the YAML events before anything is
built and refuses what CONTRIBUTING.md rules out (anchors, aliases, tags, merge keys)
and nesting deep enough to make any recursive walk fail. :class:`Constructor` is the
safe constructor with located problems for values YAML recognises but cannot build
(``2016-02-30``, a 5,000-digit number) and for keys that are not text.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import ruamel.yaml
from ruamel.yaml.constructor import ConstructorError, SafeConstructor
from ruamel.yaml.error import YAMLError
from ruamel.yaml.events import (
    AliasEvent,
    CollectionEndEvent,
    CollectionStartEvent,
    MappingStartEvent,
    NodeEvent,
    ScalarEvent,
)
from ruamel.yaml.nodes import MappingNode

from .problems import PathPart, Problem, field_name

TAG_PREFIX = "tag:yaml.org,2002:"
_STR_TAG = TAG_PREFIX + "str"
#: parses events only (the C parser when ruamel.yaml.clib is installed)
_EVENTS = ruamel.yaml.YAML(typ="safe")
#: Records are a few levels deep (software.fixed.changelog[0].pr is five); deeper
#: nesting is refused before anything is built, so nothing can recurse on it.
MAX_DEPTH = 20
#: The longest number a data file may hold unquoted: no field needs more, and
#: Python refuses to read integers over 4,300 digits.
MAX_DIGITS = 100


class Unbuildable(ConstructorError):
    """A value YAML recognises (a date, a number) but cannot build; carries a hint."""

    def __init__(self, message: str, hint: str, node: Any) -> None:
        super().__init__(None, None, message, node.start_mark)
        self.hint = hint


class Constructor(SafeConstructor):
    """The safe constructor, with located problems for values it cannot build.

    YAML reads an unquoted ``2016-02-30`` as a date and ``99...9`` as an
    integer; building them fails deep inside Python (``day is out of range``,
    the 4,300-digit limit). Each such value becomes a problem at its line.
    Keys must be text: a key YAML reads as a number, a boolean, null or a
    collection is refused at the key.
    """

    def construct_yaml_timestamp(self, node: Any, values: Any = None) -> Any:
        try:
            return super().construct_yaml_timestamp(node, values)
        except (ValueError, OverflowError) as exc:
            raise Unbuildable(
                f"{node.value} is not a date that exists: {exc}",
                'check the date, and write it quoted: "YYYY-MM-DD"',
                node,
            ) from exc

    def construct_yaml_int(self, node: Any) -> Any:
        digits = sum(ch.isdigit() for ch in str(node.value))
        if digits > MAX_DIGITS:
            raise Unbuildable(
                f"a number of {digits:,} digits is too long",
                "no field holds such a number; quote it if it is text",
                node,
            )
        return super().construct_yaml_int(node)

    def construct_mapping(self, node: Any, deep: bool = False) -> Any:
        if isinstance(node, MappingNode):
            for key_node, _ in node.value:
                if key_node.tag != _STR_TAG:
                    raise Unbuildable(*_key_fault(key_node), key_node)
        return super().construct_mapping(node, deep=deep)


# add_constructor on the subclass copies the table; ruamel's own stays as it is
Constructor.add_constructor(TAG_PREFIX + "timestamp", Constructor.construct_yaml_timestamp)
Constructor.add_constructor(TAG_PREFIX + "int", Constructor.construct_yaml_int)


def _key_fault(node: Any) -> tuple[str, str]:
    if isinstance(node.value, list):
        kind = "a mapping" if isinstance(node, MappingNode) else "a list"
        return f"a key must be a name, not {kind}", "write the key as plain text"
    kind = node.tag.removeprefix(TAG_PREFIX)
    words = {"int": "a number", "float": "a number", "bool": "a boolean", "null": "null"}
    what = words.get(kind, f"a {kind}")
    text = short(str(node.value))
    return f"the key {text} is read as {what}, not text", f'keys are names; quote it: "{text}"'


def short(text: str, limit: int = 40) -> str:
    """A value shown in a message: at most ``limit`` characters."""
    return text if len(text) <= limit else f"{text[: limit - 3]}..."


TAG_HINT = "data files hold only plain strings, numbers, lists and mappings; quote text"


def tag_name(tag: str) -> str:
    return "!!" + tag[len(TAG_PREFIX) :] if tag.startswith(TAG_PREFIX) else tag


def _events(text: str) -> Iterator[Any]:
    """The parse events of ``text``.

    The YAML object keeps a record of every document it has parsed (doc_infos); one
    per file, for the life of the process, is dropped here.
    """
    try:
        yield from _EVENTS.parse(text)
    finally:
        _EVENTS.doc_infos.clear()


def _node_events(text: str) -> Iterator[tuple[Any, list[list[Any]], bool]]:
    """Every node event with the open collections above it and whether it is a key.

    Each open collection is ``[is_mapping, next_is_key, current key or index]``;
    parsing events is iterative, so this is safe on any nesting.
    """
    stack: list[list[Any]] = []
    for event in _events(text):
        if isinstance(event, CollectionEndEvent):
            stack.pop()
            continue
        if not isinstance(event, NodeEvent):
            continue
        is_key = False
        if stack:
            top = stack[-1]
            if top[0]:
                is_key = top[1]
                top[1] = not is_key
                if is_key:
                    top[2] = event.value if isinstance(event, ScalarEvent) else "?"
            else:
                top[2] += 1
        yield event, stack, is_key
        if isinstance(event, CollectionStartEvent):
            stack.append([isinstance(event, MappingStartEvent), True, -1])


def _path(stack: list[list[Any]]) -> tuple[PathPart, ...]:
    return tuple(frame[2] for frame in stack)


def path_at(text: str, line: int, col: int) -> tuple[PathPart, ...]:
    """The document path of the node that starts at a (0-based) line and column.

    For a key, the path of the mapping that holds it: the key is what is wrong.
    """
    try:
        for event, stack, is_key in _node_events(text):
            mark = event.start_mark
            if (mark.line, mark.column) == (line, col):
                path = _path(stack)
                return path[:-1] if is_key else path
    except YAMLError:
        pass
    return ()


def _deeper_than(text: str, limit: int) -> bool:
    """Whether collections nest deeper than ``limit`` (stops as soon as they do)."""
    depth = 0
    for event in _events(text):
        if isinstance(event, CollectionStartEvent):
            depth += 1
            if depth > limit:
                return True
        elif isinstance(event, CollectionEndEvent):
            depth -= 1
    return False


def scan_problem(shown: str, text: str) -> Problem | None:
    """The first construct data files refuse, found before anything is built.

    One linear pass over the YAML events: aliases (the stuff of alias bombs),
    anchors, explicit tags (``!!str``, ``!!binary``, ``!!python/...``), merge
    keys (``<<``) and nesting deeper than :data:`MAX_DEPTH`, which would make
    the loaders and every walk over the data recurse without end.
    """
    if not any(mark in text for mark in "&*!<") and not _deeper_than(text, MAX_DEPTH):
        return None  # the common case: nothing to refuse, one cheap pass
    for event, stack, is_key in _node_events(text):
        if isinstance(event, AliasEvent) or event.anchor is not None:
            fault = (
                "YAML anchors and aliases (&name, *name) are not allowed in data files",
                "write each value out in full",
            )
        elif event.tag is not None:
            fault = (f"YAML tag {short(tag_name(event.tag))} is not allowed", TAG_HINT)
        elif is_key and isinstance(event, ScalarEvent) and not event.style and event.value == "<<":
            fault = (
                "YAML merge keys (<<) are not allowed in data files",
                "write the keys out in full",
            )
        elif isinstance(event, CollectionStartEvent) and len(stack) >= MAX_DEPTH:
            fault = (
                f"nesting is deeper than {MAX_DEPTH} levels",
                "records are a few levels deep; close the brackets or remove the extra levels",
            )
        else:
            continue
        mark = event.start_mark
        return Problem(shown, mark.line + 1, mark.column + 1, field_name(_path(stack)), *fault)
    return None
