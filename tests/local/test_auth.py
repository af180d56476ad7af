"""Sign-in up to the tokens: SRP checked by independent clients (pycognito and ours),
USER_PASSWORD_AUTH, and the errors Cognito gives on the way."""

from __future__ import annotations

import json
import sqlite3
import time
from typing import Any

import pytest
from pycognito.aws_srp import AWSSRP, ForceChangePasswordException

from cognito_identity import srp
from cognito_identity.local import LocalCognito, ManualClock

from .conftest import PASSWORD

TEMPORARY = "Temp-0rary!"


def _message(error: Any) -> str:
    return str(error.value.response["Error"]["Message"])


def _invited(idp: Any, pool_id: str, username: str = "ann") -> None:
    idp.admin_create_user(
        UserPoolId=pool_id,
        Username=username,
        TemporaryPassword=TEMPORARY,
        MessageAction="SUPPRESS",
        UserAttributes=[{"Name": "email", "Value": f"{username}@example.com"}],
    )


def test_pycognito_srp_proves_the_password(idp: Any, pool_id: str, client_id: str) -> None:
    """A correct SRP proof from pycognito reaches the next step (NEW_PASSWORD_REQUIRED)."""
    _invited(idp, pool_id)
    aws = AWSSRP("ann", TEMPORARY, pool_id, client_id, client=idp)
    with pytest.raises(ForceChangePasswordException):
        aws.authenticate_user()


def test_pycognito_srp_wrong_password(idp: Any, pool_id: str, client_id: str) -> None:
    _invited(idp, pool_id)
    aws = AWSSRP("ann", "Wrong-Passw0rd", pool_id, client_id, client=idp)
    with pytest.raises(idp.exceptions.NotAuthorizedException) as caught:
        aws.authenticate_user()
    assert _message(caught) == "Incorrect username or password."


def _srp_challenge(
    idp: Any, client_id: str, username: str, helper: srp.AuthenticationHelper
) -> Any:
    return idp.initiate_auth(
        ClientId=client_id,
        AuthFlow="USER_SRP_AUTH",
        AuthParameters={"USERNAME": username, "SRP_A": helper.large_a_hex},
    )


def _answer(
    idp: Any,
    pool_id: str,
    client_id: str,
    challenge: Any,
    password: str,
    *,
    tamper: str = "",
) -> Any:
    helper = challenge["helper"]
    params = challenge["response"]["ChallengeParameters"]
    timestamp = srp.now_timestamp()
    signature = helper.password_claim_signature(
        params["USER_ID_FOR_SRP"],
        password,
        params["SALT"],
        params["SRP_B"],
        params["SECRET_BLOCK"],
        timestamp,
    )
    responses = {
        "USERNAME": params["USER_ID_FOR_SRP"],
        "PASSWORD_CLAIM_SECRET_BLOCK": params["SECRET_BLOCK"],
        "TIMESTAMP": timestamp,
        "PASSWORD_CLAIM_SIGNATURE": signature,
    }
    if tamper == "TIMESTAMP":
        responses[tamper] = srp.format_timestamp(time.time() - 3600)
    elif tamper:
        first = responses[tamper][0]
        responses[tamper] = ("B" if first == "A" else "A") + responses[tamper][1:]
    return idp.respond_to_auth_challenge(
        ClientId=client_id, ChallengeName="PASSWORD_VERIFIER", ChallengeResponses=responses
    )


def _start(idp: Any, pool_id: str, client_id: str, username: str) -> dict[str, Any]:
    helper = srp.AuthenticationHelper(pool_id.split("_")[1])
    return {"helper": helper, "response": _srp_challenge(idp, client_id, username, helper)}


def test_srp_challenge_shape(idp: Any, pool_id: str, client_id: str) -> None:
    _invited(idp, pool_id)
    response = _start(idp, pool_id, client_id, "ann")["response"]
    assert response["ChallengeName"] == "PASSWORD_VERIFIER"
    params = response["ChallengeParameters"]
    assert set(params) == {"SALT", "SECRET_BLOCK", "SRP_B", "USERNAME", "USER_ID_FOR_SRP"}
    assert params["USERNAME"] == params["USER_ID_FOR_SRP"] == "ann"
    int(params["SRP_B"], 16)
    int(params["SALT"], 16)


@pytest.mark.parametrize("field", ["TIMESTAMP", "PASSWORD_CLAIM_SIGNATURE"])
def test_srp_tampered_answer_is_refused(idp: Any, pool_id: str, client_id: str, field: str) -> None:
    _invited(idp, pool_id)
    challenge = _start(idp, pool_id, client_id, "ann")
    with pytest.raises(idp.exceptions.NotAuthorizedException):
        _answer(idp, pool_id, client_id, challenge, TEMPORARY, tamper=field)


