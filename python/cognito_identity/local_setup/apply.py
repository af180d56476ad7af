"""Making what a setup file asks for on a running pool, over Cognito's own API.

Everything is found by name first and made only when missing, so a second run changes
nothing and prints the same ids: user pools (ListUserPools), app clients
(ListUserPoolClients), groups (GetGroup), users (AdminGetUser) and identity pools
(ListIdentityPools). What exists is left as it is, settings included; group memberships
are added (AdminAddUserToGroup is idempotent).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from typing import Any

from cognito_identity.client import IDENTITY_POOLS, CognitoClient
from cognito_identity.errors import (
    CognitoClientException,
    ResourceNotFoundException,
    UserNotFoundException,
    client_exception,
)
from cognito_identity.flows import AppClient
from cognito_identity.local_setup.spec import (
    ClientSpec,
    IdentityPoolSpec,
    PoolSpec,
    SetupFileError,
    SetupSpec,
    UserSpec,
)
from cognito_identity.signing import AwsCredentials, SigV4Signer

__all__ = ["Made", "PoolMade", "SetupResult", "UserMade", "apply_setup"]

_PAGE = 60


@dataclass(frozen=True)
class Made:
    """Something the setup names: its id, and whether this run created it."""

    name: str
    id: str
    created: bool


@dataclass(frozen=True)
class UserMade:
    """A user of the setup: its status in the pool, and whether this run created it."""

    username: str
    status: str
    created: bool


@dataclass(frozen=True)
class PoolMade:
    """A user pool of the setup and what it holds."""

    name: str
    id: str
    created: bool
    clients: list[Made] = field(default_factory=list)
    groups: list[str] = field(default_factory=list)
    users: list[UserMade] = field(default_factory=list)


@dataclass(frozen=True)
class SetupResult:
    """What a setup run found or made, in the file's order."""

    user_pools: list[PoolMade]
    identity_pools: list[Made]

    def to_json(self) -> dict[str, Any]:
        """The result as plain data (for ``--json``)."""
        return asdict(self)


def apply_setup(
    spec: SetupSpec,
    endpoint: str,
    *,
    credentials: AwsCredentials | None = None,
    region: str = "us-east-1",
) -> SetupResult:
    """Make on the pool at ``endpoint`` whatever of ``spec`` is missing, and return the ids
    of everything it names. ``credentials`` sign the administrator calls (any key will do
    unless the server checks them). A refusal raises the pool's error, its message
    prefixed with what was being made."""
    credentials = credentials or AwsCredentials("local", "local")
    idp = CognitoClient(endpoint, signer=SigV4Signer(credentials, region))
    identity = CognitoClient(
        endpoint,
        service=IDENTITY_POOLS,
        signer=SigV4Signer(credentials, region, "cognito-identity"),
    )
    try:
        pools = [_Pools(idp).ensure(pool) for pool in spec.user_pools]
        by_name = {pool.name: pool for pool in pools}
        identity_pools = [
            _ensure_identity_pool(identity, entry, by_name) for entry in spec.identity_pools
        ]
    finally:
        idp.close()
        identity.close()
    return SetupResult(pools, identity_pools)


@contextmanager
def _making(what: str) -> Iterator[None]:
    """Prefix a refusal's message with what was being made (``user 'alice' of ...``)."""
    try:
        yield
    except CognitoClientException as error:
        raise client_exception(error.code, f"{what}: {error.message}", error.status_code) from None


