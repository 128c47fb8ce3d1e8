"""Semantic checks of build records, alone and across files."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from ..dataset import Dataset, Record, version_key
from ..problems import Problem, problem

_BUILD_ID = re.compile(r"^[0-9]+\.[0-9]+\Z")
_LABEL = re.compile(r"^B([0-9]{1,4}(?:\.[0-9]{1,4})+)(?:rc([0-9]{1,4}))?\Z")
#: rc1 < rc2 < final < documentation/packaging re-releases of that final
_STAGE = {"candidate": 0, "final": 1, "patch": 1, "documentation": 2, "packaging": 2}
#: since build 11.1 each build has one fixed CRDS context (JDox build page)
_FIXED_SINCE = (11, 1)
#: version_key without its cache, for tags: each is compared once here, and keeping every
#: tag's key in the cache would hold one entry per release of the tree (30 MiB at 50,000
#: builds) for nothing
_tag_key = version_key.__wrapped__


def _disputed(record: dict[str, Any], name: str) -> bool:
    return any(c["field"] == name for c in record.get("conflicts", []))


def check(ds: Dataset) -> Iterator[Problem]:
    """The rules that compare builds with each other (one_build has the rest)."""
    seen: dict[str, str] = {}
    for _, build in sorted(ds.builds.items(), key=lambda kv: version_key(kv[0])):
        for i, rel in enumerate(build.data["releases"]):
            ver = rel["jwst_version"]
            if ver in seen:
                yield problem(
                    build.file,
                    ("releases", i, "jwst_version"),
                    f"jwst {ver} is already a release in {seen[ver]}",
                    "a tag lives in exactly one build; add a DMS label with also_labelled",
                    code="B001",
                )
            else:
                seen[ver] = build.file
    yield from _lifecycle(ds)


def one_build(build: Record) -> Iterator[Problem]:
    """The rules about one build record alone: run as its file is loaded, and cached."""
    yield from _build_fields(build)
    yield from _releases(build)
    yield from _stale(build)
    status = build.data["status"]
    if (
        status != "development"
        and not build.data["candidate_released"]
        and not build.data["pre_launch"]
    ):
        yield problem(
            build.file,
            ("candidate_released",),
            f"a build in {status} needs its candidate date",
            "add the date its candidate was released",
            code="B023",
        )


def _build_fields(build: Record) -> Iterator[Problem]:
    data = build.data
    f = build.file
    cand, ops = data["candidate_released"], data["operations_installed"]
    if cand and ops and cand > ops:
        yield problem(
            f,
            ("operations_installed",),
            f"operations install {ops} is before the candidate release {cand}",
            "a build is installed after it is released as a candidate",
            code="B002",
        )
    fixed = version_key(build.id) >= _FIXED_SINCE
    if (data["context_policy"] == "fixed") != fixed:
        want = "fixed" if fixed else "minimum"
        yield problem(
            f,
            ("context_policy",),
            f"build {build.id} uses a {want} context, not {data['context_policy']}",
            "builds from 11.1 on have a fixed CRDS context; older ones a minimum context",
            code="B003",
        )
    rels = data["releases"]
    for name in ("crds_context", "sdp_version"):
        value = data[name]
        values = {r[name] for r in rels if r[name]}
        if value and values and value not in values and not _disputed(data, name):
            yield problem(
                f,
                (name,),
                f"{value} is not the {name} of any release of the build",
                "record the disagreement under conflicts, or use a release's value",
                code="B004",
            )
    for i, rel in enumerate(rels):
        dms = rel["dms_version"]
        if dms and dms != build.id and not dms.startswith(build.id + "."):
            yield problem(
                f,
                ("releases", i, "dms_version"),
                f"{dms} is not build {build.id} or a patch of it",
                "move the release to the build it belongs to",
                code="B005",
            )


def _releases(build: Record) -> Iterator[Problem]:
    f = build.file
    rels = build.data["releases"]
    prev: dict[str, Any] | None = None
    prev_key: tuple[int, ...] = ()
    last_dated: dict[str, Any] | None = None
    last_ranked: tuple[tuple[int, ...], dict[str, Any]] | None = None
    last_ctx: dict[str, Any] | None = None
    for i, rel in enumerate(rels):
        ver = rel["jwst_version"]
        at = ("releases", i)
        key = _tag_key(ver)
        if prev is not None and key <= prev_key:
            yield problem(
                f,
                (*at, "jwst_version"),
                f"{ver} is listed after {prev['jwst_version']}",
                "list releases oldest tag first",
                code="B006",
            )
        prev, prev_key = rel, key
        kind = rel["kind"]
        if (kind == "candidate") != ("candidate" in rel):
            msg = (
                "a candidate needs its rc number"
                if kind == "candidate"
                else f"only candidates have an rc number, this is a {kind}"
            )
            yield problem(
                f,
                (*at, "candidate" if kind != "candidate" else "kind"),
                msg,
                "set candidate: N for rcN, or change kind",
                code="B007",
            )
        if kind == "patch" and (rel["dms_version"] or "").count(".") != 2:
            yield problem(
                f,
                (*at, "dms_version"),
                "a patch needs a patch level such as 10.0.1",
                "set dms_version to the patch level",
                code="B008",
            )
        if rel["dms_version"] is None and kind in _STAGE:
            yield problem(
                f,
                (*at, "dms_version"),
                f"a {kind} release needs the build it was made for",
                "set dms_version, or use kind pypi-only, dependency-pin or dms-test",
                code="B009",
            )
        yield from _label(f, at, rel)
        released, installed = rel["released"], rel["ops_install"]
        if released and installed and installed < released:
            yield problem(
                f,
                (*at, "ops_install"),
                f"installed {installed}, before its release {released}",
                "check both dates against the source",
                code="B010",
            )
        if released:
            if last_dated and released < last_dated["released"]:
                yield problem(
                    f,
                    (*at, "released"),
                    f"{released} is earlier than {last_dated['released']} of {last_dated['jwst_version']}, an older tag",
                    "check the date, or the order of the releases",
                    code="B011",
                )
            last_dated = rel
        if rel["dms_version"] and kind in _STAGE:
            level = (*version_key(rel["dms_version"]), 0, 0)[:3]  # "7.8" sorts as 7.8.0
            rank = (*level, _STAGE[kind], rel.get("candidate", 0))
            if last_ranked and rank < last_ranked[0]:
                old = last_ranked[1]
                yield problem(
                    f,
                    (*at, "kind"),
                    f"{_stage_name(rel)} comes after {_stage_name(old)} ({old['jwst_version']}) in tag order",
                    "expected rc1 < rc2 < final < patch; check kind, candidate and dms_version",
                    code="B012",
                )
            last_ranked = (rank, rel)
        ctx = rel["crds_context"]
        if ctx:
            if last_ctx and ctx < last_ctx["crds_context"]:
                yield problem(
                    f,
                    (*at, "crds_context"),
                    f"{ctx} is older than {last_ctx['crds_context']} of {last_ctx['jwst_version']}",
                    "contexts never decrease within a build; check the value",
                    code="B013",
                )
            last_ctx = rel


def _stage_name(rel: dict[str, Any]) -> str:
    kind = rel["kind"]
    name = f"rc{rel['candidate']}" if kind == "candidate" else kind
    return f"{name} of {rel['dms_version']}"


def _label(f: str, at: tuple[Any, ...], rel: dict[str, Any]) -> Iterator[Problem]:
    """A README label that names a version or rc must agree, unless a conflict says why."""
    match = _LABEL.match(rel["dms_label"] or "")
    if not match:
        return
    version, rc = match.group(1), match.group(2)
    if rel["dms_version"] != version and not _disputed(rel, "dms_version"):
        yield problem(
            f,
            (*at, "dms_version"),
            f"{rel['dms_version']} disagrees with the label {rel['dms_label']}",
            "use the label's version or record the disagreement under conflicts",
            code="B014",
        )
    if (
        rc
        and rel.get("candidate") != int(rc)
        and not (_disputed(rel, "kind") or _disputed(rel, "candidate"))
    ):
        yield problem(
            f,
            (*at, "candidate"),
            f"the label {rel['dms_label']} says rc{rc}",
            "set candidate to match or record the disagreement under conflicts",
            code="B015",
        )


def _stale(build: Record) -> Iterator[Problem]:
    """A status that the build's own dates contradict (statuses must not silently go stale)."""
    status = build.data["status"]
    installed = build.data["operations_installed"] or next(
        (r["ops_install"] for r in build.data["releases"] if r["ops_install"]), None
    )
    if status in ("development", "candidate") and installed:
        yield problem(
            build.file,
            ("status",),
            f"{status}, but the build was installed in operations on {installed}",
            "set status to operations (or archived, if a newer build has replaced it)",
            code="B016",
        )
    if status == "development" and build.data["candidate_released"]:
        yield problem(
            build.file,
            ("status",),
            f"development, but its candidate was released on {build.data['candidate_released']}",
            "set status to candidate",
            code="B017",
        )


