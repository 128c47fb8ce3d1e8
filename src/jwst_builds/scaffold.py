"""`jwst-builds new`: skeletons of builds, releases, known issues and fragments.

A skeleton holds every field its schema requires, in schema order and canonical
form. A field starts from the schema's ``default`` when there is one, from
:data:`STARTING_VALUES`, or from null. Null is the placeholder: where the schema
allows null it is a real value ("unknown"), and where it does not, validation
names the field until someone fills it in. Because skeletons are built from the
schemas, a new required field shows up in them without a change here.
"""

from __future__ import annotations

import copy
import datetime as dt
import difflib
import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ruamel.yaml.comments import CommentedMap, CommentedSeq

from . import fmt
from .dataset import version_key
from .problems import PathPart, Problem
from .safewrite import WriteRefused, replace_file
from .schemaerrors import Validator, check_schema
from .schemas import short
from .yamlio import (
    LoadError,
    iter_files,
    read_bytes,
    relative_name,
    text_of,
)
from .yamlparse import load_data, load_positions, parse_text

#: Where a new record starts when its schema gives no default: the natural state
#: of something new, by schema file, as a function of the record's id.
STARTING_VALUES: dict[str, Callable[[str], dict[tuple[PathPart, ...], Any]]] = {
    "build.schema.json": lambda build_id: {
        ("status",): "development",
        ("pre_launch",): False,
        # builds from 11.1 on have one fixed CRDS context (JDox), earlier ones a minimum
        ("context_policy",): "fixed" if version_key(build_id) >= (11, 1) else "minimum",
        ("releases", 0, "dms_version"): build_id,
    },
    "issue.schema.json": lambda _issue_id: {
        ("status",): "open",
        ("scope", "subarray"): "any",  # no limit until a source gives one
        ("last_reviewed",): dt.date.today().isoformat(),  # it is being written today
    },
}


class ScaffoldError(Exception):
    """The skeleton cannot be written; ``code`` is 1 (the data says no) or 2 (bad usage)."""

    def __init__(self, message: str, code: int = 1, problem: Problem | None = None) -> None:
        super().__init__(message)
        self.code = code
        self.problem = problem


@dataclass(frozen=True)
class Created:
    """What `new` wrote: the file (relative to the root) and the line to look at."""

    shown: str
    line: int
    what: str  # "build 13.1", "release 3.0.1 of build 13.0", ...
    #: False while placeholders remain for the contributor to fill in
    complete: bool = False


# --- skeletons from schemas ---------------------------------------------------------


def skeleton(
    schemas: fmt.SchemaSet,
    schema: Any,
    file: str,
    given: Mapping[tuple[PathPart, ...], Any],
    at: tuple[PathPart, ...] = (),
) -> Any:
    """The starting value of the field at ``at``: given, default, null or its parts."""
    if at in given:
        return copy.deepcopy(given[at])
    branches = list(schemas.branches(schema, file))
    for branch, _, _ in branches:
        if "default" in branch:
            return copy.deepcopy(branch["default"])
    if any(_allows_null(branch) for branch, _, _ in branches):
        return None
    for branch, bfile, _ in branches:
        props = branch.get("properties")
        if isinstance(props, dict):
            required = set(branch.get("required", []))
            return {
                key: skeleton(schemas, sub, bfile, given, (*at, key))
                for key, sub in props.items()
                if key in required
            }
    for branch, bfile, _ in branches:
        if "items" in branch:
            if branch.get("minItems", 0) >= 1:
                return [skeleton(schemas, branch["items"], bfile, given, (*at, 0))]
            return []
    return None


def _allows_null(schema: Mapping[str, Any]) -> bool:
    kind = schema.get("type")
    return kind == "null" or (isinstance(kind, list) and "null" in kind)


def field_schema(schemas: fmt.SchemaSet, file: str, path: tuple[str, ...]) -> tuple[Any, str]:
    """The schema of a field, by a path such as ("releases", "items", "jwst_version")."""
    node: Any = schemas.docs.get(file, {})
    for part in path:
        for branch, bfile, _ in schemas.branches(node, file):
            if part == "items" and "items" in branch:
                node, file = branch["items"], bfile
                break
            if part in branch.get("properties", {}):
                node, file = branch["properties"][part], bfile
                break
        else:
            return {}, file
    return node, file


def check_value(
    schemas: fmt.SchemaSet, file: str, path: tuple[str, ...], value: str, what: str
) -> None:
    """Refuse (usage, exit 2) a command-line value that its schema would reject."""
    node, file = field_schema(schemas, file, path)
    schema = next(
        (b for b, _, _ in schemas.branches(node, file) if "pattern" in b or "enum" in b), None
    )
    if schema is None or Validator(schema).is_valid(value):
        return
    examples = schema.get("examples") or []
    hint = f'; expected the form "{examples[0]}"' if examples else ""
    raise ScaffoldError(f"{short(value)!r} is not a valid {what}{hint}", code=2)


