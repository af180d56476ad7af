"""AdminInitiateAuth and AdminRespondToAuthChallenge: every flow InitiateAuth has, through
boto3 (each response checked against botocore's output shape) and pycognito."""

from __future__ import annotations

from typing import Any

import pytest
from pycognito import Cognito

from cognito_identity import srp
from cognito_identity.local import LocalCognito

from .conftest import PASSWORD
from .helpers import error_of, make_user

TEMPORARY = "Temp-0rary!"
INVALID_SESSION = ("NotAuthorizedException", "Invalid session for the user.")


def _client(idp: Any, pool_id: str, *flows: str) -> str:
    return str(
        idp.create_user_pool_client(
            UserPoolId=pool_id, ClientName="server", ExplicitAuthFlows=list(flows)
        )["UserPoolClient"]["ClientId"]
    )


@pytest.fixture
def admin_client(checked_idp: Any, pool_id: str) -> str:
    """A client that allows every admin flow."""
    return _client(
        checked_idp,
        pool_id,
        "ALLOW_ADMIN_USER_PASSWORD_AUTH",
        "ALLOW_USER_SRP_AUTH",
        "ALLOW_CUSTOM_AUTH",
        "ALLOW_REFRESH_TOKEN_AUTH",
    )


def _admin_password(idp: Any, pool_id: str, client_id: str, name: str = "ann") -> Any:
    return idp.admin_initiate_auth(
        UserPoolId=pool_id,
        ClientId=client_id,
        AuthFlow="ADMIN_USER_PASSWORD_AUTH",
        AuthParameters={"USERNAME": name, "PASSWORD": PASSWORD},
    )


def test_pycognito_admin_authenticate(
    checked_idp: Any, local: LocalCognito, pool_id: str, admin_client: str
) -> None:
    make_user(checked_idp, pool_id, "ann")
    user = Cognito(
        pool_id,
        admin_client,
        username="ann",
        boto3_client_kwargs={
            "endpoint_url": local.endpoint,
            "aws_access_key_id": "test",
            "aws_secret_access_key": "test",
        },
    )
    user.admin_authenticate(password=PASSWORD)
    assert user.id_claims["cognito:username"] == "ann"
    assert user.access_claims["client_id"] == admin_client
    assert user.refresh_token
    assert user.get_user().email == "ann@example.com"


def test_admin_password_sign_in_and_refresh(
    checked_idp: Any, pool_id: str, admin_client: str
) -> None:
    idp = checked_idp
    make_user(idp, pool_id, "ann")
    tokens = _admin_password(idp, pool_id, admin_client)["AuthenticationResult"]
    assert idp.get_user(AccessToken=tokens["AccessToken"])["Username"] == "ann"
    for flow in ("REFRESH_TOKEN_AUTH", "REFRESH_TOKEN"):
        refreshed = idp.admin_initiate_auth(
            UserPoolId=pool_id,
            ClientId=admin_client,
            AuthFlow=flow,
            AuthParameters={"REFRESH_TOKEN": tokens["RefreshToken"]},
        )["AuthenticationResult"]
        assert "RefreshToken" not in refreshed
        assert idp.get_user(AccessToken=refreshed["AccessToken"])["Username"] == "ann"


def test_admin_password_sign_in_refuses_a_wrong_password(
    checked_idp: Any, pool_id: str, admin_client: str
) -> None:
    make_user(checked_idp, pool_id, "ann")
    with pytest.raises(checked_idp.exceptions.NotAuthorizedException) as caught:
        checked_idp.admin_initiate_auth(
            UserPoolId=pool_id,
            ClientId=admin_client,
            AuthFlow="ADMIN_NO_SRP_AUTH",
            AuthParameters={"USERNAME": "ann", "PASSWORD": "Wr0ng-Password!"},
        )
    assert error_of(caught) == ("NotAuthorizedException", "Incorrect username or password.")


def test_each_admin_flow_needs_the_clients_allowance(checked_idp: Any, pool_id: str) -> None:
    idp = checked_idp
    make_user(idp, pool_id, "ann")
    client_id = _client(idp, pool_id, "ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH")
    for flow, parameters in (
        ("ADMIN_USER_PASSWORD_AUTH", {"USERNAME": "ann", "PASSWORD": PASSWORD}),
        ("USER_SRP_AUTH", {"USERNAME": "ann", "SRP_A": "ab"}),
        ("CUSTOM_AUTH", {"USERNAME": "ann"}),
        ("USER_AUTH", {"USERNAME": "ann"}),
    ):
        with pytest.raises(idp.exceptions.InvalidParameterException):
            idp.admin_initiate_auth(
                UserPoolId=pool_id, ClientId=client_id, AuthFlow=flow, AuthParameters=parameters
            )


