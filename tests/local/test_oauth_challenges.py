"""The hosted UI's challenge pages without a browser: MFA set-up with an authenticator
app, the choice between MFA factors, and the implicit flow."""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
import requests
from hosted_ui import CALLBACK, HostedUi, parse_form

from cognito_identity.local import LocalCognito, ManualClock


@pytest.fixture
def ui(local: LocalCognito, idp: Any) -> HostedUi:
    return HostedUi(local, idp)


def _post(ui: HostedUi, page: requests.Response, **answers: str) -> requests.Response:
    form = parse_form(page.text)
    return ui.http.post(
        ui.endpoint + form.action,
        data={**form.fields, **answers},
        allow_redirects=False,
        timeout=10,
    )


def _code_from(answer: requests.Response) -> str:
    assert answer.status_code == 302, answer.text
    query = parse_qs(urlsplit(answer.headers["Location"]).query)
    assert query["state"] == ["st-1"]
    return query["code"][0]


def test_mfa_setup_shows_the_secret_and_takes_the_first_code(
    ui: HostedUi, local: LocalCognito, clock: ManualClock
) -> None:
    ui.idp.set_user_pool_mfa_config(
        UserPoolId=ui.pool_id,
        SoftwareTokenMfaConfiguration={"Enabled": True},
        MfaConfiguration="ON",
    )
    setup = ui.sign_in(None)
    assert setup.status_code == 200, setup.text
    assert "<title>Set up your authenticator app</title>" in setup.text
    secret = re.search(r'<code id="secret">([A-Z2-7]+)</code>', setup.text)
    assert secret is not None
    assert f"otpauth://totp/web:ann?secret={secret.group(1)}" in setup.text
    form = parse_form(setup.text)
    assert form.fields["challenge"] == "MFA_SETUP"
    assert form.ids["SOFTWARE_TOKEN_CODE"] in form.labels
    wrong = _post(ui, setup, SOFTWARE_TOKEN_CODE="000000")
    assert wrong.status_code == 400 and 'role="alert"' in wrong.text
    assert secret.group(1) in wrong.text
    _code_from(_post(ui, wrong, SOFTWARE_TOKEN_CODE=local.totp_code(secret.group(1))))
    # The authenticator is now the user's factor: the next sign-in asks for its code.
    clock.advance(30)
    again = ui.sign_in(None)
    assert parse_form(again.text).fields["challenge"] == "SOFTWARE_TOKEN_MFA"
    _code_from(_post(ui, again, SOFTWARE_TOKEN_MFA_CODE=local.totp_code(secret.group(1))))


def test_select_mfa_type_gets_its_own_page(ui: HostedUi, local: LocalCognito) -> None:
    ui.idp.set_user_pool_mfa_config(
        UserPoolId=ui.pool_id,
        SmsMfaConfiguration={},
        EmailMfaConfiguration={},
        MfaConfiguration="OPTIONAL",
    )
    ui.idp.admin_update_user_attributes(
        UserPoolId=ui.pool_id,
        Username="ann",
        UserAttributes=[{"Name": "phone_number", "Value": "+15555550100"}],
    )
    ui.idp.admin_set_user_mfa_preference(
        UserPoolId=ui.pool_id,
        Username="ann",
        SMSMfaSettings={"Enabled": True},
        EmailMfaSettings={"Enabled": True},
    )
    choice = ui.sign_in(None)
    assert choice.status_code == 200, choice.text
    assert "<fieldset><legend>" in choice.text
    offered = re.findall(r'type="radio" id="([^"]+)" name="ANSWER" value="([^"]+)"', choice.text)
    assert {value for _, value in offered} == {"SMS_MFA", "EMAIL_OTP"}
    assert all(f'<label for="{element}">' in choice.text for element, _ in offered)
    not_offered = _post(ui, choice, ANSWER="SOFTWARE_TOKEN_MFA")
    assert not_offered.status_code == 400 and "<fieldset>" in not_offered.text
    by_email = _post(ui, not_offered, ANSWER="EMAIL_OTP")
    assert parse_form(by_email.text).fields["challenge"] == "EMAIL_OTP"
    _code_from(_post(ui, by_email, EMAIL_OTP_CODE=local.outbox.last_code("ann")))


def test_the_implicit_flow_returns_tokens_in_the_fragment(local: LocalCognito, idp: Any) -> None:
    ui = HostedUi(local, idp, AllowedOAuthFlows=["code", "implicit"])
    answer = ui.sign_in(None, response_type="token")
    assert answer.status_code == 302, answer.text
    location = urlsplit(answer.headers["Location"])
    assert f"{location.scheme}://{location.netloc}{location.path}" == CALLBACK
    assert location.query == ""
    tokens = parse_qs(location.fragment)
    assert tokens["token_type"] == ["Bearer"] and tokens["state"] == ["st-1"]
    assert tokens["access_token"] and tokens["id_token"]
    assert "refresh_token" not in tokens and "code" not in tokens
    info = requests.get(
        f"{ui.endpoint}/oauth2/userInfo",
        headers={"Authorization": f"Bearer {tokens['access_token'][0]}"},
        timeout=10,
    )
    assert info.status_code == 200 and info.json()["username"] == "ann"
