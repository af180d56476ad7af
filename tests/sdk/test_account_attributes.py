"""Attributes end to end: update (and the verification it triggers), verify, delete."""

from __future__ import annotations

import pytest

from cognito_identity import AuthenticationDetails, CognitoUser, CognitoUserAttribute
from cognito_identity.errors import (
    CodeMismatchException,
    ExpiredCodeException,
    InvalidArgumentTypeError,
    InvalidParameterException,
    NotAuthenticatedError,
    NotAuthorizedException,
)
from cognito_identity.local import LocalCognito, ManualClock

from .conftest import PASSWORD, PoolSetup, make_setup
from .helpers import signed_in


def _attributes(user: CognitoUser) -> dict[str, str]:
    return {a.name: a.value for a in user.get_user_attributes()}


def test_update_a_plain_attribute(setup: PoolSetup) -> None:
    user = signed_in(setup)
    sent = user.update_attributes([CognitoUserAttribute("given_name", "Ann")])
    assert sent == []
    assert _attributes(user)["given_name"] == "Ann"
    admin_view = setup.idp.admin_get_user(UserPoolId=setup.pool_id, Username="ann")
    assert {"Name": "given_name", "Value": "Ann"} in admin_view["UserAttributes"]


def test_new_email_is_unverified_until_the_code_is_confirmed(setup: PoolSetup) -> None:
    user = signed_in(setup)
    sent = user.update_attributes({"email": "ann@new.example"})
    assert sent == [
        {"Destination": "a***@n***", "DeliveryMedium": "EMAIL", "AttributeName": "email"}
    ]
    message = setup.local.outbox.messages(setup.pool_id, "ann@new.example")[-1]
    assert message.purpose == "verify_email"
    attributes = _attributes(user)
    assert attributes["email"] == "ann@new.example"
    assert attributes["email_verified"] == "false"
    user.verify_attribute("email", message.code)
    assert _attributes(user)["email_verified"] == "true"


def test_pool_that_keeps_the_original_until_verified(local: LocalCognito) -> None:
    setup = make_setup(
        local,
        UserAttributeUpdateSettings={"AttributesRequireVerificationBeforeUpdate": ["email"]},
    )
    user = signed_in(setup)
    user.update_attributes({"email": "ann@new.example"})
    attributes = _attributes(user)
    assert attributes["email"] == "ann@example.com"
    assert attributes["email_verified"] == "true"
    user.verify_attribute("email", setup.code_for("ann@new.example"))
    attributes = _attributes(user)
    assert attributes["email"] == "ann@new.example"
    assert attributes["email_verified"] == "true"


def test_verify_attribute_failures(setup: PoolSetup, clock: ManualClock) -> None:
    user = signed_in(setup)
    user.update_attributes({"email": "ann@new.example"})
    code = setup.code_for("ann@new.example")
    wrong = "000000" if code != "000000" else "111111"
    with pytest.raises(CodeMismatchException):
        user.verify_attribute("email", wrong)
    user.verify_attribute("email", code)
    with pytest.raises(CodeMismatchException):
        user.verify_attribute("email", code)  # a used code is gone
    user.get_attribute_verification_code("email")
    clock.advance(24 * 3600 + 1)
    user.authenticate_user(AuthenticationDetails(password=PASSWORD))  # the old token expired
    with pytest.raises(ExpiredCodeException):
        user.verify_attribute("email", setup.code_for("ann@new.example"))


def test_get_attribute_verification_code(setup: PoolSetup) -> None:
    user = signed_in(setup)
    details = user.get_attribute_verification_code("email")
    assert details == {
        "Destination": "a***@e***",
        "DeliveryMedium": "EMAIL",
        "AttributeName": "email",
    }
    user.verify_attribute("email", setup.code_for("ann"))
    with pytest.raises(InvalidParameterException):
        user.get_attribute_verification_code("given_name")
    with pytest.raises(InvalidParameterException):
        user.get_attribute_verification_code("phone_number")  # the user has none


def test_users_cannot_mark_themselves_verified(setup: PoolSetup) -> None:
    user = signed_in(setup)
    user.update_attributes({"email": "ann@new.example"})
    with pytest.raises(NotAuthorizedException, match="unauthorized attribute"):
        user.update_attributes({"email_verified": "true"})
    assert _attributes(user)["email_verified"] == "false"


