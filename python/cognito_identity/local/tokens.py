"""Tokens: RS256 id and access tokens with Cognito's claims, and opaque refresh tokens.

Signing is done by the Rust JWT engine (``cognito_identity.jwt``), one RSA key per pool,
made on first use and kept in the database. Every issued access token and refresh token
is recorded by its SHA-256 so that sign-out and revocation can end them, and so that a
token this server did not issue is never accepted. As in Cognito, the access tokens of a
sign-in that used or registered a device carry its key as the ``device_key`` claim, and
so do those refreshed from it (the sign-in is bound to the device). A user's groups are
the ``cognito:groups`` claim of both tokens.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
import threading
from typing import TYPE_CHECKING, Any

from cognito_identity.local import devices
from cognito_identity.local.devices import Device
from cognito_identity.local.errors import ServiceError
from cognito_identity.local.groups import Group, groups_of
from cognito_identity.local.ids import new_opaque_token, new_uuid
from cognito_identity.local.models import AppClient, Pool, User
from cognito_identity.local.trigger_events import customize_claims

if TYPE_CHECKING:
    from cognito_identity.local.context import ServerContext

__all__ = ["AccessGrant", "TokenIssuer", "token_digest"]

ACCESS_SCOPE = "aws.cognito.signin.user.admin"
_PRUNE_EVERY = 1000


def token_digest(token: str) -> str:
    """The SHA-256 (hex) under which a token is recorded."""
    return hashlib.sha256(token.encode()).hexdigest()


class AccessGrant:
    """An access token this server issued: whose it is, which session it belongs to, and
    whether it is still live (:meth:`check_live`)."""

    def __init__(self, row: sqlite3.Row) -> None:
        self.pool_id: str = row["pool_id"]
        self.client_id: str = row["client_id"]
        self.username_key: str = row["username_key"]
        self.origin_jti: str = row["origin_jti"]
        self.revoked = bool(row["revoked"])
        self.expires: float = row["access_expires"]

    def check_live(self, now: float) -> None:
        """Refuse a token whose session was revoked or which has expired."""
        if self.revoked:
            raise ServiceError.not_authorized("Access Token has been revoked")
        if self.expires <= now:
            raise ServiceError.not_authorized("Access Token has expired")


class TokenIssuer:
    """Issues, refreshes, checks and revokes the tokens of every pool on the server."""

    def __init__(self, ctx: ServerContext) -> None:
        self._ctx = ctx
        self._keys: dict[str, Any] = {}
        self._key_lock = threading.Lock()
        self._issued = 0

    # --- keys -------------------------------------------------------------------------

    def signing_key(self, pool_id: str) -> Any:
        """The pool's ``RsaSigningKey``, loaded or generated on first use."""
        key = self._keys.get(pool_id)
        if key is not None:
            return key
        from cognito_identity.jwt import RsaSigningKey

        with self._key_lock:
            key = self._keys.get(pool_id)
            if key is not None:
                return key
            store = self._ctx.store
            row = (
                store.connection()
                .execute("SELECT kid, pkcs8 FROM signing_keys WHERE pool_id = ?", (pool_id,))
                .fetchone()
            )
            if row is None:
                key = RsaSigningKey.generate()
                with store.write() as conn:
                    conn.execute(
                        "INSERT INTO signing_keys (pool_id, kid, pkcs8) VALUES (?, ?, ?)",
                        (pool_id, key.kid, key.to_pkcs8_der()),
                    )
            else:
                key = RsaSigningKey.from_pkcs8_der(bytes(row["pkcs8"]), row["kid"])
            self._keys[pool_id] = key
            return key

    def forget_pool(self, pool_id: str) -> None:
        """Drop a deleted pool's key from memory."""
        with self._key_lock:
            self._keys.pop(pool_id, None)

    def jwks(self, pool_id: str) -> dict[str, Any]:
        """The pool's JSON Web Key Set."""
        return {"keys": [self.signing_key(pool_id).public_jwk()]}

    # --- issuing ----------------------------------------------------------------------

    def issue(
        self,
        pool: Pool,
        client: AppClient,
        user: User,
        *,
        refresh_of: sqlite3.Row | None = None,
        device: Device | None = None,
        auth_time: int | None = None,
    ) -> dict[str, Any]:
        """An ``AuthenticationResult``. A new sign-in also gets a refresh token, bound to
        ``device`` when given, and its ``auth_time`` is now unless given (a hosted-UI
        session signs in again with the time its user authenticated); a refresh
        (``refresh_of`` is the session row) keeps the session's origin, auth time and
        device."""
        now = int(self._ctx.clock.now())
        key = self.signing_key(pool.id)
        if refresh_of is None:
            origin_jti, auth_time = new_uuid(), now if auth_time is None else auth_time
            device_key = device.key if device is not None else None
        else:
            origin_jti, auth_time = refresh_of["origin_jti"], int(refresh_of["auth_time"])
            device_key = devices.bound_device(self._ctx.store.connection(), origin_jti)
        event_id = new_uuid()
        common = {
            "sub": user.sub,
            "iss": self._ctx.issuer(pool.id),
            "origin_jti": origin_jti,
            "event_id": event_id,
            "auth_time": auth_time,
            "iat": now,
        }
        access_claims = {
            **common,
            "client_id": client.id,
            "token_use": "access",
            "scope": ACCESS_SCOPE,
            "version": 2,
            "exp": now + client.access_token_seconds,
            "jti": new_uuid(),
            "username": user.username,
        }
        if device_key is not None:
            access_claims["device_key"] = device_key
        id_claims = {
            **_attribute_claims(user),
            **common,
            "cognito:username": user.username,
            "aud": client.id,
            "token_use": "id",
            "exp": now + client.id_token_seconds,
            "jti": new_uuid(),
        }
        _add_group_claims(
            groups_of(self._ctx.store.connection(), user).items, id_claims, access_claims
        )
        customize_claims(
            self._ctx,
            pool,
            client,
            user,
            id_claims,
            access_claims,
            refreshing=refresh_of is not None,
        )
        access_token = key.sign(access_claims)
        result: dict[str, Any] = {
            "AccessToken": access_token,
            "ExpiresIn": client.access_token_seconds,
            "TokenType": "Bearer",
            "IdToken": key.sign(id_claims),
        }
        with self._ctx.store.write() as conn:
            if refresh_of is None:
                refresh_token = new_opaque_token()
                conn.execute(
                    "INSERT INTO sessions (origin_jti, pool_id, client_id, username_key,"
                    " refresh_hash, auth_time, expires) VALUES (?, ?, ?, ?, ?, ?, ?)",
                    (
                        origin_jti,
                        pool.id,
                        client.id,
                        user.username_key,
                        token_digest(refresh_token),
                        auth_time,
                        now + client.refresh_token_seconds,
                    ),
                )
                result["RefreshToken"] = refresh_token
                if device is not None:
                    devices.bind_session(conn, origin_jti, device)
            conn.execute(
                "INSERT INTO access_tokens (token_hash, origin_jti, expires) VALUES (?, ?, ?)",
                (token_digest(access_token), origin_jti, access_claims["exp"]),
            )
            self._issued += 1
            if self._issued % _PRUNE_EVERY == 0:
                conn.execute("DELETE FROM access_tokens WHERE expires < ?", (now,))
        return result

    # --- checking ---------------------------------------------------------------------

    def find_access_token(self, conn: sqlite3.Connection, token: str) -> AccessGrant:
        """The grant behind an access token this server issued, live or not, or
        NotAuthorizedException for any other token."""
        row = conn.execute(
            "SELECT a.expires AS access_expires, s.* FROM access_tokens a"
            " JOIN sessions s ON s.origin_jti = a.origin_jti WHERE a.token_hash = ?",
            (token_digest(token),),
        ).fetchone()
        if row is None:
            raise ServiceError.not_authorized("Invalid Access Token")
        return AccessGrant(row)

    def check_access_token(self, conn: sqlite3.Connection, token: str) -> AccessGrant:
        """The grant behind a live access token, or NotAuthorizedException."""
        grant = self.find_access_token(conn, token)
        grant.check_live(self._ctx.clock.now())
        return grant


