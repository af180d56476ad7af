"""An action request as the server serves it: the injected faults first (see
:mod:`.faults`), then the action, each answer counted in the server's stats."""

from __future__ import annotations

import time
from collections.abc import Mapping

from cognito_identity.local.context import ServerContext
from cognito_identity.local.errors import ServiceError
from cognito_identity.local.protocol import Reply, action_name, error_reply, handle_action

__all__ = ["serve_action"]


def serve_action(
    ctx: ServerContext,
    target: str | None,
    body: bytes,
    headers: Mapping[str, str] | None = None,
    path: str = "/",
) -> Reply | None:
    """The reply to one action request after the server's faults, counted in its stats by
    action and status; None when the connection is to be dropped without an answer.
    ``headers`` (lower-case names) and ``path`` are what an IAM signature covers."""
    faults, action = ctx.faults, action_name(target)
    fault = faults.draw() if faults.active else None
    if faults.latency:
        time.sleep(faults.latency)
    if fault == "drop":
        ctx.stats.count(action, "dropped")
        return None
    if fault == "throttle":
        reply = error_reply(ServiceError.too_many_requests())
    elif fault == "error":
        reply = error_reply(ServiceError.internal())
    else:
        reply = handle_action(ctx, target, body, headers, path)
    ctx.stats.count(action, str(reply.status), _error_code(reply))
    return reply


def _error_code(reply: Reply) -> str | None:
    for name, value in reply.headers:
        if name == "x-amzn-ErrorType":
            return value
    return None
