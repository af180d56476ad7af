"""The local pool's hosted UI without a browser: forms posted with requests, and every
refusal the issue lists (replayed code, wrong verifier, redirect mismatch, a flow or scope
the client lacks, client credentials with a resource server's scope)."""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
import requests
from hosted_ui import CALLBACK, PASSWORD, SIGNED_OUT, HostedUi, parse_form, pkce

from cognito_identity.jwt import JsonWebKeySet
from cognito_identity.local import LocalCognito, ManualClock


@pytest.fixture
def ui(local: LocalCognito, idp: Any) -> HostedUi:
    return HostedUi(local, idp)


def test_the_sign_in_page_is_a_labelled_form_without_script(ui: HostedUi) -> None:
    page = ui.authorize(pkce()[1])
    assert page.status_code == 200
    assert page.headers["Content-Type"].startswith("text/html")
    assert "<script" not in page.text.lower()
    form = parse_form(page.text)
    assert form.action == "/oauth2/authorize"
    for name in ("username", "password"):
        assert form.ids[name] in form.labels
    assert form.fields["state"] == "st-1"


def test_code_flow_with_pkce_issues_tokens_that_verify(ui: HostedUi) -> None:
    verifier, challenge = pkce()
    answer = ui.exchange(ui.code(challenge), verifier)
    assert answer.status_code == 200, answer.text
    assert answer.headers["Cache-Control"] == "no-store"
    tokens = answer.json()
    assert tokens["token_type"] == "Bearer" and tokens["expires_in"] == 3600
    keys = JsonWebKeySet.from_json(
        requests.get(f"{ui.endpoint}/{ui.pool_id}/.well-known/jwks.json", timeout=10).text
    )
    id_claims = keys.verify(tokens["id_token"])
    assert id_claims["cognito:username"] == "ann" and id_claims["aud"] == ui.client_id
    access_claims = keys.verify(tokens["access_token"])
    assert access_claims["username"] == "ann"
    info = requests.get(
        f"{ui.endpoint}/oauth2/userInfo",
        headers={"Authorization": f"Bearer {tokens['access_token']}"},
        timeout=10,
    )
    assert info.status_code == 200
    assert info.json()["email"] == "ann@example.com" and info.json()["username"] == "ann"


def test_a_wrong_password_shows_the_page_again(ui: HostedUi) -> None:
    answer = ui.sign_in(pkce()[1], password="Wr0ng-Horse!")
    assert answer.status_code == 400
    assert "Incorrect username or password." in answer.text
    assert PASSWORD not in answer.text and "Wr0ng-Horse!" not in answer.text
    assert parse_form(answer.text).fields["username"] == "ann"


def test_a_replayed_code_is_refused(ui: HostedUi) -> None:
    verifier, challenge = pkce()
    code = ui.code(challenge)
    assert ui.exchange(code, verifier).status_code == 200
    again = ui.exchange(code, verifier)
    assert again.status_code == 400 and again.json()["error"] == "invalid_grant"


def test_a_wrong_verifier_is_refused_and_burns_the_code(ui: HostedUi) -> None:
    verifier, challenge = pkce()
    code = ui.code(challenge)
    wrong = ui.exchange(code, pkce()[0])
    assert wrong.status_code == 400 and wrong.json()["error"] == "invalid_grant"
    assert ui.exchange(code, verifier).json()["error"] == "invalid_grant"
    missing = ui.exchange(ui.code(challenge), None)
    assert missing.json()["error"] == "invalid_grant"


def test_a_code_expires_after_five_minutes(ui: HostedUi, clock: ManualClock) -> None:
    verifier, challenge = pkce()
    code = ui.code(challenge)
    clock.advance(301)
    assert ui.exchange(code, verifier).json()["error"] == "invalid_grant"


def test_a_mismatched_redirect_uri_is_refused(ui: HostedUi) -> None:
    page = ui.authorize(pkce()[1], redirect_uri="https://elsewhere.example.com/cb")
    assert page.status_code == 400 and "Location" not in page.headers
    assert "redirect_mismatch" in page.text
    verifier, challenge = pkce()
    answer = ui.exchange(ui.code(challenge), verifier, redirect_uri="http://localhost:8400/x")
    assert answer.json()["error"] == "invalid_grant"