class _Pools:
    """Finds or makes one user pool and what it holds."""

    def __init__(self, idp: CognitoClient) -> None:
        self.idp = idp

    def ensure(self, spec: PoolSpec) -> PoolMade:
        what = f"user pool {spec.name!r}"
        with _making(what):
            pool_id = self._find_pool(spec.name)
            created = pool_id is None
            if pool_id is None:
                answer = self.idp.call("CreateUserPool", {**spec.settings, "PoolName": spec.name})
                pool_id = str(answer["UserPool"]["Id"])
        made = PoolMade(spec.name, pool_id, created)
        clients = self._clients(pool_id)
        for client in spec.clients:
            with _making(f"client {client.name!r} of {what}"):
                made.clients.append(self._ensure_client(pool_id, client, clients))
        for group in spec.groups:
            with _making(f"group {group.name!r} of {what}"):
                self._ensure_group(pool_id, group.name, group.settings)
                made.groups.append(group.name)
        for user in spec.users:
            with _making(f"user {user.username!r} of {what}"):
                made.users.append(self._ensure_user(pool_id, user, made))
        return made

    def _find_pool(self, name: str) -> str | None:
        found = [
            str(pool["Id"])
            for pool in self._pages("ListUserPools", {}, "UserPools")
            if pool.get("Name") == name
        ]
        if len(found) > 1:
            raise SetupFileError(
                f"{len(found)} user pools are named {name!r} ({', '.join(found)}): "
                "delete all but one, or rename the pool in the setup"
            )
        return found[0] if found else None

    def _clients(self, pool_id: str) -> dict[str, list[str]]:
        """The pool's app client ids by name."""
        clients: dict[str, list[str]] = {}
        for client in self._pages(
            "ListUserPoolClients", {"UserPoolId": pool_id}, "UserPoolClients"
        ):
            clients.setdefault(str(client["ClientName"]), []).append(str(client["ClientId"]))
        return clients

    def _ensure_client(
        self, pool_id: str, spec: ClientSpec, existing: dict[str, list[str]]
    ) -> Made:
        ids = existing.get(spec.name, [])
        if len(ids) > 1:
            raise SetupFileError(
                f"{len(ids)} app clients of {pool_id} are named {spec.name!r}: "
                "delete all but one, or rename the client in the setup"
            )
        if ids:
            return Made(spec.name, ids[0], False)
        answer = self.idp.call(
            "CreateUserPoolClient",
            {**spec.settings, "UserPoolId": pool_id, "ClientName": spec.name},
        )
        client_id = str(answer["UserPoolClient"]["ClientId"])
        existing[spec.name] = [client_id]
        return Made(spec.name, client_id, True)

    def _ensure_group(self, pool_id: str, name: str, settings: dict[str, Any]) -> None:
        try:
            self.idp.call("GetGroup", {"UserPoolId": pool_id, "GroupName": name})
        except ResourceNotFoundException:
            self.idp.call("CreateGroup", {**settings, "UserPoolId": pool_id, "GroupName": name})

    def _ensure_user(self, pool_id: str, spec: UserSpec, made: PoolMade) -> UserMade:
        try:
            answer = self.idp.call(
                "AdminGetUser", {"UserPoolId": pool_id, "Username": spec.username}
            )
            result = UserMade(spec.username, str(answer.get("UserStatus")), False)
        except UserNotFoundException:
            result = self._create_user(pool_id, spec, made)
        for group in spec.groups:
            self.idp.call(
                "AdminAddUserToGroup",
                {"UserPoolId": pool_id, "Username": spec.username, "GroupName": group},
            )
        return result

    def _create_user(self, pool_id: str, spec: UserSpec, made: PoolMade) -> UserMade:
        attributes = [{"Name": name, "Value": value} for name, value in spec.attributes.items()]
        if not spec.confirmed:
            self._sign_up(pool_id, spec, attributes, made.clients[0].id)
            return UserMade(spec.username, "UNCONFIRMED", True)
        self.idp.call(
            "AdminCreateUser",
            {
                "UserPoolId": pool_id,
                "Username": spec.username,
                "UserAttributes": attributes,
                "MessageAction": "SUPPRESS",
                "TemporaryPassword": spec.password if spec.temporary_password else None,
            },
        )
        if spec.temporary_password:
            return UserMade(spec.username, "FORCE_CHANGE_PASSWORD", True)
        self.idp.call(
            "AdminSetUserPassword",
            {
                "UserPoolId": pool_id,
                "Username": spec.username,
                "Password": spec.password,
                "Permanent": True,
            },
        )
        return UserMade(spec.username, "CONFIRMED", True)

    def _sign_up(
        self, pool_id: str, spec: UserSpec, attributes: list[dict[str, str]], client_id: str
    ) -> None:
        """SignUp through ``client_id``, as the user would (the code goes to the outbox)."""
        described = self.idp.call(
            "DescribeUserPoolClient", {"UserPoolId": pool_id, "ClientId": client_id}
        )["UserPoolClient"]
        app = AppClient(client_id, pool_id.split("_", 1)[1], described.get("ClientSecret"))
        self.idp.call(
            "SignUp",
            {
                "ClientId": client_id,
                "Username": spec.username,
                "Password": spec.password,
                "UserAttributes": attributes,
                "SecretHash": app.secret_hash(spec.username),
            },
        )

    def _pages(self, action: str, params: dict[str, Any], key: str) -> Iterator[dict[str, Any]]:
        token: str | None = None
        while True:
            answer = self.idp.call(action, {**params, "MaxResults": _PAGE, "NextToken": token})
            yield from answer.get(key, [])
            token = answer.get("NextToken")
            if not token:
                return


def _ensure_identity_pool(
    identity: CognitoClient, spec: IdentityPoolSpec, pools: dict[str, PoolMade]
) -> Made:
    with _making(f"identity pool {spec.name!r}"):
        found: list[str] = []
        token: str | None = None
        while True:
            answer = identity.call("ListIdentityPools", {"MaxResults": _PAGE, "NextToken": token})
            found += [
                str(pool["IdentityPoolId"])
                for pool in answer.get("IdentityPools", [])
                if pool.get("IdentityPoolName") == spec.name
            ]
            token = answer.get("NextToken")
            if not token:
                break
        if len(found) > 1:
            raise SetupFileError(
                f"{len(found)} identity pools are named {spec.name!r}: delete all but one"
            )
        if found:
            return Made(spec.name, found[0], False)
        providers = []
        for provider in spec.providers:
            pool = pools[provider.user_pool]
            entry = {"ProviderName": _provider_name(pool.id)}
            if provider.client is not None:
                entry["ClientId"] = next(c.id for c in pool.clients if c.name == provider.client)
            providers.append(entry)
        answer = identity.call(
            "CreateIdentityPool",
            {**spec.settings, "IdentityPoolName": spec.name, "CognitoIdentityProviders": providers},
        )
        return Made(spec.name, str(answer["IdentityPoolId"]), True)


def _provider_name(pool_id: str) -> str:
    """How an identity pool names a user pool, as on AWS (the local pool takes it too)."""
    region = pool_id.split("_", 1)[0]
    return f"cognito-idp.{region}.amazonaws.com/{pool_id}"