def _add_group_claims(
    groups: list[Group], id_claims: dict[str, Any], access_claims: dict[str, Any]
) -> None:
    """``cognito:groups`` (both tokens), ``cognito:roles`` and ``cognito:preferred_role``
    (id token) of a user in ``groups``: ordered by precedence, lowest first; the preferred
    role is the role of the one group with the lowest precedence among those with a role."""
    if not groups:
        return
    ordered = sorted(groups, key=lambda g: (g.precedence is None, g.precedence or 0, g.name))
    names = [group.name for group in ordered]
    id_claims["cognito:groups"] = list(names)
    access_claims["cognito:groups"] = list(names)
    with_roles = [group for group in ordered if group.role_arn is not None]
    if not with_roles:
        return
    id_claims["cognito:roles"] = list(dict.fromkeys(group.role_arn for group in with_roles))
    best = with_roles[0]
    ties = [g for g in with_roles if g.precedence == best.precedence]
    if best.precedence is not None and len(ties) == 1:
        id_claims["cognito:preferred_role"] = best.role_arn


def _attribute_claims(user: User) -> dict[str, Any]:
    """The user's attributes as id-token claims (``*_verified`` as booleans)."""
    claims: dict[str, Any] = {}
    for name, value in user.attributes.items():
        claims[name] = value == "true" if name.endswith("_verified") else value
    if "identities" in claims:
        # A federated user's providers: a JSON list in the attribute, a list in the token.
        claims["identities"] = json.loads(user.attributes["identities"])
    return claims