def test_delete_attributes(setup: PoolSetup) -> None:
    user = signed_in(setup)
    user.update_attributes({"given_name": "Ann", "family_name": "Lee"})
    user.delete_attributes(["given_name"])
    attributes = _attributes(user)
    assert "given_name" not in attributes and attributes["family_name"] == "Lee"
    user.delete_attributes(["email"])
    attributes = _attributes(user)
    assert "email" not in attributes and "email_verified" not in attributes
    with pytest.raises(InvalidParameterException):
        user.delete_attributes(["sub"])


def test_attribute_calls_need_a_session(setup: PoolSetup) -> None:
    signed_in(setup)
    user = CognitoUser("ann", setup.pool())
    for call in (
        lambda: user.update_attributes({"given_name": "Ann"}),
        lambda: user.delete_attributes(["given_name"]),
        lambda: user.get_attribute_verification_code("email"),
        lambda: user.verify_attribute("email", "123456"),
    ):
        with pytest.raises(NotAuthenticatedError):
            call()


def test_a_revoked_token_is_refused(setup: PoolSetup) -> None:
    user = signed_in(setup)
    other_device = CognitoUser("ann", setup.pool())
    other_device.authenticate_user(AuthenticationDetails(password=PASSWORD))
    other_device.global_sign_out()
    with pytest.raises(NotAuthorizedException, match="revoked"):
        user.update_attributes({"given_name": "Ann"})


def test_admin_updates_and_deletes_attributes(setup: PoolSetup) -> None:
    user = signed_in(setup)
    before = len(setup.local.outbox.messages(setup.pool_id))
    # Setting email_verified with the new address verifies it at once, with no code.
    setup.idp.admin_update_user_attributes(
        UserPoolId=setup.pool_id,
        Username="ann",
        UserAttributes=[
            {"Name": "email", "Value": "ann@admin.example"},
            {"Name": "email_verified", "Value": "true"},
            {"Name": "given_name", "Value": "Ann"},
        ],
    )
    assert len(setup.local.outbox.messages(setup.pool_id)) == before
    attributes = _attributes(user)
    assert attributes["email"] == "ann@admin.example" and attributes["email_verified"] == "true"
    setup.idp.admin_delete_user_attributes(
        UserPoolId=setup.pool_id, Username="ann", UserAttributeNames=["given_name"]
    )
    assert "given_name" not in _attributes(user)


def test_admin_confirms_or_the_user_withdraws_a_pending_value(local: LocalCognito) -> None:
    setup = make_setup(
        local,
        UserAttributeUpdateSettings={"AttributesRequireVerificationBeforeUpdate": ["email"]},
    )
    user = signed_in(setup)
    user.update_attributes({"email": "ann@new.example"})
    # Setting the old value again withdraws the change: the old code no longer applies it.
    code = setup.code_for("ann@new.example")
    user.update_attributes({"email": "ann@example.com"})
    user.verify_attribute("email", code)
    assert _attributes(user)["email"] == "ann@example.com"
    # An administrator marking e-mail verified confirms a pending address.
    user.update_attributes({"email": "ann@other.example"})
    setup.idp.admin_update_user_attributes(
        UserPoolId=setup.pool_id,
        Username="ann",
        UserAttributes=[{"Name": "email_verified", "Value": "true"}],
    )
    attributes = _attributes(user)
    assert attributes["email"] == "ann@other.example" and attributes["email_verified"] == "true"


def test_cognitos_own_name_value_dicts_are_taken_as_boto3_takes_them(setup: PoolSetup) -> None:
    user = signed_in(setup)
    user.update_attributes(
        [
            {"Name": "given_name", "Value": "Ann"},
            CognitoUserAttribute("family_name", "Lee"),
        ]
    )
    attributes = _attributes(user)
    assert (attributes["given_name"], attributes["family_name"]) == ("Ann", "Lee")


@pytest.mark.parametrize(
    ("attributes", "named"),
    [
        ([{"name": "given_name", "value": "Ann"}], "each attribute"),
        ([("given_name", "Ann")], "each attribute"),
        ({"given_name": 7}, "attribute 'given_name'"),
        ([{"Name": 7, "Value": "Ann"}], "an attribute name"),
        ("given_name=Ann", "attributes"),
    ],
    ids=["lower-case keys", "pair", "number value", "number name", "string"],
)
def test_attributes_in_a_shape_cognito_cannot_take_are_a_type_error_before_any_call(
    setup: PoolSetup, attributes: object, named: str
) -> None:
    user = signed_in(setup)
    with pytest.raises(InvalidArgumentTypeError, match=named) as caught:
        user.update_attributes(attributes)  # type: ignore[arg-type]
    assert "Ann" not in str(caught.value)
    assert _attributes(user).get("given_name") != "Ann"
