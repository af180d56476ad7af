"""The Locust user classes: every step of every scenario is a request event with the
issue's name, whole flows are events of their own, and failures carry Cognito's code."""

from __future__ import annotations

import dataclasses
from typing import Any

from cognito_identity.loadtest.target import Target, TestUser

from .conftest import HERE, needs_locust, run_users

pytestmark = needs_locust

CALL, FLOW, CPU = "cognito", "flow", "cpu"


def _counts(stats: dict[str, Any]) -> dict[str, int]:
    return {name: entry["count"] for name, entry in stats["entries"].items()}


def _no_failures(stats: dict[str, Any]) -> None:
    assert stats["errors"] == [], stats["errors"]
    assert stats["exceptions"] == [], stats["exceptions"]


#: What each scenario must have fired before its run stops: its steps and flows (a busy
#: machine may need far longer than a quiet one for the first login, so no fixed time).
FIRES = {
    "login": {
        f"{CALL} InitiateAuth USER_SRP_AUTH": 1,
        f"{CALL} RespondToAuthChallenge PASSWORD_VERIFIER": 1,
        f"{CPU} srp client math": 1,
        f"{FLOW} login (SRP)": 1,
    },
    "login+refresh": {f"{CALL} REFRESH_TOKEN_AUTH": 1, f"{FLOW} refresh": 1},
    # More refreshes than the two sign-ins up front.
    "refresh": {"setup session": 2, f"{FLOW} refresh": 3},
    "signup+confirm": {
        f"{CALL} SignUp": 1,
        f"{CALL} ConfirmSignUp": 1,
        f"{FLOW} signup+confirm": 1,
    },
    "mixed": {f"{FLOW} login (SRP)": 1},
}


def test_every_scenario_fires_its_steps_and_flows(target: Target) -> None:
    runs = run_users(target, *FIRES, seconds=60, until=FIRES)

    login = runs["login"]
    _no_failures(login)
    counts = _counts(login)
    logins = counts[f"{FLOW} login (SRP)"]
    assert logins > 0
    # Retries are off and nothing failed: one call of each step per login, and the SRP
    # math of each login timed once (a login may be cut short when the run stops).
    assert counts[f"{CALL} InitiateAuth USER_SRP_AUTH"] in (logins, logins + 1, logins + 2)
    assert counts[f"{CALL} RespondToAuthChallenge PASSWORD_VERIFIER"] == logins
    assert counts[f"{CPU} srp client math"] == logins
    assert login["entries"][f"{CPU} srp client math"]["p50"] >= 1  # milliseconds of CPU

    both = runs["login+refresh"]
    _no_failures(both)
    counts = _counts(both)
    assert counts[f"{FLOW} refresh"] > 0
    assert counts[f"{CALL} REFRESH_TOKEN_AUTH"] == counts[f"{FLOW} refresh"]
    assert counts[f"{FLOW} refresh"] <= counts[f"{FLOW} login (SRP)"]

    storm = runs["refresh"]
    _no_failures(storm)
    counts = _counts(storm)
    # Each of the two users signed in once up front, then only refreshed.
    assert counts["setup session"] == 2
    assert f"{FLOW} login (SRP)" not in counts
    assert counts[f"{FLOW} refresh"] > counts["setup session"]

    signups = runs["signup+confirm"]
    _no_failures(signups)
    counts = _counts(signups)
    assert counts[f"{FLOW} signup+confirm"] > 0
    assert counts[f"{CALL} SignUp"] >= counts[f"{CALL} ConfirmSignUp"]
    assert counts[f"{CALL} ConfirmSignUp"] == counts[f"{FLOW} signup+confirm"]

    mixed = runs["mixed"]
    _no_failures(mixed)
    assert _counts(mixed)[f"{FLOW} login (SRP)"] > 0


def test_password_and_user_auth_logins_and_a_users_own_subclass(target: Target) -> None:
    user_auth = dataclasses.replace(target, auth_flow="USER_AUTH")
    custom_user = f"{HERE / 'custom_locustfile.py'}:ProfileUser"
    fired = {
        "login": {f"{FLOW} login (USER_AUTH)": 1},
        custom_user: {f"{FLOW} login (USER_PASSWORD_AUTH)": 1, f"{CALL} GetUser": 1},
    }
    runs = run_users(user_auth, "login", custom_user, seconds=60, until=fired)

    choice = runs["login"]
    _no_failures(choice)
    counts = _counts(choice)
    assert counts[f"{FLOW} login (USER_AUTH)"] > 0
    assert f"{CALL} InitiateAuth USER_AUTH" in counts
    assert f"{CPU} srp client math" not in counts  # first factor PASSWORD: no SRP

    custom = runs[custom_user]
    _no_failures(custom)
    counts = _counts(custom)
    assert counts[f"{FLOW} login (USER_PASSWORD_AUTH)"] > 0
    assert counts[f"{CALL} GetUser"] >= counts[f"{FLOW} login (USER_PASSWORD_AUTH)"] - 2


def test_a_wrong_password_is_recorded_under_cognitos_code(target: Target) -> None:
    wrong = dataclasses.replace(
        target, users=[TestUser(user.username, "Not-The-Passw0rd!") for user in target.users]
    )
    stats = run_users(wrong, "login")["login"]
    assert stats["exceptions"] == []
    by_name = {(method, name): (code, count) for method, name, code, count in stats["errors"]}
    code, failed = by_name[(FLOW, "login (SRP)")]
    assert code == "NotAuthorizedException"
    assert by_name[(CALL, "RespondToAuthChallenge PASSWORD_VERIFIER")][0] == code
    entry = stats["entries"][f"{FLOW} login (SRP)"]
    # Every login failed, and each failure is counted under its code.
    assert entry["failures"] == entry["count"] == failed
    # A failed login did no verifier math worth reporting: it never got tokens.
    assert f"{CPU} srp client math" not in stats["entries"]


def test_each_call_event_has_the_size_of_cognitos_answer(target: Target) -> None:
    answers = [
        f"{CALL} InitiateAuth USER_SRP_AUTH",
        f"{CALL} RespondToAuthChallenge PASSWORD_VERIFIER",
        f"{CALL} REFRESH_TOKEN_AUTH",
    ]
    fired = {"login+refresh": dict.fromkeys(answers, 1)}
    stats = run_users(target, "login+refresh", seconds=60, users=1, until=fired)["login+refresh"]
    _no_failures(stats)
    length = {name: entry["avg_length"] for name, entry in stats["entries"].items()}
    # The SRP challenge carries SRP_B (768 hex digits) and the salt; a sign-in answer
    # three tokens, a refresh two: sizes the hook took from the answers as received.
    assert 800 < length[f"{CALL} InitiateAuth USER_SRP_AUTH"] < 4000
    assert length[f"{CALL} RespondToAuthChallenge PASSWORD_VERIFIER"] > 1500
    assert length[f"{CALL} REFRESH_TOKEN_AUTH"] > 1000
    assert (
        length[f"{CALL} REFRESH_TOKEN_AUTH"]
        < length[f"{CALL} RespondToAuthChallenge PASSWORD_VERIFIER"]
    )
    assert length[f"{FLOW} login (SRP)"] == 0  # a whole flow is not one answer
