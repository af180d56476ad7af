"""Reading a setup file (``cognito-identity local init --file``) into checked values.

The file is JSON, or YAML when PyYAML is installed. Its shape::

    {
      "user_pools": [
        {"name": "app", "AutoVerifiedAttributes": ["email"],
         "clients": [{"name": "web", "ExplicitAuthFlows": ["ALLOW_USER_SRP_AUTH",
                                                           "ALLOW_REFRESH_TOKEN_AUTH"]}],
         "groups": ["admins", {"name": "staff", "Precedence": 2}],
         "users": [{"username": "alice", "password": "Corr3ct-Horse!",
                    "attributes": {"email": "alice@example.com"}, "groups": ["admins"]}]}
      ],
      "identity_pools": [
        {"name": "app identities", "AllowUnauthenticatedIdentities": true,
         "providers": [{"user_pool": "app", "client": "web"}]}
      ]
    }

Lower-case keys are this file's own; a key that starts with a capital letter is passed
as it is to the Create* call (CreateUserPool, CreateUserPoolClient, CreateGroup,
CreateIdentityPool), so any of Cognito's settings can be given. A mistake raises
:class:`SetupFileError` naming where it is (``user_pools[0].users[1]: ...``).
"""

from __future__ import annotations

import importlib
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

__all__ = [
    "ClientSpec",
    "GroupSpec",
    "IdentityPoolSpec",
    "PoolSpec",
    "ProviderSpec",
    "SetupFileError",
    "SetupSpec",
    "UserSpec",
    "load_setup",
    "parse_setup",
]


_POOL_KEYS = frozenset({"name", "clients", "groups", "users"})


class SetupFileError(ValueError):
    """The setup file cannot be read, or says something that cannot be done."""


@dataclass(frozen=True)
class ClientSpec:
    """An app client: its name and its CreateUserPoolClient settings."""

    name: str
    settings: dict[str, Any]


@dataclass(frozen=True)
class GroupSpec:
    """A group: its name and its CreateGroup settings (Description, Precedence...)."""

    name: str
    settings: dict[str, Any]


@dataclass(frozen=True)
class UserSpec:
    """A user. ``confirmed`` (the default) gives a CONFIRMED user with ``password`` as a
    permanent password; ``temporary_password`` one who must choose a new password at
    first sign-in (FORCE_CHANGE_PASSWORD); ``confirmed: false`` one who signed up and
    has not confirmed the code (UNCONFIRMED, through the pool's first app client)."""

    username: str
    password: str = field(repr=False)
    attributes: dict[str, str]
    confirmed: bool
    temporary_password: bool
    groups: list[str]


@dataclass(frozen=True)
class PoolSpec:
    """A user pool: its name, CreateUserPool settings, and what it holds."""

    name: str
    settings: dict[str, Any]
    clients: list[ClientSpec]
    groups: list[GroupSpec]
    users: list[UserSpec]


@dataclass(frozen=True)
class ProviderSpec:
    """A user pool (and optionally one of its app clients) an identity pool accepts."""

    user_pool: str
    client: str | None


@dataclass(frozen=True)
class IdentityPoolSpec:
    """An identity pool: its name, CreateIdentityPool settings and its user pools."""

    name: str
    settings: dict[str, Any]
    providers: list[ProviderSpec]


@dataclass(frozen=True)
class SetupSpec:
    """Everything a setup file asks for."""

    user_pools: list[PoolSpec]
    identity_pools: list[IdentityPoolSpec]


def load_setup(path: str) -> SetupSpec:
    """Read and check the setup file at ``path`` (``.yaml``/``.yml``: YAML, else JSON)."""
    try:
        text = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        reason = getattr(error, "strerror", None) or str(error)
        raise SetupFileError(f"cannot read {path}: {reason}") from None
    if path.endswith((".yaml", ".yml")):
        document = _parse_yaml(path, text)
    else:
        try:
            document = json.loads(text)
        except json.JSONDecodeError as error:
            raise SetupFileError(
                f"{path}: not JSON: {error.msg} at line {error.lineno}, column {error.colno}"
            ) from None
    return parse_setup(document, path)


