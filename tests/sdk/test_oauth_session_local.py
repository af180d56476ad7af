"""CognitoOAuthClient against the local pool's hosted-UI session: one browser (requests
with its cookie jar) signs in once, and the next authorize URL comes straight back with a
code, until logout_url; prompt="login" and prompt="none" as OIDC means them."""

from __future__ import annotations

import pytest
import requests
from hosted_ui import CALLBACK, PASSWORD, SIGNED_OUT, HostedUi, parse_form

from cognito_identity import CognitoOAuthClient, CognitoUserPool
from cognito_identity.local import LocalCognito
from cognito_identity.oauth_errors import OAuthError

from .conftest import admin_client


@pytest.fixture
def ui(local: LocalCognito) -> HostedUi:
    return HostedUi(local, admin_client(local.endpoint))


def _sign_in_with_form(browser: requests.Session, url: str, endpoint: str) -> str:
    page = browser.get(url, timeout=10)
    assert page.status_code == 200, page.text
    form = parse_form(page.text)
    answer = browser.post(
        endpoint + form.action,
        data={**form.fields, "username": "ann", "password": PASSWORD},
        allow_redirects=False,
        timeout=10,
    )
    assert answer.status_code == 302, answer.text
    return str(answer.headers["Location"])


def _straight_back(browser: requests.Session, url: str) -> str:
    answer = browser.get(url, allow_redirects=False, timeout=10)
    assert answer.status_code == 302, answer.text
    return str(answer.headers["Location"])


def test_one_browser_signs_in_once_until_it_logs_out(ui: HostedUi) -> None:
    oauth = CognitoOAuthClient(ui.endpoint, ui.client_id, CALLBACK)
    pool = CognitoUserPool(ui.pool_id, ui.client_id, endpoint=ui.endpoint)
    with requests.Session() as browser:
        first = _sign_in_with_form(browser, oauth.authorize_url(), ui.endpoint)
        assert oauth.sign_in(pool, oauth.parse_redirect(first)).username == "ann"
        again = _straight_back(browser, oauth.authorize_url())
        user = oauth.sign_in(pool, oauth.parse_redirect(again))
        assert user.get_session().is_valid() and user.username == "ann"
        # prompt="none" asks the session only; prompt="login" asks for the form anyway.
        silent = _straight_back(browser, oauth.authorize_url(prompt="none"))
        oauth.exchange_code(oauth.parse_redirect(silent))
        forced = _sign_in_with_form(browser, oauth.authorize_url(prompt="login"), ui.endpoint)
        oauth.exchange_code(oauth.parse_redirect(forced))
        assert _straight_back(browser, oauth.logout_url(SIGNED_OUT)) == SIGNED_OUT
        assert browser.get(oauth.authorize_url(), timeout=10).status_code == 200
        refused = _straight_back(browser, oauth.authorize_url(prompt="none"))
        with pytest.raises(OAuthError) as caught:
            oauth.parse_redirect(refused)
        assert caught.value.code == "login_required"
