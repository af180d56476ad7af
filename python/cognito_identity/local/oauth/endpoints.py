"""Cognito's OAuth 2.0 endpoints on the local pool: requests in, a :class:`Reply` out.

* ``GET /oauth2/authorize`` checks the request and shows the sign-in page (or, for a
  browser with a live session of the pool, redirects straight back with a code), or sends
  the browser to the identity provider the request names (``GET /oauth2/idpresponse``
  brings it back); ``POST /oauth2/authorize`` signs the user in through the sign-in
  state machine (each challenge on its own page) and redirects with a code, or with the
  tokens in the fragment for ``response_type=token``. A sign-in, on the page or through a
  provider, starts a session (:mod:`.login_sessions`); ``prompt=login`` asks for the page
  whatever the session, ``prompt=none`` never shows it.
* ``POST /oauth2/token``: ``authorization_code`` (PKCE S256 and redirect URI checked,
  codes single-use), ``refresh_token`` and ``client_credentials``.
* ``/oauth2/userInfo``, ``POST /oauth2/revoke`` and ``GET /logout`` (which ends the
  session).

A request that cannot be sent back (unknown client, unlisted redirect URI) gets an error
page; any later problem goes back to the redirect URI as ``error``/``error_description``,
and the token endpoints answer RFC 6749's error JSON, as Cognito does.
"""

from __future__ import annotations

import base64
import binascii
import hmac
import json
import logging
from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qs, urlencode, urlsplit

from cognito_identity.local.actions.sessions import revoke_token
from cognito_identity.local.errors import ServiceError
from cognito_identity.local.ids import new_uuid
from cognito_identity.local.models import AppClient, User
from cognito_identity.local.oauth import challenges, login_sessions, page, records
from cognito_identity.local.oauth.codes import CODE_SECONDS, CodeGrant, pkce_matches
from cognito_identity.local.oauth.federation import (
    IDP_RESPONSE,
    PENDING_SECONDS,
    FederationError,
    PendingSignIn,
    Provider,
    federated_user,
    find_provider,
    upstream_authorize_url,
)
from cognito_identity.local.oauth.settings import (
    CLIENT_CREDENTIALS,
    CODE,
    COGNITO,
    IMPLICIT,
    STANDARD_SCOPES,
    OAuthClient,
)
from cognito_identity.local.policy import access_token_user
from cognito_identity.local.protocol import Reply
from cognito_identity.local.signin.flows import Begin, password_sign_in
from cognito_identity.local.signin.refresh import get_tokens
from cognito_identity.local.user_records import load_user

if TYPE_CHECKING:
    from cognito_identity.local.context import ServerContext

__all__ = ["handle_oauth", "is_oauth_path"]

log = logging.getLogger("cognito_identity.local")

AUTHORIZE, TOKEN, USER_INFO, REVOKE, LOGOUT = (
    "/oauth2/authorize",
    "/oauth2/token",
    "/oauth2/userInfo",
    "/oauth2/revoke",
    "/logout",
)
_PATHS = frozenset({AUTHORIZE, TOKEN, USER_INFO, REVOKE, LOGOUT, IDP_RESPONSE})
_AUTHORIZE_FIELDS = (
    "client_id",
    "redirect_uri",
    "response_type",
    "scope",
    "state",
    "code_challenge",
    "code_challenge_method",
    "login_hint",
    "identity_provider",
    "prompt",
)
#: The values of ``prompt`` Cognito takes; the last two only matter to a provider.
_PROMPTS = frozenset({"login", "none", "select_account", "consent"})


def is_oauth_path(path: str) -> bool:
    """Whether ``path`` (query included or not) is one of the OAuth endpoints."""
    return path.partition("?")[0] in _PATHS


