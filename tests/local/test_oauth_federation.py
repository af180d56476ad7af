"""Federated sign-in between two local pools, without a browser: the downstream pool's
OIDC identity provider is the upstream pool's issuer. requests follows the redirects and
posts the upstream sign-in form, as a browser would."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

import boto3
import pytest
import requests
from hosted_ui import CALLBACK, PASSWORD, HostedUi, parse_form, pkce

from cognito_identity.jwt import JsonWebKeySet
from cognito_identity.local import LocalCognito


def _admin(local: LocalCognito) -> Any:
    return boto3.client(
        "cognito-idp",
        endpoint_url=local.endpoint,
        region_name="us-east-1",
        aws_access_key_id="test",
        aws_secret_access_key="test",
    )


class Federation:
    """An upstream pool (its user ann signs in there) and a downstream pool whose app
    client offers the upstream pool as the OIDC provider "Upstream"."""

    def __init__(self, upstream: LocalCognito, downstream: LocalCognito) -> None:
        self.endpoint = downstream.endpoint
        self.upstream_idp = _admin(upstream)
        self.upstream = HostedUi(
            upstream,
            self.upstream_idp,
            GenerateSecret=True,
            AllowedOAuthScopes=["openid", "email", "profile"],
            CallbackURLs=[f"{downstream.endpoint}/oauth2/idpresponse"],
        )
        self.upstream_idp.admin_update_user_attributes(
            UserPoolId=self.upstream.pool_id,
            Username="ann",
            UserAttributes=[{"Name": "given_name", "Value": "Ann"}],
        )
        self.idp = _admin(downstream)
        self.pool_id = self.idp.create_user_pool(PoolName="shop")["UserPool"]["Id"]
        self.idp.create_identity_provider(
            UserPoolId=self.pool_id,
            ProviderName="Upstream",
            ProviderType="OIDC",
            ProviderDetails={
                "client_id": self.upstream.client_id,
                "client_secret": self.upstream.client_secret,
                "authorize_scopes": "openid email profile",
                "oidc_issuer": f"{upstream.endpoint}/{self.upstream.pool_id}",
                "attributes_request_method": "GET",
            },
            AttributeMapping={"email": "email", "given_name": "given_name"},
        )
        self.client_id = self.idp.create_user_pool_client(
            UserPoolId=self.pool_id,
            ClientName="shop-web",
            AllowedOAuthFlowsUserPoolClient=True,
            AllowedOAuthFlows=["code"],
            AllowedOAuthScopes=["openid", "email"],
            CallbackURLs=[CALLBACK],
            SupportedIdentityProviders=["COGNITO", "Upstream"],
        )["UserPoolClient"]["ClientId"]
        self.http = requests.Session()

    def authorize(self, challenge: str, **params: str) -> requests.Response:
        query = {
            "response_type": "code",
            "client_id": self.client_id,
            "redirect_uri": CALLBACK,
            "scope": "openid email",
            "state": "st-1",
            "code_challenge": challenge,
            "code_challenge_method": "S256",
            "identity_provider": "Upstream",
            **params,
        }
        return self.http.get(
            f"{self.endpoint}/oauth2/authorize?{urlencode(query)}",
            allow_redirects=False,
            timeout=10,
        )

    def follow(self, answer: requests.Response) -> requests.Response:
        """Follow redirects as a browser would, up to the app's callback (not served)."""
        while answer.status_code == 302 and not answer.headers["Location"].startswith(CALLBACK):
            answer = self.http.get(answer.headers["Location"], allow_redirects=False, timeout=10)
        return answer

    def sign_in_upstream(self, challenge: str) -> str:
        """The whole round trip; returns the downstream redirect to the app's callback."""
        page = self.follow(self.authorize(challenge))
        assert page.status_code == 200, page.text
        form = parse_form(page.text)
        assert page.url.startswith(self.upstream_idp.meta.endpoint_url + form.action)
        posted = self.http.post(
            self.upstream_idp.meta.endpoint_url + form.action,
            data={**form.fields, "username": "ann", "password": PASSWORD},
            allow_redirects=False,
            timeout=10,
        )
        back = self.follow(posted)
        assert back.status_code == 302, back.text
        return str(back.headers["Location"])

    def exchange(self, redirect: str, verifier: str) -> dict[str, Any]:
        query = parse_qs(urlsplit(redirect).query)
        assert query["state"] == ["st-1"]
        answer = self.http.post(
            f"{self.endpoint}/oauth2/token",
            data={
                "grant_type": "authorization_code",
                "client_id": self.client_id,
                "code": query["code"][0],
                "redirect_uri": CALLBACK,
                "code_verifier": verifier,
            },
            timeout=10,
        )
        assert answer.status_code == 200, answer.text
        return dict(answer.json())


@pytest.fixture
def federation() -> Iterator[Federation]:
    # Real clocks on both: the downstream pool checks the upstream id token's expiry.
    with LocalCognito() as upstream, LocalCognito() as downstream:
        yield Federation(upstream, downstream)


