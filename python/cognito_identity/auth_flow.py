"""The sign-in flows a :class:`~cognito_identity.CognitoUser` can run with a password."""

from __future__ import annotations

from enum import Enum

from cognito_identity.errors import InvalidConfigurationError

__all__ = ["AuthFlow", "parse_auth_flow"]


class AuthFlow(str, Enum):
    """What ``CognitoUser.authentication_flow_type`` takes (Cognito's AuthFlow names);
    each member equals its string, so ``"USER_PASSWORD_AUTH"`` works as well."""

    #: SRP: the password never leaves this machine (the default).
    USER_SRP_AUTH = "USER_SRP_AUTH"
    #: The password is sent to Cognito over TLS (the app client must allow it).
    USER_PASSWORD_AUTH = "USER_PASSWORD_AUTH"
    #: SRP, then the pool's custom challenges (CHALLENGE_NAME: SRP_A).
    CUSTOM_AUTH = "CUSTOM_AUTH"

    def __str__(self) -> str:
        return self.value


def parse_auth_flow(value: object) -> AuthFlow:
    """``value`` (an :class:`AuthFlow` or its name) as an :class:`AuthFlow`; anything else
    raises :class:`~cognito_identity.errors.InvalidConfigurationError` (a ValueError)."""
    if isinstance(value, str):
        try:
            return AuthFlow(value)
        except ValueError:
            pass
    names = ", ".join(flow.value for flow in AuthFlow)
    raise InvalidConfigurationError(
        f"unsupported authentication flow {value!r}; expected one of {names}"
    )
