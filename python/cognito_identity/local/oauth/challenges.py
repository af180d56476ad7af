"""The hosted UI's challenge steps: each challenge of the sign-in state machine on its
own page, answered through the same calls as the API.

* a new password, or a code sent by SMS or e-mail or read from an authenticator: one
  labelled field (RespondToAuthChallenge);
* SELECT_MFA_TYPE: a choice between the factors offered;
* MFA_SETUP: the authenticator's secret shown (AssociateSoftwareToken with the Session),
  then its first code (VerifySoftwareToken, then RespondToAuthChallenge).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any
from urllib.parse import quote, urlencode

from cognito_identity._native import srp_secret_hash
from cognito_identity.local.actions.mfa import associate_software_token, verify_software_token
from cognito_identity.local.errors import ServiceError
from cognito_identity.local.models import AppClient
from cognito_identity.local.oauth import page
from cognito_identity.local.signin.answers import Answer, respond

if TYPE_CHECKING:
    from cognito_identity.local.context import ServerContext

__all__ = ["Step", "answer", "next_step", "step_page"]

MFA_SETUP, SELECT_MFA_TYPE = "MFA_SETUP", "SELECT_MFA_TYPE"
#: Challenges answered with one field: the field, its label, whether it is secret.
_ONE_FIELD = {
    "NEW_PASSWORD_REQUIRED": ("NEW_PASSWORD", "New password", True),
    "SMS_MFA": ("SMS_MFA_CODE", "Code sent by text message", False),
    "SOFTWARE_TOKEN_MFA": ("SOFTWARE_TOKEN_MFA_CODE", "Code from your authenticator app", False),
    "EMAIL_OTP": ("EMAIL_OTP_CODE", "Code sent by e-mail", False),
}
_FACTOR_LABELS = {
    "SMS_MFA": "A code by text message",
    "SOFTWARE_TOKEN_MFA": "A code from an authenticator app",
    "EMAIL_OTP": "A code by e-mail",
}
#: The hidden fields a step's page carries back besides the session.
_OPTIONS, _SECRET = "mfa_options", "secret_code"
_SETUP_CODE = "SOFTWARE_TOKEN_CODE"


@dataclass(frozen=True)
class Step:
    """A challenge waiting on its page: its name, Session and what the page shows."""

    name: str
    session: str = field(repr=False)
    extra: Mapping[str, str] = field(default_factory=dict, repr=False)

    @classmethod
    def from_form(cls, form: Mapping[str, str]) -> Step:
        """The step a posted page was showing."""
        extra = {name: form[name] for name in (_OPTIONS, _SECRET) if name in form}
        return cls(form.get("challenge", ""), form.get("session", ""), extra)


def _secret_hash(client: AppClient, username: str) -> dict[str, str]:
    if client.secret is None:
        return {}
    return {"SECRET_HASH": srp_secret_hash(username, client.id, client.secret)}


def next_step(ctx: ServerContext, outcome: Mapping[str, Any]) -> Step | dict[str, Any]:
    """The AuthenticationResult that ends the sign-in, or the page-ready next step."""
    result = outcome.get("AuthenticationResult")
    if isinstance(result, dict):
        return result
    name, session = str(outcome.get("ChallengeName")), str(outcome.get("Session", ""))
    parameters = outcome.get("ChallengeParameters") or {}
    if name == SELECT_MFA_TYPE:
        return Step(name, session, {_OPTIONS: str(parameters.get("MFAS_CAN_CHOOSE", "[]"))})
    if name == MFA_SETUP:
        if "SOFTWARE_TOKEN_MFA" not in json.loads(parameters.get("MFAS_CAN_SETUP", "[]")):
            return Step(name, session)
        associated = associate_software_token(ctx, {"Session": session})
        return Step(name, associated["Session"], {_SECRET: associated["SecretCode"]})
    return Step(name, session)


def answer(
    ctx: ServerContext, client: AppClient, username: str, form: Mapping[str, str]
) -> dict[str, Any]:
    """Answer the step a page posted; ServiceError as the API would raise it."""
    step = Step.from_form(form)
    responses = {"USERNAME": username, **_secret_hash(client, username)}
    if step.name == MFA_SETUP:
        verified = verify_software_token(
            ctx, {"Session": step.session, "UserCode": form.get(_SETUP_CODE, "")}
        )
        return respond(ctx, MFA_SETUP, Answer(client, verified["Session"], responses))
    if step.name == SELECT_MFA_TYPE:
        responses["ANSWER"] = form.get("ANSWER", "")
        return respond(ctx, SELECT_MFA_TYPE, Answer(client, step.session, responses))
    known = _ONE_FIELD.get(step.name)
    if known is None:
        raise ServiceError.invalid_parameter("This step cannot be answered here.")
    responses[known[0]] = form.get(known[0], "")
    return respond(ctx, step.name, Answer(client, step.session, responses))


def _otpauth_uri(pool_name: str, username: str, secret: str) -> str:
    label = quote(f"{pool_name}:{username}", safe=":@")
    return f"otpauth://totp/{label}?{urlencode({'secret': secret, 'issuer': pool_name})}"


def step_page(
    action: str,
    fields: Mapping[str, str],
    step: Step,
    *,
    username: str,
    pool_name: str,
    error: str | None = None,
) -> tuple[int, bytes]:
    """The status and HTML of ``step``'s page; ``fields`` carry the authorize request."""
    status = 200 if error is None else 400
    carried = {
        **fields,
        "username": username,
        "challenge": step.name,
        "session": step.session,
        **step.extra,
    }
    if step.name == SELECT_MFA_TYPE:
        offered = json.loads(step.extra.get(_OPTIONS, "[]"))
        options = [(name, _FACTOR_LABELS.get(name, name)) for name in offered]
        legend = "How should we check it is you?"
        return status, page.choice_page(action, carried, legend, "ANSWER", options, error)
    if step.name == MFA_SETUP and _SECRET in step.extra:
        secret = step.extra[_SECRET]
        uri = _otpauth_uri(pool_name, username, secret)
        return status, page.totp_setup_page(action, carried, secret, uri, _SETUP_CODE, error)
    known = _ONE_FIELD.get(step.name)
    if known is None:
        message = f"This sign-in needs {step.name}, which this sign-in page does not offer."
        return 400, page.error_page(message)
    field_name, label, secret_field = known
    return status, page.challenge_page(
        action, carried, label, field_name, secret=secret_field, error=error
    )
