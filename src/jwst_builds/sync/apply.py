"""`sync --write`: apply the safe part of a comparison to builds/.

Safe means: add releases upstream has and we lack (creating the build file for a new
DMS build), fill fields that are empty in our data, add an ``also_labelled`` entry
for a further README row, and record a ``conflicts`` entry, never an overwrite, where
upstream's value differs from ours. Then the build dates and statuses that the
releases' dates imply (see :func:`.infer.lifecycle`). Nothing is deleted. Every file
goes through the round-trip writer of ``fmt``, so comments stay and the result is in
canonical form; the writer refuses a result that lost data or a comment.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.scalarstring import DoubleQuotedScalarString

from .. import fmt
from ..dataset import Dataset, version_key
from ..safewrite import WriteRefused, replace_file
from ..scaffold import commented, create_file, insert_item, release_position
from ..yamlio import read_text
from . import infer
from .findings import (
    CHANGELOG_SOURCE,
    HISTORY_SOURCE,
    README_SOURCE,
    Comparison,
    Finding,
    shown,
)
from .upstream import Row

SCHEMA = "build.schema.json"
REASONS = {
    README_SOURCE: "The jwst README table now gives {up}; the record keeps its earlier value until someone reviews the change (found by jwst-builds sync).",
    CHANGELOG_SOURCE: "The jwst change log gives {up}; the record keeps its value until someone reviews the difference (found by jwst-builds sync).",
}


class WriteError(Exception):
    """A file cannot be written safely (it changed meanwhile): one line, exit 1."""


@dataclass(frozen=True)
class Written:
    """One change that --write made: the file, the field and what happened."""

    file: str
    field: str
    what: str


@dataclass
class _Doc:
    path: Path
    shown: str
    tree: Any
    text: str = ""  # "" for a new file
    header: list[str] = field(default_factory=list)
    lines: list[str] = field(default_factory=list)


@dataclass
class Writer:
    ds: Dataset
    comparison: Comparison
    docs: dict[str, _Doc] = field(default_factory=dict)  # build id -> document
    written: list[Written] = field(default_factory=list)

    def doc(self, build_id: str) -> _Doc:
        if build_id not in self.docs:
            rec = self.ds.builds[build_id]
            path = self.ds.root / rec.file
            text = read_text(path, rec.file)
            loaded = fmt.load_document(text, rec.file)
            self.docs[build_id] = _Doc(
                path, rec.file, loaded.tree, text, loaded.header, loaded.lines
            )
        return self.docs[build_id]

    def note(self, doc: _Doc, where: str, what: str) -> None:
        self.written.append(Written(doc.shown, where, what))

    # --- the actions ---------------------------------------------------------------

    def add_release(self, build_id: str, rows: list[Row]) -> None:
        if build_id not in self.ds.builds and build_id not in self.docs:
            every = [
                r[0]
                for t, r in self.comparison.rows.items()
                if self.comparison.new_builds.get(t) == build_id
            ]
            data = infer.new_build(build_id, every, README_SOURCE)
            shown = f"builds/{build_id}.yaml"
            self.docs[build_id] = _Doc(self.ds.root / shown, shown, commented(data))
            self.note(self.docs[build_id], "", f"new build {build_id}")
        doc = self.docs[build_id] if build_id not in self.ds.builds else self.doc(build_id)
        main, *others = rows
        place = infer.place(main.raw("dms_label"), main.raw("note"))
        item: dict[str, Any] = {"jwst_version": main.jwst_version}
        item["dms_label"] = _quoted(main.value("dms_label"))
        item["dms_version"] = place.dms_version
        item["kind"] = place.kind
        if place.candidate is not None:
            item["candidate"] = place.candidate
        for name in ("sdp_version", "crds_context", "released", "ops_install", "note"):
            item[name] = _quoted(main.value(name))
        extra = [r for r in others if infer.label_version(r.raw("dms_label"))]
        if extra:
            item["also_labelled"] = [_also(r) for r in extra]
        item["sources"] = [README_SOURCE]
        releases = doc.tree["releases"]
        index = release_position(releases, main.jwst_version)
        insert_item(releases, index, commented(item))
        self.note(
            doc,
            "releases",
            f"added jwst {main.jwst_version} ({place.kind}"
            + (f" of {place.dms_version})" if place.dms_version else ", made for no build)"),
        )

    def fill(self, f: Finding) -> None:
        doc, rel = self._release(f)
        rel[f.field] = _quoted(f.upstream)
        self.note(doc, f.path, f"filled in {shown(f.upstream)} from the README")
        if f.field == "dms_label":
            self._label_consistency(doc, f, rel)

    def conflict(self, f: Finding) -> None:
        doc, owner = self._release(f)
        self._add_conflict(owner, f.field, f.ours, f.upstream, f.source)
        self.note(
            doc,
            f.path,
            f"recorded a conflict: ours {shown(f.ours)}, {_name(f.source)} {shown(f.upstream)}",
        )

    def also_labelled(self, f: Finding) -> None:
        doc, rel = self._release(f)
        row = next(r for r in self.comparison.rows[f.tag] if r.raw("dms_label") == f.upstream)
        if "also_labelled" in rel:
            _append(rel["also_labelled"], commented(_also(row)))
        else:
            _set_key(rel, "also_labelled", CommentedSeq([commented(_also(row))]))
        self.note(doc, f.path, f"added the README row labelled {shown(f.upstream)}")

    def _release(self, f: Finding) -> tuple[_Doc, Any]:
        build_id = next(b for b, rec in self.ds.builds.items() if rec.file == f.file)
        doc = self.doc(build_id)
        index = next(i for i, r in enumerate(doc.tree["releases"]) if r["jwst_version"] == f.tag)
        return doc, doc.tree["releases"][index]

    def _add_conflict(self, owner: Any, name: str, ours: Any, up: Any, source: str) -> None:
        cites_readme = README_SOURCE in owner["sources"]
        chosen_source = (
            HISTORY_SOURCE if cites_readme and source == README_SOURCE else owner["sources"][0]
        )
        if chosen_source not in owner["sources"]:
            _append(owner["sources"], chosen_source)
        entry = {
            "field": name,
            "chosen": None if ours is None else str(ours),
            "chosen_source": chosen_source,
            "alternative": None if up is None else str(up),
            "alternative_source": source,
            "reason": REASONS[source].format(up="no value" if up is None else up),
        }
        entry = {
            k: _quoted(v) if k not in ("field", "chosen_source", "alternative_source") else v
            for k, v in entry.items()
        }
        if "conflicts" in owner:
            _append(owner["conflicts"], commented(entry))
        else:
            _set_key(owner, "conflicts", CommentedSeq([commented(entry)]))

    def _label_consistency(self, doc: _Doc, f: Finding, rel: Any) -> None:
        """A filled-in label that names another build level or rc: record it, do not rewrite."""
        place = infer.place(rel["dms_label"], rel["note"])
        if place.dms_version != rel["dms_version"]:
            self._add_conflict(
                rel, "dms_version", rel["dms_version"], place.dms_version, README_SOURCE
            )
        if place.candidate is not None and rel.get("candidate") != place.candidate:
            name = "candidate" if "candidate" in rel else "kind"
            want = str(place.candidate) if name == "candidate" else "candidate"
            self._add_conflict(rel, name, rel.get(name), want, README_SOURCE)

    # --- lifecycle and output ------------------------------------------------------

    def lifecycle(self) -> None:
        current: dict[str, Any] = {bid: rec.data for bid, rec in self.ds.builds.items()}
        current.update({bid: _plain(doc.tree) for bid, doc in self.docs.items()})
        for change in infer.lifecycle(current):
            doc = self.docs.get(change.build) or self.doc(change.build)
            doc.tree[change.field] = change.new
            what = f"{shown(change.old)} -> {shown(change.new)} ({change.why})"
            if change.build not in self.ds.builds:
                what = f"{shown(change.new)} ({change.why})"
            self.note(doc, change.field, what)

    def save(self) -> None:
        schemas = fmt.load_schemas(self.ds.root / "schema")
        for build_id in sorted(self.docs, key=version_key):
            doc = self.docs[build_id]
            if not any(w.file == doc.shown for w in self.written):
                continue
            expected = _plain(doc.tree)
            document = fmt.Document(doc.header, doc.tree, doc.lines)
            mode = fmt.modeline(doc.path, self.ds.root / "schema" / SCHEMA)
            out = fmt.render(document, schemas, SCHEMA, mode, doc.shown)
            fmt.guard(doc.text or out, out, expected, doc.shown)
            if doc.text:
                try:
                    replace_file(doc.path, out.encode("utf-8"), doc.text.encode("utf-8"))
                except WriteRefused as exc:
                    raise WriteError(f"{doc.shown} {exc}; nothing written to it") from None
            else:
                create_file(doc.path, out)


def apply(ds: Dataset, comparison: Comparison) -> list[Written]:
    """Write what is safe to write; return what was written."""
    writer = Writer(ds, comparison)
    actions = {
        "fill": writer.fill,
        "conflict": writer.conflict,
        "also-labelled": writer.also_labelled,
    }
    for f in comparison.findings:
        if f.action == "add-release":
            build_id = comparison.new_builds[f.tag]
            assert build_id is not None
            writer.add_release(build_id, comparison.rows[f.tag])
        elif f.action in actions:
            actions[f.action](f)
    writer.lifecycle()
    writer.save()
    # by build (9.1 before 10.2), each file's changes in the order they were made
    return sorted(writer.written, key=lambda w: version_key(Path(w.file).stem))


def _also(row: Row) -> dict[str, Any]:
    return {
        "dms_label": _quoted(row.raw("dms_label")),
        "dms_version": infer.label_version(row.raw("dms_label")),
        "note": _quoted(row.raw("note")),
    }


def _quoted(value: Any) -> Any:
    """Strings in double quotes, as the records write them (fmt keeps the choice)."""
    return DoubleQuotedScalarString(value) if isinstance(value, str) else value


def _name(source: str) -> str:
    return "the change log" if source == CHANGELOG_SOURCE else "upstream"


def _set_key(mapping: Any, key: str, value: Any) -> None:
    """Add a key at the end; comments below the old last value stay at the end."""
    last = next(reversed(mapping)) if mapping else None
    below = fmt.detach_below(mapping, last) if last is not None else ""
    mapping[key] = value
    if below:
        fmt.attach_below(mapping, key, below)


def _append(seq: Any, item: Any) -> None:
    below = fmt.detach_below(seq, len(seq) - 1) if len(seq) else ""
    seq.append(item)
    if below:
        fmt.attach_below(seq, len(seq) - 1, below)


def _plain(node: Any) -> Any:
    """A round-trip tree as plain data (what the file must load as)."""
    if isinstance(node, (dict, CommentedMap)):
        return {str(k): _plain(v) for k, v in node.items()}
    if isinstance(node, (list, CommentedSeq)):
        return [_plain(v) for v in node]
    if isinstance(node, str):
        return str(node)
    return node
