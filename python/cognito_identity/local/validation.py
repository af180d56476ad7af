"""Request validation as data: each action declares the shape of its input.

Validation runs in two passes, as the real service does. The first checks JSON types and
fails fast with ``SerializationException``; the second checks constraints (required
members, lengths, ranges, patterns, enums), collects every violation and reports them in
one ``InvalidParameterException`` worded like Cognito's ("2 validation errors detected:
Value null at 'username' failed to satisfy constraint: Member must not be null; ...").
JSON ``null`` counts as absent. Members a shape does not declare are dropped. Values of
sensitive members are never echoed.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from cognito_identity.local.errors import ServiceError

__all__ = [
    "Member",
    "Pattern",
    "Shape",
    "boolean",
    "integer",
    "list_of",
    "string",
    "string_map",
    "structure",
    "validate",
]


@dataclass(frozen=True)
class Pattern:
    """A value pattern: its text as the service quotes it, and a matcher for whole values."""

    text: str
    matches: Callable[[str], bool]

    @classmethod
    def regex(cls, text: str) -> Pattern:
        """A pattern that Python's ``re`` can express (ASCII ``\\w``, as in Java)."""
        compiled = re.compile(text, re.ASCII)
        return cls(text, lambda value: compiled.fullmatch(value) is not None)

    @classmethod
    def unicode_categories(cls, text: str, categories: str, extra: str = "") -> Pattern:
        """A ``[\\p{..}...]+`` pattern: every character's general category starts with one
        of ``categories``, or the character is in ``extra``."""

        def matches(value: str) -> bool:
            return bool(value) and all(
                c in extra or unicodedata.category(c)[0] in categories for c in value
            )

        return cls(text, matches)


@dataclass(frozen=True)
class Shape:
    """The expected type of a value and its constraints (from the service model)."""

    kind: str  # "string", "integer", "boolean", "list", "map" or "structure"
    min: int | None = None
    max: int | None = None
    pattern: Pattern | None = None
    enum: tuple[str, ...] | None = None
    sensitive: bool = False
    item: Shape | None = None
    members: Mapping[str, Member] = field(default_factory=dict)


@dataclass(frozen=True)
class Member:
    """A member of a structure: its shape and whether the service requires it."""

    shape: Shape
    required: bool = False


def string(
    min: int | None = None,
    max: int | None = None,
    pattern: Pattern | None = None,
    enum: tuple[str, ...] | None = None,
    sensitive: bool = False,
) -> Shape:
    """A string shape."""
    return Shape("string", min=min, max=max, pattern=pattern, enum=enum, sensitive=sensitive)


def integer(min: int | None = None, max: int | None = None) -> Shape:
    """An integer shape with an optional range."""
    return Shape("integer", min=min, max=max)


def boolean() -> Shape:
    """A boolean shape."""
    return Shape("boolean")


def list_of(item: Shape, min: int | None = None, max: int | None = None) -> Shape:
    """A list shape whose items have ``item``'s shape."""
    return Shape("list", item=item, min=min, max=max)


def string_map(sensitive: bool = False) -> Shape:
    """A map of strings to strings (ClientMetadata, AuthParameters, ...)."""
    return Shape("map", item=string(), sensitive=sensitive)


def structure(**members: Member) -> Shape:
    """A structure shape with the given members, in the order the service reports them."""
    return Shape("structure", members=members)


_JAVA_TYPE_NAMES = {"string": "a String", "integer": "an Integer", "boolean": "a Boolean"}


def validate(shape: Shape, document: object) -> dict[str, Any]:
    """Check ``document`` (parsed JSON) against a structure ``shape``.

    Returns the document with nulls and undeclared members removed, or raises
    :class:`ServiceError` (``SerializationException`` for a type mismatch,
    ``InvalidParameterException`` listing every constraint violation).
    """
    cleaned = _deserialize(shape, document)
    assert isinstance(cleaned, dict)
    problems: list[str] = []
    _check(shape, cleaned, "", problems)
    if problems:
        plural = "s" if len(problems) > 1 else ""
        raise ServiceError.invalid_parameter(
            f"{len(problems)} validation error{plural} detected: " + "; ".join(problems)
        )
    return cleaned


