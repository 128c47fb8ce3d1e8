"""`jwst-builds fmt`: one canonical text for every data file.

The canonical form is what ruamel's round-trip dumper writes with these choices:

- keys in the order of the schema's ``properties`` (unknown keys last, as found);
- block style for every non-empty list and mapping, lists indented under their key;
- versions, contexts and dates in double quotes, and double quotes wherever
  a string needs quotes; other strings keep the writer's choice between plain,
  double-quoted and block style (single quotes become double);
- ``null`` written out; no line wrapping;
- the schema modeline as the first line; no ``---``; full-line comments indented
  like the line they precede, two spaces before an end-of-line comment, no
  runs of blank lines and no trailing whitespace.

Formatting must never change what a file means. Each result is loaded again and
compared with the original data (types included) and the original comments;
if either differs, the file is refused and left alone.
"""

from __future__ import annotations

import datetime as dt
import difflib
import json
import math
import os
import re
import warnings
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from functools import cache, partial
from io import StringIO
from pathlib import Path
from typing import Any

import ruamel.yaml
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.emitter import RoundTripEmitter
from ruamel.yaml.error import CommentMark, YAMLError
from ruamel.yaml.representer import RoundTripRepresenter
from ruamel.yaml.scalarint import ScalarInt
from ruamel.yaml.scalarstring import (
    DoubleQuotedScalarString,
    FoldedScalarString,
    LiteralScalarString,
    SingleQuotedScalarString,
)
from ruamel.yaml.tokens import CommentToken, ScalarToken

from .problems import PathPart, Problem, field_name
from .safewrite import WriteRefused, replace_file
from .yamlio import (
    LoadError,
    iter_files,
    read_bytes,
    relative_name,
    text_of,
    unreadable,
)
from .yamlparse import parse_text

#: Schema definitions whose values are always written in double quotes, with
#: their variants (``date_or_null``, ``date_or_month``): a contributor copying
#: "10.2" or "2024-06-12" should see the quotes that keep YAML from reading a
#: number or a date.
QUOTED_DEFS = ("date", "build_id", "dms_version", "jwst_version", "crds_context", "sdp_version")


def _quoted_def(name: str) -> bool:
    return any(name == stem or name.startswith(stem + "_") for stem in QUOTED_DEFS)


MODELINE = "# yaml-language-server: $schema={}"
_MODELINE = re.compile(r"^#\s*yaml-language-server:\s*\$schema=")


class FormatError(Exception):
    """Formatting a file would change its data or lose a comment; carries the problem."""

    def __init__(self, problem: Problem) -> None:
        super().__init__(problem.text())
        self.problem = problem


# --- the dumper ---------------------------------------------------------------


class _Emitter(RoundTripEmitter):
    """Double quotes wherever ruamel would otherwise pick single quotes."""

    def choose_scalar_style(self) -> Any:
        style = super().choose_scalar_style()
        return '"' if style == "'" else style


class _Representer(RoundTripRepresenter):
    pass


def _represent_none(rep: Any, _data: None) -> Any:
    return rep.represent_scalar("tag:yaml.org,2002:null", "null")


# add_representer on the subclass copies the table, so ruamel's own stays as is
_Representer.add_representer(type(None), _represent_none)


def make_yaml() -> ruamel.yaml.YAML:
    """The round-trip loader and dumper of the canonical form."""
    yaml = ruamel.yaml.YAML(typ="rt")
    yaml.Emitter = _Emitter
    yaml.Representer = _Representer
    yaml.allow_duplicate_keys = False
    yaml.indent(mapping=2, sequence=4, offset=2)
    yaml.preserve_quotes = True
    yaml.width = 4096  # never wrap: a changed word shows as one changed line
    return yaml


# --- schemas: key order and quoting ------------------------------------------


