"""Plain-text renderings of the answers of :mod:`jwst_builds.query`."""

from __future__ import annotations

import textwrap
from typing import Any

_WIDTH = 88

_KIND = {
    "candidate": "a release candidate",
    "final": "the final release",
    "patch": "a patch release",
    "documentation": "a documentation re-release",
    "packaging": "a packaging re-release",
    "pypi-only": "a PyPI-only release",
    "dependency-pin": "a dependency-pin release",
    "dms-test": "a DMS test release",
}

_ACTION = {
    "redownload": "download the data again from MAST (or reprocess with the operations build)",
    "reprocess": "reprocess with a release that has the fix",
    "mitigate": "turn on the optional remedy below and reprocess",
    "workaround": "see the workaround",
    "none": "no fix or workaround is known yet",
}

_MITIGATION = {
    "not-available": "not in your release",
    "optional": "optional (off by default) in your release",
    "default": "on by default in your release (already applied)",
}

_AXES = {
    "instrument": "the instrument",
    "exp_type": "EXP_TYPE",
    "subarray": "the subarray",
    "readpatt": "the readout pattern",
    "detector": "the detector",
    "crds_ctx": "CRDS_CTX",
}

_INFLIGHT = {
    "ok": "the context has in-flight reference files for this mode",
    "older": "the context is OLDER than the minimum with in-flight reference files",
    "no-minimum": "the table gives no minimum context for this mode",
    "unknown": "give CRDS_CTX to compare with the minimum",
    "not-listed": "the mode is not in the table",
    "unchecked": "give EXP_TYPE to compare with the table",
}


_NO_MINIMUM = {
    "in-progress": "none yet (reference-file updates in progress)",
    "not-recorded": "not recorded (the cell is lost in our copy)",
}


#: Lines break at spaces only: a step name, a file name or a URL stays whole, to be
#: copied (and splitting on spaces alone is half the cost of looking for hyphens).
_WRAPPER = textwrap.TextWrapper(_WIDTH, break_on_hyphens=False, break_long_words=False)


def _wrap(text: str, indent: str) -> list[str]:
    if text and len(indent) + len(text) <= _WIDTH and text == text.strip() and text.isprintable():
        return [indent + text]  # what textwrap gives for one short line, without its cost
    _WRAPPER.initial_indent, _WRAPPER.subsequent_indent = indent, indent + "  "
    return _WRAPPER.wrap(text)


def _release_line(rel: dict[str, Any]) -> str:
    kind = _KIND.get(rel["kind"], rel["kind"])
    label = f" (DMS label {rel['dms_label']})" if rel["dms_label"] else ""
    text = f"jwst {rel['jwst_version']} is {kind} of build {rel['build']}{label}"
    if rel["released"]:
        text += f", released {rel['released']}"
    if rel["ops_install"]:
        text += f", installed in operations {rel['ops_install']}"
    return text + "."


def _operations_line(build: dict[str, Any], ops: dict[str, Any] | None) -> str:
    text = f"Build {build['id']} is {build['status']} today"
    if ops is None:
        return text + "; no build is in operations."
    if ops["build"] == build["id"]:
        return text + f" (in operations since {ops['since']})."
    return (
        text + f"; build {ops['build']} is in operations since {ops['since']} "
        f"(jwst {ops['release']}, {ops['crds_context']})."
    )


def _point(p: dict[str, Any] | None) -> str:
    if p is None:
        return "-"
    return f"jwst {p['release']} (build {p['build']})" if p["release"] else f"build {p['build']}"


