"""The pre and post authentication triggers: Cognito's event shapes, a pre authentication
trigger refusing a sign-in, and a post authentication trigger that runs once per sign-in,
before the tokens."""

from __future__ import annotations

from typing import Any

import pytest

from cognito_identity import srp
from cognito_identity.local import LocalCognito

from .conftest import PASSWORD
from .helpers import error_of, make_user, sign_in


class Recorder:
    """A trigger that keeps the events it was given, and raises ``refuse`` if set."""

    def __init__(self, refuse: str | None = None) -> None:
        self.events: list[dict[str, Any]] = []
        self.refuse = refuse

    def __call__(self, event: dict[str, Any]) -> dict[str, Any]:
        self.events.append(event)
        if self.refuse is not None:
            raise ValueError(self.refuse)
        return event


def test_pre_authentication_sees_the_user_and_the_client_metadata(
    idp: Any, local: LocalCognito, pool_id: str, client_id: str
) -> None:
    make_user(idp, pool_id, "ann")
    pre = Recorder()
    local.triggers.register(pool_id, pre_authentication=pre)
    idp.initiate_auth(
        ClientId=client_id,
        AuthFlow="USER_PASSWORD_AUTH",
        AuthParameters={"USERNAME": "ann", "PASSWORD": PASSWORD},
        ClientMetadata={"app": "web"},
    )
    (event,) = pre.events
    assert event["triggerSource"] == "PreAuthentication_Authentication"
    assert event["userPoolId"] == pool_id
    assert event["userName"] == "ann"
    assert event["callerContext"]["clientId"] == client_id
    request = event["request"]
    assert request["userAttributes"]["email"] == "ann@example.com"
    assert request["userAttributes"]["cognito:user_status"] == "CONFIRMED"
    assert request["validationData"] == {"app": "web"}
    assert request["userNotFound"] is False


def test_pre_authentication_can_refuse_any_flow(
    idp: Any, local: LocalCognito, pool_id: str, client_id: str
) -> None:
    make_user(idp, pool_id, "ann")
    local.triggers.register(pool_id, pre_authentication=Recorder(refuse="outside office hours"))
    refused = (
        "UserLambdaValidationException",
        "PreAuthentication failed with error outside office hours.",
    )
    with pytest.raises(idp.exceptions.UserLambdaValidationException) as caught:
        sign_in(idp, client_id, "ann")
    assert error_of(caught) == refused
    helper = srp.AuthenticationHelper(pool_id.split("_")[1])
    with pytest.raises(idp.exceptions.UserLambdaValidationException) as caught:
        idp.initiate_auth(
            ClientId=client_id,
            AuthFlow="USER_SRP_AUTH",
            AuthParameters={"USERNAME": "ann", "SRP_A": helper.large_a_hex},
        )
    assert error_of(caught) == refused


def test_pre_authentication_runs_before_the_password_is_checked(
    idp: Any, local: LocalCognito, pool_id: str, client_id: str
) -> None:
    make_user(idp, pool_id, "ann")
    local.triggers.register(pool_id, pre_authentication=Recorder(refuse="no"))
    with pytest.raises(idp.exceptions.UserLambdaValidationException):
        sign_in(idp, client_id, "ann", password="Wr0ng-Password!")


def test_refreshing_runs_neither_trigger(
    idp: Any, local: LocalCognito, pool_id: str, client_id: str
) -> None:
    make_user(idp, pool_id, "ann")
    tokens = sign_in(idp, client_id, "ann")
    pre, post = Recorder(), Recorder()
    local.triggers.register(pool_id, pre_authentication=pre, post_authentication=post)
    idp.initiate_auth(
        ClientId=client_id,
        AuthFlow="REFRESH_TOKEN_AUTH",
        AuthParameters={"REFRESH_TOKEN": tokens["RefreshToken"]},
    )
    assert pre.events == [] and post.events == []


def test_post_authentication_runs_once_the_sign_in_is_complete(
    idp: Any, local: LocalCognito, pool_id: str, client_id: str
) -> None:
    make_user(idp, pool_id, "ann")
    post = Recorder()
    local.triggers.register(pool_id, post_authentication=post)
    with pytest.raises(idp.exceptions.NotAuthorizedException):
        sign_in(idp, client_id, "ann", password="Wr0ng-Password!")
    assert post.events == []
    idp.initiate_auth(
        ClientId=client_id,
        AuthFlow="USER_PASSWORD_AUTH",
        AuthParameters={"USERNAME": "ann", "PASSWORD": PASSWORD},
        ClientMetadata={"app": "web"},
    )
    (event,) = post.events
    assert event["triggerSource"] == "PostAuthentication_Authentication"
    assert event["userName"] == "ann"
    assert event["callerContext"]["clientId"] == client_id
    assert event["request"]["userAttributes"]["sub"]
    assert event["request"]["newDeviceUsed"] is False
    assert event["request"]["clientMetadata"] == {"app": "web"}


