"""Faults the local pool injects into the action requests it serves, so a load test can
see how its client copes: throttling (TooManyRequestsException), server errors
(InternalErrorException, HTTP 500), connections dropped without an answer, and added
latency. Spelled as on the command line: ``throttle=0.05,latency=20ms,error=0.01,drop=0.01``
(the first three are probabilities per request, drawn once so they never overlap).
:func:`cognito_identity.local.serving.serve_action` applies them.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass, field

__all__ = ["Faults"]

_LATENCY = re.compile(r"^(\d+(?:\.\d+)?)\s*(ms|s)?$")


@dataclass(frozen=True)
class Faults:
    """Per-request chances of ``throttle``, ``error`` and ``drop``, and ``latency``
    seconds added to every action request. ``Faults()`` injects nothing."""

    throttle: float = 0.0
    error: float = 0.0
    drop: float = 0.0
    latency: float = 0.0
    _random: random.Random = field(
        default_factory=random.Random, init=False, repr=False, compare=False
    )

    def __post_init__(self) -> None:
        for name in ("throttle", "error", "drop"):
            value = getattr(self, name)
            if not 0.0 <= value <= 1.0:
                raise ValueError(f"fault {name}={value:g} is not a probability between 0 and 1")
        if self.throttle + self.error + self.drop > 1.0:
            raise ValueError("fault probabilities add up to more than 1")
        if self.latency < 0:
            raise ValueError("fault latency cannot be negative")

    @classmethod
    def parse(cls, text: str | None) -> Faults:
        """The faults of a spec like ``throttle=0.05,latency=20ms,error=0.01,drop=0.01``
        (latency in ``ms`` or ``s``, milliseconds without a unit); ValueError otherwise."""
        values: dict[str, float] = {}
        for part in (text or "").split(","):
            if not part.strip():
                continue
            name, _, value = (piece.strip() for piece in part.partition("="))
            if name not in ("throttle", "error", "drop", "latency") or not value:
                raise ValueError(
                    f"invalid fault {part.strip()!r}: expected throttle=P, error=P, drop=P "
                    "or latency=20ms"
                )
            values[name] = _latency(value) if name == "latency" else _probability(name, value)
        return cls(**values)

    @property
    def active(self) -> bool:
        """Whether any fault is injected."""
        return bool(self.throttle or self.error or self.drop or self.latency)

    def draw(self) -> str | None:
        """The fault for one request: ``"throttle"``, ``"error"``, ``"drop"`` or None."""
        roll = self._random.random()
        for name, chance in (
            ("throttle", self.throttle),
            ("error", self.error),
            ("drop", self.drop),
        ):
            if roll < chance:
                return name
            roll -= chance
        return None


def _probability(name: str, value: str) -> float:
    try:
        return float(value)
    except ValueError:
        raise ValueError(f"invalid fault {name}={value!r}: expected a probability") from None


def _latency(value: str) -> float:
    match = _LATENCY.match(value)
    if match is None:
        raise ValueError(f"invalid fault latency={value!r}: expected e.g. 20ms or 0.5s")
    amount = float(match.group(1))
    return amount if match.group(2) == "s" else amount / 1000.0