def commented(data: Any) -> Any:
    """Plain data as a round-trip tree, so that fmt can lay it out."""
    if isinstance(data, dict):
        out = CommentedMap()
        for key, value in data.items():
            out[key] = commented(value)
        return out
    if isinstance(data, list):
        return CommentedSeq(commented(v) for v in data)
    return data


# --- the commands ---------------------------------------------------------------


def _schemas(root: Path, kind: str) -> fmt.SchemaSet:
    """The schemas, once the one of ``kind`` is known to be usable (else SchemaError)."""
    check_schema(root / "schema", kind)
    return fmt.load_schemas(root / "schema")


def new_build(root: Path, build_id: str) -> Created:
    """Write builds/<id>.yaml with the required fields of a build and one release."""
    schemas = _schemas(root, "build")
    check_value(schemas, "build.schema.json", ("id",), build_id, "build id")
    path = root / "builds" / f"{build_id}.yaml"
    _write_record(root, path, "build.schema.json", build_id)
    return Created(_shown(root, path), 1, f"build {build_id}")


def new_issue(root: Path, issue_id: str) -> Created:
    """Write issues/<id>.yaml with the required fields of a known issue."""
    schemas = fmt.load_schemas(root / "schema")
    if "issue.schema.json" not in schemas.docs:
        raise ScaffoldError("schema/issue.schema.json is missing, so there is no issue skeleton", 2)
    schemas = _schemas(root, "issue")
    check_value(schemas, "issue.schema.json", ("id",), issue_id, "issue id")
    path = root / "issues" / f"{issue_id}.yaml"
    _write_record(root, path, "issue.schema.json", issue_id)
    return Created(_shown(root, path), 1, f"known issue {issue_id}")


def _write_record(root: Path, path: Path, schema_file: str, record_id: str) -> None:
    schemas = fmt.load_schemas(root / "schema")
    shown = _shown(root, path)
    if path.exists():
        raise ScaffoldError(f"{shown} already exists; edit it instead of starting again")
    start = STARTING_VALUES[schema_file](record_id) if schema_file in STARTING_VALUES else {}
    data = skeleton(schemas, schemas.docs[schema_file], schema_file, {**start, ("id",): record_id})
    mode = fmt.modeline(path, root / "schema" / schema_file)
    text = fmt.render(fmt.Document([], commented(data)), schemas, schema_file, mode, shown)
    fmt.guard(text, text, data, shown)  # the text holds exactly the skeleton
    create_file(path, text)


def new_release(root: Path, build_id: str, jwst_version: str) -> Created:
    """Add a release to builds/<build>.yaml in tag order, keeping comments and layout.

    A new build starts with one release whose ``jwst_version`` is null; the
    first release added fills that one in.
    """
    schemas = _schemas(root, "build")
    schema_file = "build.schema.json"
    check_value(schemas, schema_file, ("id",), build_id, "build id")
    check_value(
        schemas, schema_file, ("releases", "items", "jwst_version"), jwst_version, "jwst version"
    )
    path = root / "builds" / f"{build_id}.yaml"
    shown = _shown(root, path)
    if not path.is_file():
        raise ScaffoldError(
            f"there is no build {build_id}: {shown} does not exist "
            f"(start it with: jwst-builds new build {build_id})"
        )
    _refuse_known_tag(root, jwst_version)
    try:
        raw = read_bytes(path, shown)
        text = text_of(raw, shown)
        expected = parse_text(text, shown)
    except LoadError as exc:
        raise ScaffoldError(f"{shown} does not load", problem=exc.problem) from exc
    doc = fmt.load_document(text, shown)
    releases = doc.tree.get("releases")
    if not isinstance(releases, list) or not isinstance(expected.get("releases"), list):
        raise ScaffoldError(f"{shown} has no list of releases to add to")
    empty = next(
        (
            i
            for i, r in enumerate(releases)
            if isinstance(r, dict) and r.get("jwst_version") is None
        ),
        None,
    )
    if empty is not None:
        index = empty
        for target in (releases[index], expected["releases"][index]):
            target["jwst_version"] = jwst_version
            if target.get("dms_version") is None:
                target["dms_version"] = build_id
    else:
        index = release_position(releases, jwst_version)
        release_schema, rfile = field_schema(schemas, schema_file, ("releases", "items"))
        given: dict[tuple[PathPart, ...], Any] = {
            ("jwst_version",): jwst_version,
            ("dms_version",): build_id,
        }
        item = skeleton(schemas, release_schema, rfile, given)
        expected["releases"].insert(index, copy.deepcopy(item))
        insert_item(releases, index, commented(item))
    mode = fmt.modeline(path, root / "schema" / schema_file)
    out = fmt.render(doc, schemas, schema_file, mode, shown)
    fmt.guard(text, out, expected, shown)
    try:
        replace_file(path, out.encode("utf-8"), expected=raw)
    except (WriteRefused, OSError) as exc:
        why = str(exc) if isinstance(exc, WriteRefused) else f"cannot write it: {exc.strerror}"
        raise ScaffoldError(f"{shown} {why}") from exc
    line = load_positions(out)["releases"].lc.item(index)[0] + 1
    return Created(shown, line, f"release {jwst_version} of build {build_id}")


