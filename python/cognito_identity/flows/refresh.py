"""Refreshing tokens: REFRESH_TOKEN_AUTH, or GetTokensFromRefreshToken for app clients
that rotate refresh tokens."""

from __future__ import annotations

from dataclasses import dataclass, field

from cognito_identity._decode import dict_field
from cognito_identity._protocol import without_none
from cognito_identity.client import Call, Flow
from cognito_identity.errors import CognitoResponseError
from cognito_identity.flows.app import AppClient
from cognito_identity.flows.outcome import Tokens, outcome_of

__all__ = ["Refresh"]


@dataclass(frozen=True)
class Refresh:
    """New tokens for ``refresh_token``. With ``rotate`` the call is
    GetTokensFromRefreshToken, whose answer carries the new refresh token of a rotating
    client. The SECRET_HASH of REFRESH_TOKEN_AUTH is computed over ``username``."""

    app: AppClient
    username: str
    refresh_token: str = field(repr=False)
    device_key: str | None = None
    rotate: bool = False

    def flow(self) -> Flow[Tokens]:
        if self.rotate:
            answer = yield Call(
                "GetTokensFromRefreshToken",
                {
                    "RefreshToken": self.refresh_token,
                    "ClientId": self.app.client_id,
                    "ClientSecret": self.app.client_secret,
                    "DeviceKey": self.device_key,
                },
            )
        else:
            answer = yield self.app.initiate(
                "REFRESH_TOKEN_AUTH",
                without_none(
                    {
                        "REFRESH_TOKEN": self.refresh_token,
                        "SECRET_HASH": self.app.secret_hash(self.username),
                        "DEVICE_KEY": self.device_key,
                    }
                ),
            )
        if dict_field(answer, "AuthenticationResult") is None:
            raise CognitoResponseError("the refresh answer carries no AuthenticationResult")
        outcome = outcome_of(answer, self.username)
        assert isinstance(outcome, Tokens)
        return outcome
