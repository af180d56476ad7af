"""Test users: provisioned with admin calls (twice is harmless), removed, or read from a
CSV file; passwords from a file or the environment."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pytest
import requests

from cognito_identity import AuthenticationDetails, CognitoUser, CognitoUserPool
from cognito_identity.client import CognitoClient
from cognito_identity.errors import InvalidConfigurationError, UserNotFoundException
from cognito_identity.loadtest.localpool import create_pool
from cognito_identity.loadtest.provision import (
    PASSWORD_ENV,
    admin_api,
    cleanup_signups,
    cleanup_users,
    numbered_usernames,
    provision_users,
    read_password,
    read_users_csv,
    usernames_starting_with,
)
from cognito_identity.loadtest.target import Target, TestUser
from cognito_identity.local import LocalCognito


def _signs_in(pool: CognitoUserPool, user: TestUser) -> bool:
    session = CognitoUser(user.username, pool).authenticate_user(
        AuthenticationDetails(user.username, user.password)
    )
    return session.is_valid()


def test_provisioning_twice_leaves_users_that_sign_in_and_cleanup_removes_them(
    local: LocalCognito,
) -> None:
    pool_id, client_id = create_pool(local.endpoint, name="provision")
    names = numbered_usernames(3, prefix="shopper")
    assert names == ["shopper-000000", "shopper-000001", "shopper-000002"]
    target = Target(local.endpoint, pool_id, client_id)
    admin = admin_api(target)
    first = [TestUser(name, "First-Passw0rd!") for name in names]
    provision_users(admin, pool_id, first, parallel=3)
    # A second run (a new password, say) neither fails on the users it finds nor
    # leaves them with the old password.
    second = [TestUser(name, "Second-Passw0rd!") for name in names]
    provision_users(admin, pool_id, second, parallel=3)
    pool = CognitoUserPool(pool_id, client_id, endpoint=local.endpoint)
    assert all(_signs_in(pool, user) for user in second)

    cleanup_users(admin, pool_id, names)
    for name in names:
        with pytest.raises(UserNotFoundException):
            admin.call("AdminGetUser", {"UserPoolId": pool_id, "Username": name})
    cleanup_users(admin, pool_id, names)  # nothing left to remove: still fine


def test_cleanup_of_sign_ups_finds_every_user_with_the_runs_prefix_page_by_page(
    local: LocalCognito,
) -> None:
    pool_id, client_id = create_pool(local.endpoint, name="signups")
    admin = admin_api(Target(local.endpoint, pool_id, client_id))
    # More than one ListUsers page (60) of this run's sign-ups, and users it did not make.
    mine = numbered_usernames(65, prefix="loadtest-signup-run1")
    others = ["loadtest-signup-run2-000000", "loadtest-signup-run", "alice"]
    for name in mine + others:
        admin.call("AdminCreateUser", {"UserPoolId": pool_id, "Username": name})
    assert sorted(usernames_starting_with(admin, pool_id, "loadtest-signup-run1-")) == mine
    assert cleanup_signups(admin, pool_id, "loadtest-signup-run1-") == 65
    left = admin.call("ListUsers", {"UserPoolId": pool_id})["Users"]
    assert sorted(user["Username"] for user in left) == sorted(others)
    with pytest.raises(InvalidConfigurationError, match="quotes"):
        usernames_starting_with(admin, pool_id, 'run" or "')


def test_cleanup_of_sign_ups_also_finds_one_that_lands_after_its_first_listing(
    local: LocalCognito,
) -> None:
    # A sign-up cut short at the end of a run may reach the pool after cleanup listed it.
    pool_id, client_id = create_pool(local.endpoint, name="late-signup")
    admin = admin_api(Target(local.endpoint, pool_id, client_id))
    admin.call("AdminCreateUser", {"UserPoolId": pool_id, "Username": "loadtest-signup-r-1"})

    class LateSignUp:
        """The admin API, with one more sign-up landing right after the first listing."""

        listings = 0

        def call(self, action: str, params: Mapping[str, Any]) -> dict[str, Any]:
            answer = admin.call(action, params)
            if action == "ListUsers":
                self.listings += 1
                if self.listings == 1:
                    late = {"UserPoolId": pool_id, "Username": "loadtest-signup-r-2"}
                    admin.call("AdminCreateUser", late)
            return answer

    late = LateSignUp()
    assert cleanup_signups(late, pool_id, "loadtest-signup-r-", settle=0.01) == 2
    assert admin.call("ListUsers", {"UserPoolId": pool_id})["Users"] == []
    assert late.listings == 3  # found one, found the late one, found nobody


def test_users_from_a_csv_file_with_or_without_their_own_passwords(tmp_path: Path) -> None:
    listing = tmp_path / "users.csv"
    listing.write_text("username,password\nana,Own-Passw0rd!\nbo\n\n", encoding="utf-8")
    users = read_users_csv(str(listing), "Shared-Passw0rd!")
    assert [(user.username, user.password) for user in users] == [
        ("ana", "Own-Passw0rd!"),
        ("bo", "Shared-Passw0rd!"),
    ]
    assert "Passw0rd" not in repr(users)
    with pytest.raises(InvalidConfigurationError, match="user 2 has no password"):
        read_users_csv(str(listing), None)
    with pytest.raises(InvalidConfigurationError, match="cannot read"):
        read_users_csv(str(tmp_path / "missing.csv"), None)


def test_the_password_comes_from_a_file_or_the_environment(tmp_path: Path) -> None:
    secret = tmp_path / "password"
    secret.write_text("From-A-F1le!\n", encoding="utf-8")
    assert read_password(str(secret), {PASSWORD_ENV: "ignored"}) == "From-A-F1le!"
    assert read_password(None, {PASSWORD_ENV: "From-The-Env1!"}) == "From-The-Env1!"
    assert read_password(None, {}) is None
    (tmp_path / "empty").write_text("", encoding="utf-8")
    with pytest.raises(InvalidConfigurationError, match="is empty"):
        read_password(str(tmp_path / "empty"), {})


def test_a_real_pools_users_are_made_with_signed_admin_calls(
    local: LocalCognito, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The local pool takes signed calls too: this is the path a real pool's users take,
    # with the IAM credentials botocore's chain finds in the environment.
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "AKIDLOADTEST")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "load-test-secret")
    pool_id, client_id = create_pool(local.endpoint, name="signed")
    target = Target(local.endpoint, pool_id, client_id, region="us-east-1", confirm="admin")
    admin = admin_api(target)
    assert isinstance(admin, CognitoClient) and admin.signer is not None
    user = TestUser("signed-user", "Signed-Passw0rd!")
    provision_users(admin, pool_id, [user])
    pool = CognitoUserPool(pool_id, client_id, endpoint=local.endpoint)
    assert _signs_in(pool, user)


def test_provisioning_rides_out_a_faulty_pool() -> None:
    with LocalCognito(faults="throttle=0.3,error=0.2,drop=0.1") as faulty:
        pool_id, client_id = create_pool(faulty.endpoint, name="faulty")
        users = [TestUser(name, "Faulty-Passw0rd!") for name in numbered_usernames(3)]
        target = Target(faulty.endpoint, pool_id, client_id, users)
        provision_users(admin_api(target), pool_id, users)
        stats = requests.get(f"{faulty.endpoint}/_local/stats", timeout=10).json()
    # Some calls failed and were tried again; every user was made all the same.
    assert stats["errors"] or any("dropped" in counts for counts in stats["requests"].values())
    assert stats["requests"]["AdminSetUserPassword"].get("200") == 3