def _fix_lines(issue: dict[str, Any], ops: dict[str, Any] | None) -> list[str]:
    fix = issue["fix"]
    if fix is None:
        lines = ["not fixed"]
        if issue["mitigation_plan"]:
            build = f" (build {issue['planned_build']})" if issue["planned_build"] else ""
            lines.append(f"remedy{build}: {issue['mitigation_plan']}")
        return lines
    where = []
    if fix["build"]:
        where.append(_point({"build": fix["build"], "release": fix["release"]}))
    if fix["crds_context"]:
        where.append(f"reference files of {fix['crds_context']}")
    text = "fixed in " + " with ".join(where)
    if fix["changelog"]:
        prs = ", ".join(f"#{c['pr']}" for c in fix["changelog"])
        text += f" (jwst change log: {prs})"
    if ops is not None:
        has = "has" if fix["in_operations"] else "does not have"
        text += f"; the operations build {ops['build']} {has} the fix"
    if fix["in_archive_since"]:
        text += f"; MAST has processed with the fix since {fix['in_archive_since']}"
    return [text]


def _possibly(issue: dict[str, Any]) -> str:
    reasons = []
    if issue["unchecked"]:
        reasons.append("depends on " + ", ".join(_AXES.get(a, a) for a in issue["unchecked"]))
    if issue["undocumented"]:
        reasons.append(
            f"documented from {_point(issue['documented_from'])} on; "
            "earlier builds were not assessed"
        )
    if issue["unassessed"]:
        reasons.append(
            f"last documented for {_point(issue['documented_until'])}; "
            "later builds were not assessed"
        )
    return "; ".join(reasons)


def _issue_lines(issue: dict[str, Any], ops: dict[str, Any] | None) -> list[str]:
    head = f"  {issue['id']} ({issue['status']}, {issue['impact']})"
    out = [head]
    out.extend(_wrap(issue["title"], "    "))
    if issue["applies"] == "possibly":
        out.extend(_wrap("why may: " + _possibly(issue), "    "))
    if issue["scope"]["conditions"]:
        out.extend(_wrap("only when: " + issue["scope"]["conditions"], "    "))
    for m in issue["mitigations"]:
        step = f" ({m['step']})" if m["step"] else ""
        state = _MITIGATION[m["in_your_release"]]
        if m["in_your_release"] == "not-available" and m["available_from"]:
            state += f"; available from {_point(m['available_from'])}"
        out.extend(_wrap(f"remedy{step}: {m['summary']} [{state}]", "    "))
    if issue["workaround"]:
        out.extend(_wrap("workaround: " + issue["workaround"], "    "))
    for line in _fix_lines(issue, ops):
        out.extend(_wrap(line, "    "))
    out.extend(_wrap("what to do: " + _ACTION[issue["action"]], "    "))
    return out


