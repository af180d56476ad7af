"""The hosted UI's session, as a browser sees it: after a sign-in, the next authorize from
the same browser (requests with its cookie jar) comes straight back with a code, for any
app client of the pool, until /logout, an hour, or the user's disabling, deletion or
password reset ends it (a global sign-out does not, as Cognito documents); prompt=login
asks for the form anyway, prompt=none never shows it."""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
import requests
from hosted_ui import CALLBACK, PASSWORD, SIGNED_OUT, HostedUi, code_flow_client, parse_form, pkce

from cognito_identity.jwt import JsonWebKeySet
from cognito_identity.local import LocalCognito, ManualClock


@pytest.fixture
def ui(local: LocalCognito, idp: Any) -> HostedUi:
    return HostedUi(local, idp)


def _cookie_name(ui: HostedUi) -> str:
    return f"cognito-session-{ui.pool_id}"


def _query(answer: requests.Response) -> dict[str, list[str]]:
    assert answer.status_code == 302, answer.text
    location = answer.headers["Location"]
    assert location.startswith(CALLBACK + "?"), location
    return parse_qs(urlsplit(location).query)


def _claims(ui: HostedUi, code: str, verifier: str) -> dict[str, Any]:
    answer = ui.exchange(code, verifier)
    assert answer.status_code == 200, answer.text
    keys = JsonWebKeySet.from_json(
        requests.get(f"{ui.endpoint}/{ui.pool_id}/.well-known/jwks.json", timeout=10).text
    )
    return dict(keys.verify(answer.json()["id_token"]))


def _shows_the_form(answer: requests.Response) -> bool:
    return answer.status_code == 200 and "password" in parse_form(answer.text).fields


def test_a_second_authorize_comes_straight_back_with_a_new_code(
    ui: HostedUi, clock: ManualClock
) -> None:
    verifier, challenge = pkce()
    first = _claims(ui, ui.code(challenge), verifier)
    clock.advance(600)
    verifier, challenge = pkce()
    again = ui.authorize(challenge, state="st-2")
    query = _query(again)
    assert query["state"] == ["st-2"]
    second = _claims(ui, query["code"][0], verifier)
    assert second["cognito:username"] == "ann" and second["sub"] == first["sub"]
    # A new sign-in (new tokens), but the user authenticated when it typed its password.
    assert second["iat"] == first["iat"] + 600
    assert second["auth_time"] == first["auth_time"]
    # A browser without the cookie still gets the form.
    assert _shows_the_form(requests.get(again.request.url or "", timeout=10))


def test_the_cookie_is_http_only_bound_to_the_pool_and_lasts_an_hour(ui: HostedUi) -> None:
    signed_in = ui.sign_in(pkce()[1])
    cookie = signed_in.headers["Set-Cookie"]
    name, _, rest = cookie.partition("=")
    assert name == _cookie_name(ui)
    attributes = [part.strip().lower() for part in rest.split(";")[1:]]
    assert "httponly" in attributes and "max-age=3600" in attributes and "path=/" in attributes
    assert "samesite=lax" in attributes
    # Served over http, as the local pool is: a Secure cookie would never come back.
    assert "secure" not in attributes
    assert ui.http.cookies.get(_cookie_name(ui)) not in (None, "")


def test_another_app_client_of_the_pool_shares_the_session(ui: HostedUi, idp: Any) -> None:
    other = code_flow_client(idp, ui.pool_id, "admin-console")
    ui.code(None)
    query = _query(ui.authorize(None, client_id=other, scope="openid"))
    answer = ui.http.post(
        f"{ui.endpoint}/oauth2/token",
        data={
            "grant_type": "authorization_code",
            "client_id": other,
            "code": query["code"][0],
            "redirect_uri": CALLBACK,
        },
        timeout=10,
    )
    assert answer.status_code == 200, answer.text
    keys = JsonWebKeySet.from_json(
        requests.get(f"{ui.endpoint}/{ui.pool_id}/.well-known/jwks.json", timeout=10).text
    )
    claims = keys.verify(answer.json()["id_token"])
    assert claims["aud"] == other and claims["cognito:username"] == "ann"


def test_another_pools_authorize_ignores_the_cookie(
    ui: HostedUi, local: LocalCognito, idp: Any
) -> None:
    ui.code(None)
    other = HostedUi(local, idp)
    other.http = ui.http
    # Not the other pool's cookie...
    assert _shows_the_form(other.authorize(None))
    # ...nor this pool's value put under the other pool's name.
    value = ui.http.cookies[_cookie_name(ui)]
    ui.http.cookies.set(_cookie_name(other), value)
    assert _shows_the_form(other.authorize(None))


def test_the_session_ends_after_an_hour(ui: HostedUi, clock: ManualClock) -> None:
    ui.code(None)
    clock.advance(3599)
    assert _query(ui.authorize(None))["code"]
    clock.advance(2)
    assert _shows_the_form(ui.authorize(None))


def test_prompt_login_shows_the_form_and_replaces_the_session(ui: HostedUi) -> None:
    ui.code(None)
    old = ui.http.cookies[_cookie_name(ui)]
    page = ui.authorize(None, prompt="login")
    assert _shows_the_form(page)
    form = parse_form(page.text)
    assert form.fields["prompt"] == "login"
    posted = ui.http.post(
        ui.endpoint + form.action,
        data={**form.fields, "username": "ann", "password": PASSWORD},
        allow_redirects=False,
        timeout=10,
    )
    assert _query(posted)["code"]
    new = ui.http.cookies[_cookie_name(ui)]
    assert new != old
    assert _query(ui.authorize(None))["code"]
    # The session it replaced is over, even for a browser that kept its cookie.
    stale = requests.Session()
    stale.cookies.set(_cookie_name(ui), old)
    ui.http, browser = stale, ui.http
    assert _shows_the_form(ui.authorize(None))
    ui.http = browser


