"""The action table: Cognito action name -> handler.

A handler takes the server context and the validated request and returns the response
document, or raises :class:`~cognito_identity.local.errors.ServiceError`. Each module
groups the actions of one area and exports its own ``ACTIONS``.
"""

from __future__ import annotations

from cognito_identity.local.actions import (
    account,
    auth,
    devices,
    groups,
    hosted_ui,
    identity,
    mfa,
    pools,
    provider_links,
    providers,
    refresh,
    sessions,
    signup,
    users,
)
from cognito_identity.local.actions.base import Handler

__all__ = ["ACTIONS", "IDENTITY_ACTIONS", "Handler"]

ACTIONS: dict[str, Handler] = {
    **pools.ACTIONS,
    **users.ACTIONS,
    **groups.ACTIONS,
    **signup.ACTIONS,
    **auth.ACTIONS,
    **sessions.ACTIONS,
    **account.ACTIONS,
    **mfa.ACTIONS,
    **devices.ACTIONS,
    **refresh.ACTIONS,
    **hosted_ui.ACTIONS,
    **providers.ACTIONS,
    **provider_links.ACTIONS,
}

#: The identity-pool actions (X-Amz-Target ``AWSCognitoIdentityService.<action>``).
IDENTITY_ACTIONS: dict[str, Handler] = identity.ACTIONS