def test_the_password_flows_do_not_cross_over(
    checked_idp: Any, pool_id: str, admin_client: str, client_id: str
) -> None:
    """USER_PASSWORD_AUTH is not an admin flow, and ADMIN_USER_PASSWORD_AUTH not a client one."""
    idp = checked_idp
    make_user(idp, pool_id, "ann")
    parameters = {"USERNAME": "ann", "PASSWORD": PASSWORD}
    with pytest.raises(idp.exceptions.InvalidParameterException) as caught:
        idp.admin_initiate_auth(
            UserPoolId=pool_id,
            ClientId=client_id,
            AuthFlow="USER_PASSWORD_AUTH",
            AuthParameters=parameters,
        )
    assert error_of(caught)[1] == "Initiate Auth method not supported."
    with pytest.raises(idp.exceptions.InvalidParameterException) as caught:
        idp.initiate_auth(
            ClientId=admin_client, AuthFlow="ADMIN_USER_PASSWORD_AUTH", AuthParameters=parameters
        )
    assert error_of(caught)[1] == "Initiate Auth method not supported."


def test_the_client_must_belong_to_the_pool(
    checked_idp: Any, pool_id: str, admin_client: str
) -> None:
    idp = checked_idp
    other_pool = idp.create_user_pool(PoolName="other")["UserPool"]["Id"]
    make_user(idp, pool_id, "ann")
    with pytest.raises(idp.exceptions.ResourceNotFoundException):
        _admin_password(idp, other_pool, admin_client)
    with pytest.raises(idp.exceptions.ResourceNotFoundException):
        _admin_password(idp, "us-east-1_nothere", admin_client)


def _srp_answer(response: Any, helper: srp.AuthenticationHelper, password: str) -> dict[str, str]:
    params = response["ChallengeParameters"]
    timestamp = srp.now_timestamp()
    return {
        "USERNAME": params["USER_ID_FOR_SRP"],
        "PASSWORD_CLAIM_SECRET_BLOCK": params["SECRET_BLOCK"],
        "TIMESTAMP": timestamp,
        "PASSWORD_CLAIM_SIGNATURE": helper.password_claim_signature(
            params["USER_ID_FOR_SRP"],
            password,
            params["SALT"],
            params["SRP_B"],
            params["SECRET_BLOCK"],
            timestamp,
        ),
    }


def test_admin_srp_then_a_new_password(checked_idp: Any, pool_id: str, admin_client: str) -> None:
    idp = checked_idp
    idp.admin_create_user(
        UserPoolId=pool_id,
        Username="ann",
        TemporaryPassword=TEMPORARY,
        MessageAction="SUPPRESS",
        UserAttributes=[{"Name": "email", "Value": "ann@example.com"}],
    )
    helper = srp.AuthenticationHelper(pool_id.split("_")[1])
    started = idp.admin_initiate_auth(
        UserPoolId=pool_id,
        ClientId=admin_client,
        AuthFlow="USER_SRP_AUTH",
        AuthParameters={"USERNAME": "ann", "SRP_A": helper.large_a_hex},
    )
    assert started["ChallengeName"] == "PASSWORD_VERIFIER"
    verified = idp.admin_respond_to_auth_challenge(
        UserPoolId=pool_id,
        ClientId=admin_client,
        ChallengeName="PASSWORD_VERIFIER",
        ChallengeResponses=_srp_answer(started, helper, TEMPORARY),
    )
    assert verified["ChallengeName"] == "NEW_PASSWORD_REQUIRED"
    done = idp.admin_respond_to_auth_challenge(
        UserPoolId=pool_id,
        ClientId=admin_client,
        ChallengeName="NEW_PASSWORD_REQUIRED",
        Session=verified["Session"],
        ChallengeResponses={"USERNAME": "ann", "NEW_PASSWORD": PASSWORD},
    )
    assert "AccessToken" in done["AuthenticationResult"]
    again = _admin_password(idp, pool_id, admin_client)
    assert "AccessToken" in again["AuthenticationResult"]


def test_admin_custom_auth_with_the_default_code(
    checked_idp: Any, local: LocalCognito, pool_id: str, admin_client: str
) -> None:
    idp = checked_idp
    make_user(idp, pool_id, "ann")
    started = idp.admin_initiate_auth(
        UserPoolId=pool_id,
        ClientId=admin_client,
        AuthFlow="CUSTOM_AUTH",
        AuthParameters={"USERNAME": "ann"},
    )
    assert started["ChallengeName"] == "CUSTOM_CHALLENGE"
    code = local.outbox.last_code("ann", pool_id)
    done = idp.admin_respond_to_auth_challenge(
        UserPoolId=pool_id,
        ClientId=admin_client,
        ChallengeName="CUSTOM_CHALLENGE",
        Session=started["Session"],
        ChallengeResponses={"USERNAME": "ann", "ANSWER": code},
    )
    assert "AccessToken" in done["AuthenticationResult"]


