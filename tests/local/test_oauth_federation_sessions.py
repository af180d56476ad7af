"""Sessions across a federation of two local pools, as a browser (requests with its cookie
jar) sees them: signing in through the provider starts a session at both pools, so the
next sign-in skips both forms; prompt=login goes along to the provider."""

from __future__ import annotations

from collections.abc import Iterator
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest
from hosted_ui import CALLBACK, code_flow_client, parse_form, pkce

from cognito_identity.jwt import JsonWebKeySet
from cognito_identity.local import LocalCognito

from .test_oauth_federation import Federation


@pytest.fixture
def federation() -> Iterator[Federation]:
    # Real clocks on both: the downstream pool checks the upstream id token's expiry.
    with LocalCognito() as upstream, LocalCognito() as downstream:
        yield Federation(upstream, downstream)


def _username(federation: Federation, redirect: str, verifier: str) -> str:
    tokens = federation.exchange(redirect, verifier)
    jwks = federation.http.get(
        f"{federation.endpoint}/{federation.pool_id}/.well-known/jwks.json", timeout=10
    )
    return str(JsonWebKeySet.from_json(jwks.text).verify(tokens["id_token"])["cognito:username"])


def test_the_pools_own_page_is_skipped_for_a_federated_session(federation: Federation) -> None:
    verifier, challenge = pkce()
    first = _username(federation, federation.sign_in_upstream(challenge), verifier)
    assert first.startswith("Upstream_")
    # No identity_provider: the pool's own page would show, but the session signs in.
    verifier, challenge = pkce()
    again = federation.authorize(challenge, identity_provider="")
    assert again.status_code == 302 and again.headers["Location"].startswith(CALLBACK + "?")
    assert _username(federation, again.headers["Location"], verifier) == first


def test_the_providers_session_skips_its_form_too(federation: Federation) -> None:
    verifier, challenge = pkce()
    first = _username(federation, federation.sign_in_upstream(challenge), verifier)
    # identity_provider=Upstream goes to the provider again, whose own session answers.
    verifier, challenge = pkce()
    back = federation.follow(federation.authorize(challenge))
    assert back.status_code == 302, back.text
    assert _username(federation, back.headers["Location"], verifier) == first


def test_prompt_login_goes_along_to_the_provider(federation: Federation) -> None:
    federation.sign_in_upstream(pkce()[1])
    to_upstream = federation.authorize(pkce()[1], prompt="login")
    assert parse_qs(urlsplit(to_upstream.headers["Location"]).query)["prompt"] == ["login"]
    page = federation.follow(to_upstream)
    assert page.status_code == 200 and "password" in parse_form(page.text).fields


def test_a_client_without_the_provider_does_not_take_its_session(
    federation: Federation,
) -> None:
    federation.sign_in_upstream(pkce()[1])
    own_only = code_flow_client(federation.idp, federation.pool_id, "staff")
    query = {
        "response_type": "code",
        "client_id": own_only,
        "redirect_uri": CALLBACK,
        "scope": "openid",
    }
    page = federation.http.get(
        f"{federation.endpoint}/oauth2/authorize?{urlencode(query)}",
        allow_redirects=False,
        timeout=10,
    )
    assert page.status_code == 200 and "password" in parse_form(page.text).fields