def test_post_authentication_waits_for_mfa(
    idp: Any, local: LocalCognito, pool_id: str, client_id: str
) -> None:
    idp.set_user_pool_mfa_config(
        UserPoolId=pool_id,
        EmailMfaConfiguration={"Message": "{####}", "Subject": "code"},
        MfaConfiguration="ON",
    )
    make_user(idp, pool_id, "ann")
    post = Recorder()
    local.triggers.register(pool_id, post_authentication=post)
    started = idp.initiate_auth(
        ClientId=client_id,
        AuthFlow="USER_PASSWORD_AUTH",
        AuthParameters={"USERNAME": "ann", "PASSWORD": PASSWORD},
    )
    assert started["ChallengeName"] == "EMAIL_OTP"
    assert post.events == []
    idp.respond_to_auth_challenge(
        ClientId=client_id,
        ChallengeName="EMAIL_OTP",
        Session=started["Session"],
        ChallengeResponses={"USERNAME": "ann", "EMAIL_OTP_CODE": local.outbox.last_code("ann")},
    )
    assert len(post.events) == 1


def test_a_failing_post_authentication_trigger_withholds_the_tokens(
    idp: Any, local: LocalCognito, pool_id: str, client_id: str
) -> None:
    make_user(idp, pool_id, "ann")
    local.triggers.register(pool_id, post_authentication=Recorder(refuse="audit log down"))
    with pytest.raises(idp.exceptions.UserLambdaValidationException) as caught:
        sign_in(idp, client_id, "ann")
    assert error_of(caught) == (
        "UserLambdaValidationException",
        "PostAuthentication failed with error audit log down.",
    )


def test_a_new_device_is_reported_to_post_authentication(idp: Any, local: LocalCognito) -> None:
    pool_id = idp.create_user_pool(
        PoolName="devices",
        DeviceConfiguration={
            "ChallengeRequiredOnNewDevice": False,
            "DeviceOnlyRememberedOnUserPrompt": False,
        },
    )["UserPool"]["Id"]
    client_id = idp.create_user_pool_client(
        UserPoolId=pool_id, ClientName="app", ExplicitAuthFlows=["ALLOW_USER_PASSWORD_AUTH"]
    )["UserPoolClient"]["ClientId"]
    make_user(idp, pool_id, "ann")
    post = Recorder()
    local.triggers.register(pool_id, post_authentication=post)
    assert "NewDeviceMetadata" in sign_in(idp, client_id, "ann")
    assert post.events[0]["request"]["newDeviceUsed"] is True


def test_admin_sign_in_runs_both_triggers(idp: Any, local: LocalCognito, pool_id: str) -> None:
    client_id = idp.create_user_pool_client(
        UserPoolId=pool_id,
        ClientName="server",
        ExplicitAuthFlows=["ALLOW_ADMIN_USER_PASSWORD_AUTH"],
    )["UserPoolClient"]["ClientId"]
    make_user(idp, pool_id, "ann")
    pre, post = Recorder(), Recorder()
    local.triggers.register(pool_id, pre_authentication=pre, post_authentication=post)
    idp.admin_initiate_auth(
        UserPoolId=pool_id,
        ClientId=client_id,
        AuthFlow="ADMIN_USER_PASSWORD_AUTH",
        AuthParameters={"USERNAME": "ann", "PASSWORD": PASSWORD},
    )
    assert [e["triggerSource"] for e in pre.events + post.events] == [
        "PreAuthentication_Authentication",
        "PostAuthentication_Authentication",
    ]


def test_pre_authentication_hears_of_unknown_users_only_where_they_are_hidden(
    idp: Any, local: LocalCognito, pool_id: str, client_id: str
) -> None:
    hiding = idp.create_user_pool_client(
        UserPoolId=pool_id,
        ClientName="hiding",
        ExplicitAuthFlows=["ALLOW_USER_PASSWORD_AUTH", "ALLOW_USER_SRP_AUTH"],
        PreventUserExistenceErrors="ENABLED",
    )["UserPoolClient"]["ClientId"]
    pre = Recorder()
    local.triggers.register(pool_id, pre_authentication=pre)
    with pytest.raises(idp.exceptions.UserNotFoundException):
        sign_in(idp, client_id, "nobody")
    assert pre.events == []
    with pytest.raises(idp.exceptions.NotAuthorizedException):
        sign_in(idp, hiding, "nobody")
    helper = srp.AuthenticationHelper(pool_id.split("_")[1])
    decoy = idp.initiate_auth(
        ClientId=hiding,
        AuthFlow="USER_SRP_AUTH",
        AuthParameters={"USERNAME": "nobody", "SRP_A": helper.large_a_hex},
    )
    assert decoy["ChallengeName"] == "PASSWORD_VERIFIER"
    assert [e["userName"] for e in pre.events] == ["nobody", "nobody"]
    for event in pre.events:
        assert event["request"]["userNotFound"] is True
        assert event["request"]["userAttributes"] == {}
        assert event["callerContext"]["clientId"] == hiding
