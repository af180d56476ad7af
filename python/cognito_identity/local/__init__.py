"""The local user pool: a Cognito-compatible server on loopback, backed by SQLite.

It serves Cognito user pools and, on the same endpoint, identity pools (GetId,
GetCredentialsForIdentity with made-up credentials). Any Cognito client (boto3, pycognito,
this SDK) works against it by changing only the endpoint::

    with LocalCognito() as local:
        idp = boto3.client("cognito-idp", endpoint_url=local.endpoint, ...)
        ...
        code = local.outbox.last_code("alice")   # what Cognito would have e-mailed
        code = local.totp_code(secret)           # what an authenticator app shows now

How a request flows, one module per step:

* ``server``: HTTP/1.1 with keep-alive, one thread per connection, size-limited bodies.
* ``protocol``: AWS JSON 1.1 without IO: ``X-Amz-Target`` to the action table, JSON
  parsing, errors as Cognito's ``{"__type", "message"}``.
* ``shapes`` and ``validation``: each action's input shape (from the service model) and
  the two-pass check that gives SerializationException / InvalidParameterException.
* ``actions``: the handlers, one module per area (pools, users, signup, auth, sessions),
  merged into ``ACTIONS``. Sign-in is a state machine of its own in ``signin/``: its
  flows, challenges and transition table.
* ``store`` (SQLite schema and connections), ``models`` (typed pools, clients, users),
  ``directory`` (user rules), ``passwords``, ``tokens``, ``outbox``,
  ``clock``, ``ids``, ``errors``.

To add an action: declare its input in ``shapes.INPUTS``, write the handler in the
``actions`` module of its area and list it in that module's ``ACTIONS``;
``tests/local/test_shapes.py`` checks the shape against botocore's model.
"""

from __future__ import annotations

from cognito_identity.local.clock import ManualClock
from cognito_identity.local.outbox import Message
from cognito_identity.local.runner import LocalCognito
from cognito_identity.local.server import ServerLimits
from cognito_identity.local.totp import totp_code

__all__ = ["LocalCognito", "ManualClock", "Message", "ServerLimits", "totp_code"]