@dataclass(frozen=True)
class SchemaSet:
    """The schemas of one folder, for walking a document beside its schema."""

    docs: dict[str, dict[str, Any]]
    quoted: tuple[re.Pattern[str], ...]

    def resolve(self, node: Any, file: str) -> tuple[Any, str, frozenset[str]]:
        """Follow $ref chains; also return the names of the $defs passed through."""
        names: set[str] = set()
        for _ in range(50):
            if not isinstance(node, dict) or "$ref" not in node:
                break
            ref = str(node["$ref"])
            target, _, pointer = ref.partition("#")
            file = target.rsplit("/", 1)[-1] if target else file
            node = self.docs.get(file, {})
            for part in (p for p in pointer.split("/") if p):
                node = node.get(part, {}) if isinstance(node, dict) else {}
            if pointer.startswith("/$defs/"):
                names.add(pointer.rsplit("/", 1)[-1])
        return node, file, frozenset(names)

    def branches(
        self, node: Any, file: str
    ) -> Iterator[tuple[dict[str, Any], str, frozenset[str]]]:
        """Every concrete schema a value may match (through $ref, oneOf, anyOf, allOf)."""
        node, file, names = self.resolve(node, file)
        if not isinstance(node, dict):
            return
        yield node, file, names
        for key in ("oneOf", "anyOf", "allOf"):
            for sub in node.get(key, []):
                for branch, bfile, bnames in self.branches(sub, file):
                    yield branch, bfile, names | bnames


@cache
def load_schemas(folder: Path) -> SchemaSet:
    docs: dict[str, dict[str, Any]] = {}
    for path in sorted(folder.glob("*.schema.json")):
        try:
            doc = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue  # validate reports a broken schema; fmt keeps key order as found
        if isinstance(doc, dict):
            docs[path.name] = doc
    quoted = []
    for doc in docs.values():
        defs = doc.get("$defs")
        for name, schema in defs.items() if isinstance(defs, dict) else ():
            if _quoted_def(name) and isinstance(schema, dict) and "pattern" in schema:
                try:
                    quoted.append(re.compile(str(schema["pattern"])))
                except re.error:
                    continue  # validate reports it
    return SchemaSet(docs, tuple(quoted))


@dataclass
class _Walk:
    """What the canonical walk needs besides the node: schemas, source lines, lead comments."""

    schemas: SchemaSet
    lines: list[str]
    #: comments above the key that becomes first in the top-level mapping
    lead: list[str] = field(default_factory=list)


class _RawInt(int):
    """An integer written with underscores (2018_2), kept exactly as written.

    ruamel re-groups the digits of such numbers on output (2_0_1_8_2); the value
    is a mistake for validate to report (an unquoted version), never for fmt
    to rewrite.
    """

    raw: str


def _represent_raw_int(rep: Any, data: _RawInt) -> Any:
    return rep.represent_scalar("tag:yaml.org,2002:int", data.raw)


_Representer.add_representer(_RawInt, _represent_raw_int)
_TOKEN = re.compile(r"[^\s,#\]}]+")


def _raw_int(node: Any, walk: _Walk, where: Callable[[], tuple[int, int]]) -> Any:
    if not isinstance(node, ScalarInt) or getattr(node, "_underscore", None) is None:
        return node
    line, col = where()
    match = _TOKEN.match(walk.lines[line], col) if line < len(walk.lines) else None
    if match is None:
        return int(node)
    out = _RawInt(node)
    out.raw = match.group(0)
    return out


def _canonical(node: Any, walk: _Walk, schema: Any, file: str, top: bool = False) -> Any:
    """Reorder keys, set block style and pick scalar styles, in place where possible.

    ruamel keeps a full-line comment with the value *above* it. Before keys
    move, each such comment is detached and later attached above the key it
    preceded, so comments travel with the key they describe.
    """
    schemas = walk.schemas
    branches = list(schemas.branches(schema, file)) if schema is not None else []
    if isinstance(node, CommentedMap):
        props: dict[str, Any] = {}
        prop_file = file
        for branch, bfile, _ in branches:
            if isinstance(branch.get("properties"), dict):
                props, prop_file = branch["properties"], bfile
                break
        keys = list(node)
        if not keys:
            return node  # {} stays as written
        above: dict[Any, str] = {key: _detach_before(node, key) for key in keys}
        for key, after in zip(keys, [*keys[1:], None], strict=True):
            above[after] = detach_below(node, key) + above.get(after, "")
        order = [k for k in props if k in node] + [k for k in node if k not in props]
        for key in order:
            value = _raw_int(node[key], walk, partial(node.lc.value, key))
            node.move_to_end(key)
            node[key] = _canonical(value, walk, props.get(str(key)), prop_file)
        if node:
            node.fa.set_block_style()
        for i, key in enumerate(order):
            text = above.get(key, "")
            if text and i == 0 and top:
                walk.lead.append(text)
            elif text:
                attach_below(node, order[max(i - 1, 0)], text)
        if above.get(None):
            attach_below(node, order[-1], above[None])
        return node
    if isinstance(node, CommentedSeq):
        items, item_file = None, file
        for branch, bfile, _ in branches:
            if "items" in branch:
                items, item_file = branch["items"], bfile
                break
        for i, item in enumerate(node):
            item = _raw_int(item, walk, partial(node.lc.item, i))
            node[i] = _canonical(item, walk, items, item_file)
        if node:
            node.fa.set_block_style()
        return node
    if type(node) in (str, SingleQuotedScalarString):  # block scalars stay as written
        names = frozenset().union(*(n for _, _, n in branches)) if branches else frozenset()
        if (
            isinstance(node, SingleQuotedScalarString)
            or any(_quoted_def(n) for n in names)
            or any(p.fullmatch(node) for p in schemas.quoted)
        ):
            return DoubleQuotedScalarString(node)
    return node


