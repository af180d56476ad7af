"""The names this module had before the client, the transports and the protocol were split
apart; kept so code written against them keeps working.

:class:`Transport` is :class:`~cognito_identity.client.CognitoClient`: one Cognito call
(``call``) and the driving of flows (``run``). New code imports from
:mod:`cognito_identity.client` and :mod:`cognito_identity.transports`.
"""

from __future__ import annotations

from cognito_identity.client import (
    IDENTITY_POOLS,
    USER_POOLS,
    Call,
    CognitoClient,
    Flow,
    RetryPolicy,
)

__all__ = ["IDENTITY_POOLS", "USER_POOLS", "Call", "Flow", "RetryPolicy", "Transport"]

#: The sync Cognito client under its former name.
Transport = CognitoClient
