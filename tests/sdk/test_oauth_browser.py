"""The hosted UI in a real browser: headless Chromium (Debian's chromium and
chromium-driver, which .ci/run installs) fills the local pool's sign-in page, the redirect
lands on a loopback listener, and CognitoOAuthClient takes it from there. A screenshot of
the sign-in page is kept in $TEST_ARTIFACTS (test-artifacts/ by default)."""

from __future__ import annotations

import importlib.util
import json
import os
import shutil
import socket
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path
from typing import Any

import pytest
import requests
from hosted_ui import PASSWORD, HostedUi

from cognito_identity import CognitoOAuthClient, CognitoUserPool
from cognito_identity.cli import main
from cognito_identity.jwt import JsonWebKeySet
from cognito_identity.local import LocalCognito

from .conftest import admin_client

REPO = Path(__file__).resolve().parents[2]
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
CHROMEDRIVER = shutil.which("chromedriver")

pytestmark = [
    pytest.mark.skipif(
        importlib.util.find_spec("selenium") is None, reason="selenium is not installed"
    ),
    pytest.mark.skipif(
        CHROMIUM is None or CHROMEDRIVER is None,
        reason="headless Chromium is not installed (apt-get install chromium chromium-driver)",
    ),
]


class _Callback(BaseHTTPRequestHandler):
    """The app's redirect URI on loopback (RFC 8252): it keeps the URL it was sent to."""

    server: _CallbackServer

    def do_GET(self) -> None:
        if self.path == "/favicon.ico":  # the browser asks for it on its own
            self.send_error(404)
            return
        self.server.redirects.append(f"http://127.0.0.1:{self.server.server_port}{self.path}")
        body = b"<!DOCTYPE html><title>Signed in</title><p>You may close this window.</p>"
        self.send_response(200)
        self.send_header("Content-Type", "text/html")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: Any) -> None:
        pass


class _CallbackServer(HTTPServer):
    redirects: list[str]


@pytest.fixture
def callback() -> Iterator[_CallbackServer]:
    server = _CallbackServer(("127.0.0.1", 0), _Callback)
    server.redirects = []
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


@pytest.fixture
def browser() -> Iterator[Any]:
    from selenium import webdriver
    from selenium.webdriver.chrome.options import Options
    from selenium.webdriver.chrome.service import Service

    options = Options()
    for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"):
        options.add_argument(flag)
    options.add_argument("--window-size=800,900")
    options.binary_location = str(CHROMIUM)
    driver = webdriver.Chrome(service=Service(str(CHROMEDRIVER)), options=options)
    try:
        yield driver
    finally:
        driver.quit()


def test_a_browser_signs_in_through_the_hosted_ui(
    local: LocalCognito, callback: _CallbackServer, browser: Any
) -> None:
    from selenium.webdriver.support.ui import WebDriverWait

    redirect_uri = f"http://127.0.0.1:{callback.server_port}/callback"
    signed_out = f"http://127.0.0.1:{callback.server_port}/signed-out"
    ui = HostedUi(
        local,
        admin_client(local.endpoint),
        CallbackURLs=[redirect_uri],
        LogoutURLs=[signed_out],
    )
    oauth = CognitoOAuthClient(local.endpoint, ui.client_id, redirect_uri)
    browser.get(oauth.authorize_url(login_hint="ann"))
    assert browser.title == "Sign in"
    artifacts = Path(os.environ.get("TEST_ARTIFACTS", REPO / "test-artifacts"))
    artifacts.mkdir(parents=True, exist_ok=True)
    assert browser.save_screenshot(str(artifacts / "hosted-ui-sign-in.png"))
    # The labels name the fields, as a screen reader finds them.
    username = browser.find_element("css selector", "label[for=username]")
    assert username.text == "Username"
    browser.find_element("id", "password").send_keys(PASSWORD)
    browser.find_element("css selector", "button[type=submit]").click()
    WebDriverWait(browser, 30).until(lambda _: callback.redirects)

    pool = CognitoUserPool(ui.pool_id, ui.client_id, endpoint=local.endpoint)
    user = oauth.sign_in(pool, oauth.parse_redirect(callback.redirects[0]))
    session = user.get_session()
    jwks = requests.get(f"{local.endpoint}/{ui.pool_id}/.well-known/jwks.json", timeout=10)
    keys = JsonWebKeySet.from_json(jwks.text)
    assert keys.verify(session.id_token.jwt_token)["cognito:username"] == "ann"
    assert session.refresh_token is not None
    refreshed = oauth.refresh(session.refresh_token.token)
    assert keys.verify(refreshed.access_token)["username"] == "ann"
    browser.get(oauth.logout_url(signed_out))
    WebDriverWait(browser, 30).until(lambda _: signed_out in callback.redirects)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def test_login_hosted_ui_opens_the_browser_and_catches_the_redirect(
    local: LocalCognito,
    browser: Any,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    redirect_uri = f"http://127.0.0.1:{_free_port()}/callback"
    ui = HostedUi(local, admin_client(local.endpoint), CallbackURLs=[redirect_uri])

    def chromium_signs_in(url: str) -> bool:
        # What the user does in the browser the command opened: fill in the form.
        def sign_in() -> None:
            browser.get(url)
            browser.find_element("id", "password").send_keys(PASSWORD)
            browser.find_element("css selector", "button[type=submit]").click()

        threading.Thread(target=sign_in, daemon=True).start()
        return True

    monkeypatch.setattr("webbrowser.open", chromium_signs_in)
    status = main(
        [
            "login",
            "--hosted-ui",
            "--json",
            "--endpoint",
            local.endpoint,
            "--user-pool-id",
            ui.pool_id,
            "--client-id",
            ui.client_id,
            "--username",
            "ann",
            "--redirect-uri",
            redirect_uri,
            "--timeout",
            "60",
        ]
    )
    out = capsys.readouterr()
    assert status == 0, out.err
    tokens = json.loads(out.out)
    jwks = requests.get(f"{local.endpoint}/{ui.pool_id}/.well-known/jwks.json", timeout=10)
    claims = JsonWebKeySet.from_json(jwks.text).verify(tokens["AccessToken"])
    assert claims["username"] == "ann"
