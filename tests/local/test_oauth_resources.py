"""The hosted UI's pool resources through boto3: domains, resource servers (whose custom
scopes are the only ones an app client may list, and client_credentials may grant) and
identity providers (which SupportedIdentityProviders may name)."""

from __future__ import annotations

from typing import Any

import pytest
import requests
from botocore.exceptions import ClientError

from cognito_identity.local import LocalCognito

ORDERS_SCOPES = [
    {"ScopeName": "read", "ScopeDescription": "Read orders"},
    {"ScopeName": "write", "ScopeDescription": "Place orders"},
]
OIDC_DETAILS = {
    "client_id": "upstream-client",
    "client_secret": "upstream-secret",
    "authorize_scopes": "openid email",
    "oidc_issuer": "https://issuer.example.com",
    "attributes_request_method": "GET",
}


@pytest.fixture
def pool_id(idp: Any) -> str:
    return str(idp.create_user_pool(PoolName="shop")["UserPool"]["Id"])


def _error(call: Any, **kwargs: Any) -> str:
    with pytest.raises(ClientError) as caught:
        call(**kwargs)
    return str(caught.value.response["Error"]["Code"])


def test_a_domain_is_created_described_and_deleted(idp: Any, pool_id: str) -> None:
    idp.create_user_pool_domain(Domain="shop-login", UserPoolId=pool_id)
    described = idp.describe_user_pool_domain(Domain="shop-login")["DomainDescription"]
    assert described["UserPoolId"] == pool_id and described["Status"] == "ACTIVE"
    assert described["Domain"] == "shop-login"
    assert idp.describe_user_pool(UserPoolId=pool_id)["UserPool"]["Domain"] == "shop-login"
    idp.delete_user_pool_domain(Domain="shop-login", UserPoolId=pool_id)
    assert idp.describe_user_pool_domain(Domain="shop-login")["DomainDescription"] == {}
    assert "Domain" not in idp.describe_user_pool(UserPoolId=pool_id)["UserPool"]


def test_domains_are_refused_as_cognito_refuses_them(idp: Any, pool_id: str) -> None:
    other = idp.create_user_pool(PoolName="other")["UserPool"]["Id"]
    idp.create_user_pool_domain(Domain="shop-login", UserPoolId=pool_id)
    create = idp.create_user_pool_domain
    assert _error(create, Domain="shop-login", UserPoolId=other) == "InvalidParameterException"
    assert _error(create, Domain="shop-two", UserPoolId=pool_id) == "InvalidParameterException"
    assert _error(create, Domain="my-cognito", UserPoolId=other) == "InvalidParameterException"
    assert _error(create, Domain="Not_Valid", UserPoolId=other) == "InvalidParameterException"
    missing = "us-east-1_nosuchpool"
    assert _error(create, Domain="free-one", UserPoolId=missing) == "ResourceNotFoundException"
    delete = idp.delete_user_pool_domain
    assert _error(delete, Domain="shop-login", UserPoolId=other) == "InvalidParameterException"


def test_resource_servers_are_created_listed_and_deleted(idp: Any, pool_id: str) -> None:
    for identifier in ("orders", "stock", "users"):
        made = idp.create_resource_server(
            UserPoolId=pool_id, Identifier=identifier, Name=identifier, Scopes=ORDERS_SCOPES
        )["ResourceServer"]
        assert made["Identifier"] == identifier and made["Scopes"] == ORDERS_SCOPES
    described = idp.describe_resource_server(UserPoolId=pool_id, Identifier="orders")
    assert described["ResourceServer"]["Name"] == "orders"
    first = idp.list_resource_servers(UserPoolId=pool_id, MaxResults=2)
    rest = idp.list_resource_servers(UserPoolId=pool_id, MaxResults=2, NextToken=first["NextToken"])
    listed = [s["Identifier"] for s in first["ResourceServers"] + rest["ResourceServers"]]
    assert listed == ["orders", "stock", "users"] and "NextToken" not in rest
    again = idp.create_resource_server
    assert (
        _error(again, UserPoolId=pool_id, Identifier="orders", Name="orders")
        == "InvalidParameterException"
    )
    idp.delete_resource_server(UserPoolId=pool_id, Identifier="orders")
    describe = idp.describe_resource_server
    assert _error(describe, UserPoolId=pool_id, Identifier="orders") == "ResourceNotFoundException"


def _machine_client(idp: Any, pool_id: str, scopes: list[str]) -> dict[str, Any]:
    return dict(
        idp.create_user_pool_client(
            UserPoolId=pool_id,
            ClientName="worker",
            GenerateSecret=True,
            AllowedOAuthFlowsUserPoolClient=True,
            AllowedOAuthFlows=["client_credentials"],
            AllowedOAuthScopes=scopes,
        )["UserPoolClient"]
    )


