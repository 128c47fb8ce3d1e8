"""Headless Chromium for the browser tests, and a local http server for the built site.

Needs Chromium and chromedriver (Debian: ``apt-get install chromium chromium-driver``;
.ci/run installs them). Without them the browser tests fail with that advice; set
JWST_BUILDS_SKIP_BROWSER=1 to skip them on purpose (CI never does). The fixtures that
use these helpers are in conftest.py.
"""

from __future__ import annotations

import functools
import os
import shutil
import tempfile
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from selenium import webdriver
from selenium.common.exceptions import WebDriverException
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.support.ui import WebDriverWait

SKIP = "JWST_BUILDS_SKIP_BROWSER"
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


def _find(env: str, names: tuple[str, ...], folder_env: str | None = None) -> str | None:
    if os.environ.get(env):
        return os.environ[env]
    for name in names:
        found = shutil.which(name)
        if found:
            return found
    # GitHub's Ubuntu runners keep chromedriver in the folder this variable names
    if folder_env and os.environ.get(folder_env):
        candidate = Path(os.environ[folder_env], names[0])
        return str(candidate) if candidate.is_file() else None
    return None


@contextmanager
def chromium() -> Iterator[webdriver.Chrome]:
    """A headless Chromium with a fresh profile; fails the test with advice when missing."""
    if os.environ.get(SKIP):
        pytest.skip(f"{SKIP} is set: browser tests skipped")
    binary = _find(
        "JWST_BUILDS_CHROMIUM",
        ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable"),
    )
    driver_path = _find("JWST_BUILDS_CHROMEDRIVER", ("chromedriver",), "CHROMEWEBDRIVER")
    if binary is None or driver_path is None:
        missing = " and ".join(
            name
            for name, path in (("Chromium", binary), ("chromedriver", driver_path))
            if path is None
        )
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
        shutil.rmtree(profile, ignore_errors=True)
        pytest.fail(f"Chromium did not start ({binary}, {driver_path}): {exc.msg}", pytrace=False)
    driver.set_page_load_timeout(60)
    try:
        yield driver
    finally:
        driver.quit()
        shutil.rmtree(profile, ignore_errors=True)


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


@contextmanager
def serve(folder: Path) -> Iterator[str]:
    """``folder`` served on a free port of 127.0.0.1; yields the address, ending in /."""
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(folder)))
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}/"
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join(timeout=10)


def errors(driver: webdriver.Chrome) -> list[str]:
    """Console errors since the last call."""
    return [e["message"] for e in driver.get_log("browser") if e["level"] == "SEVERE"]


def open_page(driver: webdriver.Chrome, url: str) -> None:
    """Load ``url`` and wait until it has loaded; console messages of earlier pages are dropped."""
    driver.get_log("browser")
    driver.get(url)
    WebDriverWait(driver, 30).until(
        lambda d: d.execute_script("return document.readyState") == "complete"
    )