def test_prompt_none_never_shows_the_form(ui: HostedUi) -> None:
    refused = _query(ui.authorize(None, prompt="none"))
    assert refused["error"] == ["login_required"] and refused["state"] == ["st-1"]
    ui.code(None)
    assert _query(ui.authorize(None, prompt="none"))["code"]
    unknown = _query(ui.authorize(None, prompt="sometimes"))
    assert unknown["error"] == ["invalid_request"]
    assert _query(ui.authorize(None, prompt="none login"))["error"] == ["invalid_request"]


def _logout(ui: HostedUi, **params: str) -> requests.Response:
    return ui.http.get(
        f"{ui.endpoint}/logout",
        params={"client_id": ui.client_id, **params},
        allow_redirects=False,
        timeout=10,
    )


def test_logout_ends_the_session(ui: HostedUi) -> None:
    ui.code(None)
    value = ui.http.cookies[_cookie_name(ui)]
    refused = _logout(ui, logout_uri="https://elsewhere.example.com/")
    assert refused.status_code == 400
    assert _query(ui.authorize(None))["code"]  # a refused logout signs nobody out
    logout = _logout(ui, logout_uri=SIGNED_OUT)
    assert logout.status_code == 302 and logout.headers["Location"] == SIGNED_OUT
    assert "max-age=0" in logout.headers["Set-Cookie"].lower()
    assert _cookie_name(ui) not in ui.http.cookies
    assert _shows_the_form(ui.authorize(None))
    # Over on the server too: the old cookie, replayed, signs nobody in.
    ui.http.cookies.set(_cookie_name(ui), value)
    assert _shows_the_form(ui.authorize(None))


def test_logout_with_a_redirect_uri_goes_back_to_the_sign_in_page(ui: HostedUi) -> None:
    ui.code(None)
    params = {"redirect_uri": CALLBACK, "response_type": "code", "scope": "openid", "state": "x"}
    logout = _logout(ui, **params)
    assert logout.status_code == 302
    location = logout.headers["Location"]
    assert location.startswith(f"{ui.endpoint}/oauth2/authorize?")
    page = ui.http.get(location, allow_redirects=False, timeout=10)
    assert _shows_the_form(page) and parse_form(page.text).fields["state"] == "x"
    wrong = _logout(ui, **{**params, "redirect_uri": "https://elsewhere.example.com/cb"})
    assert wrong.status_code == 400 and "Location" not in wrong.headers


def _signed_in_then(ui: HostedUi, idp: Any, action: str) -> requests.Response:
    """Sign in, do ``action`` to the user, and authorize again from the same browser."""
    verifier, challenge = pkce()
    assert ui.exchange(ui.code(challenge), verifier).status_code == 200
    if action == "disable":
        idp.admin_disable_user(UserPoolId=ui.pool_id, Username="ann")
        idp.admin_enable_user(UserPoolId=ui.pool_id, Username="ann")
    elif action == "delete":
        idp.admin_delete_user(UserPoolId=ui.pool_id, Username="ann")
        idp.admin_create_user(UserPoolId=ui.pool_id, Username="ann", MessageAction="SUPPRESS")
    elif action == "password reset":
        verified = [{"Name": "email_verified", "Value": "true"}]
        idp.admin_update_user_attributes(
            UserPoolId=ui.pool_id, Username="ann", UserAttributes=verified
        )
        idp.admin_reset_user_password(UserPoolId=ui.pool_id, Username="ann")
    return ui.authorize(None)


@pytest.mark.parametrize("action", ["disable", "delete", "password reset"])
def test_the_session_does_not_outlive_what_ends_a_users_sign_ins(
    ui: HostedUi, idp: Any, action: str
) -> None:
    assert _shows_the_form(_signed_in_then(ui, idp, action))


@pytest.mark.parametrize("action", ["admin global sign-out", "global sign-out"])
def test_a_global_sign_out_revokes_tokens_but_leaves_the_browsers_session(
    ui: HostedUi, idp: Any, action: str
) -> None:
    # Cognito's GlobalSignOut reference: the managed login cookie survives it, and only
    # /logout clears a browser's session.
    verifier, challenge = pkce()
    tokens = ui.exchange(ui.code(challenge), verifier).json()
    if action == "admin global sign-out":
        idp.admin_user_global_sign_out(UserPoolId=ui.pool_id, Username="ann")
    else:
        idp.global_sign_out(AccessToken=tokens["access_token"])

    with pytest.raises(idp.exceptions.NotAuthorizedException):
        idp.get_user(AccessToken=tokens["access_token"])
    again = ui.authorize(None)
    assert not _shows_the_form(again)
    assert "code" in _query(again)


def test_a_disabled_user_is_not_signed_in_by_its_session(ui: HostedUi, idp: Any) -> None:
    ui.code(None)
    idp.admin_disable_user(UserPoolId=ui.pool_id, Username="ann")
    assert _shows_the_form(ui.authorize(None))
    assert _query(ui.authorize(None, prompt="none"))["error"] == ["login_required"]


def test_a_password_reset_ends_the_session_for_good(
    ui: HostedUi, idp: Any, local: LocalCognito
) -> None:
    _signed_in_then(ui, idp, "password reset")
    idp.confirm_forgot_password(
        ClientId=ui.client_id,
        Username="ann",
        ConfirmationCode=local.outbox.last_code("ann", ui.pool_id),
        Password="N3w-Horse-pass!",
    )
    # The new password is known, but the browser signed in with the old one.
    assert _shows_the_form(ui.authorize(None))
