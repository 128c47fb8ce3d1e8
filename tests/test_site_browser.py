"""The built site in a real browser: headless Chromium driven by Selenium, over file://
and over a local http server.

Needs Chromium and chromedriver (Debian: ``apt-get install chromium chromium-driver``;
.ci/run installs them). Without them these tests fail with that advice; set
JWST_BUILDS_SKIP_BROWSER=1 to skip them on purpose (CI never does). The screenshot of
the home page is kept in test-artifacts/site-home.png (git-ignored).
"""

from __future__ import annotations

import functools
import os
import shutil
import tempfile
import threading
import urllib.request
from collections.abc import Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import pytest
from click.testing import CliRunner

from jwst_builds import dataset, query
from jwst_builds.cli import cli

from .conftest import REPO

pytest.importorskip("selenium", reason="selenium is a test dependency: pip install selenium")

from selenium import webdriver  # noqa: E402
from selenium.common.exceptions import WebDriverException  # noqa: E402
from selenium.webdriver.chrome.service import Service  # noqa: E402
from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.common.keys import Keys  # noqa: E402
from selenium.webdriver.support.ui import WebDriverWait  # noqa: E402

SKIP = "JWST_BUILDS_SKIP_BROWSER"
ARTIFACTS = REPO / "test-artifacts"
#: Chromium stalls on a closed network without these
FLAGS = (
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-dev-shm-usage",
    "--window-size=1280,900",
)


def _find(env: str, names: tuple[str, ...], extra: str | None = None) -> str | None:
    if os.environ.get(env):
        return os.environ[env]
    for name in names:
        found = shutil.which(name)
        if found:
            return found
    # GitHub's Ubuntu runners keep chromedriver in a folder named by this variable
    if extra and os.environ.get(extra) and Path(os.environ[extra], names[0]).is_file():
        return str(Path(os.environ[extra], names[0]))
    return None


@pytest.fixture(scope="module")
def browser() -> Iterator[webdriver.Chrome]:
    if os.environ.get(SKIP):
        pytest.skip(f"{SKIP} is set: browser tests skipped")
    binary = _find("JWST_BUILDS_CHROMIUM", ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable"))
    driver_path = _find("JWST_BUILDS_CHROMEDRIVER", ("chromedriver",), "CHROMEWEBDRIVER")
    if binary is None or driver_path is None:
        missing = " and ".join(n for n, p in (("Chromium", binary), ("chromedriver", driver_path)) if p is None)
        pytest.fail(
            f"the browser tests need {missing}: install them (Debian: apt-get install chromium "
            f"chromium-driver), point JWST_BUILDS_CHROMIUM / JWST_BUILDS_CHROMEDRIVER at them, "
            f"or set {SKIP}=1 to skip these tests",
            pytrace=False,
        )
    options = webdriver.ChromeOptions()
    options.binary_location = binary
    profile = tempfile.mkdtemp(prefix="jwst-builds-chromium-")
    for flag in (*FLAGS, f"--user-data-dir={profile}"):
        options.add_argument(flag)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    try:
        driver = webdriver.Chrome(service=Service(driver_path), options=options)
    except WebDriverException as exc:
        pytest.fail(f"Chromium did not start ({binary}, {driver_path}): {exc.msg}", pytrace=False)
    driver.set_page_load_timeout(60)
    try:
        yield driver
    finally:
        driver.quit()
        shutil.rmtree(profile, ignore_errors=True)


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("browser-site") / "site"
    result = CliRunner().invoke(cli, ["--root", str(REPO), "site", "--out", str(out)])
    assert 0 == result.exit_code, result.stderr
    return out


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - the base's name
        pass


@pytest.fixture(scope="module")
def server(site: Path) -> Iterator[str]:
    """The site served on a free port of 127.0.0.1; stops with the module."""
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(site)))
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}/"
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join(timeout=10)


@pytest.fixture(scope="module")
def ds() -> dataset.Dataset:
    return dataset.load(REPO)


@pytest.fixture(params=["file", "http"])
def base(request: pytest.FixtureRequest, site: Path) -> str:
    """The site's address, once from disk and once over http."""
    if request.param == "file":
        return site.as_uri() + "/"
    value: str = request.getfixturevalue("server")
    return value