def _parse_yaml(path: str, text: str) -> Any:
    try:
        yaml = importlib.import_module("yaml")
    except ImportError:
        raise SetupFileError(
            f"{path}: reading YAML needs PyYAML (pip install 'cognito-identity[yaml]'); "
            "or write the setup as JSON"
        ) from None
    try:
        return yaml.safe_load(text)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        problem = getattr(error, "problem", None) or "malformed"
        raise SetupFileError(f"{path}: not YAML: {problem}{where}") from None


def parse_setup(document: Any, source: str = "setup") -> SetupSpec:
    """Check a setup document (the parsed file) and turn it into a :class:`SetupSpec`."""
    top = _mapping(document, source, {"user_pools", "identity_pools"}, capitals=False)
    pools = [
        _pool(item, f"{source}: user_pools[{i}]")
        for i, item in enumerate(_list(top.get("user_pools", []), f"{source}: user_pools"))
    ]
    identity_pools = [
        _identity_pool(item, f"{source}: identity_pools[{i}]")
        for i, item in enumerate(_list(top.get("identity_pools", []), f"{source}: identity_pools"))
    ]
    _unique([pool.name for pool in pools], f"{source}: user_pools")
    _unique([pool.name for pool in identity_pools], f"{source}: identity_pools")
    known = {pool.name: pool for pool in pools}
    for i, identity_pool in enumerate(identity_pools):
        for provider in identity_pool.providers:
            where = f"{source}: identity_pools[{i}]"
            pool = known.get(provider.user_pool)
            if pool is None:
                raise SetupFileError(f"{where}: no user pool named {provider.user_pool!r}")
            if provider.client is not None and provider.client not in {
                client.name for client in pool.clients
            }:
                raise SetupFileError(
                    f"{where}: user pool {pool.name!r} has no client named {provider.client!r}"
                )
    return SetupSpec(pools, identity_pools)


def _pool(item: Any, where: str) -> PoolSpec:
    entry = _mapping(item, where, set(_POOL_KEYS))
    clients = [
        ClientSpec(*_named(client, f"{where}.clients[{i}]"))
        for i, client in enumerate(_list(entry.get("clients", []), f"{where}.clients"))
    ]
    groups = [
        GroupSpec(*_named(group, f"{where}.groups[{i}]", allow_str=True))
        for i, group in enumerate(_list(entry.get("groups", []), f"{where}.groups"))
    ]
    users = [
        _user(user, f"{where}.users[{i}]")
        for i, user in enumerate(_list(entry.get("users", []), f"{where}.users"))
    ]
    _unique([client.name for client in clients], f"{where}.clients")
    _unique([group.name for group in groups], f"{where}.groups")
    _unique([user.username for user in users], f"{where}.users")
    group_names = {group.name for group in groups}
    for i, user in enumerate(users):
        for group in user.groups:
            if group not in group_names:
                raise SetupFileError(f"{where}.users[{i}]: no group named {group!r} in the pool")
        if not user.confirmed and not clients:
            raise SetupFileError(
                f"{where}.users[{i}]: an unconfirmed user signs up through an app client, "
                "and the pool has none"
            )
    name, settings = _named(entry, where, _POOL_KEYS)
    return PoolSpec(name, settings, clients, groups, users)


def _user(item: Any, where: str) -> UserSpec:
    entry = _mapping(
        item,
        where,
        {"username", "password", "attributes", "confirmed", "temporary_password", "groups"},
        capitals=False,
    )
    username = _text(entry.get("username"), f"{where}.username")
    password = entry.get("password")
    if not isinstance(password, str) or not password:
        raise SetupFileError(f"{where}: 'password' is required (text)")
    attributes = _mapping(entry.get("attributes", {}), f"{where}.attributes", set(), capitals=False)
    for name, value in attributes.items():
        if not isinstance(value, str):
            raise SetupFileError(f"{where}.attributes.{name}: must be text (quote it)")
    confirmed = _flag(entry.get("confirmed", True), f"{where}.confirmed")
    temporary = _flag(entry.get("temporary_password", False), f"{where}.temporary_password")
    if temporary and not confirmed:
        raise SetupFileError(
            f"{where}: 'temporary_password' and 'confirmed: false' exclude each other"
        )
    groups = [
        _text(group, f"{where}.groups[{i}]")
        for i, group in enumerate(_list(entry.get("groups", []), f"{where}.groups"))
    ]
    return UserSpec(username, password, dict(attributes), confirmed, temporary, groups)


