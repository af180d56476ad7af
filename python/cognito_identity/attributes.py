"""User attributes and the small value types the original SDK's users know."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Union

from cognito_identity._checks import require_str

__all__ = [
    "AttributeArg",
    "AttributesLike",
    "AuthenticationDetails",
    "CognitoUserAttribute",
    "attribute_list",
]


@dataclass
class CognitoUserAttribute:
    """One user attribute, as Cognito sends and takes it (``{"Name": ..., "Value": ...}``)."""

    name: str
    value: str

    def to_json(self) -> dict[str, str]:
        """The attribute in Cognito's wire form."""
        return {"Name": self.name, "Value": self.value}


#: The original SDK's name for a name/value pair in sign-up attributes and validation data.
AttributeArg = CognitoUserAttribute

#: Attributes may be given as a mapping ``{"email": "..."}`` or as a list of attributes.
AttributesLike = Union[Mapping[str, str], Iterable[CognitoUserAttribute]]


def attribute_list(attributes: AttributesLike | None) -> list[dict[str, str]] | None:
    """Cognito's ``[{"Name": ..., "Value": ...}]`` form of ``attributes`` (None stays None)."""
    if attributes is None:
        return None
    if isinstance(attributes, Mapping):
        return [{"Name": name, "Value": value} for name, value in attributes.items()]
    return [attribute.to_json() for attribute in attributes]


@dataclass
class AuthenticationDetails:
    """What a user signs in with.

    ``validation_data`` travels as ``ClientMetadata`` to the pool's Lambda triggers (as in
    AWS's JavaScript SDK). ``auth_parameters`` are extra ``AuthParameters`` for a custom
    auth flow. The password never appears in a repr.
    """

    username: str | None = None
    password: str | None = field(default=None, repr=False)
    validation_data: dict[str, str] | None = None
    auth_parameters: dict[str, str] | None = None

    def __post_init__(self) -> None:
        require_str(self.username, "AuthenticationDetails.username", optional=True)
        require_str(self.password, "AuthenticationDetails.password", optional=True)
