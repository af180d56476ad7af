"""The target a run hands its users (and a master its workers), and ``--fail-on`` rules."""

from __future__ import annotations

from pathlib import Path

import pytest

from cognito_identity.errors import InvalidConfigurationError
from cognito_identity.loadtest.target import Target, TestUser
from cognito_identity.loadtest.thresholds import broken_rules, parse_rules


def test_a_target_travels_as_plain_data_and_hides_its_secrets() -> None:
    target = Target(
        "http://127.0.0.1:9229",
        "us-east-1_Pool1",
        "client",
        users=[TestUser("ana", "Ana-Passw0rd!"), TestUser("bo", "Bo-Passw0rd!")],
        client_secret="app-secret",
        auth_flow="USER_PASSWORD_AUTH",
        retries=3,
    )
    again = Target.from_dict(target.to_dict())
    assert again == target
    assert [again.next_user().username for _ in range(3)] == ["ana", "bo", "ana"]
    for secret in ("Passw0rd", "app-secret"):
        assert secret not in repr(target)
    with pytest.raises(InvalidConfigurationError, match="malformed"):
        Target.from_dict({"endpoint": "http://x"})
    with pytest.raises(InvalidConfigurationError, match="unknown auth flow"):
        Target("http://x", "us-east-1_P", "c", auth_flow="CUSTOM_AUTH")


def test_a_locustfile_run_by_locust_reads_its_target_from_the_environment(
    tmp_path: Path,
) -> None:
    listing = tmp_path / "users.csv"
    listing.write_text("ana\nbo,Own-Passw0rd!\n", encoding="utf-8")
    target = Target.from_env(
        {
            "COGNITO_ENDPOINT": "http://127.0.0.1:9229",
            "COGNITO_USER_POOL_ID": "us-east-1_Pool1",
            "COGNITO_CLIENT_ID": "client",
            "COGNITO_LOADTEST_USERS": str(listing),
            "COGNITO_LOADTEST_PASSWORD": "Shared-Passw0rd!",
        }
    )
    assert [(user.username, user.password) for user in target.users] == [
        ("ana", "Shared-Passw0rd!"),
        ("bo", "Own-Passw0rd!"),
    ]
    assert target.confirm == "outbox"  # loopback: the local pool's outbox has the codes
    with pytest.raises(InvalidConfigurationError, match="COGNITO_USER_POOL_ID"):
        Target.from_env({"COGNITO_ENDPOINT": "http://x", "COGNITO_CLIENT_ID": "c"})


def test_fail_on_rules_read_whole_flow_and_step_figures() -> None:
    summary = {
        "p95_ms": 420,
        "error_rate": 0.02,
        "logins_per_s": 150.0,
        "steps": {"login (SRP)": {"count": 100, "failures": 5, "p99_ms": 900}},
    }
    rules = parse_rules("p95_ms<500, error_rate<0.01,logins_per_s>=100,login (SRP):p99_ms<=800")
    assert [str(rule) for rule in rules] == [
        "p95_ms<500",
        "error_rate<0.01",
        "logins_per_s>=100",
        "login (SRP):p99_ms<=800",
    ]
    assert broken_rules(rules, summary) == [
        "error_rate<0.01: was 0.02",
        "login (SRP):p99_ms<=800: was 900",
    ]
    assert broken_rules(parse_rules("login (SRP):error_rate<0.1"), summary) == []
    assert broken_rules(parse_rules("refresh:count>0"), summary) == [
        "refresh:count>0: no such figure in this run"
    ]
    with pytest.raises(ValueError, match="unknown --fail-on metric 'rps'"):
        parse_rules("rps>1")