def test_srp_secret_block_is_single_use(idp: Any, pool_id: str, client_id: str) -> None:
    _invited(idp, pool_id)
    challenge = _start(idp, pool_id, client_id, "ann")
    first = _answer(idp, pool_id, client_id, challenge, TEMPORARY)
    assert first["ChallengeName"] == "NEW_PASSWORD_REQUIRED"
    with pytest.raises(idp.exceptions.NotAuthorizedException) as caught:
        _answer(idp, pool_id, client_id, challenge, TEMPORARY)
    assert _message(caught) == "Invalid session for the user, session can only be used once."


def test_srp_challenge_expires(idp: Any, clock: ManualClock, pool_id: str, client_id: str) -> None:
    _invited(idp, pool_id)
    challenge = _start(idp, pool_id, client_id, "ann")
    clock.advance(3 * 60 + 1)
    with pytest.raises(idp.exceptions.NotAuthorizedException) as caught:
        _answer(idp, pool_id, client_id, challenge, TEMPORARY)
    assert _message(caught) == "Invalid session for the user, session is expired."


def test_srp_bad_a(idp: Any, pool_id: str, client_id: str) -> None:
    _invited(idp, pool_id)
    with pytest.raises(idp.exceptions.InvalidParameterException):
        idp.initiate_auth(
            ClientId=client_id,
            AuthFlow="USER_SRP_AUTH",
            AuthParameters={"USERNAME": "ann", "SRP_A": "not-hex"},
        )
    # A = 0 (mod N) is refused when the answer is checked.
    zero = idp.initiate_auth(
        ClientId=client_id,
        AuthFlow="USER_SRP_AUTH",
        AuthParameters={"USERNAME": "ann", "SRP_A": "0"},
    )
    params = zero["ChallengeParameters"]
    with pytest.raises(idp.exceptions.NotAuthorizedException):
        idp.respond_to_auth_challenge(
            ClientId=client_id,
            ChallengeName="PASSWORD_VERIFIER",
            ChallengeResponses={
                "USERNAME": "ann",
                "PASSWORD_CLAIM_SECRET_BLOCK": params["SECRET_BLOCK"],
                "TIMESTAMP": srp.now_timestamp(),
                "PASSWORD_CLAIM_SIGNATURE": "AAAA",
            },
        )


def test_missing_auth_parameters(idp: Any, client_id: str) -> None:
    with pytest.raises(idp.exceptions.InvalidParameterException) as caught:
        idp.initiate_auth(ClientId=client_id, AuthFlow="USER_SRP_AUTH", AuthParameters={})
    assert _message(caught) == "Missing required parameter USERNAME"
    with pytest.raises(idp.exceptions.InvalidParameterException) as srp_a:
        idp.initiate_auth(
            ClientId=client_id, AuthFlow="USER_SRP_AUTH", AuthParameters={"USERNAME": "x"}
        )
    assert _message(srp_a) == "Missing required parameter SRP_A"


def test_unknown_user_legacy_and_prevented(idp: Any, pool_id: str, client_id: str) -> None:
    helper = srp.AuthenticationHelper(pool_id.split("_")[1])
    with pytest.raises(idp.exceptions.UserNotFoundException) as legacy:
        _srp_challenge(idp, client_id, "ghost", helper)
    assert _message(legacy) == "User does not exist."
    hidden = idp.create_user_pool_client(
        UserPoolId=pool_id,
        ClientName="h",
        PreventUserExistenceErrors="ENABLED",
        ExplicitAuthFlows=["ALLOW_USER_SRP_AUTH", "ALLOW_USER_PASSWORD_AUTH"],
    )["UserPoolClient"]["ClientId"]
    # SRP: a challenge that looks like any other, then the generic failure.
    challenge = _start(idp, pool_id, hidden, "ghost")
    assert challenge["response"]["ChallengeParameters"]["USER_ID_FOR_SRP"] == "ghost"
    with pytest.raises(idp.exceptions.NotAuthorizedException) as prevented:
        _answer(idp, pool_id, hidden, challenge, "Any-Passw0rd")
    assert _message(prevented) == "Incorrect username or password."
    with pytest.raises(idp.exceptions.NotAuthorizedException) as password:
        idp.initiate_auth(
            ClientId=hidden,
            AuthFlow="USER_PASSWORD_AUTH",
            AuthParameters={"USERNAME": "ghost", "PASSWORD": "Any-Passw0rd"},
        )
    assert _message(password) == "Incorrect username or password."


