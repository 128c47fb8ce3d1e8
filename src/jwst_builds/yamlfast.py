"""The quick way from YAML text to data, for files that hold nothing unusual.

ruamel's safe loader spends most of its time per value: each scalar asks the
resolver which YAML version is being read, builds a node, then a constructor
walks the nodes. Here one pass over the C parser's events builds the data
directly, resolving plain scalars with ruamel's own YAML 1.2 table and building
numbers and booleans with the project's constructor, so every value comes out as
the safe loader would make it.

Anything this pass does not handle the same way (an anchor, an alias, a tag, a
%YAML directive, a merge or duplicate key, a key that is not text, a date, a
value the constructor refuses, deep nesting, more than one document, a syntax
error) raises :class:`Fallback`, and the caller loads the file the careful way,
which reports the located problem. The fast path never decides that a file is
wrong; it only takes the files that are plainly right.
"""

from __future__ import annotations

from sys import intern
from typing import Any

from ruamel.yaml.events import (
    DocumentEndEvent,
    DocumentStartEvent,
    MappingEndEvent,
    MappingStartEvent,
    ScalarEvent,
    SequenceEndEvent,
    SequenceStartEvent,
    StreamEndEvent,
    StreamStartEvent,
)
from ruamel.yaml.nodes import ScalarNode
from ruamel.yaml.resolver import VersionedResolver

from .yamlguard import MAX_DEPTH, TAG_PREFIX, Constructor

try:  # the C parser ships with ruamel.yaml.clib; without it there is no quick way
    from _ruamel_yaml import CParser  # type: ignore[import-not-found]
except ImportError:  # pragma: no cover - clib is a declared dependency
    CParser = None


class Fallback(Exception):
    """This file needs the careful loader (it may still be valid)."""


class _Version12:
    # ruamel's int and float constructors ask the resolver for the YAML version;
    # a file without a %YAML directive is read as 1.2 (directives take the careful path).
    processing_version = (1, 2)


class _Scalars(Constructor):
    """The project's constructor, used only for scalars, outside any loader."""

    resolver = _Version12()


_SCALARS = _Scalars()
_STR = TAG_PREFIX + "str"
_NULL = TAG_PREFIX + "null"
#: how plain scalars other than text are built; any other tag takes the careful path
_BUILD = {
    TAG_PREFIX + "bool": _SCALARS.construct_yaml_bool,
    TAG_PREFIX + "int": _SCALARS.construct_yaml_int,
    TAG_PREFIX + "float": _SCALARS.construct_yaml_float,
}


def _compiled(regexp: Any) -> Any:
    # ruamel wraps its patterns to compile them on first use, and every use then
    # passes through the wrapper; take the compiled pattern once
    try:
        return object.__getattribute__(regexp, "lazy_self")()
    except AttributeError:
        return regexp


#: ruamel's implicit resolvers for YAML 1.2: first character -> [(tag, regexp)]
_TABLE: dict[Any, list[tuple[str, Any]]] = {
    first: [(tag, _compiled(regexp)) for tag, regexp in resolvers]
    for first, resolvers in VersionedResolver(version=(1, 2)).versioned_resolver.items()
}
_ANY_START = _TABLE.get(None, [])
#: a plain scalar starting with none of these is text whatever follows
_MAYBE_NOT_TEXT = frozenset(k for k in _TABLE if k) if not _ANY_START else None
_NO_KEY = object()
#: text up to this long is kept once in memory and in the cache (names, dates, versions)
_SHARED = 40


def _plain(value: str) -> Any:
    """A plain (unquoted) scalar as the safe loader builds it, or Fallback."""
    candidates = _TABLE.get(value[0] if value else "", [])
    for tag, regexp in candidates + _ANY_START if _ANY_START else candidates:
        if regexp.match(value):
            if tag == _NULL:
                return None
            build = _BUILD.get(tag)
            if build is None:  # a date, a merge key, '=' and the like
                raise Fallback(tag)
            try:
                return build(ScalarNode(tag, value))
            except Exception as exc:  # the careful path gives the located problem
                raise Fallback(tag) from exc
    return value


