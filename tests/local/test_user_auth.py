"""USER_AUTH on the local pool as boto3 sees it: the pool's SignInPolicy, AvailableChallenges
parsed by botocore, and the answers each first factor needs."""

from __future__ import annotations

from typing import Any

import pytest
from botocore.exceptions import ClientError

from cognito_identity.local import LocalCognito

from .conftest import PASSWORD


def _pool(idp: Any, factors: list[str] | None) -> tuple[str, str]:
    policies = {} if factors is None else {"SignInPolicy": {"AllowedFirstAuthFactors": factors}}
    pool_id = idp.create_user_pool(PoolName="choice", Policies=policies)["UserPool"]["Id"]
    client_id = idp.create_user_pool_client(
        UserPoolId=pool_id, ClientName="app", ExplicitAuthFlows=["ALLOW_USER_AUTH"]
    )["UserPoolClient"]["ClientId"]
    idp.admin_create_user(
        UserPoolId=pool_id,
        Username="gus",
        MessageAction="SUPPRESS",
        UserAttributes=[
            {"Name": "email", "Value": "gus@example.com"},
            {"Name": "email_verified", "Value": "true"},
        ],
    )
    idp.admin_set_user_password(
        UserPoolId=pool_id, Username="gus", Password=PASSWORD, Permanent=True
    )
    return pool_id, client_id


def test_sign_in_policy_is_kept_and_described(idp: Any) -> None:
    pool_id, _ = _pool(idp, ["PASSWORD", "EMAIL_OTP"])
    policies = idp.describe_user_pool(UserPoolId=pool_id)["UserPool"]["Policies"]
    assert policies["SignInPolicy"] == {"AllowedFirstAuthFactors": ["PASSWORD", "EMAIL_OTP"]}
    default_id, _ = _pool(idp, None)
    described = idp.describe_user_pool(UserPoolId=default_id)["UserPool"]["Policies"]
    assert described["SignInPolicy"] == {"AllowedFirstAuthFactors": ["PASSWORD"]}


def test_a_policy_without_password_is_refused(idp: Any) -> None:
    with pytest.raises(ClientError, match="InvalidParameterException"):
        idp.create_user_pool(
            PoolName="nopw", Policies={"SignInPolicy": {"AllowedFirstAuthFactors": ["EMAIL_OTP"]}}
        )


def test_select_challenge_as_botocore_parses_it(idp: Any) -> None:
    _, client_id = _pool(idp, ["PASSWORD", "EMAIL_OTP", "SMS_OTP"])
    answer = idp.initiate_auth(
        ClientId=client_id, AuthFlow="USER_AUTH", AuthParameters={"USERNAME": "gus"}
    )
    assert answer["ChallengeName"] == "SELECT_CHALLENGE"
    # No verified phone number: no SMS_OTP.
    assert answer["AvailableChallenges"] == ["PASSWORD", "PASSWORD_SRP", "EMAIL_OTP"]
    done = idp.respond_to_auth_challenge(
        ClientId=client_id,
        ChallengeName="SELECT_CHALLENGE",
        Session=answer["Session"],
        ChallengeResponses={"USERNAME": "gus", "ANSWER": "PASSWORD", "PASSWORD": PASSWORD},
    )
    assert set(done["AuthenticationResult"]) >= {"AccessToken", "IdToken", "RefreshToken"}


def test_password_choice_without_the_password(idp: Any) -> None:
    _, client_id = _pool(idp, None)
    with pytest.raises(ClientError, match="Missing required parameter PASSWORD"):
        idp.initiate_auth(
            ClientId=client_id,
            AuthFlow="USER_AUTH",
            AuthParameters={"USERNAME": "gus", "PREFERRED_CHALLENGE": "PASSWORD"},
        )


def test_preferred_email_code_with_botocore(idp: Any, local: LocalCognito) -> None:
    pool_id, client_id = _pool(idp, ["PASSWORD", "EMAIL_OTP"])
    answer = idp.initiate_auth(
        ClientId=client_id,
        AuthFlow="USER_AUTH",
        AuthParameters={"USERNAME": "gus", "PREFERRED_CHALLENGE": "EMAIL_OTP"},
    )
    assert answer["ChallengeName"] == "EMAIL_OTP"
    assert answer["ChallengeParameters"]["CODE_DELIVERY_DESTINATION"] != "gus@example.com"
    done = idp.respond_to_auth_challenge(
        ClientId=client_id,
        ChallengeName="EMAIL_OTP",
        Session=answer["Session"],
        ChallengeResponses={
            "USERNAME": "gus",
            "EMAIL_OTP_CODE": local.outbox.last_code("gus", pool_id),
        },
    )
    assert "AccessToken" in done["AuthenticationResult"]


def test_unknown_and_unconfirmed_users(idp: Any) -> None:
    _, client_id = _pool(idp, None)
    with pytest.raises(idp.exceptions.UserNotFoundException):
        idp.initiate_auth(
            ClientId=client_id, AuthFlow="USER_AUTH", AuthParameters={"USERNAME": "nobody"}
        )
    idp.sign_up(ClientId=client_id, Username="new", Password=PASSWORD)
    with pytest.raises(idp.exceptions.UserNotConfirmedException):
        idp.initiate_auth(
            ClientId=client_id, AuthFlow="USER_AUTH", AuthParameters={"USERNAME": "new"}
        )


def test_update_user_pool_changes_the_first_factors(idp: Any) -> None:
    pool_id, client_id = _pool(idp, None)
    start = {"ClientId": client_id, "AuthFlow": "USER_AUTH", "AuthParameters": {"USERNAME": "gus"}}
    assert idp.initiate_auth(**start)["AvailableChallenges"] == ["PASSWORD", "PASSWORD_SRP"]
    idp.update_user_pool(
        UserPoolId=pool_id,
        Policies={
            "PasswordPolicy": {"MinimumLength": 12},
            "SignInPolicy": {"AllowedFirstAuthFactors": ["PASSWORD", "EMAIL_OTP"]},
        },
    )
    assert idp.initiate_auth(**start)["AvailableChallenges"] == [
        "PASSWORD",
        "PASSWORD_SRP",
        "EMAIL_OTP",
    ]
    policies = idp.describe_user_pool(UserPoolId=pool_id)["UserPool"]["Policies"]
    assert policies["PasswordPolicy"]["MinimumLength"] == 12
    # Policies left out go back to their defaults, as Cognito does.
    idp.update_user_pool(UserPoolId=pool_id)
    policies = idp.describe_user_pool(UserPoolId=pool_id)["UserPool"]["Policies"]
    assert policies["PasswordPolicy"]["MinimumLength"] == 8
    assert policies["SignInPolicy"] == {"AllowedFirstAuthFactors": ["PASSWORD"]}
    with pytest.raises(idp.exceptions.ResourceNotFoundException):
        idp.update_user_pool(UserPoolId="us-east-1_missing")


def test_reset_required_as_botocore_names_it(idp: Any) -> None:
    pool_id, client_id = _pool(idp, None)
    idp.admin_reset_user_password(UserPoolId=pool_id, Username="gus")
    with pytest.raises(idp.exceptions.PasswordResetRequiredException):
        idp.initiate_auth(
            ClientId=client_id,
            AuthFlow="USER_AUTH",
            AuthParameters={"USERNAME": "gus", "PREFERRED_CHALLENGE": "PASSWORD", "PASSWORD": "x"},
        )