def errors(driver: webdriver.Chrome) -> list[str]:
    """Console errors since the last call."""
    return [e["message"] for e in driver.get_log("browser") if e["level"] == "SEVERE"]


def open_page(driver: webdriver.Chrome, url: str) -> None:
    driver.get_log("browser")  # forget what earlier pages logged
    driver.get(url)
    WebDriverWait(driver, 30).until(lambda d: d.execute_script("return document.readyState") == "complete")


# --- the home page ---------------------------------------------------------------------


def test_home_page_renders(browser: webdriver.Chrome, base: str, ds: dataset.Dataset) -> None:
    """The home page loads without console errors; its timeline has one visible bar per
    build, the build in operations highlighted; only the site's own files are requested."""
    open_page(browser, base + "index.html")
    bars = browser.find_elements(By.CSS_SELECTOR, "svg#timeline a.bar")
    assert sorted(ds.builds) == sorted(b.get_attribute("data-build") or "" for b in bars)
    widths = browser.execute_script(
        "return Array.from(document.querySelectorAll('#timeline a.bar rect.candidate'))"
        ".map(r => r.getBoundingClientRect().width)"
    )
    assert all(w > 0 for w in widths)
    current = [b.get_attribute("data-build") for b in browser.find_elements(By.CSS_SELECTOR, "#timeline a.bar.current")]
    assert [b.id for b in ds.builds.values() if b.data["status"] == "operations"] == current
    resources = browser.execute_script("return performance.getEntriesByType('resource').map(e => e.name)")
    assert [] == [r for r in resources if not r.startswith(base)]
    assert [] == errors(browser)
    if base.startswith("file:"):
        ARTIFACTS.mkdir(exist_ok=True)
        height = browser.execute_script("return document.documentElement.scrollHeight")
        browser.set_window_size(1280, min(int(height) + 40, 6000))
        shot = ARTIFACTS / "site-home.png"
        assert browser.save_screenshot(str(shot))
        browser.set_window_size(1280, 900)
        assert shot.read_bytes().startswith(b"\x89PNG")


def test_every_page_linked_from_home_loads(browser: webdriver.Chrome, base: str) -> None:
    """Each page the home page links to loads without console errors and has a heading;
    the other linked files (JSON, feed, calendar) exist."""
    open_page(browser, base + "index.html")
    links = browser.execute_script("return Array.from(document.querySelectorAll('a[href]')).map(a => a.href)")
    own = sorted({str(link).split("#")[0] for link in links if str(link).startswith(base)})
    assert own
    failures = {}
    for url in own:
        if url.endswith(".html") or "?" in url:
            open_page(browser, url)
            heading = browser.find_elements(By.TAG_NAME, "h1")
            problems = errors(browser) + ([] if heading and heading[0].text else ["no h1"])
        elif base.startswith("http"):
            with urllib.request.urlopen(url, timeout=30) as response:  # noqa: S310 - our own server
                problems = [] if response.status == 200 and response.read() else ["empty"]
        else:
            problems = [] if Path(url.removeprefix("file://")).is_file() else ["missing"]
        if problems:
            failures[url] = problems
    assert {} == failures


def test_keyboard_reaches_the_timeline(browser: webdriver.Chrome, server: str) -> None:
    """Tab starts at the skip link and reaches the timeline's bars; Enter opens the build."""
    open_page(browser, server + "index.html")
    body = browser.find_element(By.TAG_NAME, "body")
    body.send_keys(Keys.TAB)
    assert "skip" == browser.switch_to.active_element.get_attribute("class")
    reached = None
    for _ in range(40):
        browser.switch_to.active_element.send_keys(Keys.TAB)
        active = browser.switch_to.active_element
        if "bar" in (active.get_attribute("class") or "").split():
            reached = active.get_attribute("data-build")
            break
    assert reached is not None
    browser.switch_to.active_element.send_keys(Keys.ENTER)
    WebDriverWait(browser, 30).until(lambda d: d.current_url.endswith(f"builds/{reached}.html"))
    assert f"Build {reached}" in browser.find_element(By.TAG_NAME, "h1").text


