"""Signing in at a terminal: every challenge answered by asking, as `login` does it."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from cognito_identity import CognitoUser
from cognito_identity.errors import CodeMismatchException
from cognito_identity.interactive import (
    NewPasswordMismatchError,
    otpauth_uri,
    sign_in_interactively,
)
from cognito_identity.local import ManualClock
from cognito_identity.local.totp import totp_code

from .conftest import PASSWORD, PoolSetup
from .helpers import PHONE, confirmed_user, mfa_code, mfa_pool, totp_pool

TEMPORARY = "Temp0rary-Pass!"


class Terminal:
    """Answers prompts from a script of (prompt fragment, answer) and records the screen."""

    def __init__(self, *script: tuple[str, str | Callable[[], str]]) -> None:
        self.script = list(script)
        self.screen: list[str] = []

    def ask(self, prompt: str) -> str:
        self.screen.append(prompt)
        expected, answer = self.script.pop(0)
        assert expected in prompt, f"asked {prompt!r}, expected {expected!r}"
        return answer() if callable(answer) else answer

    def show(self, text: str) -> None:
        self.screen.append(text)

    def sign_in(self, user: CognitoUser, password: str) -> object:
        return sign_in_interactively(
            user, password, ask=self.ask, ask_plain=self.ask, show=self.show
        )


def test_plain_sign_in_asks_nothing(setup: PoolSetup) -> None:
    user = confirmed_user(setup)
    terminal = Terminal()
    assert terminal.sign_in(user, PASSWORD) is user.sign_in_user_session
    assert terminal.screen == []


def test_new_password_then_sms_code(setup: PoolSetup) -> None:
    mfa_pool(setup)
    setup.idp.admin_create_user(
        UserPoolId=setup.pool_id,
        Username="gia",
        TemporaryPassword=TEMPORARY,
        MessageAction="SUPPRESS",
        UserAttributes=[
            {"Name": "phone_number", "Value": PHONE},
            {"Name": "phone_number_verified", "Value": "true"},
        ],
    )
    terminal = Terminal(
        ("New password", PASSWORD),
        ("text message", lambda: mfa_code(setup, PHONE)),
    )
    user = CognitoUser("gia", setup.pool())
    terminal.sign_in(user, TEMPORARY)
    assert user.sign_in_user_session is not None and user.sign_in_user_session.is_valid()
    assert PASSWORD not in " ".join(terminal.screen)


def test_totp_setup_shows_the_uri_and_signs_in(setup: PoolSetup, clock: ManualClock) -> None:
    totp_pool(setup)
    user = confirmed_user(setup)
    secrets: list[str] = []

    def code_from_uri() -> str:
        uri = next(line for line in terminal.screen if line.strip().startswith("otpauth://"))
        secret = uri.split("secret=")[1].split("&")[0]
        secrets.append(secret)
        return totp_code(secret, clock.now())

    terminal = Terminal(("authenticator", code_from_uri))
    terminal.sign_in(user, PASSWORD)
    assert user.sign_in_user_session is not None
    assert otpauth_uri(secrets[0], user.username) in " ".join(terminal.screen)


def test_a_wrong_code_is_the_services_error(setup: PoolSetup) -> None:
    mfa_pool(setup)
    user = confirmed_user(setup, phone_number=PHONE, phone_number_verified="true")

    def wrong_code() -> str:
        return "000000" if mfa_code(setup, PHONE) != "000000" else "111111"

    terminal = Terminal(("text message", wrong_code))
    with pytest.raises(CodeMismatchException):
        terminal.sign_in(user, PASSWORD)


def _wrong(code: str) -> str:
    return "000000" if code != "000000" else "111111"


def test_a_wrong_code_is_asked_again_when_tries_allow(setup: PoolSetup) -> None:
    mfa_pool(setup)
    user = confirmed_user(setup, phone_number=PHONE, phone_number_verified="true")
    terminal = Terminal(
        ("text message", lambda: _wrong(mfa_code(setup, PHONE))),
        ("text message", lambda: mfa_code(setup, PHONE)),
    )
    sign_in_interactively(
        user, PASSWORD, ask=terminal.ask, ask_plain=terminal.ask, show=terminal.show, tries=3
    )
    assert user.sign_in_user_session is not None and user.sign_in_user_session.is_valid()
    assert any("Try again (2 left)" in line for line in terminal.screen)


def test_the_last_wrong_code_is_the_services_error(setup: PoolSetup) -> None:
    mfa_pool(setup)
    user = confirmed_user(setup, phone_number=PHONE, phone_number_verified="true")
    terminal = Terminal(*[("text message", lambda: _wrong(mfa_code(setup, PHONE)))] * 3)
    with pytest.raises(CodeMismatchException):
        sign_in_interactively(
            user, PASSWORD, ask=terminal.ask, ask_plain=terminal.ask, show=terminal.show, tries=3
        )
    assert terminal.script == []


def _invited(setup: PoolSetup) -> CognitoUser:
    setup.idp.admin_create_user(
        UserPoolId=setup.pool_id,
        Username="gia",
        TemporaryPassword=TEMPORARY,
        MessageAction="SUPPRESS",
    )
    return CognitoUser("gia", setup.pool())


def test_a_rejected_new_password_is_asked_again_and_confirmed(setup: PoolSetup) -> None:
    user = _invited(setup)
    terminal = Terminal(
        ("New password", "short"),
        ("again", "short"),
        ("New password", PASSWORD),
        ("again", "Typo-" + PASSWORD),
        ("New password", PASSWORD),
        ("again", PASSWORD),
    )
    sign_in_interactively(
        user,
        TEMPORARY,
        ask=terminal.ask,
        ask_plain=terminal.ask,
        show=terminal.show,
        tries=3,
        confirm_new_password=True,
    )
    assert user.sign_in_user_session is not None and user.sign_in_user_session.is_valid()
    assert terminal.script == []
    assert any("differ" in line for line in terminal.screen)
    assert PASSWORD not in " ".join(terminal.screen)


def test_new_password_entries_that_never_match_stop(setup: PoolSetup) -> None:
    user = _invited(setup)
    terminal = Terminal(*[("New password", PASSWORD), ("again", "Other-" + PASSWORD)] * 3)
    with pytest.raises(NewPasswordMismatchError):
        sign_in_interactively(
            user,
            TEMPORARY,
            ask=terminal.ask,
            ask_plain=terminal.ask,
            show=terminal.show,
            tries=3,
            confirm_new_password=True,
        )
    assert terminal.script == []
