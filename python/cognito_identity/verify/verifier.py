"""CognitoJwtVerifier: strict, fast verification of Cognito ID and access tokens."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from cognito_identity import _native
from cognito_identity.errors import CustomCheckError, TokenError, TokenKeyNotFoundError
from cognito_identity.jwt import JsonInput
from cognito_identity.verify.bearer import bearer_token
from cognito_identity.verify.jwks_cache import (
    DEFAULT_PENALTY,
    DEFAULT_REFETCH_INTERVAL,
    DEFAULT_TIMEOUT,
    JwksCache,
    token_kid,
)
from cognito_identity.verify.settings import VerifierSettings

__all__ = ["Claims", "CognitoJwtVerifier", "CustomCheck", "run_custom_check"]

Claims = dict[str, Any]
#: Called with the claims once every other check passed; refuses by raising or by
#: returning ``False``.
CustomCheck = Callable[[Claims], object]


class CognitoJwtVerifier:
    """Verifies the ID and access tokens of one Cognito user pool.

    A token is accepted only if all of these hold: it is a compact JWS of at most 256 KiB
    whose header (at most 8 KiB) says ``alg: RS256``, names a ``kid`` of the pool's JWKS
    and carries no key of its own (``jku``, ``x5u``, ``jwk``, ``x5c``); the signature
    verifies with that RSA key (``use: sig``, ``alg: RS256`` when stated); ``iss`` is the
    pool's issuer; ``token_use`` is ``id`` or ``access`` (the one asked for, if any);
    the app client (``aud`` of an ID token, ``client_id`` of an access token) is one of
    ``client_id`` when given; ``exp`` is a number not yet passed and ``iat``/``nbf``, when
    present, numbers not in the future (both with ``leeway`` seconds of slack); the token
    is in one of ``groups`` when given; and ``custom_check`` accepts it.

    Args:
        user_pool_id: ``"<region>_<id>"``; the issuer and JWKS URI derive from it.
        client_id: the accepted app client id, or several; ``None`` accepts any client.
        token_use: ``"id"``, ``"access"``, or ``None`` for both.
        issuer: overrides ``https://cognito-idp.<region>.amazonaws.com/<pool id>``
            (for a local pool: ``f"{local.endpoint}/{pool_id}"``).
        jwks_uri: overrides ``<issuer>/.well-known/jwks.json``; HTTPS, or HTTP to a
            loopback host.
        leeway: seconds of clock skew allowed on ``exp``, ``iat`` and ``nbf``.
        groups: the token's ``cognito:groups`` must hold at least one of these.
        custom_check: called with the claims after every other check; it refuses the
            token by returning ``False`` or raising (an exception other than a
            :class:`~cognito_identity.errors.TokenError` becomes the ``__cause__`` of a
            :class:`~cognito_identity.errors.CustomCheckError`).
        jwks: the pool's JWKS (text, bytes or a mapping), for use without network.
        timeout, refetch_interval, penalty: see :class:`JwksCache`.

    Safe to share between threads: verification runs in Rust with the GIL released,
    and the JWKS cache fetches from one thread at a time.

    Raises:
        InvalidConfigurationError: a setting that cannot be right.
    """

    def __init__(
        self,
        user_pool_id: str,
        client_id: str | Iterable[str] | None = None,
        token_use: str | None = None,
        *,
        issuer: str | None = None,
        jwks_uri: str | None = None,
        leeway: float = 0,
        groups: str | Iterable[str] | None = None,
        custom_check: CustomCheck | None = None,
        jwks: JsonInput | None = None,
        timeout: float = DEFAULT_TIMEOUT,
        refetch_interval: float = DEFAULT_REFETCH_INTERVAL,
        penalty: float = DEFAULT_PENALTY,
    ) -> None:
        self.settings = VerifierSettings.build(
            user_pool_id,
            client_id,
            token_use,
            issuer=issuer,
            jwks_uri=jwks_uri,
            leeway=leeway,
            groups=groups,
        )
        self.cache = JwksCache(
            self.settings.jwks_uri,
            jwks=jwks,
            timeout=timeout,
            refetch_interval=refetch_interval,
            penalty=penalty,
        )
        self._rules = native_rules(self.settings)
        self._custom_check = custom_check

    def __repr__(self) -> str:
        s = self.settings
        return (
            f"CognitoJwtVerifier(user_pool_id={s.user_pool_id!r}, client_id={s.client_ids!r},"
            f" token_use={s.token_use!r})"
        )

    def hydrate(self) -> None:
        """Fetch the pool's JWKS now rather than at the first verification."""
        self.cache.hydrate()

    def verify(self, token: str) -> Claims:
        """Verify ``token`` and return its claims.

        Raises:
            MalformedTokenError: not a compact JWS with JSON header and claims, a header
                over 8 KiB, no ``kid``, or a ``crit`` header.
            UnsupportedAlgorithmError: ``alg`` is not RS256 (``none``, ``HS256``...).
            ForbiddenTokenHeaderError: a ``jku``, ``x5u``, ``jwk`` or ``x5c`` header.
            TokenKeyNotFoundError: no key of the pool has the token's ``kid``.
            InvalidSignatureError: the signature does not verify.
            InvalidClaimError: a claim missing or of the wrong type.
            WrongIssuerError, WrongTokenUseError, WrongClientError,
            TokenExpiredError, TokenNotYetValidError, MissingGroupError,
            CustomCheckError: the claim check named.
            JwksFetchError: the keys could not be fetched.
        """
        try:
            claims = self._rules.verify(self.cache.key_set(), token)
        except TokenKeyNotFoundError:
            claims = self._rules.verify(self.cache.key_set_with(token_kid(token)), token)
        if self._custom_check is not None:
            run_custom_check(self._custom_check, claims)
        return claims

    def verify_authorization_header(self, header: str | None) -> Claims:
        """Verify the token of an ``Authorization: Bearer <token>`` header value.

        Raises:
            MissingTokenError: no header, or not a Bearer one; otherwise as :meth:`verify`.
        """
        return self.verify(bearer_token(header))

    def verify_many(self, tokens: Iterable[str]) -> list[Claims | TokenError]:
        """Verify a batch of tokens in one native call with the GIL released throughout
        (for gateways); return, for each token in order, its claims or its error.

        A token whose kid is unknown is retried on its own, with the rules of
        :meth:`verify` for fetching the JWKS again.

        Raises:
            JwksFetchError: the keys could not be fetched at all.
        """
        batch = list(tokens)
        results: list[Claims | TokenError] = self._rules.verify_many(self.cache.key_set(), batch)
        for index, result in enumerate(results):
            try:
                if isinstance(result, TokenKeyNotFoundError):
                    results[index] = self.verify(batch[index])
                elif self._custom_check is not None and isinstance(result, dict):
                    run_custom_check(self._custom_check, result)
            except TokenError as exc:
                results[index] = exc
        return results


def native_rules(settings: VerifierSettings) -> _native.JwtVerifier:
    """The Rust verifier for these settings."""
    return _native.JwtVerifier(
        settings.issuer,
        None if settings.client_ids is None else list(settings.client_ids),
        settings.token_use,
        settings.leeway,
        None if settings.groups is None else list(settings.groups),
    )


def run_custom_check(check: CustomCheck, claims: Claims) -> None:
    """Run a verifier's custom check, turning a refusal into :class:`CustomCheckError`."""
    try:
        accepted = check(claims)
    except TokenError:
        raise
    except Exception as exc:
        raise CustomCheckError(
            f"the custom check refused the token ({type(exc).__name__})"
        ) from exc
    if accepted is False:
        raise CustomCheckError("the custom check refused the token")
