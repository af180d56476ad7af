"""Repeatable setups of a local pool from a file: ``cognito-identity local init``.

:func:`load_setup` reads and checks the file (:mod:`.spec`), :func:`apply_setup` makes
what is missing over Cognito's API and returns every id (:mod:`.apply`).
"""

from __future__ import annotations

from cognito_identity.local_setup.apply import Made, PoolMade, SetupResult, UserMade, apply_setup
from cognito_identity.local_setup.spec import SetupFileError, SetupSpec, load_setup, parse_setup

__all__ = [
    "Made",
    "PoolMade",
    "SetupFileError",
    "SetupResult",
    "SetupSpec",
    "UserMade",
    "apply_setup",
    "load_setup",
    "parse_setup",
]
