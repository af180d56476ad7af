"""The scenarios ``cognito-identity loadtest --scenario`` knows, by name."""

from __future__ import annotations

from locust import User

from cognito_identity.loadtest.users import (
    CognitoLoadUser,
    LoginRefreshUser,
    LoginUser,
    MixedUser,
    RefreshStormUser,
    SignUpConfirmUser,
)

__all__ = ["LOGIN_SCENARIOS", "SCENARIOS", "SIGNUP_SCENARIOS", "scenario_class"]

SCENARIOS: dict[str, type[CognitoLoadUser]] = {
    "login": LoginUser,
    "login+refresh": LoginRefreshUser,
    "refresh": RefreshStormUser,
    "signup+confirm": SignUpConfirmUser,
    "mixed": MixedUser,
}

#: Scenarios whose rate is logins per second.
LOGIN_SCENARIOS = frozenset({"login", "login+refresh"})

#: Scenarios that sign new users up.
SIGNUP_SCENARIOS = frozenset({"signup+confirm", "mixed"})


def scenario_class(name: str) -> type[User]:
    """The user class of scenario ``name``; a ValueError names the known ones."""
    try:
        return SCENARIOS[name]
    except KeyError:
        raise ValueError(
            f"unknown scenario {name!r}; expected one of {', '.join(SCENARIOS)}"
        ) from None