def release_position(releases: list[Any], jwst_version: str) -> int:
    """Index that keeps releases in tag order: before the first later tag."""
    key = version_key(jwst_version)
    for i, rel in enumerate(releases):
        other = rel.get("jwst_version") if isinstance(rel, dict) else None
        if isinstance(other, str) and version_key(other) > key:
            return i
    return len(releases)


def insert_item(releases: Any, index: int, item: Any) -> None:
    """Insert into a round-trip list; comments above the next release stay above it."""
    below = fmt.detach_below(releases, index - 1) if index > 0 else ""
    releases.insert(index, item)
    if below:
        fmt.attach_below(releases, index, below)


def _refuse_known_tag(root: Path, jwst_version: str) -> None:
    for path in iter_files(root / "builds"):
        try:
            data = load_data(path, _shown(root, path))
        except LoadError:
            continue  # validate reports it
        for rel in data.get("releases") or []:
            if isinstance(rel, dict) and rel.get("jwst_version") == jwst_version:
                raise ScaffoldError(
                    f"jwst {jwst_version} is already a release of build {data.get('id')} "
                    f"({_shown(root, path)}); a tag lives in one build only"
                )


def new_fragment(root: Path, build_id: str, name: str, category: str, text: str = "") -> Created:
    """Write changes/<build>/<name>.<category>.md, empty or with ``text``.

    An empty fragment fails validation ("fragment is empty") until the change
    is described, which is the point of the skeleton.
    """
    from . import fragments

    schemas = fmt.load_schemas(root / "schema")
    check_value(schemas, "build.schema.json", ("id",), build_id, "build id")
    if not (root / "builds" / f"{build_id}.yaml").is_file():
        raise ScaffoldError(
            f"there is no build {build_id}: builds/{build_id}.yaml does not exist "
            f"(start it with: jwst-builds new build {build_id})"
        )
    try:
        decl = fragments.declaration(root)
    except fragments.ConfigError as exc:
        raise ScaffoldError(str(exc), code=2) from exc
    filename = f"{name}.{category}.md"
    match = fragments.FRAGMENT_NAME.match(filename)
    if not match or match["name"] != name:
        raise ScaffoldError(
            f"{short(name)!r} is not a fragment name: use lowercase letters, digits, '-' and '_', "
            "no dots (a jwst pull-request number, or a short slug)",
            code=2,
        )
    if decl.category(category) is None:
        ids = [c.id for c in decl.categories]
        close = difflib.get_close_matches(category, ids, n=1)
        hint = f"did you mean '{close[0]}'?" if close else f"see {fragments.CONFIG} for the list"
        raise ScaffoldError(f"{short(category)!r} is not a fragment category; {hint}", code=2)
    if text:
        text = text.strip() + "\n"
        faults = fragments.text_faults(text)
        if faults:
            _, message, hint, _ = faults[0]
            raise ScaffoldError(f"the text cannot be a fragment: {message} ({hint})", code=2)
    path = root / fragments.CHANGES / build_id / filename
    shown = _shown(root, path)
    if path.exists():
        raise ScaffoldError(f"{shown} already exists; edit it instead of starting again")
    create_file(path, text)
    return Created(shown, 1, f"{category} fragment for build {build_id}", complete=bool(text))


# --- files ------------------------------------------------------------------------


def create_file(path: Path, text: str) -> None:
    """Create ``path`` with ``text``; never replace a file that appeared meanwhile.

    A write that fails half-way (a full disk) removes the file it started.
    """
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
    except FileExistsError as exc:
        raise ScaffoldError(
            f"{path.name} already exists; edit it instead of starting again"
        ) from exc
    except OSError as exc:
        raise ScaffoldError(f"cannot create {path.name}: {exc.strerror}") from exc
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
    except BaseException as exc:
        path.unlink(missing_ok=True)
        if isinstance(exc, OSError):
            raise ScaffoldError(f"cannot write {path.name}: {exc.strerror}") from exc
        raise


def _shown(root: Path, path: Path) -> str:
    name = relative_name(root, path)
    return name if name is not None else path.as_posix()
