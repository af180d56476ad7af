"""The state of one sign-in: who signs in where, what is proven so far, and which phase
the next answer belongs to.

A sign-in moves through phases in one order: the first factor (a password, a one-time
code or custom challenges), a new password when the current one is temporary, device SRP
when the request names a remembered device, MFA, and done. Not every sign-in passes
through every phase; :mod:`.machine` decides which come next.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from typing import Any

from cognito_identity.local.models import AppClient, Pool, User

__all__ = ["CustomHistory", "Factor", "Phase", "SignIn"]

#: The define auth challenge trigger's ``request.session`` so far.
CustomHistory = tuple[dict[str, Any], ...]


class Phase(enum.Enum):
    """Where a sign-in stands: the phase its open challenge belongs to."""

    FIRST_FACTOR = "first factor"
    NEW_PASSWORD = "new password"
    DEVICE = "device"
    MFA = "mfa"
    DONE = "done"


class Factor(enum.Enum):
    """What a sign-in has proven."""

    PASSWORD = "password"
    ONE_TIME_CODE = "one-time code"  # a code as the first factor (USER_AUTH): no MFA after
    CUSTOM = "custom"
    NEW_PASSWORD = "new password"
    DEVICE = "device"
    MFA = "mfa"


@dataclass(frozen=True)
class SignIn:
    """One sign-in in flight.

    ``user`` is re-read at every step (it may have changed, or gone); ``device_key`` is the
    device proven by device SRP, whose tokens the sign-in ends with; ``custom_history`` is
    the define trigger's session in a CUSTOM_AUTH sign-in (None in any other);
    ``client_metadata`` is the sign-in's ClientMetadata, handed to the triggers.
    """

    pool: Pool
    client: AppClient
    user: User
    expires: float
    phase: Phase = Phase.FIRST_FACTOR
    proven: frozenset[Factor] = frozenset()
    device_key: str | None = None
    custom_history: CustomHistory | None = None
    client_metadata: dict[str, str] = field(default_factory=dict, repr=False)

    def has(self, factor: Factor) -> bool:
        """Whether the sign-in has proven ``factor``."""
        return factor in self.proven