def affects_text(answer: dict[str, Any]) -> str:
    q = answer["query"]
    out = []
    if q["file"]:
        out.append(
            f"{q['file']}: CAL_VER {q['cal_ver_given']}, CRDS_CTX {q['crds_ctx'] or '-'}, "
            f"INSTRUME {q['instrument'] or '-'}, EXP_TYPE {q['exp_type'] or '-'}"
        )
        if q["missing_keywords"]:
            out.append(
                f"note: the primary header has no {', '.join(q['missing_keywords'])}; "
                "the answer covers every possibility for them"
            )
    note = q["cal_ver_note"]
    if note is not None:
        out.extend(_wrap(f"{note['level']}: {note['message']}.", ""))
    out.append(_release_line(answer["release"]))
    out.append(_operations_line(answer["build"], answer["operations"]))
    ctx = answer["crds_context"]
    if ctx["value"] and ctx["operations_context"]:
        relation = "older than" if ctx["older_than_operations"] else "not older than"
        ops_ctx = ctx["operations_context"]
        out.append(f"CRDS_CTX {ctx['value']} is {relation} the operations context {ops_ctx}.")
    issues = answer["issues"]
    sure = [i for i in issues if i["applies"] == "yes"]
    # "may apply" only because no source assessed builds this old (or this new): one line
    # each, so that the list is there without drowning the issues known to apply
    unchecked_only = [i for i in issues if i["applies"] == "possibly" and not i["unchecked"]]
    older = [i for i in unchecked_only if i["undocumented"]]
    newer = [i for i in unchecked_only if not i["undocumented"]]
    maybe = [i for i in issues if i["applies"] == "possibly" and i["unchecked"]]
    kind = "known issues" if answer["all_issues"] else "known data issues"
    out.append("")
    if not issues:
        out.append(
            f"No recorded {kind[:-1]} applies ({answer['records_checked']} records checked)."
        )
    for title, group in (
        (f"{kind.capitalize()} that apply", sure),
        (f"{kind.capitalize()} that may apply, depending on header values", maybe),
    ):
        if group:
            out.append(f"{title}: {len(group)}")
            for issue in group:
                out.extend(_issue_lines(issue, answer["operations"]))
    for title, group, key, word in (
        ("documented only for later builds", older, "documented_from", "from"),
        ("last documented for earlier builds", newer, "documented_until", "until"),
    ):
        if group:
            out.append(
                f"{kind.capitalize()} {title} (not assessed for this one, so they may apply; "
                f"--format json has the details): {len(group)}"
            )
            for issue in group:
                line = f"{issue['id']} ({word} {_point(issue[key])}): {issue['title']}"
                out.extend(_wrap(line, "  "))
    if answer["other_issues"]:
        n = answer["other_issues"]
        out.append(
            f"({n} installation, speed or usability issue{'s' * (n != 1)} of this release "
            "not shown: add --all)"
        )
    inflight = answer["inflight_reference_files"]
    if inflight is not None:
        out.append("")
        out.append(
            f"In-flight reference files (table as of {inflight['as_of']}): "
            f"{_INFLIGHT[inflight['verdict']]}."
        )
        for row in inflight["modes"]:
            cond = "" if row["conditions_match"] is not None else " (if the readout matches)"
            if row["conditions_match"] is False:
                cond = " (readout does not match)"
            minimum = row["minimum_context"] or _NO_MINIMUM[row["status"]]
            out.append(f"  {row['instrument']} {row['mode']}: minimum context {minimum}{cond}")
        if inflight["verdict"] == "older":
            out.extend(_wrap(inflight["advice"], "  "))
    return "\n".join(out)


def show_text(answer: dict[str, Any]) -> str:
    b = answer["build"]
    out = [f"Build {b['id']}: {b['status']}"]
    for key, label in (
        ("candidate_released", "candidate released"),
        ("operations_installed", "installed in operations"),
        ("crds_context", f"CRDS context ({b['context_policy']})"),
        ("sdp_version", "SDP version"),
        ("release_notes", "release notes"),
    ):
        if b[key]:
            out.append(f"  {label}: {b[key]}")
    if b["summary"]:
        out.extend(_wrap(b["summary"], "  "))
    out.append("")
    out.append("Releases:")
    for rel in answer["releases"]:
        cells = [
            rel["jwst_version"].ljust(8),
            rel["kind"].ljust(14),
            (rel["dms_label"] or "-").ljust(10),
            (rel["crds_context"] or "-").ljust(15),
            rel["released"] or "-",
        ]
        if rel["ops_install"]:
            cells.append(f"ops {rel['ops_install']}")
        out.append("  " + " ".join(cells).rstrip())
    for key, title in (("issues", "Known issues"), ("fixed_issues", "Issues fixed in this build")):
        out.append("")
        out.append(f"{title}: {len(answer[key])}" if answer[key] else f"{title}: none")
        for issue in answer[key]:
            out.append(f"  {issue['id']} ({issue['status']}, {issue['impact']})")
            out.extend(_wrap(issue["title"], "    "))
    return "\n".join(out)


def operations_text(answer: dict[str, Any]) -> str:
    text = (
        f"{answer['date']}: build {answer['build']} (jwst {answer['release']}, "
        f"{answer['crds_context'] or 'no context recorded'}), "
        f"in operations since {answer['installed']}"
    )
    if answer["replaced"]:
        text += f" until {answer['replaced']}"
    return text + f"; {answer['status_today']} today"
