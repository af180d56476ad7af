"""The local user pool: a Cognito-compatible server on loopback, backed by SQLite.

Any Cognito client (boto3, pycognito, this SDK) works against it by changing only the
endpoint::

    with LocalCognito() as local:
        idp = boto3.client("cognito-idp", endpoint_url=local.endpoint, ...)
"""

from __future__ import annotations

from cognito_identity.local.clock import ManualClock
from cognito_identity.local.outbox import Message
from cognito_identity.local.runner import LocalCognito

__all__ = ["LocalCognito", "ManualClock", "Message"]
