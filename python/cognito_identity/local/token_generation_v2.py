"""The pre token generation trigger, version 2 (``pre_token_generation_v2``, or a
``PreTokenGenerationConfig`` with ``LambdaVersion`` ``V2_0``): it can change the access
token too.

The event is version ``"2"``, with ``request.scopes`` (the access token's scopes) beside
the version 1 members. Its answer, ``claimsAndScopeOverrideDetails``, holds
``idTokenGeneration`` and ``accessTokenGeneration`` (``claimsToAddOrOverride``: any JSON
value but null; ``claimsToSuppress``), the access token's ``scopesToAdd`` and
``scopesToSuppress``, and ``groupOverrideDetails`` as in version 1. Claims that make a
token what it is stay as they are (:data:`PROTECTED_ACCESS_CLAIMS` for the access token).
"""

from __future__ import annotations

from typing import Any

from cognito_identity.local.errors import ServiceError
from cognito_identity.local.triggers import Trigger, invoke

__all__ = ["PROTECTED_ACCESS_CLAIMS", "customize_claims_v2"]

#: Access-token claims a version 2 trigger cannot add, change or suppress (scopes change
#: through scopesToAdd / scopesToSuppress only).
PROTECTED_ACCESS_CLAIMS = frozenset(
    {
        "auth_time",
        "client_id",
        "device_key",
        "event_id",
        "exp",
        "iat",
        "iss",
        "jti",
        "origin_jti",
        "scope",
        "sub",
        "token_use",
        "username",
        "version",
    }
)


def _invalid() -> ServiceError:
    return ServiceError.invalid_lambda_response()


def customize_claims_v2(
    trigger: Trigger,
    event: dict[str, Any],
    id_claims: dict[str, Any],
    access_claims: dict[str, Any],
    protected_id_claims: frozenset[str],
) -> dict[str, Any] | None:
    """Run a version 2 trigger on ``event`` (the version 1 event, made version 2 here) and
    apply its claim and scope changes; return its ``groupOverrideDetails`` for the caller
    to apply as version 1 does."""
    scopes = str(access_claims.get("scope", "")).split()
    event["version"] = "2"
    event["request"]["scopes"] = list(scopes)
    event["response"] = {"claimsAndScopeOverrideDetails": None}
    answer = invoke("pre_token_generation_v2", trigger, event)
    details = answer.get("claimsAndScopeOverrideDetails")
    if details is None:
        return None
    if not isinstance(details, dict):
        raise _invalid()
    _apply(id_claims, details.get("idTokenGeneration"), protected_id_claims)
    access = details.get("accessTokenGeneration")
    _apply(access_claims, access, PROTECTED_ACCESS_CLAIMS)
    if isinstance(access, dict):
        added = _names(access.get("scopesToAdd"))
        suppressed = set(_names(access.get("scopesToSuppress")))
        new_scopes = [s for s in dict.fromkeys([*scopes, *added]) if s not in suppressed]
        if new_scopes:
            access_claims["scope"] = " ".join(new_scopes)
        else:
            access_claims.pop("scope", None)
    groups = details.get("groupOverrideDetails")
    if groups is not None and not isinstance(groups, dict):
        raise _invalid()
    return groups


def _names(value: object) -> list[str]:
    if value is None:
        return []
    if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
        raise _invalid()
    return list(value)


def _apply(claims: dict[str, Any], generation: object, protected: frozenset[str]) -> None:
    if generation is None:
        return
    if not isinstance(generation, dict):
        raise _invalid()
    added = generation.get("claimsToAddOrOverride") or {}
    if not isinstance(added, dict) or any(value is None for value in added.values()):
        raise _invalid()
    for name, value in added.items():
        if name not in protected:
            claims[str(name)] = value
    for name in _names(generation.get("claimsToSuppress")):
        if name not in protected:
            claims.pop(name, None)
