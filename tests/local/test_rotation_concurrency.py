"""Refresh token rotation under 16 concurrent GetTokensFromRefreshToken calls over real
HTTP: a token inside its grace period is never refused, and a token past it (or any
used token, with a grace period of 0) is never accepted."""

from __future__ import annotations

import json
import threading
from collections import Counter
from typing import Any

import requests

from cognito_identity.local import LocalCognito, ManualClock

from .conftest import TARGET
from .helpers import make_user, sign_in

THREADS = 16
ROUNDS = 8


def _rotating_client(idp: Any, pool_id: str, grace: int) -> str:
    return str(
        idp.create_user_pool_client(
            UserPoolId=pool_id,
            ClientName=f"grace-{grace}",
            ExplicitAuthFlows=["ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
            RefreshTokenRotation={"Feature": "ENABLED", "RetryGracePeriodSeconds": grace},
        )["UserPoolClient"]["ClientId"]
    )


def _refresh_all_at_once(
    endpoint: str, client_id: str, tokens: list[str]
) -> list[tuple[int, dict[str, Any]]]:
    """GetTokensFromRefreshToken for each of ``tokens``, one thread each, started together;
    each answer as (HTTP status, body)."""
    barrier = threading.Barrier(len(tokens))
    answers: list[tuple[int, dict[str, Any]]] = [(0, {})] * len(tokens)

    def refresh(i: int) -> None:
        with requests.Session() as http:
            barrier.wait()
            reply = http.post(
                endpoint + "/",
                data=json.dumps({"ClientId": client_id, "RefreshToken": tokens[i]}),
                headers={
                    "Content-Type": "application/x-amz-json-1.1",
                    "X-Amz-Target": TARGET + "GetTokensFromRefreshToken",
                },
                timeout=60,
            )
            answers[i] = (reply.status_code, reply.json())

    threads = [threading.Thread(target=refresh, args=(i,)) for i in range(len(tokens))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return answers


def _outcomes(answers: list[tuple[int, dict[str, Any]]]) -> Counter[str]:
    return Counter("ok" if status == 200 else str(body["__type"]) for status, body in answers)


def test_in_grace_tokens_are_never_refused(idp: Any, local: LocalCognito, pool_id: str) -> None:
    client_id = _rotating_client(idp, pool_id, grace=60)
    make_user(idp, pool_id, "ann")
    token = sign_in(idp, client_id, "ann")["RefreshToken"]
    for _ in range(ROUNDS):
        answers = _refresh_all_at_once(local.endpoint, client_id, [token] * THREADS)
        assert _outcomes(answers) == Counter({"ok": THREADS})
        new_tokens = {body["AuthenticationResult"]["RefreshToken"] for _, body in answers}
        assert len(new_tokens) == THREADS and token not in new_tokens
        # Next round: one of the tokens just handed out (all but one rotated out already).
        token = sorted(new_tokens)[0]


def test_with_no_grace_a_token_works_once(idp: Any, local: LocalCognito, pool_id: str) -> None:
    client_id = _rotating_client(idp, pool_id, grace=0)
    make_user(idp, pool_id, "ann")
    token = sign_in(idp, client_id, "ann")["RefreshToken"]
    for _ in range(ROUNDS):
        answers = _refresh_all_at_once(local.endpoint, client_id, [token] * THREADS)
        assert _outcomes(answers) == Counter({"ok": 1, "RefreshTokenReuseException": THREADS - 1})
        (token,) = [body["AuthenticationResult"]["RefreshToken"] for s, body in answers if s == 200]


def test_past_the_grace_period_old_tokens_are_refused_while_the_new_one_works(
    idp: Any, local: LocalCognito, clock: ManualClock, pool_id: str
) -> None:
    client_id = _rotating_client(idp, pool_id, grace=5)
    make_user(idp, pool_id, "ann")
    old = sign_in(idp, client_id, "ann")["RefreshToken"]
    answer = idp.get_tokens_from_refresh_token(ClientId=client_id, RefreshToken=old)
    current = answer["AuthenticationResult"]["RefreshToken"]
    clock.advance(4)  # still inside the grace period
    in_grace = _refresh_all_at_once(local.endpoint, client_id, [old] * THREADS)
    assert _outcomes(in_grace) == Counter({"ok": THREADS})
    clock.advance(2)  # 6 s after the rotation: past it
    mixed = _refresh_all_at_once(local.endpoint, client_id, [old, current] * (THREADS // 2))
    old_outcomes = _outcomes(mixed[0::2])
    assert old_outcomes == Counter({"RefreshTokenReuseException": THREADS // 2})
    # The current token was rotated out by those in-grace refreshes too, but only just.
    assert _outcomes(mixed[1::2]) == Counter({"ok": THREADS // 2})
