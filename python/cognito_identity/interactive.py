"""Sign a user in at a terminal, answering whatever challenges Cognito asks for.

Used by ``cognito-identity login``: it asks for each code, a new password or attribute
values as they are needed, sets up a TOTP authenticator when the pool requires one
(showing its ``otpauth://`` URI), and never echoes a password or code. The questions go
through ``ask`` (for secrets) and ``ask_plain`` (for visible text), so programs and tests
can answer them. With ``tries`` above one, a wrong code or a new password the pool
rejects is asked for again; with ``confirm_new_password`` a new password is typed twice.
"""

from __future__ import annotations

import getpass
from collections.abc import Callable
from functools import partial
from urllib.parse import quote

from cognito_identity.attributes import AuthenticationDetails
from cognito_identity.errors import (
    CodeMismatchException,
    CognitoUserChallengeException,
    CognitoUserCustomChallengeException,
    CognitoUserEmailOtpRequiredException,
    CognitoUserException,
    CognitoUserMfaRequiredException,
    CognitoUserMfaSetupException,
    CognitoUserNewPasswordRequiredException,
    CognitoUserSelectMfaTypeException,
    CognitoUserTotpRequiredException,
    EnableSoftwareTokenMFAException,
    InvalidPasswordException,
    PasswordHistoryPolicyViolationException,
)
from cognito_identity.session import CognitoUserSession
from cognito_identity.user import CognitoUser

__all__ = ["NewPasswordMismatchError", "otpauth_uri", "sign_in_interactively"]

Ask = Callable[[str], str]
Show = Callable[[str], None]
Step = Callable[[], "CognitoUserSession | None"]
Send = Callable[[str], "CognitoUserSession | None"]

# More answers than any real chain needs (custom -> new password -> MFA setup -> MFA):
# a pool that keeps asking is not looped on forever.
_MAX_CHALLENGES = 10

# The service's answers to an entry the user can simply type again.
_WRONG_CODE = (CodeMismatchException, EnableSoftwareTokenMFAException)
_REJECTED_PASSWORD = (InvalidPasswordException, PasswordHistoryPolicyViolationException)


class NewPasswordMismatchError(ValueError):
    """The two entries of a new password differed on every try."""


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
    show: Show = print,
    tries: int = 1,
    confirm_new_password: bool = False,
) -> CognitoUserSession:
    """Sign ``user`` in with ``password``, answering every challenge by asking.

    A wrong code, or a new password the pool rejects, is asked for again until ``tries``
    entries have been refused; then the service's error is raised. With
    ``confirm_new_password`` a new password is asked for twice and must match
    (:class:`NewPasswordMismatchError` when it never does). Raises the last challenge if
    Cognito is still asking after ten answers.
    """
    if tries < 1:
        raise ValueError(f"tries must be at least 1, not {tries}")
    prompts = _Prompts(ask, ask_plain, show, tries, confirm_new_password)
    start: Step = partial(user.authenticate_user, AuthenticationDetails(password=password))
    step = start
    challenge: CognitoUserException | None = None
    answers = rejected = 0
    while answers < _MAX_CHALLENGES:
        try:
            session = step()
        except _REJECTED_PASSWORD as refused:
            rejected += 1
            if rejected >= tries:
                raise
            show(f"{refused.message or refused.code} Try again ({tries - rejected} left).")
            # Cognito used up the challenge's session: sign in again to be asked anew.
            step = start
        except CognitoUserException as asked:
            challenge = asked
            answers += 1
            step = _answer(user, asked, prompts)
        else:
            # verify_software_token answers None only outside a sign-in; be safe anyway.
            return session if session is not None else user.get_session()
    assert challenge is not None
    raise challenge


class _Prompts:
    """How to ask: the callables, and how patient to be with wrong entries."""

    def __init__(
        self, ask: Ask, ask_plain: Ask, show: Show, tries: int, confirm_new_password: bool
    ) -> None:
        self.ask, self.ask_plain, self.show = ask, ask_plain, show
        self.tries = tries
        self.confirm_new_password = confirm_new_password

    def retrying(self, read: Callable[[], str], send: Send) -> Step:
        """A step that reads a code and sends it, reading again after a wrong one (the
        challenge stays open for another try)."""

        def step() -> CognitoUserSession | None:
            for left in range(self.tries - 1, -1, -1):
                entry = read()
                try:
                    return send(entry)
                except _WRONG_CODE as refused:
                    if left == 0:
                        raise
                    self.show(f"{refused.message or refused.code} Try again ({left} left).")
            raise AssertionError("unreachable: the last refusal is raised")

        return step

    def new_password(self) -> str:
        """The new password, typed twice when ``confirm_new_password`` is set."""
        for left in range(self.tries - 1, -1, -1):
            first = self.ask("New password: ")
            if not self.confirm_new_password or self.ask("New password again: ") == first:
                return first
            if left:
                self.show(f"The two entries differ. Try again ({left} left).")
        raise NewPasswordMismatchError("the two entries of the new password differed")


def _answer(user: CognitoUser, challenge: CognitoUserException, prompts: _Prompts) -> Step:
    """The next step: ``challenge`` answered with what the user types."""
    ask, ask_plain, show = prompts.ask, prompts.ask_plain, prompts.show
    if isinstance(challenge, CognitoUserNewPasswordRequiredException):
        show("A new password is required.")
        new_password = prompts.new_password()
        values = {name: ask_plain(f"{name}: ") for name in challenge.required_attributes}
        return lambda: user.send_new_password_required_answer(new_password, values or None)
    mfa_prompts = {
        CognitoUserMfaRequiredException: ("Code sent by text message: ", "SMS_MFA"),
        CognitoUserEmailOtpRequiredException: ("Code sent by e-mail: ", "EMAIL_OTP"),
        CognitoUserTotpRequiredException: (
            "Code from your authenticator app: ",
            "SOFTWARE_TOKEN_MFA",
        ),
    }
    for kind, (prompt, mfa_type) in mfa_prompts.items():
        if isinstance(challenge, kind):
            return prompts.retrying(
                partial(ask, prompt),
                partial(_send_mfa_code, user, mfa_type=mfa_type),
            )
    if isinstance(challenge, CognitoUserSelectMfaTypeException):
        choices = challenge.mfas_can_choose
        choice = ask_plain(f"Second factor ({', '.join(choices)}): ").strip() or choices[0]
        return lambda: user.send_mfa_selection_answer(choice)
    if isinstance(challenge, CognitoUserMfaSetupException):
        secret = user.associate_software_token()
        show("Add this account to your authenticator app:")
        show(f"  {otpauth_uri(secret, user.username)}")
        return prompts.retrying(
            partial(ask, "Code from your authenticator app: "),
            lambda code: user.verify_software_token(code, "cognito-identity login"),
        )
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


def _send_mfa_code(user: CognitoUser, code: str, *, mfa_type: str) -> CognitoUserSession:
    return user.send_mfa_code(code, mfa_type)
