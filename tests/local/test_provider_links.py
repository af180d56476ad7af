"""AdminLinkProviderForUser and AdminDisableProviderForUser through boto3, with the
federated sign-ins they change done as a browser does them (requests with a cookie jar,
through two local pools)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from botocore.exceptions import ClientError
from hosted_ui import CALLBACK, pkce

from cognito_identity.jwt import JsonWebKeySet
from cognito_identity.local import LocalCognito

from .test_oauth_federation import Federation


@pytest.fixture
def federation() -> Iterator[Federation]:
    # Real clocks on both: the downstream pool checks the upstream id token's expiry.
    with LocalCognito() as upstream, LocalCognito() as downstream:
        federation = Federation(upstream, downstream)
        federation.idp.admin_create_user(
            UserPoolId=federation.pool_id,
            Username="ann.smith",
            UserAttributes=[{"Name": "email", "Value": "ann.smith@example.com"}],
            MessageAction="SUPPRESS",
        )
        yield federation


def _upstream_sub(federation: Federation) -> str:
    user = federation.upstream_idp.admin_get_user(
        UserPoolId=federation.upstream.pool_id, Username="ann"
    )
    return str(next(a["Value"] for a in user["UserAttributes"] if a["Name"] == "sub"))


def _link(federation: Federation, attribute: str, value: str, username: str = "ann.smith") -> Any:
    return federation.idp.admin_link_provider_for_user(
        UserPoolId=federation.pool_id,
        DestinationUser={"ProviderName": "Cognito", "ProviderAttributeValue": username},
        SourceUser={
            "ProviderName": "Upstream",
            "ProviderAttributeName": attribute,
            "ProviderAttributeValue": value,
        },
    )


def _disable_identity(federation: Federation, subject: str) -> None:
    """AdminDisableProviderForUser for the upstream identity with ``subject``."""
    federation.idp.admin_disable_provider_for_user(
        UserPoolId=federation.pool_id,
        User={
            "ProviderName": "Upstream",
            "ProviderAttributeName": "Cognito_Subject",
            "ProviderAttributeValue": subject,
        },
    )


def _federated_claims(federation: Federation) -> dict[str, Any]:
    """A whole federated sign-in from a fresh browser: the downstream id token's claims."""
    federation.http.cookies.clear()
    verifier, challenge = pkce()
    tokens = federation.exchange(federation.sign_in_upstream(challenge), verifier)
    jwks = federation.http.get(
        f"{federation.endpoint}/{federation.pool_id}/.well-known/jwks.json", timeout=10
    )
    return dict(JsonWebKeySet.from_json(jwks.text).verify(tokens["id_token"]))


def _usernames(federation: Federation) -> list[str]:
    users = federation.idp.list_users(UserPoolId=federation.pool_id)["Users"]
    return sorted(user["Username"] for user in users)


def _identities(federation: Federation, username: str) -> list[dict[str, Any]]:
    user = federation.idp.admin_get_user(UserPoolId=federation.pool_id, Username=username)
    found = [a["Value"] for a in user["UserAttributes"] if a["Name"] == "identities"]
    return json.loads(found[0]) if found else []


def test_a_linked_identity_signs_in_as_the_native_user(federation: Federation) -> None:
    subject = _upstream_sub(federation)
    _link(federation, "Cognito_Subject", subject)
    [identity] = _identities(federation, "ann.smith")
    assert identity["providerName"] == "Upstream" and identity["userId"] == subject
    native = federation.idp.admin_get_user(UserPoolId=federation.pool_id, Username="ann.smith")
    native_sub = next(a["Value"] for a in native["UserAttributes"] if a["Name"] == "sub")
    claims = _federated_claims(federation)
    assert claims["cognito:username"] == "ann.smith" and claims["sub"] == native_sub
    assert claims["identities"][0]["userId"] == subject
    # The mapping still applies; no user of its own, and (as in Cognito) not in the
    # provider's group.
    assert claims["email"] == "ann@example.com"
    assert "cognito:groups" not in claims
    assert _usernames(federation) == ["ann.smith"]