def _redirect_error(answer: requests.Response) -> dict[str, list[str]]:
    assert answer.status_code == 302
    location = answer.headers["Location"]
    assert location.startswith(CALLBACK + "?")
    return parse_qs(urlsplit(location).query)


def test_a_scope_the_client_lacks_is_refused(ui: HostedUi) -> None:
    query = _redirect_error(ui.authorize(pkce()[1], scope="openid phone"))
    assert query["error"] == ["invalid_scope"] and query["state"] == ["st-1"]


def test_a_flow_the_client_does_not_allow_is_refused(local: LocalCognito, idp: Any) -> None:
    ui = HostedUi(local, idp, AllowedOAuthFlows=["implicit"])
    assert _redirect_error(ui.authorize(pkce()[1]))["error"] == ["unauthorized_client"]
    token = HostedUi(local, idp)
    assert _redirect_error(token.authorize(None, response_type="token"))["error"] == [
        "unsupported_response_type"
    ]
    refused = HostedUi(local, idp, AllowedOAuthFlowsUserPoolClient=False)
    refused_token = refused.token(grant_type="refresh_token", refresh_token="x")
    assert refused_token.json()["error"] == "unauthorized_client"


def test_an_unknown_client_gets_an_error_page(ui: HostedUi) -> None:
    page = ui.authorize(None, client_id="nosuchclient")
    assert page.status_code == 400 and "Location" not in page.headers
    assert "Traceback" not in page.text


def test_refresh_revoke_and_logout(ui: HostedUi) -> None:
    verifier, challenge = pkce()
    tokens = ui.exchange(ui.code(challenge), verifier).json()
    refreshed = ui.token(grant_type="refresh_token", refresh_token=tokens["refresh_token"])
    assert refreshed.status_code == 200 and refreshed.json()["id_token"]
    revoke = ui.http.post(
        f"{ui.endpoint}/oauth2/revoke",
        data={"token": tokens["refresh_token"], "client_id": ui.client_id},
        timeout=10,
    )
    assert revoke.status_code == 200
    after = ui.token(grant_type="refresh_token", refresh_token=tokens["refresh_token"])
    assert after.status_code == 400 and after.json()["error"] == "invalid_grant"
    info = requests.get(
        f"{ui.endpoint}/oauth2/userInfo",
        headers={"Authorization": f"Bearer {refreshed.json()['access_token']}"},
        timeout=10,
    )
    assert info.status_code == 401 and info.json()["error"] == "invalid_token"
    logout = ui.http.get(
        f"{ui.endpoint}/logout",
        params={"client_id": ui.client_id, "logout_uri": SIGNED_OUT},
        allow_redirects=False,
        timeout=10,
    )
    assert logout.status_code == 302 and logout.headers["Location"] == SIGNED_OUT
    elsewhere = ui.http.get(
        f"{ui.endpoint}/logout",
        params={"client_id": ui.client_id, "logout_uri": "https://elsewhere.example.com/"},
        allow_redirects=False,
        timeout=10,
    )
    assert elsewhere.status_code == 400


def test_a_secret_client_authenticates_with_http_basic(local: LocalCognito, idp: Any) -> None:
    ui = HostedUi(local, idp, GenerateSecret=True)
    verifier, challenge = pkce()
    code = ui.code(challenge)
    wrong = requests.post(
        f"{ui.endpoint}/oauth2/token",
        data={"grant_type": "authorization_code", "code": code, "redirect_uri": CALLBACK},
        auth=(ui.client_id, "not-the-secret"),
        timeout=10,
    )
    assert wrong.json()["error"] == "invalid_client"
    assert ui.exchange(code, verifier).status_code == 200


def test_new_password_required_gets_its_own_page(ui: HostedUi) -> None:
    ui.idp.admin_set_user_password(
        UserPoolId=ui.pool_id, Username="ann", Password="Temp-0rary-pass!", Permanent=False
    )
    step = ui.sign_in(pkce()[1], password="Temp-0rary-pass!")
    assert step.status_code == 200
    form = parse_form(step.text)
    assert form.fields["challenge"] == "NEW_PASSWORD_REQUIRED"
    assert form.ids["NEW_PASSWORD"] in form.labels
    done = ui.http.post(
        ui.endpoint + form.action,
        data={**form.fields, "NEW_PASSWORD": "N3w-Horse-pass!"},
        allow_redirects=False,
        timeout=10,
    )
    assert done.status_code == 302 and "code=" in done.headers["Location"]