def handle_oauth(
    ctx: ServerContext, method: str, path: str, headers: Mapping[str, str], body: bytes
) -> Reply:
    """Serve one request to an OAuth endpoint."""
    route, _, query = path.partition("?")
    try:
        if route == AUTHORIZE and method == "GET":
            return _authorize_get(ctx, headers, _form(query.encode()))
        if route == AUTHORIZE and method == "POST":
            return _authorize_post(ctx, headers, _form(body))
        if route == TOKEN and method == "POST":
            return _token(ctx, headers, _form(body))
        if route == USER_INFO and method in ("GET", "POST"):
            return _user_info(ctx, headers)
        if route == REVOKE and method == "POST":
            return _revoke(ctx, headers, _form(body))
        if route == LOGOUT and method == "GET":
            return _logout(ctx, headers, _form(query.encode()))
        if route == IDP_RESPONSE and method == "GET":
            return _idp_response(ctx, headers, _form(query.encode()))
        allowed = "GET" if route in (LOGOUT, USER_INFO, IDP_RESPONSE) else "POST"
        return Reply(405, b"", (("Allow", allowed),))
    except _OAuthRefusal as refusal:
        return refusal.reply
    except Exception:
        log.exception("internal error serving %s", route)
        return _json(500, {"error": "server_error"})


# --- Replies --------------------------------------------------------------------------


class _OAuthRefusal(Exception):
    """A request refused with ``reply`` (an error page, redirect or JSON)."""

    def __init__(self, reply: Reply) -> None:
        super().__init__(reply.status)
        self.reply = reply


def _json(status: int, document: Mapping[str, Any], *extra: tuple[str, str]) -> Reply:
    body = json.dumps(dict(document)).encode()
    headers = (("Content-Type", "application/json"), ("Cache-Control", "no-store"), *extra)
    return Reply(status, body, headers)


def _oauth_error(error: str, description: str, status: int = 400) -> _OAuthRefusal:
    return _OAuthRefusal(_json(status, {"error": error, "error_description": description}))


def _html(status: int, body: bytes) -> Reply:
    return Reply(
        status, body, (("Content-Type", "text/html; charset=utf-8"), ("Cache-Control", "no-store"))
    )


def _redirect(url: str, params: Mapping[str, str]) -> Reply:
    separator = "&" if urlsplit(url).query else "?"
    return Reply(302, b"", (("Location", f"{url}{separator}{urlencode(dict(params))}"),))


def _form(raw: bytes) -> dict[str, str]:
    try:
        parsed = parse_qs(raw.decode(), keep_blank_values=True)
    except UnicodeDecodeError:
        raise _oauth_error("invalid_request", "The request is not valid UTF-8.") from None
    for name, values in parsed.items():
        if len(values) > 1:
            raise _oauth_error("invalid_request", f"{name} is repeated.")
    return {name: values[0] for name, values in parsed.items()}


def _header(headers: Mapping[str, str], name: str) -> str | None:
    wanted = name.lower()
    for key, value in headers.items():
        if key.lower() == wanted:
            return value
    return None


# --- /oauth2/authorize ----------------------------------------------------------------


@dataclass(frozen=True)
class _Authorize:
    """A checked authorize request."""

    client: AppClient
    redirect_uri: str
    scopes: tuple[str, ...]
    state: str | None
    code_challenge: str | None
    fields: dict[str, str]
    #: The identity provider to sign in with: None for the pool's own sign-in page.
    provider: Provider | None
    #: response_type=token: the tokens go back in the redirect's fragment, no code.
    implicit: bool = False
    #: The OIDC ``prompt`` values asked for (login, none, select_account, consent).
    prompt: frozenset[str] = frozenset()

    def error(self, error: str, description: str) -> _OAuthRefusal:
        params = {"error": error, "error_description": description}
        if self.state is not None:
            params["state"] = self.state
        return _OAuthRefusal(_redirect(self.redirect_uri, params))


