"""The app client a flow signs in through, and the two calls every sign-in is made of.

With ``user_pool_id`` set, the calls are the admin ones (AdminInitiateAuth /
AdminRespondToAuthChallenge, signed with IAM credentials by the client), as a service
uses them; otherwise InitiateAuth / RespondToAuthChallenge, as an app does.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from cognito_identity._protocol import without_none
from cognito_identity.client import Call
from cognito_identity.srp import secret_hash

__all__ = ["AppClient"]

# The admin API names the password flows differently.
_ADMIN_FLOW_NAMES = {"USER_PASSWORD_AUTH": "ADMIN_USER_PASSWORD_AUTH"}


@dataclass(frozen=True)
class AppClient:
    """An app client of a user pool: what every sign-in call carries."""

    client_id: str
    pool_name: str
    client_secret: str | None = field(default=None, repr=False)
    user_pool_id: str | None = None

    @property
    def admin(self) -> bool:
        """Whether calls go through the admin API."""
        return self.user_pool_id is not None

    def secret_hash(self, username: str) -> str | None:
        """The SECRET_HASH for ``username``, or None when the client has no secret."""
        if self.client_secret is None:
            return None
        return secret_hash(username, self.client_id, self.client_secret)

    def with_secret_hash(self, username: str, **values: str | None) -> dict[str, str]:
        """``values`` without the None ones, plus USERNAME and SECRET_HASH."""
        return without_none(
            {"USERNAME": username, **values, "SECRET_HASH": self.secret_hash(username)}
        )

    def initiate(
        self,
        auth_flow: str,
        parameters: Mapping[str, str],
        client_metadata: Mapping[str, str] | None = None,
    ) -> Call:
        """InitiateAuth (or AdminInitiateAuth) of ``auth_flow``."""
        if self.admin:
            return Call(
                "AdminInitiateAuth",
                {
                    "UserPoolId": self.user_pool_id,
                    "ClientId": self.client_id,
                    "AuthFlow": _ADMIN_FLOW_NAMES.get(auth_flow, auth_flow),
                    "AuthParameters": dict(parameters),
                    "ClientMetadata": client_metadata,
                },
            )
        return Call(
            "InitiateAuth",
            {
                "AuthFlow": auth_flow,
                "ClientId": self.client_id,
                "AuthParameters": dict(parameters),
                "ClientMetadata": client_metadata,
            },
        )

    def respond(
        self,
        challenge_name: str,
        responses: Mapping[str, str],
        session: str | None,
        client_metadata: Mapping[str, str] | None = None,
    ) -> Call:
        """RespondToAuthChallenge (or its admin twin) answering ``challenge_name``."""
        return Call(
            "AdminRespondToAuthChallenge" if self.admin else "RespondToAuthChallenge",
            {
                "UserPoolId": self.user_pool_id,
                "ChallengeName": challenge_name,
                "ClientId": self.client_id,
                "ChallengeResponses": dict(responses),
                "Session": session,
                "ClientMetadata": client_metadata,
            },
        )
