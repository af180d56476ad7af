"""Hostile answers for the SDK's parsers: hypothesis strategies that spoil a good Cognito
answer (a field missing, a value of the wrong type, an HTML error page, truncated or
deeply nested JSON, a huge body, an unknown challenge or error code, a strange status),
and the tally the reliability report reads.

A scenario is a script of good answers and the user calls that consume them; the
property tests replay the script with one answer spoiled, and whatever happens must be
the call succeeding or a :class:`~cognito_identity.errors.CognitoError`.
"""

from __future__ import annotations

import json
import os
import threading
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from hypothesis import strategies as st

from cognito_identity._protocol import HttpResponse
from cognito_identity.errors import CognitoError

#: Set to a file path, the tests add their outcome counts to it (scripts/reliability.sh).
COUNTS_ENV = "COGNITO_MALFORMED_COUNTS"
#: Set to a number, it replaces each property's example count (the report runs more).
EXAMPLES_ENV = "COGNITO_MALFORMED_EXAMPLES"

JSON_TYPE = {"Content-Type": "application/x-amz-json-1.1"}
HTML_PAGE = (
    b"<!DOCTYPE html><html><head><title>502 Bad Gateway</title></head>"
    b"<body><h1>502 Bad Gateway</h1><hr><center>nginx</center></body></html>"
)
HUGE = 1 << 20  # one MiB: as large as a real transport would read

_WRONG_VALUES: list[Any] = [
    None,
    True,
    False,
    0,
    -1,
    2**70,
    1.5,
    float("nan"),
    float("inf"),
    "",
    "x",
    "\u0000",
    [],
    [None],
    ["x", 1],
    {},
    {"Name": 1},
]

Path_ = tuple[Any, ...]


def examples(default: int) -> int:
    """How many examples each property runs: ``default``, or the report's count."""
    return int(os.environ.get(EXAMPLES_ENV, default))


def _paths(value: Any, prefix: Path_ = ()) -> Iterator[Path_]:
    """Every path to a value inside ``value`` (dict keys and list indexes)."""
    if isinstance(value, dict):
        for key, item in value.items():
            yield (*prefix, key)
            yield from _paths(item, (*prefix, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield (*prefix, index)
            yield from _paths(item, (*prefix, index))


def _copy(value: Any) -> Any:
    result: Any = json.loads(json.dumps(value))
    return result


def _replace(answer: dict[str, Any], path: Path_, value: Any, drop: bool) -> dict[str, Any]:
    spoiled = _copy(answer)
    parent: Any = spoiled
    for step in path[:-1]:
        parent = parent[step]
    if drop:
        del parent[path[-1]]
    else:
        parent[path[-1]] = value
    return spoiled


def _encode(document: Any, status: int = 200) -> HttpResponse:
    return HttpResponse(status, JSON_TYPE, json.dumps(document).encode())


def spoiled(good: dict[str, Any]) -> st.SearchStrategy[tuple[str, HttpResponse]]:
    """A spoilt version of the good answer ``good``, tagged with the kind of damage."""
    paths = list(_paths(good))
    kinds: list[st.SearchStrategy[tuple[str, HttpResponse]]] = [
        st.sampled_from([200, 400, 403, 500, 502, 503]).map(
            lambda status: (
                "html page",
                HttpResponse(status, {"Content-Type": "text/html"}, HTML_PAGE),
            )
        ),
        st.integers(0, max(len(json.dumps(good)) - 1, 0)).map(
            lambda cut: (
                "truncated json",
                HttpResponse(200, JSON_TYPE, json.dumps(good).encode()[:cut]),
            )
        ),
        st.sampled_from(
            [b"[" * 100_000, b'{"a":' * 100_000, b"[]", b'"text"', b"null", b"1e999"]
        ).map(lambda body: ("not an object", HttpResponse(200, JSON_TYPE, body))),
        st.binary(max_size=64).map(lambda body: ("bytes", HttpResponse(200, JSON_TYPE, body))),
        st.just(("huge body", _encode({**good, "Padding": "x" * HUGE}))),
        st.tuples(
            st.sampled_from([100, 201, 204, 301, 302, 304, 404, 418, 429, 500, 599, 999]),
            st.booleans(),
        ).map(
            lambda pick: (
                "status code",
                HttpResponse(pick[0], JSON_TYPE, json.dumps(good).encode() if pick[1] else b""),
            )
        ),
        st.tuples(
            st.one_of(st.text(max_size=40), st.sampled_from(["", "#", ":", "a#b:c"])),
            st.sampled_from([400, 403, 404, 429, 500, 503]),
            st.one_of(st.none(), st.integers(), st.text(max_size=20), st.just("m" * 5000)),
        ).map(
            lambda pick: (
                "unknown error code",
                _encode({"__type": pick[0], "message": pick[2]}, pick[1]),
            )
        ),
        st.text(max_size=30).map(
            lambda name: (
                "unknown challenge",
                _encode({**good, "ChallengeName": name, "ChallengeParameters": {}}),
            )
        ),
    ]
    if paths:
        chosen = st.sampled_from(paths)
        kinds.append(
            chosen.map(lambda path: ("missing field", _encode(_replace(good, path, None, True))))
        )
        kinds.append(
            st.tuples(chosen, st.sampled_from(_WRONG_VALUES)).map(
                lambda pick: ("wrong type", _encode(_replace(good, pick[0], pick[1], False)))
            )
        )
    return st.one_of(kinds)


def spoiled_step(script: list[dict[str, Any]]) -> st.SearchStrategy[tuple[int, str, HttpResponse]]:
    """One step of ``script`` and its spoilt answer."""
    return st.integers(0, len(script) - 1).flatmap(
        lambda step: spoiled(script[step]).map(lambda damage: (step, *damage))
    )


class Tally:
    """Outcomes per kind of damage: ``typed`` (a CognitoError), ``accepted`` (the call
    succeeded anyway) and ``untyped`` (anything else: a bug)."""

    def __init__(self) -> None:
        self.counts: Counter[str] = Counter()
        self._lock = threading.Lock()

    def record(self, kind: str, outcome: BaseException | None) -> None:
        if outcome is None:
            verdict = "accepted"
        elif isinstance(outcome, CognitoError):
            verdict = "typed"
        else:
            verdict = "untyped"
        with self._lock:
            self.counts[f"{kind}|{verdict}"] += 1

    def flush(self) -> None:
        """Add the counts to the file named by ``COGNITO_MALFORMED_COUNTS``, if set."""
        target = os.environ.get(COUNTS_ENV)
        if not target or not self.counts:
            return
        path = Path(target)
        total: Counter[str] = Counter(json.loads(path.read_text()) if path.exists() else {})
        total.update(self.counts)
        path.write_text(json.dumps(dict(total), indent=1, sort_keys=True))
        self.counts.clear()


TALLY = Tally()