def _check_authorize(ctx: ServerContext, form: dict[str, str]) -> _Authorize:
    try:
        client = ctx.catalog.client(ctx.store.connection(), form.get("client_id", ""))
    except ServiceError:
        raise _OAuthRefusal(_html(400, page.error_page("The client does not exist."))) from None
    settings = OAuthClient(client)
    redirect_uri = form.get("redirect_uri", "")
    if not settings.callback_allowed(redirect_uri):
        raise _OAuthRefusal(_html(400, page.error_page("redirect_mismatch")))
    requested = tuple(form.get("scope", "").split()) or tuple(sorted(settings.scopes))
    request = _Authorize(
        client,
        redirect_uri,
        requested,
        form.get("state"),
        form.get("code_challenge") or None,
        {name: form[name] for name in _AUTHORIZE_FIELDS if name in form},
        None,
    )
    response_type = form.get("response_type")
    if response_type == "token" and settings.allows(IMPLICIT):
        request = replace(request, implicit=True)
    elif response_type != "code":
        raise request.error(
            "unsupported_response_type", "response_type must be code (or token, when allowed)."
        )
    elif not settings.allows(CODE):
        raise request.error("unauthorized_client", "The client may not use the code flow.")
    if not set(requested) <= settings.scopes:
        raise request.error("invalid_scope", "The client may not ask for these scopes.")
    method = form.get("code_challenge_method")
    if request.code_challenge is None and method is not None:
        raise request.error("invalid_request", "code_challenge_method without code_challenge.")
    if request.code_challenge is not None and method != "S256":
        raise request.error("invalid_request", "code_challenge_method must be S256.")
    prompt = frozenset(form.get("prompt", "").split())
    if not prompt <= _PROMPTS or ("none" in prompt and len(prompt) > 1):
        raise request.error(
            "invalid_request", "prompt must be login, none, select_account or consent."
        )
    return replace(request, provider=_provider(ctx, request, settings, form), prompt=prompt)


def _provider(
    ctx: ServerContext, request: _Authorize, settings: OAuthClient, form: dict[str, str]
) -> Provider | None:
    """The provider the request signs in with, as Cognito picks it: the one named in
    ``identity_provider``, else the pool's own page, else the client's only provider."""
    name = form.get("identity_provider") or None  # blank: as if absent
    if name is None:
        supported = settings.supported_providers
        name = COGNITO if COGNITO in supported or len(supported) != 1 else supported[0]
    if not settings.supports(name):
        raise request.error("invalid_request", "The client does not support this provider.")
    if name == COGNITO:
        return None
    provider = find_provider(ctx, request.client.pool_id, name)
    if provider is None:
        raise request.error("invalid_request", "The identity provider does not exist.")
    return provider


def _authorize_get(ctx: ServerContext, headers: Mapping[str, str], form: dict[str, str]) -> Reply:
    request = _check_authorize(ctx, form)
    if request.provider is None:
        if "login" not in request.prompt:
            signed_in = _from_session(ctx, request, headers)
            if signed_in is not None:
                return signed_in
        if "none" in request.prompt:
            raise request.error("login_required", "The user is not signed in.")
        return _html(200, page.sign_in_page(AUTHORIZE, request.fields))
    # Off to the provider; /oauth2/idpresponse picks the request up again by the state.
    pending = PendingSignIn(
        {**request.fields, "identity_provider": request.provider.name},
        ctx.clock.now() + PENDING_SECONDS,
    )
    state = ctx.oauth_pending.issue(pending)
    try:
        url = upstream_authorize_url(ctx, request.provider, state, request.fields.get("prompt"))
    except FederationError as error:
        raise request.error("invalid_request", str(error)) from None
    return Reply(302, b"", (("Location", url),))


def _from_session(
    ctx: ServerContext, request: _Authorize, headers: Mapping[str, str]
) -> Reply | None:
    """The redirect with a code for the browser's live session in the pool, if it has
    one that this client may use (a session made through a provider the client does not
    offer is not)."""
    session = login_sessions.find_session(
        ctx, request.client.pool_id, _session_cookie(request, headers)
    )
    if session is None or not OAuthClient(request.client).supports(session.provider):
        return None
    pool = ctx.catalog.pool(ctx.store.connection(), request.client.pool_id)
    result = ctx.tokens.issue(pool, request.client, session.user, auth_time=session.auth_time)
    return _issue_code(ctx, request, result)