@pytest.mark.parametrize("page", ["index.html", "builds/12.1.html", "issues.html", "check.html?cal_ver=1.14.0"])
def test_readable_on_a_phone(browser: webdriver.Chrome, server: str, page: str) -> None:
    """At a phone's width (390 px) no page scrolls sideways: wide tables and the timeline
    scroll inside their own box."""
    browser.set_window_size(390, 844)
    try:
        open_page(browser, server + page)
        WebDriverWait(browser, 30).until(
            lambda d: d.execute_script("var a = document.getElementById('answer'); return !a || a.dataset.state !== 'loading'")
        )
        widths = browser.execute_script("return [document.documentElement.scrollWidth, window.innerWidth]")
        assert widths[0] <= widths[1]
    finally:
        browser.set_window_size(1280, 900)


# --- the check page ---------------------------------------------------------------------

CASES = [
    # before and after the reference-file fix of the MIRI LRS slitless wavelengths (jwst_1293)
    {"cal_ver": "1.15.1", "crds_ctx": "jwst_1292.pmap", "exp_type": "MIR_LRS-SLITLESS"},
    {"cal_ver": "1.15.1", "crds_ctx": "jwst_1293.pmap", "exp_type": "MIR_LRS-SLITLESS"},
    # a pre-launch release, older than every build that documents the issue
    {"cal_ver": "0.7.7", "crds_ctx": "jwst_0303.pmap", "instrument": "MIRI", "exp_type": "MIR_LRS-SLITLESS"},
    {"cal_ver": "1.14.0"},
    {"cal_ver": "2.0.1", "crds_ctx": "jwst_1535.pmap", "instrument": "nirspec", "exp_type": "nrs_ifu"},
    # readout pattern and subarray limits: IRS2 reference pixels in 1.12.0 to 1.12.4
    {"cal_ver": "1.12.3", "instrument": "NIRSpec", "readpatt": "NRSIRS2", "subarray": "FULL", "detector": "NRS1"},
    {"cal_ver": "1.12.3", "instrument": "NIRSpec", "readpatt": "NRSRAPID", "subarray": "FULL", "detector": "NRS1"},
    {"cal_ver": "1.20.2", "exp_type": "NRC_IMAGE", "subarray": "SUB160"},
    {"cal_ver": "1.20.2", "exp_type": "NRC_IMAGE", "subarray": "FULL"},
]


def ask(browser: webdriver.Chrome, base: str, values: dict[str, str]) -> list[tuple[str, str, list[str], bool]]:
    open_page(browser, base + "check.html?" + urlencode(values))
    WebDriverWait(browser, 30).until(
        lambda d: d.find_element(By.ID, "answer").get_attribute("data-state") in ("done", "failed")
    )
    assert [] == errors(browser)
    assert [] == browser.find_elements(By.ID, "error")
    source = "bundle" if base.startswith("file:") else "api"
    assert source == browser.find_element(By.TAG_NAME, "body").get_attribute("data-source")
    return [
        (
            item.get_attribute("data-issue") or "",
            item.get_attribute("data-applies") or "",
            (item.get_attribute("data-unchecked") or "").split(),
            item.get_attribute("data-undocumented") == "true",
        )
        for item in browser.find_elements(By.CSS_SELECTOR, "ol.results > li")
    ]


def expected(ds: dataset.Dataset, values: dict[str, str]) -> list[tuple[str, str, list[str], bool]]:
    answer = query.affects(ds, query.Question(**values), include_all=True)
    return [(i["id"], i["applies"], i["unchecked"], i["undocumented"]) for i in answer["issues"]]


@pytest.mark.parametrize("values", CASES, ids=lambda v: "-".join(v.values()))
def test_check_page_gives_the_affects_answer(
    browser: webdriver.Chrome, base: str, ds: dataset.Dataset, values: dict[str, str]
) -> None:
    """The check page lists the same issues, verdicts, unchecked values and order as
    `jwst-builds affects --all`, from the API over http and from the bundle over file://."""
    assert expected(ds, values) == ask(browser, base, values)


