"""A disabled user is refused at every step of sign-in and refresh with Cognito's
NotAuthorizedException "User is disabled.", whichever flow or call it uses."""

from __future__ import annotations

from typing import Any

import pytest

from cognito_identity import srp
from cognito_identity.local import LocalCognito

from .conftest import PASSWORD
from .helpers import error_of, make_user, sign_in

DISABLED = ("NotAuthorizedException", "User is disabled.")


@pytest.fixture
def every_flow_client(checked_idp: Any, pool_id: str) -> str:
    return str(
        checked_idp.create_user_pool_client(
            UserPoolId=pool_id,
            ClientName="all",
            ExplicitAuthFlows=[
                "ALLOW_USER_SRP_AUTH",
                "ALLOW_USER_PASSWORD_AUTH",
                "ALLOW_ADMIN_USER_PASSWORD_AUTH",
                "ALLOW_CUSTOM_AUTH",
                "ALLOW_REFRESH_TOKEN_AUTH",
                "ALLOW_USER_AUTH",
            ],
        )["UserPoolClient"]["ClientId"]
    )


def test_every_sign_in_flow_refuses_a_disabled_user(
    checked_idp: Any, pool_id: str, every_flow_client: str
) -> None:
    idp = checked_idp
    make_user(idp, pool_id, "ann")
    idp.admin_disable_user(UserPoolId=pool_id, Username="ann")
    srp_a = srp.AuthenticationHelper(pool_id.split("_")[1]).large_a_hex
    password = {"USERNAME": "ann", "PASSWORD": PASSWORD}
    for flow, parameters in (
        ("USER_PASSWORD_AUTH", password),
        ("USER_SRP_AUTH", {"USERNAME": "ann", "SRP_A": srp_a}),
        ("CUSTOM_AUTH", {"USERNAME": "ann"}),
        ("USER_AUTH", {"USERNAME": "ann"}),
    ):
        with pytest.raises(idp.exceptions.NotAuthorizedException) as caught:
            idp.initiate_auth(ClientId=every_flow_client, AuthFlow=flow, AuthParameters=parameters)
        assert error_of(caught) == DISABLED, flow
    with pytest.raises(idp.exceptions.NotAuthorizedException) as caught:
        idp.admin_initiate_auth(
            UserPoolId=pool_id,
            ClientId=every_flow_client,
            AuthFlow="ADMIN_USER_PASSWORD_AUTH",
            AuthParameters=password,
        )
    assert error_of(caught) == DISABLED


def test_a_user_disabled_during_a_sign_in_cannot_finish_it(
    checked_idp: Any, local: LocalCognito, pool_id: str, every_flow_client: str
) -> None:
    idp = checked_idp
    make_user(idp, pool_id, "ann")
    started = idp.initiate_auth(
        ClientId=every_flow_client, AuthFlow="CUSTOM_AUTH", AuthParameters={"USERNAME": "ann"}
    )
    idp.admin_disable_user(UserPoolId=pool_id, Username="ann")
    with pytest.raises(idp.exceptions.NotAuthorizedException) as caught:
        idp.respond_to_auth_challenge(
            ClientId=every_flow_client,
            ChallengeName="CUSTOM_CHALLENGE",
            Session=started["Session"],
            ChallengeResponses={"USERNAME": "ann", "ANSWER": local.outbox.last_code("ann")},
        )
    assert error_of(caught) == DISABLED


def test_refreshing_a_disabled_users_tokens_says_so(
    checked_idp: Any, pool_id: str, every_flow_client: str
) -> None:
    idp = checked_idp
    make_user(idp, pool_id, "ann")
    tokens = sign_in(idp, every_flow_client, "ann")
    idp.admin_disable_user(UserPoolId=pool_id, Username="ann")
    refresh = {"REFRESH_TOKEN": tokens["RefreshToken"]}
    for call in (
        lambda: idp.initiate_auth(
            ClientId=every_flow_client, AuthFlow="REFRESH_TOKEN_AUTH", AuthParameters=refresh
        ),
        lambda: idp.admin_initiate_auth(
            UserPoolId=pool_id,
            ClientId=every_flow_client,
            AuthFlow="REFRESH_TOKEN",
            AuthParameters=refresh,
        ),
        lambda: idp.get_tokens_from_refresh_token(
            ClientId=every_flow_client, RefreshToken=tokens["RefreshToken"]
        ),
    ):
        with pytest.raises(idp.exceptions.NotAuthorizedException) as caught:
            call()
        assert error_of(caught) == DISABLED
    idp.admin_enable_user(UserPoolId=pool_id, Username="ann")
    with pytest.raises(idp.exceptions.NotAuthorizedException) as caught:
        idp.initiate_auth(
            ClientId=every_flow_client, AuthFlow="REFRESH_TOKEN_AUTH", AuthParameters=refresh
        )
    assert error_of(caught) == ("NotAuthorizedException", "Refresh Token has been revoked")