def _lifecycle(ds: Dataset) -> Iterator[Problem]:
    builds = sorted(ds.builds.values(), key=lambda b: version_key(b.id))
    ops = [b for b in builds if b.data["status"] == "operations"]
    installed = [b for b in builds if b.data["operations_installed"]]
    newest = max(installed, key=lambda b: b.data["operations_installed"], default=None)
    for extra in ops[1:]:
        yield problem(
            extra.file,
            ("status",),
            f"build {ops[0].id} is in operations too",
            "only one build is in operations at a time; archive the older one",
            code="B018",
        )
    current = ops[0] if ops else None
    if current is not None:
        if not current.data["operations_installed"]:
            yield problem(
                current.file,
                ("operations_installed",),
                "a build in operations needs its install date",
                "add the date it was installed in DMS operations",
                code="B019",
            )
        elif newest is not None and newest is not current:
            yield problem(
                current.file,
                ("status",),
                f"build {newest.id} was installed later ({newest.data['operations_installed']})",
                "the build in operations is the one installed last",
                code="B020",
            )
    # replaced_after[i]: a build after position i is (or was) in operations; one pass, not n^2.
    # A later build whose file is broken may be the one that replaced it: no verdict then.
    # Only the newest broken build matters (compared once per build, not once per broken file).
    replaced_after = [False] * len(builds)
    newest_broken = max(
        (version_key(stem) for stem in ds.broken if _BUILD_ID.match(stem)), default=None
    )
    seen = False
    for i in range(len(builds) - 1, -1, -1):
        replaced_after[i] = seen or (
            newest_broken is not None and newest_broken > version_key(builds[i].id)
        )
        seen = seen or builds[i].data["status"] in ("operations", "archived")
    for i, build in enumerate(builds):
        status = build.data["status"]
        if status == "archived" and not replaced_after[i]:
            yield problem(
                build.file,
                ("status",),
                "archived, but no later build has replaced it",
                "a build is archived once a newer one is in operations",
                code="B021",
            )
        if (
            status in ("development", "candidate")
            and current
            and version_key(build.id) < version_key(current.id)
        ):
            yield problem(
                build.file,
                ("status",),
                f"{status}, but the newer build {current.id} is in operations",
                "an older build than the operational one is archived",
                code="B022",
            )