def test_unconfirmed_user(idp: Any, client_id: str) -> None:
    idp.sign_up(ClientId=client_id, Username="uma", Password=PASSWORD)
    helper = srp.AuthenticationHelper("x")
    with pytest.raises(idp.exceptions.UserNotConfirmedException) as caught:
        _srp_challenge(idp, client_id, "uma", helper)
    assert _message(caught) == "User is not confirmed."
    with pytest.raises(idp.exceptions.UserNotConfirmedException):
        idp.initiate_auth(
            ClientId=client_id,
            AuthFlow="USER_PASSWORD_AUTH",
            AuthParameters={"USERNAME": "uma", "PASSWORD": PASSWORD},
        )
    with pytest.raises(idp.exceptions.NotAuthorizedException):
        idp.initiate_auth(
            ClientId=client_id,
            AuthFlow="USER_PASSWORD_AUTH",
            AuthParameters={"USERNAME": "uma", "PASSWORD": "Wrong-Passw0rd"},
        )


def test_password_auth_reaches_new_password_challenge(
    idp: Any, pool_id: str, client_id: str
) -> None:
    _invited(idp, pool_id)
    response = idp.initiate_auth(
        ClientId=client_id,
        AuthFlow="USER_PASSWORD_AUTH",
        AuthParameters={"USERNAME": "ann", "PASSWORD": TEMPORARY},
    )
    assert response["ChallengeName"] == "NEW_PASSWORD_REQUIRED"
    assert len(response["Session"]) >= 20
    params = response["ChallengeParameters"]
    assert params["USER_ID_FOR_SRP"] == "ann"
    assert json.loads(params["userAttributes"]) == {"email": "ann@example.com"}
    assert json.loads(params["requiredAttributes"]) == []


def test_password_auth_wrong_password(idp: Any, pool_id: str, client_id: str) -> None:
    _invited(idp, pool_id)
    with pytest.raises(idp.exceptions.NotAuthorizedException) as caught:
        idp.initiate_auth(
            ClientId=client_id,
            AuthFlow="USER_PASSWORD_AUTH",
            AuthParameters={"USERNAME": "ann", "PASSWORD": "Wrong-Passw0rd"},
        )
    assert _message(caught) == "Incorrect username or password."


def test_flow_must_be_enabled(idp: Any, pool_id: str) -> None:
    srp_only = idp.create_user_pool_client(UserPoolId=pool_id, ClientName="srp")["UserPoolClient"][
        "ClientId"
    ]
    with pytest.raises(idp.exceptions.InvalidParameterException) as caught:
        idp.initiate_auth(
            ClientId=srp_only,
            AuthFlow="USER_PASSWORD_AUTH",
            AuthParameters={"USERNAME": "a", "PASSWORD": "b"},
        )
    assert _message(caught) == "USER_PASSWORD_AUTH flow not enabled for this client"
    password_only = idp.create_user_pool_client(
        UserPoolId=pool_id, ClientName="pw", ExplicitAuthFlows=["ALLOW_USER_PASSWORD_AUTH"]
    )["UserPoolClient"]["ClientId"]
    with pytest.raises(idp.exceptions.InvalidParameterException) as srp_off:
        idp.initiate_auth(
            ClientId=password_only,
            AuthFlow="USER_SRP_AUTH",
            AuthParameters={"USERNAME": "a", "SRP_A": "ab"},
        )
    assert _message(srp_off) == "USER_SRP_AUTH is not enabled for the client."
    with pytest.raises(idp.exceptions.InvalidParameterException) as admin:
        idp.initiate_auth(
            ClientId=srp_only, AuthFlow="ADMIN_NO_SRP_AUTH", AuthParameters={"USERNAME": "a"}
        )
    assert _message(admin) == "Initiate Auth method not supported."


def test_temporary_password_expires(
    idp: Any, clock: ManualClock, pool_id: str, client_id: str
) -> None:
    _invited(idp, pool_id)
    clock.advance(7 * 86400 + 1)
    with pytest.raises(idp.exceptions.NotAuthorizedException) as caught:
        idp.initiate_auth(
            ClientId=client_id,
            AuthFlow="USER_PASSWORD_AUTH",
            AuthParameters={"USERNAME": "ann", "PASSWORD": TEMPORARY},
        )
    assert _message(caught) == (
        "Temporary password has expired and must be reset by an administrator."
    )