def _is_block_scalar(value: Any) -> bool:
    return isinstance(value, (LiteralScalarString, FoldedScalarString))


def _tail(parent: Any, key: Any) -> tuple[list[Any], int, Any]:
    """The comment slot that follows the last line of ``parent[key]``, and that last value."""
    value = parent[key]
    while isinstance(value, (CommentedMap, CommentedSeq)) and value and not value.fa.flow_style():
        parent = value
        key = next(reversed(value)) if isinstance(value, CommentedMap) else len(value) - 1
        value = parent[key]
    entry = parent.ca.items.setdefault(key, [None, None, None, None])
    return entry, 2 if isinstance(parent, CommentedMap) else 0, value


def detach_below(parent: Any, key: Any) -> str:
    """Remove and return the full lines of comment (and blank lines) below ``parent[key]``."""
    entry, slot, value = _tail(parent, key)
    token = entry[slot]
    if not isinstance(token, CommentToken):
        return ""
    text = token.value
    if _is_block_scalar(value) or not text.startswith("#"):
        # a block scalar ends with its own newline; otherwise the token starts with it
        eol, below = "", text if _is_block_scalar(value) else text[1:]
    else:
        eol, _, below = text.partition("\n")
        eol += "\n"
    if eol:
        token.value = eol
    else:
        entry[slot] = None
        if isinstance(value, (CommentedMap, CommentedSeq)) and value.ca.comment:
            value.ca.comment[0] = None  # a flow collection shares the token
    return below


def _detach_before(parent: Any, key: Any) -> str:
    """Remove and return comments that ruamel keeps in front of a key (after a flow value)."""
    entry = parent.ca.items.get(key)
    if not entry or not entry[1]:
        return ""
    text = "".join(token.value for token in entry[1] if isinstance(token, CommentToken))
    entry[1] = None
    return text


def attach_below(parent: Any, key: Any, below: str) -> None:
    """Add full lines of comment below ``parent[key]``."""
    entry, slot, value = _tail(parent, key)
    token = entry[slot]
    if isinstance(token, CommentToken):
        token.value = token.value + below
    else:
        text = below if _is_block_scalar(value) else "\n" + below
        entry[slot] = CommentToken(text, CommentMark(0))


# --- comments and blank lines -------------------------------------------------


_SCANNER = ruamel.yaml.YAML(typ="safe")  # the C scanner when ruamel.yaml.clib is installed


def _scalar_spans(text: str) -> list[tuple[int, int]]:
    """Character ranges of every scalar in ``text`` (where '#' is not a comment)."""
    yaml = _SCANNER
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return [
            (tok.start_mark.index, tok.end_mark.index)
            for tok in yaml.scan(text)
            if isinstance(tok, ScalarToken)
        ]


@dataclass
class _Line:
    text: str
    comment: int = -1  # index of the '#' of a comment on this line, -1 if none
    protected: bool = False  # inside a multi-line scalar: content, not layout
    open_end: bool = False  # a scalar goes on past the end of this line