def _idp_response(ctx: ServerContext, headers: Mapping[str, str], form: dict[str, str]) -> Reply:
    """The provider's redirect: the pending request completed with the federated user."""
    pending = ctx.oauth_pending.redeem(form.get("state", ""), ctx.clock.now())
    if pending is None:
        return _html(400, page.error_page("The sign-in is unknown or has expired."))
    request = _check_authorize(ctx, pending.fields)
    if request.provider is None:
        return _html(400, page.error_page("The sign-in is unknown or has expired."))
    if "error" in form:
        raise request.error(form["error"], form.get("error_description", form["error"]))
    code = form.get("code")
    if not code:
        raise request.error("invalid_request", "The identity provider sent no code.")
    pool = ctx.catalog.pool(ctx.store.connection(), request.client.pool_id)
    try:
        user = federated_user(ctx, pool, request.provider, code)
    except FederationError as error:
        raise request.error("invalid_request", str(error)) from None
    reply = _issue_code(ctx, request, ctx.tokens.issue(pool, request.client, user))
    return _start_session(ctx, request, headers, reply, user, request.provider.name)


def _authorize_post(ctx: ServerContext, headers: Mapping[str, str], form: dict[str, str]) -> Reply:
    request = _check_authorize(ctx, form)
    client = request.client
    username = form.get("username", "")
    pool = ctx.catalog.pool(ctx.store.connection(), client.pool_id)
    answering = "challenge" in form
    try:
        if not answering:
            if not username or not form.get("password"):
                raise ServiceError.not_authorized()
            outcome = password_sign_in(ctx, Begin(pool, client, {}, {}), username, form["password"])
        else:
            outcome = challenges.answer(ctx, client, username, form)
        after = challenges.next_step(ctx, outcome)
    except ServiceError as error:
        if not answering:
            fields = {**request.fields, "login_hint": username}
            return _html(400, page.sign_in_page(AUTHORIZE, fields, error.message))
        after = challenges.Step.from_form(form)
        status, body = challenges.step_page(
            AUTHORIZE,
            request.fields,
            after,
            username=username,
            pool_name=pool.name,
            error=error.message,
        )
        return _html(status, body)
    if isinstance(after, challenges.Step):
        status, body = challenges.step_page(
            AUTHORIZE, request.fields, after, username=username, pool_name=pool.name
        )
        return _html(status, body)
    reply = _issue_code(ctx, request, after)
    return _start_session(ctx, request, headers, reply, _signed_in(ctx, after), COGNITO)


def _signed_in(ctx: ServerContext, result: Mapping[str, Any]) -> User:
    """The user a sign-in's AuthenticationResult is for (the form's username may be an
    alias, or differ in case)."""
    conn = ctx.store.connection()
    grant = ctx.tokens.find_access_token(conn, result["AccessToken"])
    user = load_user(conn, grant.pool_id, grant.username_key)
    if user is None:  # deleted between its sign-in and here
        raise ServiceError.user_not_found()
    return user


def _session_cookie(request: _Authorize, headers: Mapping[str, str]) -> str | None:
    return login_sessions.session_cookie(headers, request.client.pool_id)


def _start_session(
    ctx: ServerContext,
    request: _Authorize,
    headers: Mapping[str, str],
    reply: Reply,
    user: User,
    provider: str,
) -> Reply:
    """``reply`` with the cookie of a new session for ``user``, which replaces any the
    browser had in this pool."""
    pool_id = request.client.pool_id
    login_sessions.end_session(ctx, pool_id, _session_cookie(request, headers))
    value = login_sessions.start_session(ctx, user, provider, int(ctx.clock.now()))
    return replace(reply, headers=(*reply.headers, login_sessions.set_cookie(ctx, pool_id, value)))


def _issue_code(ctx: ServerContext, request: _Authorize, result: dict[str, Any]) -> Reply:
    """The end of a sign-in: back to the redirect URI with a code for ``result`` (or,
    in the implicit flow, with the tokens themselves in the fragment)."""
    if request.implicit:
        return _implicit_redirect(request, result)
    grant = CodeGrant(
        request.client.id,
        request.redirect_uri,
        request.code_challenge,
        request.scopes,
        result,
        ctx.clock.now() + CODE_SECONDS,
    )
    params = {"code": ctx.oauth_codes.issue(grant)}
    if request.state is not None:
        params["state"] = request.state
    return _redirect(request.redirect_uri, params)


