"""Reading Cognito's answers with their types checked.

Every field the SDK reads from an answer goes through one of these, so a wrong type (a
string where Cognito promises a boolean, a number for a salt) raises
:class:`~cognito_identity.errors.CognitoResponseError` naming the field, instead of being
used as is.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping
from typing import Any, TypeVar

from cognito_identity.errors import CognitoResponseError

__all__ = [
    "bool_field",
    "dict_field",
    "int_field",
    "list_field",
    "str_field",
    "str_map",
    "timestamp_field",
]

T = TypeVar("T")


def _typed(answer: Mapping[str, Any], name: str, kind: type[T], required: bool) -> T | None:
    value = answer.get(name)
    if value is None:
        if required:
            raise CognitoResponseError(f"Cognito's answer lacks {name}")
        return None
    # bool is an int in Python; an int field must not accept True.
    if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
        raise CognitoResponseError(
            f"{name} in Cognito's answer is a {type(value).__name__}, not a {kind.__name__}"
        )
    return value


def str_field(answer: Mapping[str, Any], name: str, *, required: bool = False) -> str | None:
    """``answer[name]`` as a string (None when absent and not required)."""
    return _typed(answer, name, str, required)


def bool_field(answer: Mapping[str, Any], name: str, *, required: bool = False) -> bool | None:
    """``answer[name]`` as a boolean: ``"false"`` is not ``True``."""
    return _typed(answer, name, bool, required)


def int_field(answer: Mapping[str, Any], name: str, *, required: bool = False) -> int | None:
    """``answer[name]`` as an integer."""
    return _typed(answer, name, int, required)


def dict_field(
    answer: Mapping[str, Any], name: str, *, required: bool = False
) -> dict[str, Any] | None:
    """``answer[name]`` as a JSON object."""
    return _typed(answer, name, dict, required)


def list_field(answer: Mapping[str, Any], name: str, *, required: bool = False) -> list[Any] | None:
    """``answer[name]`` as a JSON array."""
    return _typed(answer, name, list, required)


def str_map(answer: Mapping[str, Any], name: str) -> dict[str, str]:
    """``answer[name]``, an object of strings (``{}`` when absent)."""
    value = dict_field(answer, name) or {}
    for key, item in value.items():
        if not isinstance(item, str):
            raise CognitoResponseError(
                f"{name}.{key} in Cognito's answer is a {type(item).__name__}, not a str"
            )
    return value


def timestamp_field(answer: Mapping[str, Any], name: str) -> dt.datetime | None:
    """``answer[name]``, seconds since the epoch, as an aware UTC datetime (None when
    absent). NaN, infinities and instants no datetime can hold are refused too."""
    value = answer.get(name)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise CognitoResponseError(
            f"{name} in Cognito's answer is a {type(value).__name__}, not a number"
        )
    try:
        if not math.isfinite(value):
            raise OverflowError
        return dt.datetime.fromtimestamp(value, dt.timezone.utc)
    except (OverflowError, OSError, ValueError):
        raise CognitoResponseError(f"{name} in Cognito's answer is not a time") from None
