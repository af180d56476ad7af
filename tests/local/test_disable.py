"""AdminDisableUser and AdminEnableUser: a disabled user cannot sign in, refresh or use
its tokens, and shows as disabled to administrators."""

from __future__ import annotations

from typing import Any

import pytest

from .helpers import error_of, make_user, sign_in

DISABLED = ("NotAuthorizedException", "User is disabled.")


def test_a_disabled_user_is_shown_disabled(idp: Any, pool_id: str) -> None:
    make_user(idp, pool_id, "ann")
    make_user(idp, pool_id, "bob")
    assert idp.admin_disable_user(UserPoolId=pool_id, Username="ann") is not None
    assert idp.admin_get_user(UserPoolId=pool_id, Username="ann")["Enabled"] is False
    listed = {u["Username"]: u["Enabled"] for u in idp.list_users(UserPoolId=pool_id)["Users"]}
    assert listed == {"ann": False, "bob": True}
    disabled = idp.list_users(UserPoolId=pool_id, Filter='status = "Disabled"')["Users"]
    assert [u["Username"] for u in disabled] == ["ann"]
    idp.admin_enable_user(UserPoolId=pool_id, Username="ann")
    assert idp.admin_get_user(UserPoolId=pool_id, Username="ann")["Enabled"] is True


def test_a_disabled_users_tokens_are_refused(idp: Any, pool_id: str, client_id: str) -> None:
    make_user(idp, pool_id, "ann")
    tokens = sign_in(idp, client_id, "ann")
    access = tokens["AccessToken"]
    idp.admin_disable_user(UserPoolId=pool_id, Username="ann")
    for call in (
        lambda: idp.get_user(AccessToken=access),
        lambda: idp.update_user_attributes(
            AccessToken=access, UserAttributes=[{"Name": "name", "Value": "Ann"}]
        ),
        lambda: idp.change_password(
            AccessToken=access, PreviousPassword="x", ProposedPassword="N3w-Password!"
        ),
        lambda: idp.global_sign_out(AccessToken=access),
        lambda: idp.associate_software_token(AccessToken=access),
        lambda: idp.delete_user(AccessToken=access),
    ):
        with pytest.raises(idp.exceptions.NotAuthorizedException) as caught:
            call()
        assert error_of(caught) == DISABLED
    with pytest.raises(idp.exceptions.NotAuthorizedException):
        idp.initiate_auth(
            ClientId=client_id,
            AuthFlow="REFRESH_TOKEN_AUTH",
            AuthParameters={"REFRESH_TOKEN": tokens["RefreshToken"]},
        )
    with pytest.raises(idp.exceptions.NotAuthorizedException) as caught:
        sign_in(idp, client_id, "ann")
    assert error_of(caught) == DISABLED


def test_enabling_again_allows_sign_in_but_not_the_old_tokens(
    idp: Any, pool_id: str, client_id: str
) -> None:
    make_user(idp, pool_id, "ann")
    old = sign_in(idp, client_id, "ann")
    idp.admin_disable_user(UserPoolId=pool_id, Username="ann")
    idp.admin_enable_user(UserPoolId=pool_id, Username="ann")
    with pytest.raises(idp.exceptions.NotAuthorizedException) as caught:
        idp.get_user(AccessToken=old["AccessToken"])
    assert error_of(caught) == ("NotAuthorizedException", "Access Token has been revoked")
    with pytest.raises(idp.exceptions.NotAuthorizedException):
        idp.initiate_auth(
            ClientId=client_id,
            AuthFlow="REFRESH_TOKEN_AUTH",
            AuthParameters={"REFRESH_TOKEN": old["RefreshToken"]},
        )
    fresh = sign_in(idp, client_id, "ann")
    assert idp.get_user(AccessToken=fresh["AccessToken"])["Username"] == "ann"


def test_disabling_another_user_leaves_yours_alone(idp: Any, pool_id: str, client_id: str) -> None:
    make_user(idp, pool_id, "ann")
    make_user(idp, pool_id, "bob")
    bob = sign_in(idp, client_id, "bob")
    idp.admin_disable_user(UserPoolId=pool_id, Username="ann")
    assert idp.get_user(AccessToken=bob["AccessToken"])["Username"] == "bob"


@pytest.mark.parametrize("action", ["admin_disable_user", "admin_enable_user"])
def test_an_unknown_user_is_not_found(idp: Any, pool_id: str, action: str) -> None:
    with pytest.raises(idp.exceptions.UserNotFoundException):
        getattr(idp, action)(UserPoolId=pool_id, Username="nobody")
