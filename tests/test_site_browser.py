"""The built site in a real browser (fixtures in tests/browser.py): the home page and its
timeline, the pages it links to, keyboard and phone use, and the check page against
`jwst-builds affects`, over file:// and over a local http server.
"""

from __future__ import annotations

import urllib.request
from pathlib import Path
from urllib.parse import urlencode

import pytest
from selenium import webdriver
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import WebDriverWait

from jwst_builds import dataset, query

from .browser import errors, open_page
from .conftest import REPO

#: the screenshot of the home page is kept here (git-ignored)
ARTIFACTS = REPO / "test-artifacts"

# --- the home page ---------------------------------------------------------------------


def test_home_page_renders(browser: webdriver.Chrome, base: str, real_ds: dataset.Dataset) -> None:
    """The home page loads without console errors; its timeline has one visible bar per
    build, the build in operations highlighted; only the site's own files are requested."""
    open_page(browser, base + "index.html")
    bars = browser.find_elements(By.CSS_SELECTOR, "svg#timeline a.bar")
    assert sorted(real_ds.builds) == sorted(b.get_attribute("data-build") or "" for b in bars)
    widths = browser.execute_script(
        "return Array.from(document.querySelectorAll('#timeline a.bar rect.candidate'))"
        ".map(r => r.getBoundingClientRect().width)"
    )
    assert all(w > 0 for w in widths)
    current = [
        b.get_attribute("data-build")
        for b in browser.find_elements(By.CSS_SELECTOR, "#timeline a.bar.current")
    ]
    assert [b.id for b in real_ds.builds.values() if b.data["status"] == "operations"] == current
    resources = browser.execute_script(
        "return performance.getEntriesByType('resource').map(e => e.name)"
    )
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
    links = browser.execute_script(
        "return Array.from(document.querySelectorAll('a[href]')).map(a => a.href)"
    )
    own = sorted({str(link).split("#")[0] for link in links if str(link).startswith(base)})
    assert own
    failures = {}
    for url in own:
        if url.endswith(".html") or "?" in url:
            open_page(browser, url)
            heading = browser.find_elements(By.TAG_NAME, "h1")
            problems = errors(browser) + ([] if heading and heading[0].text else ["no h1"])
        elif base.startswith("http"):
            with urllib.request.urlopen(url, timeout=30) as response:
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


@pytest.mark.parametrize(
    "page", ["index.html", "builds/12.1.html", "issues.html", "check.html?cal_ver=1.14.0"]
)
def test_readable_on_a_phone(browser: webdriver.Chrome, server: str, page: str) -> None:
    """At a phone's width (390 px) no page scrolls sideways: wide tables and the timeline
    scroll inside their own box."""
    browser.set_window_size(390, 844)
    try:
        open_page(browser, server + page)
        WebDriverWait(browser, 30).until(
            lambda d: d.execute_script(
                "var a = document.getElementById('answer'); return !a || a.dataset.state !== 'loading'"
            )
        )
        widths = browser.execute_script(
            "return [document.documentElement.scrollWidth, window.innerWidth]"
        )
        assert widths[0] <= widths[1]
    finally:
        browser.set_window_size(1280, 900)


# --- the check page ---------------------------------------------------------------------

CASES = [
    # before and after the reference-file fix of the MIRI LRS slitless wavelengths (jwst_1293)
    {"cal_ver": "1.15.1", "crds_ctx": "jwst_1292.pmap", "exp_type": "MIR_LRS-SLITLESS"},
    {"cal_ver": "1.15.1", "crds_ctx": "jwst_1293.pmap", "exp_type": "MIR_LRS-SLITLESS"},
    # a pre-launch release, older than every build that documents the issue
    {
        "cal_ver": "0.7.7",
        "crds_ctx": "jwst_0303.pmap",
        "instrument": "MIRI",
        "exp_type": "MIR_LRS-SLITLESS",
    },
    {"cal_ver": "1.14.0"},
    {
        "cal_ver": "2.0.1",
        "crds_ctx": "jwst_1535.pmap",
        "instrument": "nirspec",
        "exp_type": "nrs_ifu",
    },
    # readout pattern and subarray limits: IRS2 reference pixels in 1.12.0 to 1.12.4
    {
        "cal_ver": "1.12.3",
        "instrument": "NIRSpec",
        "readpatt": "NRSIRS2",
        "subarray": "FULL",
        "detector": "NRS1",
    },
    {
        "cal_ver": "1.12.3",
        "instrument": "NIRSpec",
        "readpatt": "NRSRAPID",
        "subarray": "FULL",
        "detector": "NRS1",
    },
    {"cal_ver": "1.20.2", "exp_type": "NRC_IMAGE", "subarray": "SUB160"},
    {"cal_ver": "1.20.2", "exp_type": "NRC_IMAGE", "subarray": "FULL"},
]


def ask(
    browser: webdriver.Chrome, base: str, values: dict[str, str]
) -> list[tuple[str, str, list[str], bool]]:
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


def expected(
    real_ds: dataset.Dataset, values: dict[str, str]
) -> list[tuple[str, str, list[str], bool]]:
    answer = query.affects(real_ds, query.Question(**values), include_all=True)
    return [(i["id"], i["applies"], i["unchecked"], i["undocumented"]) for i in answer["issues"]]


@pytest.mark.parametrize("values", CASES, ids=lambda v: "-".join(v.values()))
def test_check_page_gives_the_affects_answer(
    browser: webdriver.Chrome, base: str, real_ds: dataset.Dataset, values: dict[str, str]
) -> None:
    """The check page lists the same issues, verdicts, unchecked values and order as
    `jwst-builds affects --all`, from the API over http and from the bundle over file://."""
    assert expected(real_ds, values) == ask(browser, base, values)


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
    [
        {"cal_ver": "9.9.9"},
        {"cal_ver": "1.14.0", "crds_ctx": "1240"},
        {"cal_ver": "1.14.0", "instrument": "NIRSPEC", "exp_type": "MIR_IMAGE"},
    ],
    ids=["unknown-version", "short-context", "mode-of-another-instrument"],
)
def test_check_page_refuses_bad_values_like_affects(
    browser: webdriver.Chrome, server: str, real_ds: dataset.Dataset, values: dict[str, str]
) -> None:
    """A value `affects` refuses gets the same one-line message on the page."""
    with pytest.raises(query.QueryError) as refused:
        query.affects(real_ds, query.Question(**values), include_all=True)
    open_page(browser, server + "check.html?" + urlencode(values))
    WebDriverWait(browser, 30).until(
        lambda d: d.find_element(By.ID, "answer").get_attribute("data-state") == "done"
    )
    assert str(refused.value) == browser.find_element(By.ID, "error").text