def test_a_user_signs_in_through_another_pool(federation: Federation) -> None:
    verifier, challenge = pkce()
    tokens = federation.exchange(federation.sign_in_upstream(challenge), verifier)
    keys = JsonWebKeySet.from_json(
        requests.get(
            f"{federation.endpoint}/{federation.pool_id}/.well-known/jwks.json", timeout=10
        ).text
    )
    claims = keys.verify(tokens["id_token"])
    upstream_sub = federation.upstream_idp.admin_get_user(
        UserPoolId=federation.upstream.pool_id, Username="ann"
    )["UserAttributes"]
    sub = next(a["Value"] for a in upstream_sub if a["Name"] == "sub")
    assert claims["cognito:username"] == f"Upstream_{sub}"
    assert claims["email"] == "ann@example.com" and claims["given_name"] == "Ann"
    assert claims["iss"] == f"{federation.endpoint}/{federation.pool_id}"
    [identity] = claims["identities"]
    assert identity["providerName"] == "Upstream" and identity["userId"] == sub
    assert identity["providerType"] == "OIDC"
    user = federation.idp.admin_get_user(UserPoolId=federation.pool_id, Username=f"Upstream_{sub}")
    assert user["UserStatus"] == "EXTERNAL_PROVIDER"
    attributes = {a["Name"]: a["Value"] for a in user["UserAttributes"]}
    assert attributes["email"] == "ann@example.com" and attributes["sub"] == claims["sub"]


def test_a_second_sign_in_links_to_the_same_user_and_refreshes_its_attributes(
    federation: Federation,
) -> None:
    verifier, challenge = pkce()
    first = federation.exchange(federation.sign_in_upstream(challenge), verifier)
    federation.upstream_idp.admin_update_user_attributes(
        UserPoolId=federation.upstream.pool_id,
        Username="ann",
        UserAttributes=[{"Name": "given_name", "Value": "Annie"}],
    )
    federation.http.cookies.clear()
    verifier, challenge = pkce()
    second = federation.exchange(federation.sign_in_upstream(challenge), verifier)
    keys = JsonWebKeySet.from_json(
        requests.get(
            f"{federation.endpoint}/{federation.pool_id}/.well-known/jwks.json", timeout=10
        ).text
    )
    before, after = keys.verify(first["id_token"]), keys.verify(second["id_token"])
    assert before["sub"] == after["sub"] and after["given_name"] == "Annie"
    users = federation.idp.list_users(UserPoolId=federation.pool_id)["Users"]
    assert len(users) == 1


def _redirect_query(answer: requests.Response) -> dict[str, list[str]]:
    assert answer.status_code == 302, answer.text
    location = answer.headers["Location"]
    assert location.startswith(CALLBACK + "?")
    return parse_qs(urlsplit(location).query)


def test_a_provider_the_client_does_not_support_is_refused(federation: Federation) -> None:
    query = _redirect_query(federation.authorize(pkce()[1], identity_provider="Elsewhere"))
    assert query["error"] == ["invalid_request"] and query["state"] == ["st-1"]


def test_the_providers_refusal_comes_back_to_the_app(federation: Federation) -> None:
    to_upstream = federation.authorize(pkce()[1])
    state = parse_qs(urlsplit(to_upstream.headers["Location"]).query)["state"][0]
    denied = federation.http.get(
        f"{federation.endpoint}/oauth2/idpresponse",
        params={"state": state, "error": "access_denied", "error_description": "No."},
        allow_redirects=False,
        timeout=10,
    )
    query = _redirect_query(denied)
    assert query["error"] == ["access_denied"] and query["state"] == ["st-1"]
    # The pending sign-in was used up: the same state again is unknown.
    again = federation.http.get(
        f"{federation.endpoint}/oauth2/idpresponse",
        params={"state": state, "code": "whatever"},
        allow_redirects=False,
        timeout=10,
    )
    assert again.status_code == 400 and "Location" not in again.headers


def test_a_code_the_provider_does_not_know_is_refused(federation: Federation) -> None:
    to_upstream = federation.authorize(pkce()[1])
    state = parse_qs(urlsplit(to_upstream.headers["Location"]).query)["state"][0]
    forged = federation.http.get(
        f"{federation.endpoint}/oauth2/idpresponse",
        params={"state": state, "code": "forged-code"},
        allow_redirects=False,
        timeout=10,
    )
    query = _redirect_query(forged)
    assert query["error"] == ["invalid_request"]
    assert "invalid_grant" in query["error_description"][0]
    assert federation.idp.list_users(UserPoolId=federation.pool_id)["Users"] == []


def test_a_client_whose_only_provider_is_external_goes_straight_there(
    federation: Federation,
) -> None:
    only_upstream = federation.idp.create_user_pool_client(
        UserPoolId=federation.pool_id,
        ClientName="partner-portal",
        AllowedOAuthFlowsUserPoolClient=True,
        AllowedOAuthFlows=["code"],
        AllowedOAuthScopes=["openid", "email"],
        CallbackURLs=[CALLBACK],
        SupportedIdentityProviders=["Upstream"],
    )["UserPoolClient"]["ClientId"]
    straight = federation.authorize(pkce()[1], client_id=only_upstream, identity_provider="")
    assert straight.status_code == 302
    assert straight.headers["Location"].startswith(federation.upstream_idp.meta.endpoint_url)
    # Its users cannot ask for the pool's own sign-in page.
    own_page = federation.authorize(pkce()[1], client_id=only_upstream, identity_provider="COGNITO")
    assert _redirect_query(own_page)["error"] == ["invalid_request"]
