"""What a verifier is told, checked once: the pool id, its issuer and JWKS URI, the app
clients, the token kind, the leeway and the groups."""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Iterable
from dataclasses import dataclass
from urllib.parse import urlsplit

from cognito_identity.errors import InvalidConfigurationError

__all__ = ["VerifierSettings", "check_jwks_uri"]

# "<region>_<id>", as Cognito names user pools ("eu-west-1_AbCdEf123").
_POOL_ID = re.compile(r"^([a-z]{2}(?:-[a-z]+)+-\d+)_[0-9a-zA-Z]+$")
_TOKEN_USES = ("id", "access")


@dataclass(frozen=True)
class VerifierSettings:
    """The checked settings of one verifier."""

    user_pool_id: str
    issuer: str
    jwks_uri: str
    client_ids: tuple[str, ...] | None
    token_use: str | None
    leeway: float
    groups: tuple[str, ...] | None

    @classmethod
    def build(
        cls,
        user_pool_id: str,
        client_id: str | Iterable[str] | None,
        token_use: str | None,
        *,
        issuer: str | None,
        jwks_uri: str | None,
        leeway: float,
        groups: str | Iterable[str] | None,
    ) -> VerifierSettings:
        """Check every setting and derive the issuer and JWKS URI from the pool id.

        Raises:
            InvalidConfigurationError: a setting that cannot be right.
        """
        match = _POOL_ID.match(user_pool_id) if isinstance(user_pool_id, str) else None
        if match is None:
            raise InvalidConfigurationError(
                "user_pool_id must look like '<region>_<id>', e.g. 'eu-west-1_AbCdEf123'"
            )
        if issuer is None:
            issuer = f"https://cognito-idp.{match.group(1)}.amazonaws.com/{user_pool_id}"
        elif not isinstance(issuer, str) or not issuer:
            raise InvalidConfigurationError("issuer must be a non-empty string")
        if jwks_uri is None:
            jwks_uri = f"{issuer.rstrip('/')}/.well-known/jwks.json"
        check_jwks_uri(jwks_uri)
        if token_use is not None and token_use not in _TOKEN_USES:
            raise InvalidConfigurationError("token_use must be 'id', 'access' or None")
        if (
            isinstance(leeway, bool)
            or not isinstance(leeway, (int, float))
            or not (0 <= leeway < float("inf"))
        ):
            raise InvalidConfigurationError("leeway must be a number of seconds, 0 or more")
        return cls(
            user_pool_id=user_pool_id,
            issuer=issuer,
            jwks_uri=jwks_uri,
            client_ids=_names(client_id, "client_id"),
            token_use=token_use,
            leeway=float(leeway),
            groups=_names(groups, "groups"),
        )


def _names(value: str | Iterable[str] | None, what: str) -> tuple[str, ...] | None:
    """One name or several as a tuple; None stays None (no check)."""
    if value is None:
        return None
    names = (value,) if isinstance(value, str) else tuple(value)
    if not names or not all(isinstance(n, str) and n for n in names):
        raise InvalidConfigurationError(f"{what} must be a non-empty string or list of them")
    return names


def check_jwks_uri(uri: str) -> None:
    """Refuse a JWKS URI that is not HTTPS, except plain HTTP to a loopback host (a local
    pool): keys fetched over an open network could be anyone's.

    Raises:
        InvalidConfigurationError: any other URI.
    """
    parts = urlsplit(uri) if isinstance(uri, str) else None
    if parts is None or not parts.hostname:
        raise InvalidConfigurationError("jwks_uri must be an absolute https URL")
    if parts.scheme == "https":
        return
    if parts.scheme == "http" and _is_loopback(parts.hostname):
        return
    raise InvalidConfigurationError(
        "jwks_uri must use https (plain http is accepted only for a loopback host)"
    )


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False