def _implicit_redirect(request: _Authorize, result: dict[str, Any]) -> Reply:
    # As Cognito does: no refresh token, and an id token only with the openid scope.
    params = {
        "access_token": result["AccessToken"],
        "token_type": "Bearer",
        "expires_in": str(result["ExpiresIn"]),
    }
    if "openid" in request.scopes:
        params["id_token"] = result["IdToken"]
    if request.state is not None:
        params["state"] = request.state
    return Reply(302, b"", (("Location", f"{request.redirect_uri}#{urlencode(params)}"),))


# --- /oauth2/token --------------------------------------------------------------------


def _authenticate_client(
    ctx: ServerContext, headers: Mapping[str, str], form: dict[str, str]
) -> AppClient:
    """The app client, from HTTP Basic or the form's client_id (and client_secret)."""
    client_id, secret = form.get("client_id"), form.get("client_secret")
    authorization = _header(headers, "Authorization")
    if authorization is not None and authorization.startswith("Basic "):
        try:
            decoded = base64.b64decode(authorization[6:], validate=True).decode()
        except (binascii.Error, UnicodeDecodeError):
            raise _oauth_error("invalid_client", "Bad HTTP Basic credentials.", 401) from None
        client_id, _, secret = decoded.partition(":")
    try:
        client = ctx.catalog.client(ctx.store.connection(), client_id or "")
    except ServiceError:
        raise _oauth_error("invalid_client", "Client does not exist.") from None
    if client.secret is not None and not hmac.compare_digest(
        (secret or "").encode(), client.secret.encode()
    ):
        raise _oauth_error("invalid_client", "Client authentication failed.")
    if not OAuthClient(client).enabled:
        raise _oauth_error("unauthorized_client", "The client is not enabled for OAuth.")
    return client


def _token(ctx: ServerContext, headers: Mapping[str, str], form: dict[str, str]) -> Reply:
    client = _authenticate_client(ctx, headers, form)
    grant_type = form.get("grant_type")
    if grant_type == "authorization_code":
        return _json(200, _exchange_code(ctx, client, form))
    if grant_type == "refresh_token":
        return _json(200, _refresh(ctx, client, form))
    if grant_type == "client_credentials":
        return _json(200, _client_credentials(ctx, client, form))
    raise _oauth_error("unsupported_grant_type", "Unsupported grant type.")


def _exchange_code(ctx: ServerContext, client: AppClient, form: dict[str, str]) -> dict[str, Any]:
    code = form.get("code")
    if not code:
        raise _oauth_error("invalid_request", "code is missing.")
    if not OAuthClient(client).allows(CODE):
        raise _oauth_error("unauthorized_client", "The client may not use the code flow.")
    grant = ctx.oauth_codes.redeem(code, ctx.clock.now())
    if grant is None or grant.client_id != client.id:
        raise _oauth_error("invalid_grant", "The code is unknown, used or expired.")
    if form.get("redirect_uri") != grant.redirect_uri:
        raise _oauth_error("invalid_grant", "redirect_uri does not match.")
    if grant.code_challenge is not None and not pkce_matches(
        grant.code_challenge, form.get("code_verifier", "")
    ):
        raise _oauth_error("invalid_grant", "The code verifier does not match.")
    return _token_document(grant.tokens, with_id_token="openid" in grant.scopes)


def _refresh(ctx: ServerContext, client: AppClient, form: dict[str, str]) -> dict[str, Any]:
    token = form.get("refresh_token")
    if not token:
        raise _oauth_error("invalid_request", "refresh_token is missing.")
    pool = ctx.catalog.pool(ctx.store.connection(), client.pool_id)
    try:
        answer = get_tokens(ctx, pool, client, token, None)
    except ServiceError as error:
        raise _oauth_error("invalid_grant", error.message) from None
    return _token_document(answer["AuthenticationResult"], with_id_token=True)


def _token_document(result: Mapping[str, Any], *, with_id_token: bool) -> dict[str, Any]:
    document = {
        "access_token": result["AccessToken"],
        "expires_in": result["ExpiresIn"],
        "token_type": "Bearer",
    }
    if with_id_token:
        document["id_token"] = result["IdToken"]
    if "RefreshToken" in result:
        document["refresh_token"] = result["RefreshToken"]
    return document


