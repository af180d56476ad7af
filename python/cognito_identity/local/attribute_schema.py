"""Custom attributes: declaring them (CreateUserPool's Schema, AddCustomAttributes) and
checking values against their declaration.

A custom attribute has a type (String, Number, DateTime, Boolean), optional bounds
(``StringAttributeConstraints`` MinLength/MaxLength, ``NumberAttributeConstraints``
MinValue/MaxValue, given as strings as in Cognito's API) and a mutability: an immutable
one is set when the user is created and never changed (see ``actions/account.py``).
Values are checked as Cognito checks them: a String's length (at most 2048 without a
bound), a Number is an integer within its bounds, a Boolean is ``true`` or ``false``.
"""

from __future__ import annotations

import re
from typing import Any

from cognito_identity.local.errors import ServiceError

__all__ = ["MAX_CUSTOM_ATTRIBUTES", "check_custom_value", "declare_custom"]

#: How many custom attributes a pool may have, as in Cognito.
MAX_CUSTOM_ATTRIBUTES = 50
_DEFAULT_MAX_LENGTH = 2048
_INTEGER = re.compile(r"-?[0-9]+")


def _schema_error(name: str, reason: str) -> ServiceError:
    return ServiceError.invalid_parameter(
        f"Attributes did not conform to the schema: {name}: {reason}"
    )


def _bound(constraints: dict[str, Any], key: str, entry: str) -> int | None:
    value = constraints.get(key)
    if value is None:
        return None
    if not _INTEGER.fullmatch(str(value)):
        raise ServiceError.invalid_parameter(f"{key} of {entry} must be an integer.")
    return int(value)


def declare_custom(entry: dict[str, Any]) -> dict[str, Any]:
    """A custom attribute's schema entry with its defaults, named ``custom:<name>``;
    InvalidParameterException for a declaration Cognito refuses."""
    name = str(entry.get("Name", ""))
    if not name:
        raise ServiceError.invalid_parameter("Schema attribute Name is required.")
    full = name if name.startswith("custom:") else f"custom:{name}"
    if entry.get("Required"):
        raise ServiceError.invalid_parameter(
            "Required custom attributes are not supported currently."
        )
    kind = entry.get("AttributeDataType", "String")
    declared: dict[str, Any] = {
        **entry,
        "Name": full,
        "AttributeDataType": kind,
        "DeveloperOnlyAttribute": bool(entry.get("DeveloperOnlyAttribute", False)),
        "Mutable": entry.get("Mutable", True),
        "Required": False,
    }
    for key, pair in (
        ("StringAttributeConstraints", ("MinLength", "MaxLength")),
        ("NumberAttributeConstraints", ("MinValue", "MaxValue")),
    ):
        constraints = entry.get(key)
        if constraints is None:
            continue
        low, high = (_bound(constraints, bound, full) for bound in pair)
        if low is not None and high is not None and low > high:
            raise ServiceError.invalid_parameter(f"{pair[0]} of {full} exceeds its {pair[1]}.")
    if kind == "String" and "StringAttributeConstraints" not in declared:
        declared["StringAttributeConstraints"] = {}
    return declared


def check_custom_value(entry: dict[str, Any], value: str) -> None:
    """Refuse ``value`` for the custom attribute declared by ``entry``."""
    name = entry["Name"]
    kind = entry.get("AttributeDataType", "String")
    if kind == "Number":
        if not _INTEGER.fullmatch(value):
            raise _schema_error(name, "Number must be an integer")
        constraints = entry.get("NumberAttributeConstraints") or {}
        low = _bound(constraints, "MinValue", name)
        high = _bound(constraints, "MaxValue", name)
        if low is not None and int(value) < low:
            raise _schema_error(name, f"Number must be no less than {low}")
        if high is not None and int(value) > high:
            raise _schema_error(name, f"Number must be no greater than {high}")
        return
    if kind == "Boolean":
        if value not in ("true", "false"):
            raise _schema_error(name, "Boolean must be true or false")
        return
    constraints = entry.get("StringAttributeConstraints") or {}
    low = _bound(constraints, "MinLength", name)
    high = _bound(constraints, "MaxLength", name)
    if high is None:
        high = _DEFAULT_MAX_LENGTH
    if low is not None and len(value) < low:
        raise _schema_error(name, f"String must be no shorter than {low} characters")
    if len(value) > high:
        raise _schema_error(name, f"String must be no longer than {high} characters")
