"""AWS JSON 1.1, as Cognito speaks it, without any IO: bytes in, a :class:`Reply` out.

``handle_action`` routes a POST by its ``X-Amz-Target`` to the action table, validates the
body against the action's shape and turns every :class:`ServiceError` into Cognito's
error body. Anything else a handler raises is logged with its traceback on the server
and answered with a bare ``InternalErrorException`` (HTTP 500).
"""

from __future__ import annotations

import dataclasses
import json
import logging
import re
import urllib.parse
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from cognito_identity.local.actions import ACTIONS, IDENTITY_ACTIONS
from cognito_identity.local.context import ServerContext
from cognito_identity.local.errors import ServiceError
from cognito_identity.local.iam import PUBLIC_ACTIONS
from cognito_identity.local.identity import signing_key
from cognito_identity.local.ids import new_uuid
from cognito_identity.local.shapes import IDENTITY_INPUTS, INPUTS
from cognito_identity.local.validation import validate

__all__ = [
    "IDENTITY_TARGET_PREFIX",
    "JSON_CONTENT_TYPE",
    "TARGET_PREFIX",
    "Reply",
    "action_name",
    "handle_action",
    "handle_get",
    "not_found",
]

log = logging.getLogger("cognito_identity.local")

TARGET_PREFIX = "AWSCognitoIdentityProviderService."
IDENTITY_TARGET_PREFIX = "AWSCognitoIdentityService."
# Both services answer on the one endpoint:
# target prefix -> (signing name, actions, input shapes).
_SERVICES = (
    (TARGET_PREFIX, "cognito-idp", ACTIONS, INPUTS),
    (IDENTITY_TARGET_PREFIX, "cognito-identity", IDENTITY_ACTIONS, IDENTITY_INPUTS),
)
JSON_CONTENT_TYPE = "application/x-amz-json-1.1"
OUTBOX_PATH = "/_local/outbox"
STATS_PATH = "/_local/stats"
# The keys of GetOpenIdToken's tokens, where Cognito serves them under its issuer.
IDENTITY_JWKS_PATH = "/.well-known/jwks_uri"
_WELL_KNOWN = re.compile(r"^/([\w-]+_[0-9a-zA-Z]+)/\.well-known/(jwks\.json|openid-configuration)$")


@dataclass(frozen=True)
class Reply:
    """An HTTP response: status, body and headers."""

    status: int
    body: bytes
    headers: tuple[tuple[str, str], ...]


def _json_reply(status: int, document: Any, content_type: str = JSON_CONTENT_TYPE) -> Reply:
    body = json.dumps(document, separators=(",", ":")).encode()
    return Reply(status, body, (("Content-Type", content_type), ("x-amzn-RequestId", new_uuid())))


def error_reply(error: ServiceError) -> Reply:
    """Cognito's error body and the ``x-amzn-ErrorType`` header botocore reads."""
    body = json.dumps({"__type": error.code, "message": error.message}).encode()
    return Reply(
        error.status,
        body,
        (
            ("Content-Type", JSON_CONTENT_TYPE),
            ("x-amzn-RequestId", new_uuid()),
            ("x-amzn-ErrorType", error.code),
        ),
    )


def handle_action(
    ctx: ServerContext,
    target: str | None,
    body: bytes,
    headers: Mapping[str, str] | None = None,
    path: str = "/",
) -> Reply:
    """Run the action named by ``target`` on the JSON ``body``. ``headers`` (keyed by
    lower-case name) and ``path`` are what an IAM signature covers."""
    try:
        return _json_reply(200, _run(ctx, target, body, headers or {}, path))
    except ServiceError as error:
        return error_reply(error)
    except Exception:
        log.exception("internal error in %s", target)
        return error_reply(ServiceError.internal())


def action_name(target: str | None) -> str:
    """The action an ``X-Amz-Target`` names (``InitiateAuth``), or ``"unknown"``."""
    return (target or "").rpartition(".")[2] or "unknown"


