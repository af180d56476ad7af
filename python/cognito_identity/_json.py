"""JSON from a server, parsed without letting a hostile text raise anything but a value."""

from __future__ import annotations

import json
from typing import Any

__all__ = ["parse_json"]


def parse_json(text: str | bytes) -> Any:
    """The JSON value of ``text``, or None when it is not JSON: bad syntax, bytes that are
    not UTF-8, or arrays nested deeper than Python's parser goes (which raises
    RecursionError, not ValueError)."""
    try:
        return json.loads(text)
    except (ValueError, RecursionError):
        return None
