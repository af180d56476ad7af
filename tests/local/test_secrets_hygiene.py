"""The local pool keeps its secrets: it listens on loopback unless told otherwise (and says
so loudly when told), and compares MACs, codes and secret hashes in constant time."""

from __future__ import annotations

import ast
import logging
import re
from pathlib import Path

import pytest

import cognito_identity.local
from cognito_identity.local import LocalCognito

LOCAL = Path(cognito_identity.local.__file__).parent

# Names under which the local pool holds a secret or what is checked against one.
_SECRET_NAME = re.compile(
    r"\b\w*(code|secret|secret_hash|signature|mac|digest|verifier|given|expected|proof)\b",
    re.IGNORECASE,
)
# Constants (SOFTWARE_TOKEN_MFA) and challenge or factor names are not secrets.
_HARMLESS = re.compile(r"^(_?[A-Z][A-Z0-9_]*|.*\.[A-Z][A-Z0-9_]*|.*\.name|.*\.code)$")
# Public values under secret-like names, by file: the signed header names travel in clear
# in the Authorization header, and a POST policy's conditions in the policy the form sends.
_PUBLIC = {
    "iam.py": {"expected.signed_headers != match['headers']"},
    "post_policy.py": {"value == expected"},
}


def _plain_comparisons_of_secrets(source: str) -> list[str]:
    """Every ``==`` / ``!=`` in ``source`` between two non-constant values where one is
    named like a secret: such a comparison stops at the first differing byte."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if not isinstance(node, ast.Compare):
            continue
        if not any(isinstance(op, (ast.Eq, ast.NotEq)) for op in node.ops):
            continue
        operands = [node.left, *node.comparators]
        if any(isinstance(operand, ast.Constant) for operand in operands):
            continue
        texts = [ast.unparse(operand) for operand in operands]
        if any(_HARMLESS.match(text) for text in texts):
            continue
        if any(_SECRET_NAME.search(text) for text in texts):
            found.append(f"line {node.lineno}: {ast.unparse(node)}")
    return found


def test_the_scan_finds_a_plain_comparison_of_a_secret() -> None:
    leaky = "def check(client, given):\n    return given == client.secret\n"
    safe = (
        "def check(client, given, factor):\n"
        "    return hmac.compare_digest(given, client.secret) and factor == SMS_MFA\n"
    )
    assert _plain_comparisons_of_secrets(leaky) == ["line 2: given == client.secret"]
    assert _plain_comparisons_of_secrets(safe) == []


def test_the_local_pool_compares_secrets_in_constant_time() -> None:
    leaks = {}
    for path in sorted(LOCAL.rglob("*.py")):
        public = _PUBLIC.get(path.name, set())
        found = [
            line
            for line in _plain_comparisons_of_secrets(path.read_text())
            if line.partition(": ")[2] not in public
        ]
        if found:
            leaks[str(path.relative_to(LOCAL))] = found
    assert leaks == {}
    # And the comparisons it makes go through hmac.compare_digest (or Rust's).
    uses = sum(path.read_text().count("compare_digest(") for path in LOCAL.rglob("*.py"))
    assert uses >= 10


def test_the_local_pool_binds_loopback_by_default_and_quietly(
    caplog: pytest.LogCaptureFixture,
) -> None:
    with caplog.at_level(logging.WARNING, logger="cognito_identity.local"), LocalCognito() as local:
        assert local.endpoint.startswith("http://127.0.0.1:")
    assert not [r for r in caplog.records if "not loopback" in r.getMessage()]


def test_any_other_address_is_warned_about(caplog: pytest.LogCaptureFixture) -> None:
    warn = caplog.at_level(logging.WARNING, logger="cognito_identity.local")
    with warn, LocalCognito(host="0.0.0.0") as local:
        endpoint = local.endpoint
    warnings = [r for r in caplog.records if r.levelno == logging.WARNING]
    assert len(warnings) == 1
    assert "not loopback" in warnings[0].getMessage() and endpoint in warnings[0].getMessage()