def _deserialize(shape: Shape, value: object) -> object:
    """First pass: JSON types. Drops nulls and undeclared members."""
    kind = shape.kind
    if kind == "structure":
        if not isinstance(value, dict):
            raise _type_error(value, "a structure")
        out: dict[str, object] = {}
        for name, member in shape.members.items():
            item = value.get(name)
            if item is not None:
                out[name] = _deserialize(member.shape, item)
        return out
    if kind == "map":
        if not isinstance(value, dict):
            raise _type_error(value, "a map")
        assert shape.item is not None
        return {str(k): _deserialize(shape.item, v) for k, v in value.items() if v is not None}
    if kind == "list":
        if not isinstance(value, list):
            raise _type_error(value, "a list")
        assert shape.item is not None
        return [_deserialize(shape.item, v) for v in value if v is not None]
    if kind == "string":
        if not isinstance(value, str):
            raise _type_error(value, _JAVA_TYPE_NAMES[kind])
        if not value.isascii() and not _is_unicode_text(value):
            raise ServiceError.serialization("Invalid UTF-8 in string value")
        return value
    if kind == "boolean":
        if not isinstance(value, bool):
            raise _type_error(value, _JAVA_TYPE_NAMES[kind])
        return value
    # integer: JSON numbers without a fraction; booleans are not numbers here.
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise _type_error(value, _JAVA_TYPE_NAMES["integer"])
    if isinstance(value, float):
        if not value.is_integer():
            raise _type_error(value, _JAVA_TYPE_NAMES["integer"])
        return int(value)
    return value


def _is_unicode_text(value: str) -> bool:
    """False for strings holding lone surrogates (JSON escapes that are not text)."""
    try:
        value.encode()
    except UnicodeEncodeError:
        return False
    return True


def _type_error(value: object, expected: str) -> ServiceError:
    if isinstance(value, dict):
        return ServiceError.serialization("Start of structure or map found where not expected.")
    if isinstance(value, list):
        return ServiceError.serialization("Start of list found where not expected")
    if isinstance(value, bool):
        token = "TRUE_VALUE" if value else "FALSE_VALUE"
    elif isinstance(value, (int, float)):
        token = "NUMBER_VALUE"
    else:
        token = "STRING_VALUE"
    return ServiceError.serialization(f"{token} can not be converted to {expected}")


def _camel(name: str) -> str:
    return name[:1].lower() + name[1:]


def _check(shape: Shape, value: object, path: str, problems: list[str]) -> None:
    """Second pass: constraints, appending one message per violation."""
    if shape.kind == "structure":
        assert isinstance(value, dict)
        for name, member in shape.members.items():
            member_path = f"{path}.{_camel(name)}" if path else _camel(name)
            if name not in value:
                if member.required:
                    problems.append(
                        f"Value null at '{member_path}' failed to satisfy constraint: "
                        "Member must not be null"
                    )
                continue
            _check(member.shape, value[name], member_path, problems)
        return
    if shape.kind == "list":
        assert isinstance(value, list) and shape.item is not None
        _check_range(shape, len(value), value, path, problems, "length")
        for index, item in enumerate(value, start=1):
            _check(shape.item, item, f"{path}.{index}.member", problems)
        return
    if shape.kind == "string":
        assert isinstance(value, str)
        _check_range(shape, len(value), value, path, problems, "length")
        if shape.pattern is not None and value and not shape.pattern.matches(value):
            problems.append(
                _violation(
                    shape,
                    value,
                    path,
                    f"Member must satisfy regular expression pattern: {shape.pattern.text}",
                )
            )
        if shape.enum is not None and value not in shape.enum:
            problems.append(
                _violation(
                    shape,
                    value,
                    path,
                    f"Member must satisfy enum value set: [{', '.join(shape.enum)}]",
                )
            )
        return
    if shape.kind == "integer":
        assert isinstance(value, int)
        _check_range(shape, value, value, path, problems, "value")


def _check_range(
    shape: Shape, size: int, value: object, path: str, problems: list[str], what: str
) -> None:
    if shape.min is not None and size < shape.min:
        problems.append(
            _violation(
                shape, value, path, f"Member must have {what} greater than or equal to {shape.min}"
            )
        )
    if shape.max is not None and size > shape.max:
        problems.append(
            _violation(
                shape, value, path, f"Member must have {what} less than or equal to {shape.max}"
            )
        )


def _violation(shape: Shape, value: object, path: str, constraint: str) -> str:
    shown = "" if shape.sensitive else f" '{_display(value)}'"
    return f"Value{shown} at '{path}' failed to satisfy constraint: {constraint}"


def _display(value: object) -> str:
    if isinstance(value, list):
        return "[" + ", ".join(str(v) for v in value) + "]"
    return str(value)