def _identity_pool(item: Any, where: str) -> IdentityPoolSpec:
    entry = _mapping(item, where, {"name", "providers"})
    if "CognitoIdentityProviders" in entry:
        raise SetupFileError(
            f"{where}: name user pools under 'providers' ({{'user_pool': ..., 'client': ...}}),"
            " not CognitoIdentityProviders: their ids are not known before the pools exist"
        )
    providers = []
    for i, provider in enumerate(_list(entry.get("providers", []), f"{where}.providers")):
        spot = f"{where}.providers[{i}]"
        fields = _mapping(provider, spot, {"user_pool", "client"}, capitals=False)
        client = fields.get("client")
        providers.append(
            ProviderSpec(
                _text(fields.get("user_pool"), f"{spot}.user_pool"),
                None if client is None else _text(client, f"{spot}.client"),
            )
        )
    name, settings = _named(entry, where, frozenset({"name", "providers"}))
    settings.setdefault("AllowUnauthenticatedIdentities", False)
    return IdentityPoolSpec(name, settings, providers)


def _named(
    item: Any, where: str, keys: frozenset[str] = frozenset({"name"}), *, allow_str: bool = False
) -> tuple[str, dict[str, Any]]:
    """An entry's ``name`` and its Cognito settings (the capitalised keys); its other
    lower-case keys must be among ``keys``."""
    if allow_str and isinstance(item, str):
        return _text(item, where), {}
    entry = _mapping(item, where, set(keys))
    name = _text(entry.get("name"), f"{where}.name")
    return name, {key: value for key, value in entry.items() if key[:1].isupper()}


def _mapping(
    item: Any,
    where: str,
    keys: set[str],
    *,
    capitals: bool = True,
) -> Mapping[str, Any]:
    """``item`` as a mapping whose lower-case keys are among ``keys`` (any key when
    ``keys`` is empty); capitalised keys pass when ``capitals``."""
    if not isinstance(item, Mapping):
        raise SetupFileError(f"{where}: expected an object (key: value), not {_kind(item)}")
    for key in item:
        if not isinstance(key, str):
            raise SetupFileError(f"{where}: keys must be text, not {_kind(key)}")
        if not keys or key in keys or (capitals and key[:1].isupper()):
            continue
        expected = ", ".join(sorted(keys))
        more = " or a Cognito setting (Capitalised)" if capitals else ""
        raise SetupFileError(f"{where}: unknown key {key!r} (expected {expected}{more})")
    return item


def _list(item: Any, where: str) -> list[Any]:
    if not isinstance(item, list):
        raise SetupFileError(f"{where}: expected a list, not {_kind(item)}")
    return item


def _text(item: Any, where: str) -> str:
    if not isinstance(item, str) or not item:
        raise SetupFileError(f"{where}: expected non-empty text, not {_kind(item)}")
    return item


def _flag(item: Any, where: str) -> bool:
    if not isinstance(item, bool):
        raise SetupFileError(f"{where}: expected true or false, not {_kind(item)}")
    return item


def _unique(names: list[str], where: str) -> None:
    seen: set[str] = set()
    for name in names:
        if name in seen:
            raise SetupFileError(f"{where}: {name!r} appears twice")
        seen.add(name)


def _kind(item: Any) -> str:
    if item is None:
        return "nothing"
    return {dict: "an object", list: "a list", str: "text", bool: "a boolean"}.get(
        type(item), type(item).__name__
    )