def test_client_credentials_with_a_resource_server_scope(local: LocalCognito, idp: Any) -> None:
    pool_id = idp.create_user_pool(PoolName="machines")["UserPool"]["Id"]
    idp.create_resource_server(
        UserPoolId=pool_id,
        Identifier="orders",
        Name="Orders API",
        Scopes=[
            {"ScopeName": "read", "ScopeDescription": "Read orders"},
            {"ScopeName": "write", "ScopeDescription": "Place orders"},
        ],
    )
    client = idp.create_user_pool_client(
        UserPoolId=pool_id,
        ClientName="worker",
        GenerateSecret=True,
        AllowedOAuthFlowsUserPoolClient=True,
        AllowedOAuthFlows=["client_credentials"],
        AllowedOAuthScopes=["orders/read", "orders/write"],
    )["UserPoolClient"]
    auth = (client["ClientId"], client["ClientSecret"])
    answer = requests.post(
        f"{local.endpoint}/oauth2/token",
        data={"grant_type": "client_credentials", "scope": "orders/read"},
        auth=auth,
        timeout=10,
    )
    assert answer.status_code == 200, answer.text
    keys = JsonWebKeySet.from_json(
        requests.get(f"{local.endpoint}/{pool_id}/.well-known/jwks.json", timeout=10).text
    )
    claims = keys.verify(answer.json()["access_token"])
    assert claims["scope"] == "orders/read" and claims["sub"] == client["ClientId"]
    lacking = requests.post(
        f"{local.endpoint}/oauth2/token",
        data={"grant_type": "client_credentials", "scope": "orders/delete"},
        auth=auth,
        timeout=10,
    )
    assert lacking.json()["error"] == "invalid_scope"


def test_client_settings_are_checked_as_cognito_checks_them(idp: Any) -> None:
    pool_id = idp.create_user_pool(PoolName="checks")["UserPool"]["Id"]
    refused = [
        {"CallbackURLs": ["http://example.com/cb"]},
        {"AllowedOAuthFlowsUserPoolClient": True, "AllowedOAuthScopes": ["openid"]},
        {
            "AllowedOAuthFlowsUserPoolClient": True,
            "AllowedOAuthFlows": ["client_credentials"],
            "AllowedOAuthScopes": ["orders/read"],
        },
    ]
    for settings in refused:
        with pytest.raises(idp.exceptions.ClientError):
            idp.create_user_pool_client(UserPoolId=pool_id, ClientName="c", **settings)


def test_the_openid_configuration_names_the_oauth_endpoints(ui: HostedUi) -> None:
    document = requests.get(
        f"{ui.endpoint}/{ui.pool_id}/.well-known/openid-configuration", timeout=10
    ).json()
    for name, path in (
        ("authorization_endpoint", "/oauth2/authorize"),
        ("token_endpoint", "/oauth2/token"),
        ("userinfo_endpoint", "/oauth2/userInfo"),
        ("revocation_endpoint", "/oauth2/revoke"),
        ("end_session_endpoint", "/logout"),
    ):
        assert document[name] == ui.endpoint + path
    # Each one answers (a GET where the endpoint takes only POST is told so).
    assert requests.get(document["token_endpoint"], timeout=10).status_code == 405


def test_a_mobile_apps_own_scheme_is_a_redirect_uri_as_on_cognito(idp: Any) -> None:
    pool_id = idp.create_user_pool(PoolName="mobile")["UserPool"]["Id"]
    oauth = {
        "AllowedOAuthFlowsUserPoolClient": True,
        "AllowedOAuthFlows": ["code"],
        "AllowedOAuthScopes": ["openid"],
        "SupportedIdentityProviders": ["COGNITO"],
    }
    for url in ("myapp://", "myapp://callback", "com.example.app://auth"):
        created = idp.create_user_pool_client(
            UserPoolId=pool_id, ClientName="app", CallbackURLs=[url], **oauth
        )
        assert created["UserPoolClient"]["CallbackURLs"] == [url]
    for url in ("myapp:callback", "myapp://cb#frag", "https:///cb", "/relative"):
        with pytest.raises(idp.exceptions.InvalidParameterException):
            idp.create_user_pool_client(
                UserPoolId=pool_id, ClientName="app", CallbackURLs=[url], **oauth
            )