def test_check_page_cases_by_hand(browser: webdriver.Chrome, server: str) -> None:
    """Verdicts the records' sources give: the LRS slitless wavelength correction came with
    jwst_1293.pmap (LRS calibration status page); IRS2 reference pixels were zeroed in 1.12.0
    to 1.12.4 and fixed in 1.12.5 (jwst change log, PR 8005); a pre-launch release gets
    'possibly', as no source assessed it."""
    lrs = "miri-lrs-slitless-wavelength-calibration"
    before = {i: a for i, a, _, _ in ask(browser, server, CASES[0])}
    after = {i: a for i, a, _, _ in ask(browser, server, CASES[1])}
    assert ("yes", None) == (before.get(lrs), after.get(lrs))
    old = {i: (a, u) for i, a, _, u in ask(browser, server, CASES[2])}
    assert ("possibly", True) == old[lrs]
    irs2 = "nirspec-irs2-refpix-columns-zeroed"
    assert irs2 in {i for i, *_ in ask(browser, server, CASES[5])}
    assert irs2 not in {i for i, *_ in ask(browser, server, CASES[6])}
    assert irs2 not in {i for i, *_ in ask(browser, server, {**CASES[5], "cal_ver": "1.12.5"})}


@pytest.mark.parametrize(
    "values",
    [{"cal_ver": "9.9.9"}, {"cal_ver": "1.14.0", "crds_ctx": "1240"}, {"cal_ver": "1.14.0", "instrument": "NIRSPEC", "exp_type": "MIR_IMAGE"}],
    ids=["unknown-version", "short-context", "mode-of-another-instrument"],
)
def test_check_page_refuses_bad_values_like_affects(
    browser: webdriver.Chrome, server: str, ds: dataset.Dataset, values: dict[str, str]
) -> None:
    """A value `affects` refuses gets the same one-line message on the page."""
    with pytest.raises(query.QueryError) as refused:
        query.affects(ds, query.Question(**values), include_all=True)
    open_page(browser, server + "check.html?" + urlencode(values))
    WebDriverWait(browser, 30).until(lambda d: d.find_element(By.ID, "answer").get_attribute("data-state") == "done")
    assert str(refused.value) == browser.find_element(By.ID, "error").text


# --- verdict.js against issuerange.verdict, rule by rule ------------------------------------

#: software ranges over real builds: unknown start, fixed release, last affected release or
#: build, fixed build
SOFTWARE = [
    {"introduced": None, "documented_from": ("10.0", "1.12.0"), "last_affected": None, "fixed": None},
    {"introduced": ("9.0", None), "documented_from": ("10.0", "1.12.0"), "last_affected": None, "fixed": ("11.0", "1.15.1")},
    {"introduced": None, "documented_from": ("10.2", None), "last_affected": ("11.0", "1.15.0"), "fixed": None},
    {"introduced": ("10.0", "1.12.3"), "documented_from": ("10.0", "1.12.3"), "last_affected": ("10.2", None), "fixed": None},
    {"introduced": None, "documented_from": ("9.3", None), "last_affected": None, "fixed": ("12.0", None)},
]
#: reference-file ranges: none, a fixing context, an introducing context, both
REFERENCE = [(None, None), (None, "jwst_1293.pmap"), ("jwst_1100.pmap", None), ("jwst_1100.pmap", "jwst_1293.pmap")]
SCOPES = [
    {"instruments": ["NIRSpec"], "mode_groups": [], "exp_types": [], "subarray": "any", "readpatt": ["NRSIRS2"], "detectors": []},
    {"instruments": ["NIRCam"], "mode_groups": ["tso"], "exp_types": [], "subarray": "subarray", "readpatt": [], "detectors": ["NRCALONG"]},
    {"instruments": [], "mode_groups": [], "exp_types": [], "subarray": "full", "readpatt": [], "detectors": []},
    {"instruments": ["NIRSpec", "MIRI"], "mode_groups": ["ifu", "tso"], "exp_types": ["NRS_FIXEDSLIT"], "subarray": "any", "readpatt": [], "detectors": []},
]
PRODUCTS = [
    {},
    {"instrument": "NIRSpec", "exp_type": "NRS_IFU", "readpatt": "NRSIRS2", "subarray": "FULL", "detector": "NRS1"},
    {"instrument": "NIRCam", "exp_type": "NRC_TSGRISM", "readpatt": "RAPID", "subarray": "SUBGRISM64", "detector": "NRCALONG"},
    {"instrument": "MIRI"},
    {"instrument": "MIRI", "exp_type": "MIR_LRS-SLITLESS", "subarray": "SLITLESSPRISM"},
    {"exp_type": "NRC_TSGRISM"},  # a mode group member of an instrument the issue does not name
]
CONTEXTS = [None, "jwst_1099.pmap", "jwst_1100.pmap", "jwst_1292.pmap", "jwst_1293.pmap"]


