"""Pagination tokens: opaque to clients, a position in a sorted listing to the server.

A token encodes the sort key of the last item a page returned; the next page starts after
it. A token that does not decode is refused with InvalidParameterException, as Cognito
refuses a token it did not hand out.
"""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Generic, TypeVar

from cognito_identity.local.errors import ServiceError

__all__ = ["DEFAULT_PAGE", "Page", "after_token", "next_token"]

#: The page size when a request gives no limit (Cognito's is 60 for these listings).
DEFAULT_PAGE = 60

T = TypeVar("T")


def next_token(after: str) -> str:
    """The token of the page that starts after the sort key ``after``."""
    return base64.urlsafe_b64encode(json.dumps({"after": after}).encode()).decode()


def after_token(token: str | None) -> str:
    """The sort key a request's token starts after ("" for the first page)."""
    if token is None:
        return ""
    try:
        after = json.loads(base64.urlsafe_b64decode(token.encode()))["after"]
    except (ValueError, KeyError, TypeError, binascii.Error):
        raise ServiceError.invalid_parameter("Invalid pagination token.") from None
    if not isinstance(after, str):
        raise ServiceError.invalid_parameter("Invalid pagination token.")
    return after


@dataclass(frozen=True)
class Page(Generic[T]):
    """One page of a listing and the token of the next one (None on the last page)."""

    items: list[T]
    token: str | None

    @classmethod
    def of(cls, rows: Sequence[tuple[str, T]], limit: int) -> Page[T]:
        """A page from up to ``limit + 1`` ``(sort key, item)`` rows: the extra row, when
        present, only says there is a next page."""
        items = [item for _, item in rows[:limit]]
        more = len(rows) > limit and limit > 0
        return cls(items, next_token(rows[limit - 1][0]) if more else None)