def test_a_client_may_list_only_defined_scopes_and_known_providers(idp: Any, pool_id: str) -> None:
    code = _error(_machine_client, idp=idp, pool_id=pool_id, scopes=["orders/read"])
    assert code == "ScopeDoesNotExistException"
    idp.create_resource_server(
        UserPoolId=pool_id, Identifier="orders", Name="orders", Scopes=ORDERS_SCOPES
    )
    _machine_client(idp, pool_id, ["orders/read"])
    code = _error(_machine_client, idp=idp, pool_id=pool_id, scopes=["orders/delete"])
    assert code == "ScopeDoesNotExistException"
    web = {
        "UserPoolId": pool_id,
        "ClientName": "web",
        "CallbackURLs": ["https://app.example.com/cb"],
        "SupportedIdentityProviders": ["COGNITO", "Upstream"],
    }
    assert _error(idp.create_user_pool_client, **web) == "InvalidParameterException"
    idp.create_identity_provider(
        UserPoolId=pool_id,
        ProviderName="Upstream",
        ProviderType="OIDC",
        ProviderDetails=OIDC_DETAILS,
    )
    created = idp.create_user_pool_client(**web)["UserPoolClient"]
    assert created["SupportedIdentityProviders"] == ["COGNITO", "Upstream"]


def _client_credentials(local: LocalCognito, client: dict[str, Any], scope: str) -> Any:
    return requests.post(
        f"{local.endpoint}/oauth2/token",
        data={"grant_type": "client_credentials", "scope": scope},
        auth=(client["ClientId"], client["ClientSecret"]),
        timeout=10,
    )


def test_client_credentials_grants_only_the_scopes_the_client_is_allowed(
    local: LocalCognito, idp: Any, pool_id: str
) -> None:
    idp.create_resource_server(
        UserPoolId=pool_id, Identifier="orders", Name="orders", Scopes=ORDERS_SCOPES
    )
    reader = _machine_client(idp, pool_id, ["orders/read"])
    granted = _client_credentials(local, reader, "orders/read")
    assert granted.status_code == 200, granted.text
    # The pool defines orders/write, but this client is not allowed it.
    refused = _client_credentials(local, reader, "orders/write")
    assert refused.status_code == 400 and refused.json()["error"] == "invalid_scope"
    # Once its resource server is gone, a scope is granted to nobody.
    idp.delete_resource_server(UserPoolId=pool_id, Identifier="orders")
    gone = _client_credentials(local, reader, "orders/read")
    assert gone.status_code == 400 and gone.json()["error"] == "invalid_scope"


def test_identity_providers_are_created_listed_and_deleted(idp: Any, pool_id: str) -> None:
    created = idp.create_identity_provider(
        UserPoolId=pool_id,
        ProviderName="Upstream",
        ProviderType="OIDC",
        ProviderDetails=OIDC_DETAILS,
        AttributeMapping={"email": "email"},
    )["IdentityProvider"]
    assert created["AttributeMapping"] == {"email": "email", "username": "sub"}
    described = idp.describe_identity_provider(UserPoolId=pool_id, ProviderName="Upstream")
    assert described["IdentityProvider"]["ProviderDetails"]["oidc_issuer"] == (
        "https://issuer.example.com"
    )
    listed = idp.list_identity_providers(UserPoolId=pool_id)["Providers"]
    assert [(p["ProviderName"], p["ProviderType"]) for p in listed] == [("Upstream", "OIDC")]
    create = idp.create_identity_provider
    base = {"UserPoolId": pool_id, "ProviderType": "OIDC", "ProviderDetails": OIDC_DETAILS}
    assert _error(create, ProviderName="Upstream", **base) == "DuplicateProviderException"
    assert _error(create, ProviderName="COGNITO", **base) == "InvalidParameterException"
    lacking = {**base, "ProviderDetails": {"client_id": "x"}}
    assert _error(create, ProviderName="Other", **lacking) == "InvalidParameterException"
    idp.delete_identity_provider(UserPoolId=pool_id, ProviderName="Upstream")
    describe = idp.describe_identity_provider
    assert (
        _error(describe, UserPoolId=pool_id, ProviderName="Upstream") == "ResourceNotFoundException"
    )


def test_update_user_pool_client_checks_scopes_and_providers_too(idp: Any, pool_id: str) -> None:
    client = idp.create_user_pool_client(UserPoolId=pool_id, ClientName="web")["UserPoolClient"]
    update = idp.update_user_pool_client
    ids = {"UserPoolId": pool_id, "ClientId": client["ClientId"]}
    assert _error(update, AllowedOAuthScopes=["orders/read"], **ids) == (
        "ScopeDoesNotExistException"
    )
    assert _error(update, SupportedIdentityProviders=["Nobody"], **ids) == (
        "InvalidParameterException"
    )
