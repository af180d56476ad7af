"""Sign a user in at a terminal, answering whatever challenges Cognito asks for.

Used by ``cognito-identity login``: it asks for each code, a new password or attribute
values as they are needed, sets up a TOTP authenticator when the pool requires one
(showing its ``otpauth://`` URI), and never echoes a password or code. The questions go
through ``ask`` (for secrets) and ``ask_plain`` (for visible text), so programs and tests
can answer them.
"""

from __future__ import annotations

import getpass
from collections.abc import Callable
from functools import partial
from urllib.parse import quote

from cognito_identity.attributes import AuthenticationDetails
from cognito_identity.errors import (
    CognitoUserChallengeException,
    CognitoUserCustomChallengeException,
    CognitoUserEmailOtpRequiredException,
    CognitoUserException,
    CognitoUserMfaRequiredException,
    CognitoUserMfaSetupException,
    CognitoUserNewPasswordRequiredException,
    CognitoUserSelectMfaTypeException,
    CognitoUserTotpRequiredException,
)
from cognito_identity.session import CognitoUserSession
from cognito_identity.user import CognitoUser

__all__ = ["otpauth_uri", "sign_in_interactively"]

Ask = Callable[[str], str]
Step = Callable[[], "CognitoUserSession | None"]

# More answers than any real chain needs (custom -> new password -> MFA setup -> MFA):
# a pool that keeps asking is not looped on forever.
_MAX_CHALLENGES = 10


def otpauth_uri(secret: str, username: str, issuer: str = "Cognito") -> str:
    """The ``otpauth://`` URI an authenticator app reads (as text or a QR code)."""
    label = quote(f"{issuer}:{username}")
    return f"otpauth://totp/{label}?secret={secret}&issuer={quote(issuer)}"


def sign_in_interactively(
    user: CognitoUser,
    password: str,
    *,
    ask: Ask = getpass.getpass,
    ask_plain: Ask = input,
    show: Callable[[str], None] = print,
) -> CognitoUserSession:
    """Sign ``user`` in with ``password``, answering every challenge by asking.

    Raises the service's error for a wrong answer, and the last challenge if Cognito is
    still asking after ten answers.
    """
    step: Step = partial(user.authenticate_user, AuthenticationDetails(password=password))
    challenge: CognitoUserException | None = None
    for _ in range(_MAX_CHALLENGES):
        try:
            session = step()
        except CognitoUserException as asked:
            challenge = asked
            step = _answer(user, asked, ask, ask_plain, show)
        else:
            # verify_software_token answers None only outside a sign-in; be safe anyway.
            return session if session is not None else user.get_session()
    assert challenge is not None
    raise challenge


def _answer(
    user: CognitoUser,
    challenge: CognitoUserException,
    ask: Ask,
    ask_plain: Ask,
    show: Callable[[str], None],
) -> Step:
    """The next step: ``challenge`` answered with what the user types."""
    if isinstance(challenge, CognitoUserNewPasswordRequiredException):
        show("A new password is required.")
        new_password = ask("New password: ")
        values = {name: ask_plain(f"{name}: ") for name in challenge.required_attributes}
        return lambda: user.send_new_password_required_answer(new_password, values or None)
    if isinstance(challenge, CognitoUserMfaRequiredException):
        code = ask("Code sent by text message: ")
        return lambda: user.send_mfa_code(code, "SMS_MFA")
    if isinstance(challenge, CognitoUserEmailOtpRequiredException):
        code = ask("Code sent by e-mail: ")
        return lambda: user.send_mfa_code(code, "EMAIL_OTP")
    if isinstance(challenge, CognitoUserTotpRequiredException):
        code = ask("Code from your authenticator app: ")
        return lambda: user.send_mfa_code(code, "SOFTWARE_TOKEN_MFA")
    if isinstance(challenge, CognitoUserSelectMfaTypeException):
        choices = challenge.mfas_can_choose
        choice = ask_plain(f"Second factor ({', '.join(choices)}): ").strip() or choices[0]
        return lambda: user.send_mfa_selection_answer(choice)
    if isinstance(challenge, CognitoUserMfaSetupException):
        secret = user.associate_software_token()
        show("Add this account to your authenticator app:")
        show(f"  {otpauth_uri(secret, user.username)}")
        code = ask("Code from your authenticator app: ")
        return lambda: user.verify_software_token(code, "cognito-identity login")
    if isinstance(challenge, CognitoUserCustomChallengeException):
        prompt = challenge.challenge_parameters.get("question") or "Answer: "
        answer = ask(prompt if prompt.endswith(" ") else f"{prompt} ")
        return lambda: user.send_custom_challenge_answer(answer)
    if isinstance(challenge, CognitoUserChallengeException):
        show(f"Cognito asks for {challenge.challenge_name} with {challenge.challenge_parameters}")
        name = challenge.challenge_name or ""
        key = ask_plain("Response name: ").strip()
        value = ask(f"{key}: ")
        return lambda: user.respond_to_auth_challenge(name, {key: value})
    raise challenge