def _lines(text: str) -> list[_Line]:
    spans = _scalar_spans(text)
    out: list[_Line] = []
    start = 0
    first = 0  # spans before this one end before the current line
    for raw in text.split("\n"):
        end = start + len(raw)
        while first < len(spans) and spans[first][1] <= start:
            first += 1
        inside = []
        for a, b in spans[first:]:
            if a > end:
                break
            inside.append((a, b))
        line = _Line(
            raw,
            protected=any(a < start < b for a, b in inside),
            open_end=any(a <= end < b for a, b in inside),
        )
        if not line.protected:
            for i, ch in enumerate(raw):
                starts = ch == "#" and (i == 0 or raw[i - 1] in " \t")
                if starts and not any(a <= start + i < b for a, b in inside):
                    line.comment = i
                    break
        out.append(line)
        start = end + 1
    return out


def comments(text: str) -> list[tuple[int, str]]:
    """(1-based line, text) of every comment in ``text``."""
    return [
        (n, line.text[line.comment :].rstrip())
        for n, line in enumerate(_lines(text), start=1)
        if line.comment >= 0
    ]


def _tidy(body: str) -> str:
    """Lay out comments and blank lines; leave every scalar's text alone."""
    lines = _lines(body)
    out: list[str] = []
    pending: list[str] = []  # full-line comments, indented once the next line is known
    for line in lines:
        if line.protected:
            out.extend(pending)
            pending = []
            out.append(line.text)
            continue
        raw = line.text
        if line.comment >= 0 and not raw[: line.comment].strip():
            pending.append(raw[line.comment :].rstrip())
            continue
        if not raw.strip():
            if (out and out[-1] != "") or pending:
                pending.append("")
            continue
        if line.comment >= 0:
            raw = raw[: line.comment].rstrip() + "  " + raw[line.comment :].rstrip()
        elif not line.open_end:
            raw = raw.rstrip()
        indent = " " * (len(raw) - len(raw.lstrip(" ")))
        out.extend(_place(pending, indent))
        pending = []
        out.append(raw)
    out.extend(_place(pending, ""))
    while out and out[-1] == "":
        out.pop()
    return "\n".join(out) + "\n"


def _place(pending: list[str], indent: str) -> list[str]:
    out: list[str] = []
    for text in pending:
        if text == "":
            if not out or out[-1] != "":
                out.append("")
        else:
            out.append(indent + text)
    return out


# --- one file -----------------------------------------------------------------


def modeline(path: Path, schema_path: Path) -> str:
    """The first line that points an editor at the file's schema."""
    return MODELINE.format(Path(os.path.relpath(schema_path, path.parent)).as_posix())


def _split_header(text: str) -> tuple[list[str], str]:
    """Leading comment lines (without blank runs and '---'), and the rest."""
    lines = text.split("\n")
    n = 0
    while n < len(lines) and (
        not lines[n].strip() or lines[n].lstrip().startswith("#") or lines[n].strip() == "---"
    ):
        n += 1
    header = [ln.strip() for ln in lines[:n] if ln.strip() != "---"]
    return header, "\n".join(lines[n:])


def _header(lines: list[str], mode: str) -> str:
    rest = [ln for ln in lines if not _MODELINE.match(ln)]
    while rest and not rest[0]:
        rest.pop(0)
    out = [mode]
    for ln in rest:
        if ln or out[-1]:
            out.append(ln)
    # one blank line may separate the header from the data; more collapse to one
    return "\n".join(out) + "\n"


@dataclass
class Document:
    """A data file ready to render: header comments, round-trip tree, the lines it came from."""

    header: list[str]
    tree: Any
    lines: list[str] = field(default_factory=list)


def load_document(text: str, shown: str) -> Document:
    """Round-trip load ``text``, which must already have passed parse_text."""
    header, body = _split_header(text)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            tree = make_yaml().load(body)
    except YAMLError as exc:  # parse_text accepted it, so this is ruamel's round-trip mode
        what = (getattr(exc, "problem", None) or str(exc)).strip().splitlines()[0]
        raise FormatError(_refusal(shown, 1, f"the round-trip loader failed ({what})")) from exc
    return Document(header, tree, body.split("\n"))