def _client_credentials(
    ctx: ServerContext, client: AppClient, form: dict[str, str]
) -> dict[str, Any]:
    settings = OAuthClient(client)
    if not settings.allows(CLIENT_CREDENTIALS) or client.secret is None:
        raise _oauth_error("unauthorized_client", "The client may not use client_credentials.")
    # Only the scopes the client is allowed and a resource server still defines.
    defined = records.pool_scopes(ctx.store.connection(), client.pool_id)
    custom = (settings.scopes - STANDARD_SCOPES) & defined
    requested = set(form.get("scope", "").split()) or custom
    if not requested or not requested <= custom:
        raise _oauth_error("invalid_scope", "The client may not ask for these scopes.")
    now = int(ctx.clock.now())
    claims = {
        "sub": client.id,
        "token_use": "access",
        "scope": " ".join(sorted(requested)),
        "auth_time": now,
        "iss": ctx.issuer(client.pool_id),
        "exp": now + client.access_token_seconds,
        "iat": now,
        "version": 2,
        "jti": new_uuid(),
        "client_id": client.id,
    }
    token = ctx.tokens.signing_key(client.pool_id).sign(claims)
    return {
        "access_token": token,
        "expires_in": client.access_token_seconds,
        "token_type": "Bearer",
    }


# --- /oauth2/userInfo, /oauth2/revoke, /logout ----------------------------------------


def _user_info(ctx: ServerContext, headers: Mapping[str, str]) -> Reply:
    authorization = _header(headers, "Authorization") or ""
    scheme, _, token = authorization.partition(" ")
    refusal = ("WWW-Authenticate", 'Bearer error="invalid_token"')
    if scheme.lower() != "bearer" or not token:
        return _json(401, {"error": "invalid_request"}, ("WWW-Authenticate", "Bearer"))
    try:
        _, user = access_token_user(ctx, ctx.store.connection(), token.strip())
    except ServiceError as error:
        return _json(401, {"error": "invalid_token", "error_description": error.message}, refusal)
    claims = {name: value for name, value in user.attributes.items()}
    claims.update(sub=user.sub, username=user.username)
    return _json(200, claims)


def _revoke(ctx: ServerContext, headers: Mapping[str, str], form: dict[str, str]) -> Reply:
    client = _authenticate_client(ctx, headers, form)
    token = form.get("token")
    if not token:
        raise _oauth_error("invalid_request", "token is missing.")
    request = {"Token": token, "ClientId": client.id, "ClientSecret": client.secret or ""}
    try:
        revoke_token(ctx, request)
    except ServiceError as error:
        if error.code == "UnsupportedTokenTypeException":
            raise _oauth_error("unsupported_token_type", error.message) from None
        raise _oauth_error("invalid_request", error.message) from None
    return Reply(200, b"", (("Cache-Control", "no-store"),))


def _logout(ctx: ServerContext, headers: Mapping[str, str], form: dict[str, str]) -> Reply:
    """End the browser's session in the client's pool, then go to ``logout_uri`` (one of
    the client's LogoutURLs) or, given ``redirect_uri`` instead, back to the sign-in page
    with the rest of the query (an authorize request, checked there)."""
    try:
        client = ctx.catalog.client(ctx.store.connection(), form.get("client_id", ""))
    except ServiceError:
        return _html(400, page.error_page("The client does not exist."))
    settings = OAuthClient(client)
    logout_uri = form.get("logout_uri")
    if logout_uri is not None or "redirect_uri" not in form:
        if not settings.logout_allowed(logout_uri or ""):
            message = "logout_uri is not one of the client's sign-out URLs."
            return _html(400, page.error_page(message))
        location = logout_uri or ""
    elif settings.callback_allowed(form["redirect_uri"]):
        location = f"{ctx.endpoint}{AUTHORIZE}?{urlencode(form)}"
    else:
        return _html(400, page.error_page("redirect_mismatch"))
    login_sessions.end_session(
        ctx, client.pool_id, login_sessions.session_cookie(headers, client.pool_id)
    )
    return Reply(
        302, b"", (("Location", location), login_sessions.clear_cookie(ctx, client.pool_id))
    )