def _point(value: tuple[str, str | None] | None) -> dict[str, Any] | None:
    return None if value is None else {"build": value[0], "release": value[1]}


def synthetic_issues(template: dict[str, Any]) -> list[dict[str, Any]]:
    """Every combination of the ranges and scopes above, plus a withdrawn record."""
    import copy
    import itertools

    out = []
    for n, (sw, (ctx_in, ctx_fix), scope) in enumerate(itertools.product(SOFTWARE, REFERENCE, SCOPES)):
        data = copy.deepcopy(template)
        data["id"] = f"synthetic-{n}"
        data["scope"].update(scope)
        fixed = sw["fixed"]
        data["software"] = {
            "introduced": _point(sw["introduced"]),
            "documented_from": _point(sw["documented_from"]),
            "last_affected": _point(sw["last_affected"]),
            "fixed": None if fixed is None else {**_point(fixed), "changelog": [], "changelog_note": "test"},
        }
        data["reference_files"] = {"introduced": ctx_in, "fixed": ctx_fix, "reftypes": []}
        out.append(data)
    withdrawn = copy.deepcopy(out[0])
    withdrawn.update(id="synthetic-withdrawn", status="withdrawn")
    return [*out, withdrawn]


def test_verdict_js_follows_issuerange(browser: webdriver.Chrome, site: Path, ds: dataset.Dataset) -> None:
    """For every release, five sets of header values and five contexts, verdict.js and
    issuerange.verdict agree on every real issue and on synthetic issues that exercise each
    rule (introduced, documented_from, last_affected, software and reference-file fixes,
    the reference-file start, instrument, mode groups, EXP_TYPE, subarray, READPATT,
    DETECTOR, withdrawn)."""
    import json

    from jwst_builds.dataset import Record
    from jwst_builds.issuerange import Product, mode_groups, position, verdict
    from jwst_builds.model import KnownIssue

    template = ds.issues["nirspec-irs2-refpix-columns-zeroed"].data
    records = [r.data for _, r in sorted(ds.issues.items())] + synthetic_issues(template)
    typed = [KnownIssue.from_record(Record("issue", f"{d['id']}.yaml", d)) for d in records]
    groups = mode_groups(REPO / "schema")
    products = [
        {"build": build.id, "release": rel["jwst_version"], "crds_ctx": ctx, **values}
        for build, rel in ds.releases()
        for ctx in CONTEXTS
        for values in PRODUCTS
    ]
    python = []
    for p in products:
        product = Product(
            position=position(p["build"], p["release"]),
            **{k: p.get(k) for k in ("crds_ctx", "instrument", "exp_type", "subarray", "readpatt", "detector")},
        )
        row = []
        for issue in typed:
            v = verdict(issue, product, groups)
            row.append(None if v is None else [v.applies, list(v.unchecked), v.undocumented, v.release_has_fix, v.context_has_fix])
        python.append(row)
    open_page(browser, site.as_uri() + "/check.html")
    browser.set_script_timeout(120)
    script = """
    const [products, issues, groups] = arguments;
    const V = window.JwstVerdict;
    return products.map(p => {
      const product = {position: V.position(p.build, p.release), crds_ctx: p.crds_ctx,
        instrument: p.instrument ?? null, exp_type: p.exp_type ?? null, subarray: p.subarray ?? null,
        readpatt: p.readpatt ?? null, detector: p.detector ?? null};
      return issues.map(i => {
        const v = V.verdict(i, product, groups);
        return v === null ? null : [v.applies, v.unchecked, v.undocumented, v.release_has_fix, v.context_has_fix];
      });
    });
    """
    javascript = browser.execute_script(script, products, json.loads(json.dumps(records)), groups)
    differ = [
        (products[n], typed[k].id, python[n][k], javascript[n][k])
        for n in range(len(products))
        for k in range(len(typed))
        if python[n][k] != javascript[n][k]
    ]
    assert [] == differ[:5]
    # the cases cover every outcome of the rules
    outcomes = {json.dumps(v[0:1] + [bool(v[1]), v[2], v[3], v[4]]) for row in python for v in row if v}
    assert {"yes", "possibly"} == {json.loads(o)[0] for o in outcomes}
    assert {True, False, None} <= {json.loads(o)[3] for o in outcomes} | {json.loads(o)[4] for o in outcomes}