def render(doc: Document, schemas: SchemaSet, schema_file: str, mode: str, shown: str) -> str:
    """The canonical text of a document; its tree is changed in place."""
    walk = _Walk(schemas, doc.lines)
    tree = _canonical(doc.tree, walk, schemas.docs.get(schema_file), schema_file, top=True)
    stream = StringIO()
    make_yaml().dump(tree, stream)
    lead = [ln.strip() for text in walk.lead for ln in text.rstrip("\n").split("\n")]
    try:
        return _header(doc.header + lead, mode) + _tidy(stream.getvalue()).lstrip("\n")
    except YAMLError as exc:
        raise FormatError(_refusal(shown, 1, "the result would not be valid YAML")) from exc


def format_text(text: str, shown: str, schemas: SchemaSet, schema_file: str, mode: str) -> str:
    """The canonical form of ``text``; raises LoadError or FormatError."""
    before = parse_text(text, shown)
    out = render(load_document(text, shown), schemas, schema_file, mode, shown)
    # ruamel places some comments differently once a layout has changed (a flow list
    # with an end-of-line comment inside a block list): format again until the text
    # stays the same, so that the canonical form is a fixed point.
    for _ in range(_MAX_PASSES):
        if out == text:
            break
        again = render(load_document(out, shown), schemas, schema_file, mode, shown)
        if again == out:
            break
        out = again
    else:
        raise FormatError(_refusal(shown, 1, "the layout does not settle"))
    if out != text:  # an unchanged file cannot have lost anything
        guard(text, out, before, shown)
    return out


#: passes after the first before fmt gives up on reaching a fixed point
_MAX_PASSES = 3


def guard(text: str, out: str, expected: Any, shown: str) -> None:
    """Refuse ``out`` unless it holds ``expected`` and every comment of ``text``."""
    try:
        after = parse_text(out, shown)
    except LoadError as exc:
        raise FormatError(
            _refusal(shown, 1, f"the result would not load ({exc.problem.message})")
        ) from exc
    diff = first_difference(expected, after)
    if diff is not None:
        what = field_name(diff) or "the file"
        raise FormatError(_refusal(shown, 1, f"the result would change the value of {what}"))
    old = comments(text)
    new = Counter(c for _, c in comments(out) if not _MODELINE.match(c))
    kept = Counter(c for _, c in old if not _MODELINE.match(c))
    lost = kept - new
    if lost:
        line, lost_text = next((n, c) for n, c in old if c in lost)
        raise FormatError(
            Problem(
                shown,
                line,
                1,
                "",
                f"formatting would lose the comment {lost_text!r}, so the file was left as it is",
                "put the comment on a line of its own above a key, or report this as a bug",
            )
        )
    if new - kept:
        raise FormatError(_refusal(shown, 1, "the result would add a comment"))


def _refusal(shown: str, line: int, what: str) -> Problem:
    return Problem(
        shown,
        line,
        1,
        "",
        f"not formatted: {what}",
        "the file is left as it is; please report this as a bug in jwst-builds fmt",
    )


def first_difference(a: Any, b: Any, at: tuple[PathPart, ...] = ()) -> tuple[PathPart, ...] | None:
    """Path of the first place where two loaded documents differ (types count), or None."""
    if type(a) is not type(b):
        return at
    if isinstance(a, dict):
        for key in list(a) + [k for k in b if k not in a]:
            if key not in a or key not in b:
                return (*at, key)
            found = first_difference(a[key], b[key], (*at, key))
            if found is not None:
                return found
        return None
    if isinstance(a, list):
        for i, (x, y) in enumerate(zip(a, b, strict=False)):
            found = first_difference(x, y, (*at, i))
            if found is not None:
                return found
        return None if len(a) == len(b) else (*at, min(len(a), len(b)))
    if isinstance(a, float) and math.isnan(a) and math.isnan(b):
        return None
    if isinstance(a, (dt.date, dt.datetime)):
        return None if a == b and str(a) == str(b) else at
    return None if a == b else at


# --- the data files of a tree ---------------------------------------------------


def data_files(root: Path) -> dict[Path, Path]:
    """Every data file under ``root`` -> its schema file.

    ``schema/X.schema.json`` describes the files in ``Xs/`` (builds/, issues/)
    and the root file ``X.yaml`` (sources.yaml).
    """
    found: dict[Path, Path] = {}
    for schema in sorted((root / "schema").glob("*.schema.json")):
        stem = schema.name.removesuffix(".schema.json")
        for path in iter_files(root / f"{stem}s"):
            found[path] = schema
        for suffix in (".yaml", ".yml"):
            if (root / f"{stem}{suffix}").is_file():
                found[root / f"{stem}{suffix}"] = schema
    return found


