"""What a sign-in flow returns: tokens, or the challenge Cognito asks for next."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Union

from cognito_identity._decode import dict_field, int_field, list_field, str_field, str_map
from cognito_identity.errors import CognitoResponseError
from cognito_identity.session import (
    CognitoAccessToken,
    CognitoIdToken,
    CognitoRefreshToken,
    CognitoUserSession,
)

__all__ = ["Challenge", "NewDevice", "Outcome", "Tokens", "outcome_of"]


@dataclass(frozen=True)
class NewDevice:
    """A device Cognito has just tracked (``NewDeviceMetadata``): confirm it to remember it."""

    key: str
    group_key: str


@dataclass(frozen=True)
class Tokens:
    """An ``AuthenticationResult``. ``refresh_token`` is None after a refresh that does not
    rotate it; ``username`` is the user's name in the pool as the flow learnt it."""

    username: str
    id_token: str = field(repr=False)
    access_token: str = field(repr=False)
    refresh_token: str | None = field(repr=False, default=None)
    expires_in: int | None = None
    new_device: NewDevice | None = None
    forget_device: bool = False

    def session(
        self, previous_refresh_token: CognitoRefreshToken | None = None
    ) -> CognitoUserSession:
        """The session of these tokens; a refresh that returns no refresh token keeps
        ``previous_refresh_token``."""
        return CognitoUserSession(
            CognitoIdToken(self.id_token),
            CognitoAccessToken(self.access_token),
            CognitoRefreshToken(self.refresh_token)
            if self.refresh_token is not None
            else previous_refresh_token,
        )


@dataclass(frozen=True)
class Challenge:
    """A challenge Cognito asks for: its name, the ``Session`` to answer it in, its
    parameters, and for SELECT_CHALLENGE the first factors offered."""

    username: str
    name: str
    session: str | None = field(repr=False)
    parameters: dict[str, str] = field(default_factory=dict)
    available: tuple[str, ...] | None = None
    forget_device: bool = False


Outcome = Union[Tokens, Challenge]


def outcome_of(answer: Mapping[str, Any], username: str, *, forget_device: bool = False) -> Outcome:
    """The tokens or the challenge of an InitiateAuth / RespondToAuthChallenge answer."""
    result = dict_field(answer, "AuthenticationResult")
    if result is not None:
        return _tokens(result, username, forget_device)
    name = str_field(answer, "ChallengeName")
    if name is None:
        raise CognitoResponseError("Cognito answered with neither tokens nor a challenge")
    available = list_field(answer, "AvailableChallenges")
    if available is not None and not all(isinstance(item, str) for item in available):
        raise CognitoResponseError("AvailableChallenges in Cognito's answer holds a non-string")
    return Challenge(
        username,
        name,
        str_field(answer, "Session"),
        str_map(answer, "ChallengeParameters"),
        tuple(available) if available is not None else None,
        forget_device,
    )


def _tokens(result: Mapping[str, Any], username: str, forget_device: bool) -> Tokens:
    id_token = str_field(result, "IdToken")
    access_token = str_field(result, "AccessToken")
    if id_token is None or access_token is None:
        raise CognitoResponseError("AuthenticationResult lacks IdToken or AccessToken")
    metadata = dict_field(result, "NewDeviceMetadata")
    new_device = None
    if metadata is not None:
        key, group_key = str_field(metadata, "DeviceKey"), str_field(metadata, "DeviceGroupKey")
        if key is None or group_key is None:
            raise CognitoResponseError("NewDeviceMetadata lacks DeviceKey or DeviceGroupKey")
        new_device = NewDevice(key, group_key)
    return Tokens(
        username,
        id_token,
        access_token,
        str_field(result, "RefreshToken"),
        int_field(result, "ExpiresIn"),
        new_device,
        forget_device,
    )
