"""An app client's OAuth settings: read from CreateUserPoolClient, checked as Cognito
checks them, and kept in the client's description."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from cognito_identity.local.errors import ServiceError
from cognito_identity.local.models import AppClient

__all__ = ["OAuthClient", "PoolOAuth", "oauth_settings"]

CODE, IMPLICIT, CLIENT_CREDENTIALS = "code", "implicit", "client_credentials"
#: The pool itself, as a provider name in SupportedIdentityProviders.
COGNITO = "COGNITO"
#: Cognito's own scopes; any other is a resource server's ``identifier/scope``.
STANDARD_SCOPES = frozenset(
    {"openid", "email", "phone", "profile", "aws.cognito.signin.user.admin"}
)


@dataclass(frozen=True)
class PoolOAuth:
    """What a client's OAuth settings may name in its pool: the resource servers' custom
    scopes (``identifier/scope``) and the identity providers."""

    pool_id: str
    custom_scopes: frozenset[str]
    providers: frozenset[str]

    def check_scopes(self, scopes: list[str]) -> None:
        """ScopeDoesNotExistException for a scope neither standard nor defined."""
        for scope in scopes:
            if scope not in STANDARD_SCOPES and scope not in self.custom_scopes:
                raise ServiceError(
                    "ScopeDoesNotExistException", f"Invalid scope requested: {scope}"
                )

    def check_providers(self, providers: list[str]) -> None:
        """InvalidParameterException for a provider the pool does not have."""
        for name in providers:
            if name != COGNITO and name not in self.providers:
                raise ServiceError.invalid_parameter(
                    f"The provider {name} does not exist for User Pool {self.pool_id}"
                )


def oauth_settings(request: dict[str, Any], has_secret: bool, pool: PoolOAuth) -> dict[str, Any]:
    """The OAuth members of a new client's description, refused as Cognito refuses them."""
    flows = list(request.get("AllowedOAuthFlows") or [])
    scopes = list(request.get("AllowedOAuthScopes") or [])
    pool.check_scopes(scopes)
    pool.check_providers(list(request.get("SupportedIdentityProviders") or []))
    callbacks = list(request.get("CallbackURLs") or [])
    logouts = list(request.get("LogoutURLs") or [])
    enabled = bool(request.get("AllowedOAuthFlowsUserPoolClient", False))
    default = request.get("DefaultRedirectURI")
    for url in [*callbacks, *logouts, *([default] if default else [])]:
        _check_url(url)
    if default is not None and default not in callbacks:
        raise ServiceError.invalid_parameter("DefaultRedirectURI must be one of the CallbackURLs.")
    if enabled:
        if not flows:
            raise ServiceError("InvalidOAuthFlowException", "AllowedOAuthFlows is empty.")
        if not scopes:
            raise ServiceError.invalid_parameter("AllowedOAuthScopes is empty.")
        if CLIENT_CREDENTIALS in flows and len(flows) > 1:
            raise ServiceError(
                "InvalidOAuthFlowException",
                "client_credentials flow can not be selected along with code flow or"
                " implicit flow.",
            )
        if CLIENT_CREDENTIALS in flows and not has_secret:
            raise ServiceError(
                "InvalidOAuthFlowException",
                "client_credentials flow can not be selected if client does not have a"
                " client secret.",
            )
        if set(flows) & {CODE, IMPLICIT} and not callbacks:
            raise ServiceError.invalid_parameter("CallbackURLs is required for this flow.")
    settings: dict[str, Any] = {"AllowedOAuthFlowsUserPoolClient": enabled}
    for key, value in (
        ("AllowedOAuthFlows", flows),
        ("AllowedOAuthScopes", scopes),
        ("CallbackURLs", callbacks),
        ("LogoutURLs", logouts),
        ("SupportedIdentityProviders", list(request.get("SupportedIdentityProviders") or [])),
    ):
        if value:
            settings[key] = value
    if default is not None:
        settings["DefaultRedirectURI"] = default
    return settings


def _check_url(url: str) -> None:
    # Cognito takes https anywhere, plain http only on the loopback host, and a mobile
    # app's own scheme ("myapp://", "myapp://callback") as it is.
    parts = urlsplit(url)
    web = parts.scheme in ("http", "https")
    if parts.fragment or not parts.scheme or "://" not in url or (web and not parts.netloc):
        raise ServiceError.invalid_parameter(f"{url} is not a valid redirect URL.")
    if not web:
        return
    loopback = parts.hostname in ("localhost", "127.0.0.1", "::1")
    if parts.scheme != "https" and not (parts.scheme == "http" and loopback):
        raise ServiceError.invalid_parameter(
            f"{url} must use https (http is accepted only for localhost)."
        )


@dataclass(frozen=True)
class OAuthClient:
    """What the OAuth endpoints read of an app client."""

    client: AppClient

    def _list(self, key: str) -> list[str]:
        value = self.client.description.get(key) or []
        return [str(item) for item in value]

    @property
    def enabled(self) -> bool:
        """AllowedOAuthFlowsUserPoolClient: whether the OAuth endpoints serve it at all."""
        return bool(self.client.description.get("AllowedOAuthFlowsUserPoolClient"))

    def allows(self, flow: str) -> bool:
        """Whether ``flow`` (code, implicit, client_credentials) is enabled."""
        return self.enabled and flow in self._list("AllowedOAuthFlows")

    @property
    def scopes(self) -> frozenset[str]:
        """AllowedOAuthScopes."""
        return frozenset(self._list("AllowedOAuthScopes"))

    def callback_allowed(self, url: str) -> bool:
        """Whether ``url`` is exactly one of the CallbackURLs."""
        return url in self._list("CallbackURLs")

    @property
    def supported_providers(self) -> list[str]:
        """SupportedIdentityProviders, in the client's order."""
        return self._list("SupportedIdentityProviders")

    def supports(self, provider: str) -> bool:
        """Whether ``provider`` is one of the SupportedIdentityProviders."""
        return provider in self.supported_providers

    def logout_allowed(self, url: str) -> bool:
        """Whether ``url`` is exactly one of the LogoutURLs."""
        return url in self._list("LogoutURLs")