def select(root: Path, paths: Iterable[Path]) -> tuple[dict[Path, Path], list[Path]]:
    """The data files in ``paths`` (files or folders; all when empty), and the given
    files that are no data files (pre-commit may pass any YAML file)."""
    every = data_files(root)
    given = list(paths)
    if not given:
        return every, []
    chosen: dict[Path, Path] = {}
    skipped: list[Path] = []
    for path in given:
        name = relative_name(root, path)
        full = root / name if name is not None else None
        hits = {
            f: s for f, s in every.items() if full is not None and (f == full or full in f.parents)
        }
        if not hits and (full is None or not full.is_dir()):
            skipped.append(path)
        chosen.update(hits)
    return dict(sorted(chosen.items())), skipped


# --- results and writing ------------------------------------------------------------


@dataclass
class Result:
    changed: list[str] = field(default_factory=list)  # written, or would be with check
    unchanged: list[str] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)  # refusals
    diffs: dict[str, str] = field(default_factory=dict)  # unified diffs of changed files
    first_lines: dict[str, int] = field(default_factory=dict)


def format_file(root: Path, path: Path, schema: Path) -> tuple[bytes, bytes]:
    """The file's bytes and its canonical bytes; raises LoadError or FormatError."""
    shown = _shown(root, path)
    raw = read_bytes(path, shown)
    text = text_of(raw, shown)
    schemas = load_schemas(schema.parent)
    out = format_text(text, shown, schemas, schema.name, modeline(path, schema))
    return raw, out.encode("utf-8")


def run(root: Path, files: Mapping[Path, Path] | None = None, write: bool = True) -> Result:
    """Format data files (default: all; else file -> schema, as from select).

    With ``write``, rewrite the files whose bytes change; never the others.
    """
    files = data_files(root) if files is None else files
    result = Result()
    for schema in sorted((root / "schema").glob("*.schema.json")):
        folder = root / f"{schema.name.removesuffix('.schema.json')}s"
        why = unreadable(folder)
        if why is not None:  # its files cannot even be listed: never a silent pass
            shown = folder.relative_to(root).as_posix()
            result.problems.append(Problem(shown, 1, 1, "", f"cannot read the folder: {why}"))
    for path, schema in files.items():
        shown = _shown(root, path)
        try:
            old, new = format_file(root, path, schema)
        except (LoadError, FormatError) as exc:
            result.problems.append(exc.problem)
            continue
        if old == new:
            result.unchanged.append(shown)
            continue
        if write:
            try:
                replace_file(path, new, expected=old)
            except (WriteRefused, OSError) as exc:
                why = str(exc) if isinstance(exc, WriteRefused) else f"cannot write: {exc.strerror}"
                result.problems.append(Problem(shown, 1, 1, "", f"not formatted: {why}", ""))
                continue
        result.changed.append(shown)
        old_text = old.decode("utf-8", errors="replace")
        new_text = new.decode("utf-8")
        result.first_lines[shown] = _first_changed_line(old_text, new_text)
        result.diffs[shown] = "".join(
            difflib.unified_diff(
                old_text.splitlines(keepends=True),
                new_text.splitlines(keepends=True),
                f"a/{shown}",
                f"b/{shown}",
            )
        )
    return result


def _first_changed_line(old: str, new: str) -> int:
    # split on \n only: a line that differs by its \r (CRLF line ends) counts as changed
    old_lines, new_lines = old.split("\n"), new.split("\n")
    for n, (a, b) in enumerate(zip(old_lines, new_lines, strict=False), start=1):
        if a != b:
            return n
    return min(len(old_lines), len(new_lines))


def check_problems(result: Result) -> list[Problem]:
    """Refusals plus one problem per file that is not in canonical form."""
    stale = [
        Problem(
            f,
            result.first_lines.get(f, 1),
            1,
            "",
            "not in canonical form",
            f"run: jwst-builds fmt {f}",
        )
        for f in result.changed
    ]
    return sorted(result.problems + stale)


def _shown(root: Path, path: Path) -> str:
    name = relative_name(root, path)
    return name if name is not None else path.as_posix()