#: key order -> a class whose instances share that key table: see _compact
_SHAPES: dict[tuple[str, ...], type] = {}
#: no more classes than this (a tree of many shapes keeps the rest as plain dicts)
_MAX_SHAPES = 2048


def _compact(mapping: dict[str, Any]) -> dict[str, Any]:
    """The same mapping, in a dict that shares its key table with every other of the
    same keys in the same order.

    Records repeat the same few shapes (a release has the same eleven keys in every
    build), and CPython lets the attribute dicts of one class share a single key
    table (PEP 412): such a dict holds only its values, about 180 bytes for a
    release instead of 470. It is a plain dict in every other way; a key added later
    just gives it its own table again. Big trees are mostly these dicts.
    """
    shape = tuple(mapping)
    cls = _SHAPES.get(shape)
    if cls is None:
        if len(_SHAPES) >= _MAX_SHAPES or len(shape) < _FROM_KEYS:
            return mapping
        cls = _SHAPES[shape] = type("Shape", (), {})
    shared: dict[str, Any] = cls().__dict__
    for key, value in mapping.items():  # one by one: update() would give it its own table
        shared[key] = value
    return shared


#: a dict of fewer keys is small already
_FROM_KEYS = 4


def load(text: str) -> Any:
    """The data of one YAML document, as ruamel's safe loader builds it; or Fallback."""
    if CParser is None:
        raise Fallback("no C parser")
    try:
        return _build(CParser(text).get_event)
    except Fallback:
        raise
    except Exception as exc:  # a syntax error or a bad character: the careful path says where
        raise Fallback(type(exc).__name__) from exc


def _build(next_event: Any) -> Any:
    if type(next_event()) is not StreamStartEvent:
        raise Fallback("stream")
    start = next_event()
    if type(start) is not DocumentStartEvent or start.version or start.tags:
        raise Fallback("document")
    # each open collection: [the dict or list, the key waiting for its value]
    stack: list[list[Any]] = []
    result: Any = _NO_KEY
    while True:
        event = next_event()
        kind = type(event)
        if kind is ScalarEvent:
            if event.anchor is not None or event.ctag is not None:
                raise Fallback("anchor or tag")
            value = event.value
            if event.implicit[0] and (
                _MAYBE_NOT_TEXT is None or not value or value[0] in _MAYBE_NOT_TEXT
            ):
                value = _plain(value)
            if type(value) is str and len(value) <= _SHARED:
                value = intern(value)  # states, dates, versions: shared, not repeated
        elif kind is MappingStartEvent or kind is SequenceStartEvent:
            if event.anchor is not None or event.ctag is not None or len(stack) >= MAX_DEPTH:
                raise Fallback("anchor, tag or depth")
            if stack and type(stack[-1][0]) is dict and stack[-1][1] is _NO_KEY:
                raise Fallback("a collection as a key")
            stack.append([{} if kind is MappingStartEvent else [], _NO_KEY])
            continue
        elif kind is MappingEndEvent:
            value = _compact(stack.pop()[0])
        elif kind is SequenceEndEvent:
            value = stack.pop()[0][:]  # a copy is exactly as long as it needs to be
        else:  # an alias, or anything else
            raise Fallback(kind.__name__)
        if not stack:
            result = value
            break
        top = stack[-1]
        container = top[0]
        if type(container) is list:
            container.append(value)
        elif top[1] is _NO_KEY:
            if type(value) is not str or value in container:
                raise Fallback("a key that is not text, or a duplicate key")
            top[1] = value
        else:
            container[top[1]] = value
            top[1] = _NO_KEY
    if type(next_event()) is not DocumentEndEvent or type(next_event()) is not StreamEndEvent:
        raise Fallback("more than one document")
    return result
