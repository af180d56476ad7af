"""The one place that answers SRP's PASSWORD_VERIFIER and DEVICE_PASSWORD_VERIFIER."""

from __future__ import annotations

from collections.abc import Mapping

from cognito_identity.errors import CognitoResponseError
from cognito_identity.flows.app import AppClient
from cognito_identity.srp import AuthenticationHelper, now_timestamp

__all__ = ["device_verifier_responses", "password_verifier_responses", "srp_parameters"]


def srp_parameters(parameters: Mapping[str, str], *names: str) -> tuple[str, ...]:
    """The named challenge parameters, each required to be a non-empty string."""
    for name in names:
        if not parameters.get(name):
            raise CognitoResponseError(f"the challenge lacks its {name} parameter")
    return tuple(parameters[name] for name in names)


def password_verifier_responses(
    app: AppClient,
    helper: AuthenticationHelper,
    password: str,
    parameters: Mapping[str, str],
    device_key: str | None,
) -> dict[str, str]:
    """ChallengeResponses proving ``password`` for PASSWORD_VERIFIER.

    USERNAME is USER_ID_FOR_SRP, the user's name in the pool, as Cognito requires.
    """
    user_id, salt, srp_b, secret_block = srp_parameters(
        parameters, "USER_ID_FOR_SRP", "SALT", "SRP_B", "SECRET_BLOCK"
    )
    timestamp = now_timestamp()
    signature = helper.password_claim_signature(
        user_id, password, salt, srp_b, secret_block, timestamp
    )
    return app.with_secret_hash(
        user_id,
        PASSWORD_CLAIM_SECRET_BLOCK=secret_block,
        TIMESTAMP=timestamp,
        PASSWORD_CLAIM_SIGNATURE=signature,
        DEVICE_KEY=device_key,
    )


def device_verifier_responses(
    app: AppClient,
    helper: AuthenticationHelper,
    username: str,
    device_key: str,
    device_password: str,
    parameters: Mapping[str, str],
) -> dict[str, str]:
    """ChallengeResponses proving the device's secret for DEVICE_PASSWORD_VERIFIER."""
    salt, srp_b, secret_block = srp_parameters(parameters, "SALT", "SRP_B", "SECRET_BLOCK")
    timestamp = now_timestamp()
    signature = helper.device_password_claim_signature(
        device_key, device_password, salt, srp_b, secret_block, timestamp
    )
    return app.with_secret_hash(
        username,
        PASSWORD_CLAIM_SECRET_BLOCK=secret_block,
        TIMESTAMP=timestamp,
        PASSWORD_CLAIM_SIGNATURE=signature,
        DEVICE_KEY=device_key,
    )
