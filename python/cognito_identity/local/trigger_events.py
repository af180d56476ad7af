"""The pre sign-up and pre token generation triggers: their events and what their answers do.

* **Pre sign-up** (``pre_sign_up``) runs in SignUp and AdminCreateUser before the user is
  stored, with ``triggerSource`` ``PreSignUp_SignUp`` (or ``PreSignUp_AdminCreateUser``),
  the requested ``userAttributes``, the
  ``validationData`` and ``clientMetadata``. Its ``autoConfirmUser`` confirms the user at
  once (no code is sent); ``autoVerifyEmail`` / ``autoVerifyPhone`` mark the address
  verified. Raising rejects the sign-up with UserLambdaValidationException
  ("PreSignUp failed with error <message>.").
* **Pre token generation** (``pre_token_generation``) runs before every issue of tokens,
  the version 1 event: ``TokenGeneration_Authentication`` at sign-in,
  ``TokenGeneration_RefreshTokens`` on a refresh. ``claimsOverrideDetails`` changes the id
  token (``claimsToAddOrOverride``, then ``claimsToSuppress``) and
  ``groupOverrideDetails`` sets ``cognito:groups`` (id and access tokens),
  ``cognito:roles`` and ``cognito:preferred_role`` (id token). Claims that make the token
  what it is (:data:`PROTECTED_CLAIMS`) are left as they are. Version 2 (the access
  token's claims and scopes too) is in :mod:`cognito_identity.local.token_generation_v2`.
* **Post confirmation** (``post_confirmation``) runs once a user is confirmed:
  ``PostConfirmation_ConfirmSignUp`` (ConfirmSignUp, AdminConfirmSignUp) or
  ``PostConfirmation_ConfirmForgotPassword``, with the user's ``userAttributes`` and the
  ``clientMetadata``. Its answer changes nothing; raising fails the call with
  UserLambdaValidationException ("PostConfirmation failed with error <message>."), the
  user staying confirmed, as in Cognito.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

from cognito_identity.local.directory import NewUser
from cognito_identity.local.errors import ServiceError
from cognito_identity.local.models import AppClient, Pool, User
from cognito_identity.local.token_generation_v2 import customize_claims_v2
from cognito_identity.local.triggers import invoke

if TYPE_CHECKING:
    from cognito_identity.local.context import ServerContext

__all__ = [
    "NO_CLIENT",
    "PROTECTED_CLAIMS",
    "SignUpDecision",
    "customize_claims",
    "post_confirmation",
    "pre_sign_up",
]

#: Claims a pre token generation trigger cannot add, change or suppress.
PROTECTED_CLAIMS = frozenset(
    {
        "acr",
        "amr",
        "at_hash",
        "aud",
        "auth_time",
        "azp",
        "cognito:username",
        "event_id",
        "exp",
        "iat",
        "identities",
        "iss",
        "jti",
        "nbf",
        "nonce",
        "origin_jti",
        "sub",
        "token_use",
    }
)


def _event(
    pool: Pool, client_id: str, username: str, source: str, request: dict[str, Any]
) -> dict[str, Any]:
    return {
        "version": "1",
        "region": pool.id.split("_", 1)[0],
        "userPoolId": pool.id,
        "userName": username,
        "callerContext": {"awsSdkVersion": "cognito-identity-local", "clientId": client_id},
        "triggerSource": source,
        "request": request,
        "response": {},
    }


def _invalid_response() -> ServiceError:
    return ServiceError.invalid_lambda_response()


@dataclass(frozen=True)
class SignUpDecision:
    """What pre sign-up decided: the user to store (attributes maybe marked verified) and
    whether it is confirmed already."""

    user: NewUser
    confirmed: bool = False


#: The ``callerContext.clientId`` of events that come from no app client (AdminCreateUser).
NO_CLIENT = "CLIENT_ID_NOT_APPLICABLE"


def pre_sign_up(
    ctx: ServerContext,
    pool: Pool,
    client_id: str,
    new: NewUser,
    validation_data: list[dict[str, str]] | None,
    client_metadata: dict[str, str] | None,
    *,
    source: str = "PreSignUp_SignUp",
) -> SignUpDecision:
    """Run the pool's pre sign-up trigger (nothing changes without one).

    ``source`` is ``PreSignUp_SignUp`` or ``PreSignUp_AdminCreateUser`` (whose caller
    uses only the verified flags: an administrator's user still sets its own password).
    """
    trigger = ctx.triggers.get(pool.id, "pre_sign_up")
    if trigger is None:
        return SignUpDecision(new)
    request = {
        "userAttributes": dict(new.attributes),
        "validationData": {item["Name"]: item.get("Value", "") for item in validation_data or []},
        "clientMetadata": dict(client_metadata or {}),
    }
    event = _event(pool, client_id, new.username, source, request)
    event["response"] = {
        "autoConfirmUser": False,
        "autoVerifyEmail": False,
        "autoVerifyPhone": False,
    }
    answer = invoke("pre_sign_up", trigger, event)
    attributes = dict(new.attributes)
    for flag, attribute in (("autoVerifyEmail", "email"), ("autoVerifyPhone", "phone_number")):
        if answer.get(flag) is True:
            if not attributes.get(attribute):
                raise ServiceError.invalid_parameter(
                    f"{flag} is set but the user has no {attribute} attribute"
                )
            attributes[f"{attribute}_verified"] = "true"
    return SignUpDecision(
        replace(new, attributes=attributes), confirmed=answer.get("autoConfirmUser") is True
    )


def customize_claims(
    ctx: ServerContext,
    pool: Pool,
    client: AppClient,
    user: User,
    id_claims: dict[str, Any],
    access_claims: dict[str, Any],
    *,
    refreshing: bool,
) -> None:
    """Run the pool's pre token generation trigger (version 2 if the pool has one, else
    version 1) and apply its answer to the claims."""
    trigger_v2 = ctx.triggers.get(pool.id, "pre_token_generation_v2")
    trigger = trigger_v2 or ctx.triggers.get(pool.id, "pre_token_generation")
    if trigger is None:
        return
    source = "TokenGeneration_RefreshTokens" if refreshing else "TokenGeneration_Authentication"
    request = {
        "userAttributes": {"sub": user.sub, **user.attributes, "cognito:user_status": user.status},
        "groupConfiguration": {
            "groupsToOverride": list(id_claims.get("cognito:groups", [])),
            "iamRolesToOverride": list(id_claims.get("cognito:roles", [])),
            "preferredRole": id_claims.get("cognito:preferred_role"),
        },
        "clientMetadata": {},
    }
    event = _event(pool, client.id, user.username, source, request)
    if trigger_v2 is not None:
        groups = customize_claims_v2(trigger_v2, event, id_claims, access_claims, PROTECTED_CLAIMS)
        _override_groups(id_claims, access_claims, groups)
        return
    answer = invoke("pre_token_generation", trigger, event)
    details = answer.get("claimsOverrideDetails")
    if details is None:
        return
    if not isinstance(details, dict):
        raise _invalid_response()
    _override_claims(id_claims, details)
    _override_groups(id_claims, access_claims, details.get("groupOverrideDetails"))


def _override_claims(id_claims: dict[str, Any], details: dict[str, Any]) -> None:
    added = details.get("claimsToAddOrOverride") or {}
    suppressed = details.get("claimsToSuppress") or []
    if not isinstance(added, dict) or not isinstance(suppressed, list):
        raise _invalid_response()
    for name, value in added.items():
        if not isinstance(value, str):
            raise _invalid_response()
        if name not in PROTECTED_CLAIMS:
            id_claims[str(name)] = value
    for name in suppressed:
        if name not in PROTECTED_CLAIMS:
            id_claims.pop(str(name), None)


def _override_groups(
    id_claims: dict[str, Any], access_claims: dict[str, Any], groups: object
) -> None:
    if groups is None:
        return
    if not isinstance(groups, dict):
        raise _invalid_response()
    for key, claim, tokens in (
        ("groupsToOverride", "cognito:groups", (id_claims, access_claims)),
        ("iamRolesToOverride", "cognito:roles", (id_claims,)),
    ):
        value = groups.get(key)
        if value is None:
            continue
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise _invalid_response()
        for claims in tokens:
            if value:
                claims[claim] = list(value)
            else:
                claims.pop(claim, None)
    preferred = groups.get("preferredRole")
    if preferred is not None:
        if not isinstance(preferred, str):
            raise _invalid_response()
        id_claims["cognito:preferred_role"] = preferred


def post_confirmation(
    ctx: ServerContext,
    pool: Pool,
    client_id: str,
    user: User,
    client_metadata: dict[str, str] | None,
    *,
    source: str = "PostConfirmation_ConfirmSignUp",
) -> None:
    """Run the pool's post confirmation trigger for ``user`` (just confirmed)."""
    trigger = ctx.triggers.get(pool.id, "post_confirmation")
    if trigger is None:
        return
    request = {
        "userAttributes": {"sub": user.sub, **user.attributes, "cognito:user_status": user.status},
        "clientMetadata": dict(client_metadata or {}),
    }
    invoke("post_confirmation", trigger, _event(pool, client_id, user.username, source, request))
