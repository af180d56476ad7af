"""The Lambda triggers a sign-in runs, with Cognito's event shapes.

* **Pre authentication** (``pre_authentication``) runs when a sign-in starts for a user
  who exists, before any password or code is checked, with ``triggerSource``
  ``PreAuthentication_Authentication``, the ``userAttributes``, the sign-in's
  ClientMetadata as ``validationData`` and ``userNotFound: false``. Raising refuses the
  sign-in with UserLambdaValidationException ("PreAuthentication failed with error
  <message>."). Refreshing tokens does not run it.
* **Post authentication** (``post_authentication``) runs once the sign-in is complete,
  before the tokens are issued, with ``triggerSource`` ``PostAuthentication_Authentication``,
  the ``userAttributes``, ``newDeviceUsed`` (a pool that tracks devices and a sign-in that
  proved no known device) and ``clientMetadata``. It cannot change the outcome, but a
  trigger that raises fails the sign-in (UserLambdaValidationException).
* The **custom auth** triggers (define, create, verify auth challenge) are run by
  :mod:`.custom`, with the event made here.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from cognito_identity.local.signin.state import SignIn
from cognito_identity.local.triggers import TRIGGER_NAMES, Trigger, invoke

if TYPE_CHECKING:
    from cognito_identity.local.context import ServerContext

__all__ = ["auth_event", "post_authentication", "pre_authentication", "run"]


def auth_event(sign_in: SignIn, name: str, request: dict[str, Any]) -> dict[str, Any]:
    """The event of the sign-in trigger ``name`` (``triggerSource``
    ``<Trigger>_Authentication``), ``request`` added to the user's attributes."""
    user = sign_in.user
    attributes = {"sub": user.sub, **user.attributes, "cognito:user_status": user.status}
    return {
        "version": "1",
        "region": sign_in.pool.id.split("_", 1)[0],
        "userPoolId": sign_in.pool.id,
        "userName": user.username,
        "callerContext": {
            "awsSdkVersion": "cognito-identity-local",
            "clientId": sign_in.client.id,
        },
        "triggerSource": f"{TRIGGER_NAMES[name]}_Authentication",
        "request": {"userAttributes": attributes, **request},
        "response": {},
    }


def run(
    ctx: ServerContext,
    sign_in: SignIn,
    name: str,
    request: dict[str, Any],
    default: Trigger | None = None,
) -> dict[str, Any] | None:
    """Run the pool's trigger ``name`` (else ``default``) and return its ``response``;
    None when there is neither."""
    trigger = ctx.triggers.get(sign_in.pool.id, name) or default
    if trigger is None:
        return None
    return invoke(name, trigger, auth_event(sign_in, name, request))


def pre_authentication(ctx: ServerContext, sign_in: SignIn) -> None:
    """Run the pool's pre authentication trigger, if any (it may refuse the sign-in)."""
    run(
        ctx,
        sign_in,
        "pre_authentication",
        {"validationData": dict(sign_in.client_metadata), "userNotFound": False},
    )


def post_authentication(ctx: ServerContext, sign_in: SignIn, *, new_device: bool) -> None:
    """Run the pool's post authentication trigger, if any."""
    run(
        ctx,
        sign_in,
        "post_authentication",
        {"newDeviceUsed": new_device, "clientMetadata": dict(sign_in.client_metadata)},
    )
