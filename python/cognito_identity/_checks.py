"""Type checks at the door of the public calls, so that a wrong argument fails at once
with a message that says what was expected, not later with an AttributeError."""

from __future__ import annotations

from cognito_identity.errors import InvalidArgumentTypeError

__all__ = ["checked_str", "require_str"]


def require_str(value: object, what: str, *, optional: bool = False) -> None:
    """Raise :class:`InvalidArgumentTypeError` unless ``value`` is a str (or None when
    ``optional``). ``what`` names the argument; the value itself is never shown, as it
    may be a secret."""
    if isinstance(value, str) or (optional and value is None):
        return
    expected = "a str or None" if optional else "a str"
    raise InvalidArgumentTypeError(f"{what} must be {expected}, not {type(value).__name__}")


def checked_str(value: object, what: str) -> str:
    """``value``, once :func:`require_str` has found it a str."""
    require_str(value, what)
    return str(value)