def test_admin_user_auth_offers_a_choice(checked_idp: Any) -> None:
    idp = checked_idp
    pool_id = idp.create_user_pool(
        PoolName="choice",
        Policies={"SignInPolicy": {"AllowedFirstAuthFactors": ["PASSWORD", "EMAIL_OTP"]}},
    )["UserPool"]["Id"]
    client_id = _client(idp, pool_id, "ALLOW_USER_AUTH")
    make_user(idp, pool_id, "ann")
    started = idp.admin_initiate_auth(
        UserPoolId=pool_id,
        ClientId=client_id,
        AuthFlow="USER_AUTH",
        AuthParameters={"USERNAME": "ann"},
    )
    assert started["ChallengeName"] == "SELECT_CHALLENGE"
    assert "PASSWORD" in started["AvailableChallenges"]
    done = idp.admin_respond_to_auth_challenge(
        UserPoolId=pool_id,
        ClientId=client_id,
        ChallengeName="SELECT_CHALLENGE",
        Session=started["Session"],
        ChallengeResponses={"USERNAME": "ann", "ANSWER": "PASSWORD", "PASSWORD": PASSWORD},
    )
    assert "AccessToken" in done["AuthenticationResult"]


def _custom_start(idp: Any, pool_id: str, client_id: str) -> Any:
    return idp.admin_initiate_auth(
        UserPoolId=pool_id,
        ClientId=client_id,
        AuthFlow="CUSTOM_AUTH",
        AuthParameters={"USERNAME": "ann"},
    )


def test_a_session_answers_only_its_own_challenge_once(
    checked_idp: Any, local: LocalCognito, pool_id: str, admin_client: str
) -> None:
    idp = checked_idp
    make_user(idp, pool_id, "ann")
    started = _custom_start(idp, pool_id, admin_client)
    # The wrong challenge name for this session: refused, and the session is spent.
    with pytest.raises(idp.exceptions.NotAuthorizedException) as caught:
        idp.admin_respond_to_auth_challenge(
            UserPoolId=pool_id,
            ClientId=admin_client,
            ChallengeName="SMS_MFA",
            Session=started["Session"],
            ChallengeResponses={"USERNAME": "ann", "SMS_MFA_CODE": "123456"},
        )
    assert error_of(caught) == INVALID_SESSION
    with pytest.raises(idp.exceptions.NotAuthorizedException) as caught:
        idp.admin_respond_to_auth_challenge(
            UserPoolId=pool_id,
            ClientId=admin_client,
            ChallengeName="CUSTOM_CHALLENGE",
            Session=started["Session"],
            ChallengeResponses={"USERNAME": "ann", "ANSWER": local.outbox.last_code("ann")},
        )
    assert error_of(caught) == (
        "NotAuthorizedException",
        "Invalid session for the user, session can only be used once.",
    )


def test_a_session_of_another_client_is_refused(
    checked_idp: Any, local: LocalCognito, pool_id: str, admin_client: str
) -> None:
    idp = checked_idp
    make_user(idp, pool_id, "ann")
    other_client = _client(idp, pool_id, "ALLOW_CUSTOM_AUTH")
    started = _custom_start(idp, pool_id, admin_client)
    with pytest.raises(idp.exceptions.NotAuthorizedException) as caught:
        idp.admin_respond_to_auth_challenge(
            UserPoolId=pool_id,
            ClientId=other_client,
            ChallengeName="CUSTOM_CHALLENGE",
            Session=started["Session"],
            ChallengeResponses={"USERNAME": "ann", "ANSWER": local.outbox.last_code("ann")},
        )
    assert error_of(caught) == INVALID_SESSION


def test_an_admin_session_can_be_answered_by_the_client_call(
    checked_idp: Any, local: LocalCognito, pool_id: str, admin_client: str
) -> None:
    """Both calls continue the same sign-in: the session belongs to the client."""
    idp = checked_idp
    make_user(idp, pool_id, "ann")
    started = _custom_start(idp, pool_id, admin_client)
    done = idp.respond_to_auth_challenge(
        ClientId=admin_client,
        ChallengeName="CUSTOM_CHALLENGE",
        Session=started["Session"],
        ChallengeResponses={"USERNAME": "ann", "ANSWER": local.outbox.last_code("ann")},
    )
    assert "AccessToken" in done["AuthenticationResult"]