def test_secret_client_srp_with_pycognito(idp: Any, pool_id: str) -> None:
    client = idp.create_user_pool_client(UserPoolId=pool_id, ClientName="s", GenerateSecret=True)[
        "UserPoolClient"
    ]
    _invited(idp, pool_id)
    aws = AWSSRP(
        "ann",
        TEMPORARY,
        pool_id,
        client["ClientId"],
        client=idp,
        client_secret=client["ClientSecret"],
    )
    with pytest.raises(ForceChangePasswordException):
        aws.authenticate_user()
    no_secret = AWSSRP("ann", TEMPORARY, pool_id, client["ClientId"], client=idp)
    with pytest.raises(idp.exceptions.NotAuthorizedException) as caught:
        no_secret.authenticate_user()
    assert "is configured for secret but secret was not received" in _message(caught)


def test_email_alias_signs_in_with_sub_as_srp_id(idp: Any, local: LocalCognito) -> None:
    pool_id = idp.create_user_pool(PoolName="email", UsernameAttributes=["email"])["UserPool"]["Id"]
    client_id = idp.create_user_pool_client(UserPoolId=pool_id, ClientName="c")["UserPoolClient"][
        "ClientId"
    ]
    sub = idp.admin_create_user(
        UserPoolId=pool_id,
        Username="vera@example.com",
        TemporaryPassword=TEMPORARY,
        MessageAction="SUPPRESS",
    )["User"]["Username"]
    challenge = _start(idp, pool_id, client_id, "vera@example.com")
    assert challenge["response"]["ChallengeParameters"]["USER_ID_FOR_SRP"] == sub
    assert _answer(idp, pool_id, client_id, challenge, TEMPORARY)["ChallengeName"] == (
        "NEW_PASSWORD_REQUIRED"
    )


def test_email_alias_needs_verification(idp: Any, local: LocalCognito) -> None:
    pool_id = idp.create_user_pool(
        PoolName="alias", AliasAttributes=["email"], AutoVerifiedAttributes=["email"]
    )["UserPool"]["Id"]
    client_id = idp.create_user_pool_client(UserPoolId=pool_id, ClientName="c")["UserPoolClient"][
        "ClientId"
    ]
    idp.sign_up(
        ClientId=client_id,
        Username="pat",
        Password=PASSWORD,
        UserAttributes=[{"Name": "email", "Value": "pat@example.com"}],
    )
    helper = srp.AuthenticationHelper(pool_id.split("_")[1])
    with pytest.raises(idp.exceptions.UserNotFoundException):
        _srp_challenge(idp, client_id, "pat@example.com", helper)
    idp.confirm_sign_up(
        ClientId=client_id, Username="pat", ConfirmationCode=local.outbox.last_code("pat")
    )
    challenge = _srp_challenge(idp, client_id, "pat@example.com", helper)
    assert challenge["ChallengeParameters"]["USER_ID_FOR_SRP"] == "pat"


def test_dart_style_nulls_are_ignored(raw: Any, idp: Any, pool_id: str, client_id: str) -> None:
    """The original SDK sends JSON nulls for absent values (SECRET_HASH, ClientMetadata)."""
    _invited(idp, pool_id)
    response = raw.call(
        "InitiateAuth",
        {
            "AuthFlow": "USER_PASSWORD_AUTH",
            "ClientId": client_id,
            "AuthParameters": {"USERNAME": "ann", "PASSWORD": TEMPORARY, "SECRET_HASH": None},
            "ClientMetadata": None,
            "UserContextData": None,
        },
    )
    assert response.status_code == 200, response.text
    assert response.json()["ChallengeName"] == "NEW_PASSWORD_REQUIRED"


def test_failed_sign_ins_store_nothing(
    idp: Any, local: LocalCognito, pool_id: str, client_id: str
) -> None:
    _invited(idp, pool_id)
    idp.admin_set_user_password(
        UserPoolId=pool_id, Username="ann", Password=PASSWORD, Permanent=True
    )
    with pytest.raises(idp.exceptions.NotAuthorizedException):
        idp.initiate_auth(
            ClientId=client_id,
            AuthFlow="USER_PASSWORD_AUTH",
            AuthParameters={"USERNAME": "ann", "PASSWORD": "Wrong-Passw0rd"},
        )
    challenge = _start(idp, pool_id, client_id, "ann")
    with pytest.raises(idp.exceptions.NotAuthorizedException):
        _answer(idp, pool_id, client_id, challenge, "Wrong-Passw0rd")
    with sqlite3.connect(local.db_path) as conn:
        for table in ("sessions", "access_tokens", "signing_keys"):
            assert conn.execute(f"SELECT COUNT(*) FROM {table}").fetchone() == (0,), table
