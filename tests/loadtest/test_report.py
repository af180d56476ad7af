"""Locust's HTML report of a run, opened in headless Chromium: its charts are drawn.
A screenshot is kept in $TEST_ARTIFACTS (test-artifacts/ by default)."""

from __future__ import annotations

import importlib.util
import os
import shutil
from pathlib import Path

import pytest

from .conftest import ReportedRun, needs_locust

REPO = Path(__file__).resolve().parents[2]
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
CHROMEDRIVER = shutil.which("chromedriver")

pytestmark = [
    needs_locust,
    pytest.mark.skipif(
        importlib.util.find_spec("selenium") is None, reason="selenium is not installed"
    ),
    pytest.mark.skipif(
        CHROMIUM is None or CHROMEDRIVER is None,
        reason="headless Chromium is not installed (apt-get install chromium chromium-driver)",
    ),
]


def test_the_html_report_shows_its_charts_in_a_browser(reported_run: ReportedRun) -> None:
    from selenium import webdriver
    from selenium.webdriver.chrome.options import Options
    from selenium.webdriver.chrome.service import Service
    from selenium.webdriver.support.ui import WebDriverWait

    report = reported_run.folder / "report.html"
    assert report.is_file(), reported_run.done.stderr
    options = Options()
    for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"):
        options.add_argument(flag)
    options.add_argument("--window-size=1400,2300")
    options.binary_location = str(CHROMIUM)
    browser = webdriver.Chrome(service=Service(str(CHROMEDRIVER)), options=options)
    try:
        browser.get(report.as_uri())
        # The charts (requests per second, response times, users) are canvases that
        # ECharts draws once the page's script has run: wait for three with pixels.
        drawn = WebDriverWait(browser, 60).until(
            lambda page: page.execute_script(
                "const drawn = Array.from(document.querySelectorAll('canvas'))"
                "  .filter(c => c.width > 100 && c.height > 100"
                "    && c.toDataURL().length > 5000);"
                "return drawn.length >= 3 ? drawn.length : false;"
            )
        )
        assert drawn >= 3
        text = browser.find_element("tag name", "body").text
        for expected in ("Charts", "login (SRP)", "InitiateAuth USER_SRP_AUTH", "srp client math"):
            assert expected in text
        artifacts = Path(os.environ.get("TEST_ARTIFACTS", REPO / "test-artifacts"))
        artifacts.mkdir(parents=True, exist_ok=True)
        assert browser.save_screenshot(str(artifacts / "loadtest-report.png"))
    finally:
        browser.quit()