def test_a_link_by_a_mapped_attribute_then_disabled(federation: Federation) -> None:
    _link(federation, "email", "ann@example.com")
    assert _identities(federation, "ann.smith") == []  # its subject is not known yet
    assert _federated_claims(federation)["cognito:username"] == "ann.smith"
    subject = _upstream_sub(federation)
    assert [i["userId"] for i in _identities(federation, "ann.smith")] == [subject]
    # Named by the subject it signed in with, the identity is unlinked: the next
    # federated sign-in is a user of its own.
    _disable_identity(federation, subject)
    assert _identities(federation, "ann.smith") == []
    assert _federated_claims(federation)["cognito:username"] == f"Upstream_{subject}"
    assert _usernames(federation) == sorted(["ann.smith", f"Upstream_{subject}"])


def test_disabling_a_federated_users_provider_stops_its_sign_in(federation: Federation) -> None:
    subject = _upstream_sub(federation)
    _federated_claims(federation)
    _disable_identity(federation, subject)
    user = federation.idp.admin_get_user(
        UserPoolId=federation.pool_id, Username=f"Upstream_{subject}"
    )
    assert user["Enabled"] is False
    federation.http.cookies.clear()
    back = federation.sign_in_upstream(pkce()[1])
    assert back.startswith(CALLBACK + "?")
    query = parse_qs(urlsplit(back).query)
    assert query["error"] == ["invalid_request"]
    assert query["error_description"] == ["User is disabled."]


def _error(call: Any) -> str:
    with pytest.raises(ClientError) as raised:
        call()
    return str(raised.value.response["Error"]["Code"])


def test_links_are_refused_as_cognito_refuses_them(federation: Federation) -> None:
    idp, pool_id = federation.idp, federation.pool_id
    subject = _upstream_sub(federation)
    assert _error(lambda: _link(federation, "Cognito_Subject", "x", "nobody")) == (
        "UserNotFoundException"
    )
    unknown = {
        "ProviderName": "Elsewhere",
        "ProviderAttributeName": "Cognito_Subject",
        "ProviderAttributeValue": "x",
    }
    native = {"ProviderName": "Cognito", "ProviderAttributeValue": "ann.smith"}
    for source in (unknown, {**unknown, "ProviderName": "Cognito"}, {"ProviderName": "Upstream"}):
        refused = _error(
            lambda source=source: idp.admin_link_provider_for_user(
                UserPoolId=pool_id, DestinationUser=native, SourceUser=source
            )
        )
        assert refused == "InvalidParameterException"
    _link(federation, "Cognito_Subject", "first")
    _link(federation, "Cognito_Subject", "first")  # the same link again changes nothing
    idp.admin_create_user(UserPoolId=pool_id, Username="bob", MessageAction="SUPPRESS")
    assert _error(lambda: _link(federation, "Cognito_Subject", "first", "bob")) == (
        "AliasExistsException"
    )
    for n in range(4):
        _link(federation, "Cognito_Subject", f"more-{n}")
    assert _error(lambda: _link(federation, "Cognito_Subject", "sixth")) == (
        "LimitExceededException"
    )
    # An identity that already signed in has a user of its own: not linked afterwards.
    _federated_claims(federation)
    assert _error(lambda: _link(federation, "Cognito_Subject", subject, "bob")) == (
        "InvalidParameterException"
    )
    nothing = {
        "ProviderName": "Upstream",
        "ProviderAttributeName": "Cognito_Subject",
        "ProviderAttributeValue": "never-linked",
    }
    assert _error(
        lambda: idp.admin_disable_provider_for_user(UserPoolId=pool_id, User=nothing)
    ) == ("UserNotFoundException")
    assert _error(
        lambda: idp.admin_disable_provider_for_user(UserPoolId=pool_id, User=unknown)
    ) == ("InvalidParameterException")


def test_deleting_the_user_deletes_its_links(federation: Federation) -> None:
    _link(federation, "Cognito_Subject", _upstream_sub(federation))
    federation.idp.admin_delete_user(UserPoolId=federation.pool_id, Username="ann.smith")
    assert _federated_claims(federation)["cognito:username"].startswith("Upstream_")
