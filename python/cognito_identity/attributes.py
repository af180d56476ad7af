"""User attributes and the small value types the original SDK's users know."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Union

from cognito_identity._checks import checked_str, require_str
from cognito_identity.errors import InvalidArgumentTypeError

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

#: Attributes may be given as a mapping ``{"email": "..."}``, as a list of attributes, or
#: in Cognito's own form, a list of ``{"Name": ..., "Value": ...}`` dicts (as boto3 takes).
AttributesLike = Union[Mapping[str, str], Iterable[Union[CognitoUserAttribute, Mapping[str, str]]]]


def attribute_list(attributes: AttributesLike | None) -> list[dict[str, str]] | None:
    """Cognito's ``[{"Name": ..., "Value": ...}]`` form of ``attributes`` (None stays None).

    Raises :class:`~cognito_identity.errors.InvalidArgumentTypeError` for anything else,
    naming the attribute but never showing a value.
    """
    if attributes is None:
        return None
    if isinstance(attributes, Mapping):
        return [_wire_attribute(name, value) for name, value in attributes.items()]
    if isinstance(attributes, (str, bytes)):
        raise InvalidArgumentTypeError("attributes must be a mapping or a list of attributes")
    return [_listed_attribute(attribute) for attribute in attributes]


def _listed_attribute(attribute: object) -> dict[str, str]:
    if isinstance(attribute, CognitoUserAttribute):
        return _wire_attribute(attribute.name, attribute.value)
    if isinstance(attribute, Mapping) and set(attribute) == {"Name", "Value"}:
        return _wire_attribute(attribute["Name"], attribute["Value"])
    raise InvalidArgumentTypeError(
        "each attribute must be a CognitoUserAttribute or a {'Name': ..., 'Value': ...} "
        f"dict, not {type(attribute).__name__}"
    )


def _wire_attribute(name: object, value: object) -> dict[str, str]:
    checked_name = checked_str(name, "an attribute name")
    return {"Name": checked_name, "Value": checked_str(value, f"attribute {checked_name!r}")}


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
