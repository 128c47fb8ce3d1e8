"""`jwst-builds site`: the JSON API against its OpenAPI description, determinism, the
folder rules, the feed and the calendar, and links that resolve. The browser tests are in
test_site_browser.py.
"""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

import feedparser
import icalendar
import pytest
from click.testing import CliRunner
from jsonschema import Draft202012Validator, FormatChecker
from openapi_schema_validator import OAS31Validator
from openapi_spec_validator import validate as validate_spec
from referencing import Registry
from referencing.jsonschema import DRAFT202012

from jwst_builds import dataset, query
from jwst_builds.cli import cli
from jwst_builds.site.contract import MANIFEST

from .conftest import CASES, REPO, make_root

API = "api/v1"


def build_site(root: Path, out: Path, *extra: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, ["--root", str(root), "site", "--out", str(out), *extra])
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture(scope="module")
def spec(site: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((site / API / "openapi.json").read_text(encoding="utf-8"))
    return data


def doc(site: Path, path: str) -> Any:
    return json.loads((site / API / path).read_text(encoding="utf-8"))


def files(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


# --- the OpenAPI description and the documents ----------------------------------------


def test_openapi_description_is_valid(spec: dict[str, Any]) -> None:
    """openapi.json is an OpenAPI 3.1 document, as openapi-spec-validator reads it."""
    validate_spec(spec)
    assert "3.1.0" == spec["openapi"]


def _template(path: str) -> re.Pattern[str]:
    return re.compile("^" + re.sub(r"\\\{[a-z]+\\\}", "[^/]+", re.escape(path)) + "$")


def test_every_document_conforms_to_the_openapi_description(
    site: Path, spec: dict[str, Any]
) -> None:
    """Every JSON file under api/v1/ (but openapi.json) matches exactly one path of the
    description and validates against that path's 200 response schema; every path has a file."""
    registry: Registry[Any] = Registry().with_resource("urn:api", DRAFT202012.create_resource(spec))
    paths = {path: _template(path) for path in spec["paths"]}
    used: set[str] = set()
    errors: dict[str, list[str]] = {}
    unmatched = []
    for file in sorted((site / API).rglob("*.json")):
        rel = "/" + file.relative_to(site / API).as_posix()
        if rel == "/openapi.json":
            continue
        matches = [p for p, pattern in paths.items() if pattern.match(rel)]
        if len(matches) != 1:
            unmatched.append(rel)
            continue
        used.add(matches[0])
        pointer = "/".join(
            [
                "#/paths",
                matches[0].replace("~", "~0").replace("/", "~1"),
                "get/responses/200/content/application~1json/schema",
            ]
        )
        validator = OAS31Validator(
            {"$ref": "urn:api" + pointer}, registry=registry, format_checker=FormatChecker()
        )
        found = [
            e.message for e in validator.iter_errors(json.loads(file.read_text(encoding="utf-8")))
        ]
        if found:
            errors[rel] = found[:3]
    assert ([], {}, sorted(paths)) == (unmatched, errors, sorted(used))


def test_api_schema_is_a_valid_json_schema() -> None:
    """schema/api.schema.json, the source of the description, is a Draft 2020-12 schema."""
    Draft202012Validator.check_schema(
        json.loads((REPO / "schema" / "api.schema.json").read_text(encoding="utf-8"))
    )


def test_components_come_from_both_schema_files(spec: dict[str, Any]) -> None:
    """The description embeds the export's objects and the API's documents, with no reference
    left pointing outside the file."""
    export = json.loads((REPO / "schema" / "export.schema.json").read_text(encoding="utf-8"))
    api = json.loads((REPO / "schema" / "api.schema.json").read_text(encoding="utf-8"))
    assert sorted([*export["$defs"], *api["$defs"]]) == sorted(spec["components"]["schemas"])
    refs = re.findall(r'"\$ref": "([^"]*)"', json.dumps(spec))
    assert [] == [r for r in refs if not r.startswith("#/components/schemas/")]


def test_release_document_facts(site: Path) -> None:
    """jwst 1.14.0 is the final release of build 10.2, made with jwst_1240.pmap and installed
    on 2024-06-12 (jwst README table; JDox 10.2 notes)."""
    release = doc(site, "releases/1.14.0.json")
    assert ("10.2", "final", "jwst_1240.pmap", "2024-06-12") == (
        release["build"]["id"],
        release["release"]["kind"],
        release["release"]["crds_context"],
        release["release"]["ops_install"],
    )
    assert "2024-06-12" == release["in_operations"][0]["start"]


def test_release_issues_are_the_affects_answer(site: Path, real_ds: dataset.Dataset) -> None:
    """A release document lists exactly what `affects --cal-ver V --all` answers, in its order."""
    for version in ("0.7.7", "1.14.0", "1.15.1", "2.0.1"):
        answer = query.affects(real_ds, query.Question(cal_ver=version), include_all=True)
        expected = [
            (i["id"], i["applies"], i["unchecked"], i["undocumented"], i["unassessed"])
            for i in answer["issues"]
        ]
        listed = doc(site, f"releases/{version}.json")["known_issues"]
        assert expected == [
            (i["id"], i["applies"], i["unchecked"], i["undocumented"], i["unassessed"])
            for i in listed
        ]


@pytest.mark.parametrize(
    ("day", "build"),
    [
        ("2022-07-01", "8.0"),  # first build installed in operations, 2022-06-16
        ("2024-07-01", "10.2"),  # 10.2 installed 2024-06-12, 11.0 on 2024-09-12
        ("2024-09-12", "11.0"),
        ("2026-06-01", "12.3"),  # in operations since 2026-05-26 (pipeline news)
    ],
)
def test_operations_history_by_hand(site: Path, day: str, build: str) -> None:
    """operations.json says which build was in operations on a day, as the sources date it."""
    history = doc(site, "operations.json")["history"]
    found = [
        p["build"] for p in history if p["start"] <= day and (p["end"] is None or day < p["end"])
    ]
    assert [build] == found


def test_operations_history_agrees_with_the_command(site: Path, real_ds: dataset.Dataset) -> None:
    """On the first and last day of every period, `jwst-builds operations --on` gives its release."""
    import datetime as dt

    history = doc(site, "operations.json")["history"]
    for period in history:
        days = [period["start"]]
        if period["end"]:
            days.append((dt.date.fromisoformat(period["end"]) - dt.timedelta(days=1)).isoformat())
        for day in days:
            answer = query.operations_on(real_ds, day)
            assert (period["build"], period["release"]) == (answer["build"], answer["release"]), day
    assert [p["end"] for p in history[:-1]] == [p["start"] for p in history[1:]]


def test_index_lists_every_collection_and_the_vocabulary(
    site: Path, real_ds: dataset.Dataset
) -> None:
    """index.json names the collection documents, which exist, and the mode groups of the schema."""
    index = doc(site, "index.json")
    assert all((site / API / name).is_file() for name in index["documents"].values())
    schema = json.loads((REPO / "schema" / "issue.schema.json").read_text(encoding="utf-8"))
    assert schema["$defs"]["mode_group_members"]["const"] == index["mode_groups"]
    builds = doc(site, "builds.json")["builds"]
    assert sorted(real_ds.builds) == sorted(b["id"] for b in builds)
    assert all((site / API / b["path"]).is_file() for b in builds)
    assert all((site / API / r["path"]).is_file() for b in builds for r in b["releases"])
    assert all((site / API / i["path"]).is_file() for i in doc(site, "issues.json")["issues"])


def test_bundle_holds_the_api_documents(site: Path) -> None:
    """The script file:// pages load holds the same documents the check page fetches over http."""
    text = (site / "assets" / "api-bundle.js").read_text(encoding="utf-8")
    prefix = "window.JWST_BUILDS_API = "
    assert text.startswith(prefix) and text.endswith(";\n")
    bundle = json.loads(text[len(prefix) : -2])
    assert {name: doc(site, name) for name in bundle} == bundle
    assert {"index.json", "builds.json", "issues.json", "operations.json"} == set(bundle)


# --- determinism and the output folder -----------------------------------------------


def test_same_data_gives_byte_identical_sites(site: Path, tmp_path: Path) -> None:
    """Building twice from the same data writes the same files, byte for byte."""
    code, _, _ = build_site(REPO, tmp_path / "again")
    assert 0 == code
    assert files(site) == files(tmp_path / "again")


def test_refuses_a_folder_it_did_not_write(tmp_path: Path) -> None:
    """A non-empty folder without the manifest is left untouched: one line, exit 2."""
    out = tmp_path / "mine"
    out.mkdir()
    (out / "notes.txt").write_text("keep me", encoding="utf-8")
    code, _, err = build_site(REPO, out)
    assert 2 == code
    assert "is not empty and holds no site written by jwst-builds" in err
    assert ["notes.txt"] == sorted(p.name for p in out.iterdir())


def test_rebuild_removes_only_what_it_wrote_before(tmp_path: Path) -> None:
    """Files the previous build listed and this one does not write are removed; others stay."""
    out = tmp_path / "site"
    assert 0 == build_site(REPO, out)[0]
    (out / "builds" / "0.1.html").write_text("old page", encoding="utf-8")
    (out / "CNAME").write_text("example.org", encoding="utf-8")
    manifest = out / MANIFEST
    manifest.write_text(
        manifest.read_text(encoding="utf-8") + "builds/0.1.html\n../outside.txt\n", encoding="utf-8"
    )
    (tmp_path / "outside.txt").write_text("not ours", encoding="utf-8")
    assert 0 == build_site(REPO, out)[0]
    assert not (out / "builds" / "0.1.html").exists()
    assert (out / "CNAME").is_file() and (tmp_path / "outside.txt").is_file()


def test_refuses_invalid_data(tmp_path: Path) -> None:
    """Data that fails validation: its problems are printed, exit 1, no site written."""
    invalid = next(p for p in sorted((CASES / "invalid").iterdir()) if p.is_dir())
    root = make_root(tmp_path / "root", invalid)
    out = tmp_path / "out"
    code, stdout, err = build_site(root, out)
    assert (1, True) == (code, "no site written" in err)
    assert stdout.strip()
    assert not out.exists()


def test_base_url_is_checked(tmp_path: Path) -> None:
    """--base-url must be an http(s) address: a usage error otherwise."""
    code, _, err = build_site(REPO, tmp_path / "out", "--base-url", "owner.github.io")
    assert 2 == code
    assert "is not an http(s) address" in err


def test_default_folder_is_dist_site() -> None:
    """`site --help` documents --out, its default and --base-url."""
    result = CliRunner().invoke(cli, ["site", "--help"])
    assert 0 == result.exit_code
    assert all(word in result.stdout for word in ("--out", "dist/site", "--base-url"))


# --- feed and calendar ---------------------------------------------------------------


def test_atom_feed_parses(site: Path, real_ds: dataset.Dataset) -> None:
    """feedparser reads the Atom feed without complaint; one entry per build and per issue,
    each linking to a page that exists; newest first."""
    feed = feedparser.parse((site / "feed.atom").read_bytes())
    assert (0, "atom10") == (feed.bozo, feed.version)
    ids = [e.id for e in feed.entries]
    assert len(real_ds.builds) + len(real_ds.issues) == len(set(ids)) == len(ids)
    assert [] == [e.link for e in feed.entries if not (site / e.link).is_file()]
    updated = [e.updated for e in feed.entries]
    assert sorted(updated, reverse=True) == updated


def test_feed_links_absolute_with_base_url(tmp_path: Path) -> None:
    """With --base-url, feed and calendar links start with it."""
    out = tmp_path / "out"
    assert 0 == build_site(REPO, out, "--base-url", "https://owner.github.io/jwst-builds")[0]
    feed = feedparser.parse((out / "feed.atom").read_bytes())
    assert all(e.link.startswith("https://owner.github.io/jwst-builds/") for e in feed.entries)
    cal = icalendar.Calendar.from_ical((out / "calendar.ics").read_bytes())
    urls = [str(e["URL"]) for e in cal.walk("VEVENT")]
    assert urls and all(u.startswith("https://owner.github.io/jwst-builds/builds/") for u in urls)


def test_calendar_parses(site: Path, real_ds: dataset.Dataset) -> None:
    """icalendar reads the calendar: one all-day event per candidate and per operations date of
    every build, with unique UIDs; 10.2 entered operations on 2024-06-12 (JDox)."""
    import datetime as dt

    raw = (site / "calendar.ics").read_bytes()
    assert all(len(line) <= 75 for line in raw.split(b"\r\n"))
    cal = icalendar.Calendar.from_ical(raw)
    events = cal.walk("VEVENT")
    uids = [str(e["UID"]) for e in events]
    assert len(uids) == len(set(uids))
    by_uid = {str(e["UID"]): e for e in events}
    for build in real_ds.builds.values():
        for field, kind in (
            ("candidate_released", "candidate"),
            ("operations_installed", "operations"),
        ):
            day = build.data[field]
            uid = f"build-{build.id}-{kind}@jwst-builds.github.io"
            assert (uid in by_uid) == bool(day), uid
            if day:
                assert dt.date.fromisoformat(day) == by_uid[uid].decoded("DTSTART")
    assert dt.date(2024, 6, 12) == by_uid["build-10.2-operations@jwst-builds.github.io"].decoded(
        "DTSTART"
    )


# --- pages -----------------------------------------------------------------------------


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.links: list[str] = []
        self.resources: list[str] = []
        self.ids: set[str] = set()
        self.h1 = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if values.get("id"):
            self.ids.add(str(values["id"]))
        if tag == "h1":
            self.h1 += 1
        if tag == "a" and values.get("href"):
            self.links.append(str(values["href"]))
        if tag in ("script", "img") and values.get("src"):
            self.resources.append(str(values["src"]))
        if tag == "link" and values.get("href"):
            self.resources.append(str(values["href"]))


def test_every_page_links_to_files_that_exist(site: Path) -> None:
    """In every page, each relative link and resource points at a file of the site; pages have
    one h1; nothing is loaded from another host."""
    broken, remote, headings = [], [], []
    for page in sorted(site.rglob("*.html")):
        parser = _Links()
        parser.feed(page.read_text(encoding="utf-8"))
        headings += [page.name] if parser.h1 != 1 else []
        remote += [r for r in parser.resources if urlsplit(r).scheme not in ("", "data")]
        for href in parser.links + parser.resources:
            parts = urlsplit(href)
            if parts.scheme or not parts.path:
                continue
            if not (page.parent / unquote(parts.path)).resolve().is_file():
                broken.append(f"{page.relative_to(site)} -> {href}")
    assert ([], [], []) == (broken, remote, headings)


def test_every_build_and_issue_has_a_page(site: Path, real_ds: dataset.Dataset) -> None:
    """One page per build and per known issue; the build page links every issue that affects
    the build, and the notes of build 12.3 are on its page."""
    assert sorted(real_ds.builds) == sorted(p.stem for p in (site / "builds").glob("*.html"))
    assert sorted(real_ds.issues) == sorted(p.stem for p in (site / "issues").glob("*.html"))
    page = (site / "builds" / "12.3.html").read_text(encoding="utf-8")
    for issue in query.issues_for_build(real_ds, "12.3"):
        assert f'href="../issues/{issue.id}.html"' in page
    # a fragment of changes/12.3/ (highlights): the notes are compiled into the page
    assert "Major pipeline updates" in page and "clean_flicker_noise" in page


def test_home_page_has_one_bar_per_build(site: Path, real_ds: dataset.Dataset) -> None:
    """The timeline has one bar per build, the build in operations highlighted, and a text
    alternative with one item per build."""
    page = (site / "index.html").read_text(encoding="utf-8")
    bars = re.findall(r'<a class="bar ([a-z ]+)" href="builds/([0-9.]+)\.html"', page)
    assert sorted(real_ds.builds) == sorted(b for _, b in bars)
    current = [b for classes, b in bars if "current" in classes.split()]
    ops = [b.id for b in real_ds.builds.values() if b.data["status"] == "operations"]
    assert ops == current
    text = page.split('id="timeline-text"')[1].split("</details>")[0]
    assert len(real_ds.builds) == text.count("<li>")


# --- documentation ---------------------------------------------------------------------


def test_documented_site_options_exist() -> None:
    """Every option README.md and docs/web-api.md show for `jwst-builds site` is an option of the
    command, and `nox -s site` is a session."""
    help_text = CliRunner().invoke(cli, ["site", "--help"]).stdout
    shown = set()
    for name in ("README.md", "docs/web-api.md"):
        text = (REPO / name).read_text(encoding="utf-8")
        for command in re.findall(r"jwst-builds site[^`\n]*", text):
            shown |= set(re.findall(r"--[a-z][a-z-]*", command))
    assert {"--out", "--base-url"} <= shown
    assert [] == sorted(o for o in shown if o not in help_text)
    assert "def site(session" in (REPO / "noxfile.py").read_text(encoding="utf-8")


def test_documented_api_paths_are_described(spec: dict[str, Any]) -> None:
    """The documents docs/web-api.md lists are exactly the paths of openapi.json."""
    text = (REPO / "docs" / "web-api.md").read_text(encoding="utf-8")
    section = text.split("## The JSON API")[1].split("###")[0]
    listed = re.findall(r"^\| `([a-z/<>._-]+\.json)` \|", section, flags=re.M)
    described = sorted(re.sub(r"\{[a-z]+\}", "*", p).lstrip("/") for p in spec["paths"])
    assert described == sorted(re.sub(r"<[a-z]+>", "*", p) for p in listed)


def test_refuses_a_file_as_output(tmp_path: Path) -> None:
    """--out naming a file is a usage error (click checks it; the library checks it too),
    and the file is left as it was."""
    from jwst_builds.site.runner import SiteError, write_site

    target = tmp_path / "site"
    target.write_text("a file", encoding="utf-8")
    code, _, err = build_site(REPO, target)
    assert (2, "a file") == (code, target.read_text(encoding="utf-8"))
    assert "is a file" in err
    with pytest.raises(SiteError, match="is a file, not a folder"):
        write_site(target, {"index.html": b""})


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        ({"$ref": "issue.schema.json#/$defs/step"}, "points outside api.schema.json"),
        ({"type": "string"}, "is also defined in export.schema.json"),
    ],
    ids=["reference-to-another-file", "name-taken-by-the-export"],
)
def test_openapi_refuses_schemas_it_cannot_embed(
    tmp_path: Path, edit: dict[str, Any], message: str
) -> None:
    """The description embeds only api.schema.json and export.schema.json, under names that
    do not collide: a reference elsewhere or a clashing name stops the build with one line."""
    import shutil

    from jwst_builds.schemas import SchemaError
    from jwst_builds.site import openapi

    folder = tmp_path / "schema"
    shutil.copytree(REPO / "schema", folder)
    api = json.loads((folder / "api.schema.json").read_text(encoding="utf-8"))
    name = "Broken" if "$ref" in edit else "build"
    api["$defs"][name] = edit
    (folder / "api.schema.json").write_text(json.dumps(api), encoding="utf-8")
    with pytest.raises(SchemaError, match=message):
        openapi.description(folder)
