"""UserPoolAdmin's user management, end to end against the local pool, and its reading of
answers (typed, paged) against a mock transport."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from cognito_identity import AuthenticationDetails, CognitoUser, UserPoolAdmin
from cognito_identity.client import CallRecord
from cognito_identity.errors import (
    CognitoResponseError,
    CognitoUserCustomChallengeException,
    InvalidConfigurationError,
    NotAuthorizedException,
    UserNotFoundException,
)
from cognito_identity.transports import MockRequest, MockTransport

from .conftest import PASSWORD, PoolSetup
from .helpers import ADMIN_CREDENTIALS, unsigned_jwt

CREDENTIALS = ADMIN_CREDENTIALS


def admin_of(setup: PoolSetup, **kwargs: Any) -> UserPoolAdmin:
    return UserPoolAdmin(
        setup.pool_id,
        client_id=setup.client_id,
        client_secret=setup.client_secret,
        credentials=CREDENTIALS,
        endpoint=setup.local.endpoint,
        **kwargs,
    )


def app_sign_in(setup: PoolSetup, username: str, password: str = PASSWORD) -> CognitoUser:
    user = CognitoUser(username, setup.pool())
    user.authenticate_user(AuthenticationDetails(password=password))
    return user


def test_create_get_and_set_a_password(setup: PoolSetup) -> None:
    admin = admin_of(setup)
    created = admin.create_user(
        "ann", attributes={"email": "ann@example.com"}, message_action="SUPPRESS"
    )
    assert created.username == "ann"
    assert created.status == "FORCE_CHANGE_PASSWORD"
    assert created.enabled is True
    assert created.attribute("email") == "ann@example.com"
    assert isinstance(created.created, dt.datetime)
    assert created.created.tzinfo is dt.timezone.utc

    admin.set_user_password("ann", PASSWORD, permanent=True)
    fetched = admin.get_user("ann")
    assert fetched.status == "CONFIRMED"
    assert fetched.attribute("sub") is not None
    assert fetched.attribute("email") == "ann@example.com"
    assert app_sign_in(setup, "ann").sign_in_user_session is not None


def test_confirm_sign_up(setup: PoolSetup) -> None:
    setup.pool().sign_up("bo", PASSWORD, {"email": "bo@example.com"})
    admin = admin_of(setup)
    assert admin.get_user("bo").status == "UNCONFIRMED"
    admin.confirm_sign_up("bo")
    assert admin.get_user("bo").status == "CONFIRMED"


def test_delete_user(setup: PoolSetup) -> None:
    admin = admin_of(setup)
    admin.create_user("cy", message_action="SUPPRESS")
    admin.delete_user("cy")
    with pytest.raises(UserNotFoundException):
        admin.get_user("cy")


def test_disable_and_enable_user(setup: PoolSetup) -> None:
    admin = admin_of(setup)
    admin.create_user("di", message_action="SUPPRESS")
    admin.set_user_password("di", PASSWORD, permanent=True)
    admin.disable_user("di")
    assert admin.get_user("di").enabled is False
    with pytest.raises(NotAuthorizedException):
        app_sign_in(setup, "di")
    admin.enable_user("di")
    assert admin.get_user("di").enabled is True
    assert app_sign_in(setup, "di").sign_in_user_session is not None


def test_global_sign_out_ends_refreshes(setup: PoolSetup) -> None:
    admin = admin_of(setup)
    admin.create_user("ed", message_action="SUPPRESS")
    admin.set_user_password("ed", PASSWORD, permanent=True)
    user = app_sign_in(setup, "ed")
    session = user.sign_in_user_session
    assert session is not None and session.refresh_token is not None
    user.refresh_session(session.refresh_token)
    admin.global_sign_out("ed")
    with pytest.raises(NotAuthorizedException):
        user.refresh_session(session.refresh_token)


def test_update_user_attributes(setup: PoolSetup) -> None:
    admin = admin_of(setup)
    admin.create_user("flo", attributes={"name": "Flo"}, message_action="SUPPRESS")
    admin.update_user_attributes("flo", {"name": "Florence", "family_name": "Nightingale"})
    user = admin.get_user("flo")
    assert user.attribute("name") == "Florence"
    assert user.attribute("family_name") == "Nightingale"


def test_list_users_pages_lazily(setup: PoolSetup) -> None:
    records: list[CallRecord] = []
    admin = admin_of(setup, hooks=[records.append])
    names = [f"user{n}" for n in range(5)]
    for name in names:
        admin.create_user(
            name, attributes={"email": f"{name}@example.com"}, message_action="SUPPRESS"
        )
    records.clear()
    pages = admin.list_users(page_size=2)
    first = next(pages)
    assert [r.action for r in records] == ["ListUsers"]
    rest = list(pages)
    assert [len(page) for page in [first, *rest]] == [2, 2, 1]
    assert [u.username for page in [first, *rest] for u in page] == names
    assert len(records) == 3
    assert first[0].attribute("email") == "user0@example.com"


def test_list_users_with_a_filter(setup: PoolSetup) -> None:
    admin = admin_of(setup)
    for name in ("gail", "gus", "hal"):
        admin.create_user(name, message_action="SUPPRESS")
    found = [u.username for page in admin.list_users(filter='username ^= "g"') for u in page]
    assert found == ["gail", "gus"]


def test_every_call_is_signed(setup: PoolSetup) -> None:
    transport = MockTransport(lambda request: {"Users": []})
    admin = admin_of(setup, transport=transport)
    assert list(admin.list_users()) == [[]]
    sent = transport.requests[0]
    assert sent.params == {"UserPoolId": setup.pool_id}
    authorization = sent.http.headers["Authorization"]
    region = setup.pool_id.split("_")[0]
    assert authorization.startswith(
        f"AWS4-HMAC-SHA256 Credential=AKIDLOCALADMIN/{sent.http.headers['X-Amz-Date'][:8]}"
        f"/{region}/cognito-idp/aws4_request"
    )
    assert "x-amz-target" in authorization


def mock_admin(handler: Any) -> tuple[UserPoolAdmin, MockTransport]:
    transport = MockTransport(handler)
    admin = UserPoolAdmin(
        "eu-west-1_AbC123", client_id="app", credentials=CREDENTIALS, transport=transport
    )
    return admin, transport


@pytest.mark.parametrize(
    "answer,field",
    [
        ({"Username": "ann", "Enabled": "false"}, "Enabled"),
        ({"Username": "ann", "UserAttributes": "email"}, "UserAttributes"),
        ({"Username": "ann", "UserAttributes": [{"Value": "x"}]}, "Name"),
        ({"Username": "ann", "UserCreateDate": "yesterday"}, "UserCreateDate"),
        ({"Username": 7}, "Username"),
        ({}, "Username"),
    ],
)
def test_wrong_types_in_an_answer_name_the_field(answer: dict[str, Any], field: str) -> None:
    admin, _ = mock_admin(lambda request: answer)
    with pytest.raises(CognitoResponseError, match=field):
        admin.get_user("ann")


def test_a_repeated_pagination_token_ends_in_an_error() -> None:
    admin, transport = mock_admin(lambda request: {"Users": [], "PaginationToken": "same"})
    with pytest.raises(CognitoResponseError, match="PaginationToken"):
        list(admin.list_users())
    assert len(transport.requests) == 2


def test_the_pagination_token_is_sent_back() -> None:
    def handler(request: MockRequest) -> dict[str, Any]:
        if "PaginationToken" not in request.params:
            return {"Users": [{"Username": "a"}], "PaginationToken": "next"}
        return {"Users": [{"Username": "b"}]}

    admin, transport = mock_admin(handler)
    assert [[u.username for u in page] for page in admin.list_users()] == [["a"], ["b"]]
    assert transport.requests[1].params["PaginationToken"] == "next"


def test_configuration_errors_are_typed() -> None:
    with pytest.raises(InvalidConfigurationError):
        UserPoolAdmin("not-a-pool-id", credentials=CREDENTIALS)
    admin = UserPoolAdmin("eu-west-1_AbC123", credentials=CREDENTIALS)
    with pytest.raises(InvalidConfigurationError, match="client_id"):
        admin.authenticate_user("ann", PASSWORD)
    assert "local-admin-secret" not in repr(admin)
    assert admin.client.endpoint == "https://cognito-idp.eu-west-1.amazonaws.com/"


def test_admin_sign_in_calls_carry_the_pool_and_the_session() -> None:
    def handler(request: MockRequest) -> dict[str, Any]:
        if request.action == "AdminInitiateAuth":
            return {
                "ChallengeName": "CUSTOM_CHALLENGE",
                "Session": "session-one",
                "ChallengeParameters": {"USERNAME": "ann"},
            }
        return {
            "AuthenticationResult": {
                "IdToken": unsigned_jwt(token_use="id"),
                "AccessToken": unsigned_jwt(token_use="access", username="ann"),
                "RefreshToken": "refresh",
            }
        }

    admin, transport = mock_admin(handler)
    with pytest.raises(CognitoUserCustomChallengeException) as caught:
        admin.authenticate_user("ann", PASSWORD, auth_flow="USER_PASSWORD_AUTH")
    first = transport.requests[0]
    assert first.action == "AdminInitiateAuth"
    assert first.params["UserPoolId"] == "eu-west-1_AbC123"
    assert first.params["AuthFlow"] == "ADMIN_USER_PASSWORD_AUTH"
    assert "Authorization" in first.http.headers
    assert caught.value.session == "session-one" and caught.value.username == "ann"

    session = admin.send_custom_challenge_answer(caught.value, "42")
    second = transport.requests[1]
    assert second.action == "AdminRespondToAuthChallenge"
    assert second.params["UserPoolId"] == "eu-west-1_AbC123"
    assert second.params["Session"] == "session-one"
    assert second.params["ChallengeResponses"] == {"USERNAME": "ann", "ANSWER": "42"}
    assert session.access_token.username == "ann"
    assert session.refresh_token is not None and session.refresh_token.token == "refresh"