def _run(
    ctx: ServerContext,
    target: str | None,
    body: bytes,
    headers: Mapping[str, str],
    path: str,
) -> dict[str, Any]:
    for prefix, service, actions, inputs in _SERVICES:
        if target and target.startswith(prefix):
            name = target[len(prefix) :]
            handler = actions.get(name)
            if handler is None:
                break
            if ctx.signatures is not None and name not in PUBLIC_ACTIONS:
                ctx.signatures.check(service, path, headers, body)
            return handler(ctx, validate(inputs[name], _parse(body)))
    raise ServiceError.unknown_operation(target)


def _parse(body: bytes) -> object:
    if not body.strip():
        return {}
    try:
        return json.loads(body)
    except (ValueError, RecursionError):
        # ValueError covers bad JSON and bad UTF-8 alike.
        raise ServiceError.serialization("Request body is not valid JSON") from None


def not_found() -> Reply:
    """A 404 for any path this server does not serve."""
    return _json_reply(404, {"message": "Not Found"}, "application/json")


def handle_get(ctx: ServerContext, path: str) -> Reply:
    """``GET /<pool id>/.well-known/jwks.json``, ``.../openid-configuration``,
    ``/.well-known/jwks_uri`` (the identity pools' GetOpenIdToken key), and
    ``/_local/outbox[?username=...&pool_id=...]`` (this server's own: the messages it
    would have delivered, for tests and demos in another process) and ``/_local/stats``
    (the requests served so far, by action and status)."""
    route, _, query = path.partition("?")
    if route == OUTBOX_PATH:
        return _outbox(ctx, query)
    if route == STATS_PATH:
        return _json_reply(200, ctx.stats.snapshot(), "application/json")
    if route == IDENTITY_JWKS_PATH:
        return _json_reply(200, {"keys": [signing_key(ctx.store).public_jwk()]}, "application/json")
    match = _WELL_KNOWN.match(route)
    if match is None:
        return not_found()
    pool_id, document = match.groups()
    try:
        ctx.catalog.pool(ctx.store.connection(), pool_id)
        if document == "jwks.json":
            return _json_reply(200, ctx.tokens.jwks(pool_id), "application/json")
        return _json_reply(200, _openid_configuration(ctx, pool_id), "application/json")
    except ServiceError as error:
        return _json_reply(404, {"message": error.message}, "application/json")
    except Exception:
        log.exception("internal error serving %s", path)
        return _json_reply(500, {"message": "Internal server error"}, "application/json")


def _outbox(ctx: ServerContext, query: str) -> Reply:
    params = urllib.parse.parse_qs(query)
    messages = ctx.outbox.messages(
        pool_id=params.get("pool_id", [None])[0], username=params.get("username", [None])[0]
    )
    return _json_reply(
        200, {"messages": [dataclasses.asdict(m) for m in messages]}, "application/json"
    )


def _openid_configuration(ctx: ServerContext, pool_id: str) -> dict[str, Any]:
    issuer = ctx.issuer(pool_id)
    return {
        "issuer": issuer,
        "jwks_uri": f"{issuer}/.well-known/jwks.json",
        "id_token_signing_alg_values_supported": ["RS256"],
        "subject_types_supported": ["public"],
        "response_types_supported": ["code", "token"],
        "scopes_supported": ["openid", "email", "phone", "profile"],
        "token_endpoint_auth_methods_supported": ["client_secret_basic", "client_secret_post"],
        # The hosted UI (local/oauth/) answers at the endpoint's root, as at a pool's domain.
        "authorization_endpoint": f"{ctx.endpoint}/oauth2/authorize",
        "token_endpoint": f"{ctx.endpoint}/oauth2/token",
        "userinfo_endpoint": f"{ctx.endpoint}/oauth2/userInfo",
        "revocation_endpoint": f"{ctx.endpoint}/oauth2/revoke",
        "end_session_endpoint": f"{ctx.endpoint}/logout",
    }
