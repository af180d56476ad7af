"""The local pool's CUSTOM_AUTH driven with boto3: what goes on the wire, and how it
refuses triggers and answers that do not fit."""

from __future__ import annotations

from typing import Any

import pytest
from botocore.exceptions import ClientError

from cognito_identity import srp
from cognito_identity.local import LocalCognito

from .conftest import PASSWORD


def _error(caught: pytest.ExceptionInfo[ClientError]) -> tuple[str, str]:
    error = caught.value.response["Error"]
    return error["Code"], error["Message"]


@pytest.fixture
def custom_client_id(idp: Any, pool_id: str) -> str:
    idp.admin_create_user(
        UserPoolId=pool_id,
        Username="kim",
        MessageAction="SUPPRESS",
        UserAttributes=[{"Name": "email", "Value": "kim@example.com"}],
    )
    idp.admin_set_user_password(
        UserPoolId=pool_id, Username="kim", Password=PASSWORD, Permanent=True
    )
    return str(
        idp.create_user_pool_client(
            UserPoolId=pool_id, ClientName="custom", ExplicitAuthFlows=["ALLOW_CUSTOM_AUTH"]
        )["UserPoolClient"]["ClientId"]
    )


def test_custom_challenge_shape_keeps_private_parameters(
    idp: Any, local: LocalCognito, pool_id: str, custom_client_id: str
) -> None:
    answer = idp.initiate_auth(
        ClientId=custom_client_id, AuthFlow="CUSTOM_AUTH", AuthParameters={"USERNAME": "kim"}
    )
    assert answer["ChallengeName"] == "CUSTOM_CHALLENGE"
    assert answer["ChallengeParameters"] == {
        "USERNAME": "kim",
        "USER_ID_FOR_SRP": "kim",
        "CODE_DELIVERY_DELIVERY_MEDIUM": "EMAIL",
        "CODE_DELIVERY_DESTINATION": "k***@e***",
    }
    code = local.outbox.last_code("kim", pool_id)
    assert code not in str(answer)
    done = idp.respond_to_auth_challenge(
        ClientId=custom_client_id,
        ChallengeName="CUSTOM_CHALLENGE",
        Session=answer["Session"],
        ChallengeResponses={"USERNAME": "kim", "ANSWER": code},
    )
    assert done["AuthenticationResult"]["IdToken"]


def test_srp_a_starts_with_the_password_verifier(idp: Any, custom_client_id: str) -> None:
    client = srp.AuthenticationHelper("x")
    answer = idp.initiate_auth(
        ClientId=custom_client_id,
        AuthFlow="CUSTOM_AUTH",
        AuthParameters={"USERNAME": "kim", "SRP_A": client.large_a_hex, "CHALLENGE_NAME": "SRP_A"},
    )
    assert answer["ChallengeName"] == "PASSWORD_VERIFIER"
    assert set(answer["ChallengeParameters"]) >= {"SRP_B", "SALT", "SECRET_BLOCK"}


def test_password_step_without_srp_is_an_invalid_trigger_response(
    idp: Any, local: LocalCognito, pool_id: str, custom_client_id: str
) -> None:
    def define(event: dict[str, Any]) -> dict[str, Any]:
        event["response"]["challengeName"] = "PASSWORD_VERIFIER"
        return event

    local.triggers.register(pool_id, define_auth_challenge=define)
    with pytest.raises(ClientError) as caught:
        idp.initiate_auth(
            ClientId=custom_client_id, AuthFlow="CUSTOM_AUTH", AuthParameters={"USERNAME": "kim"}
        )
    assert _error(caught) == ("InvalidLambdaResponseException", "Invalid lambda response")


def test_answer_needs_the_answer_field(idp: Any, custom_client_id: str) -> None:
    answer = idp.initiate_auth(
        ClientId=custom_client_id, AuthFlow="CUSTOM_AUTH", AuthParameters={"USERNAME": "kim"}
    )
    with pytest.raises(ClientError) as caught:
        idp.respond_to_auth_challenge(
            ClientId=custom_client_id,
            ChallengeName="CUSTOM_CHALLENGE",
            Session=answer["Session"],
            ChallengeResponses={"USERNAME": "kim"},
        )
    assert _error(caught) == ("InvalidParameterException", "Missing required parameter ANSWER")


def test_only_known_triggers_can_be_registered(local: LocalCognito, pool_id: str) -> None:
    with pytest.raises(ValueError, match="unknown trigger"):
        local.triggers.register(pool_id, user_migration=lambda event: event)
