"""The Lambda triggers a sign-in runs, with Cognito's event shapes.

* **Pre authentication** (``pre_authentication``) runs when a sign-in starts, before any
  password or code is checked, with ``triggerSource`` ``PreAuthentication_Authentication``,
  the ``userAttributes``, the sign-in's ClientMetadata as ``validationData`` and
  ``userNotFound``: for a user who does not exist it runs only in a client that hides
  which users exist (PreventUserExistenceErrors), with ``userNotFound: true``. Raising refuses the
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

from cognito_identity.local.models import AppClient, Pool
from cognito_identity.local.signin.state import SignIn
from cognito_identity.local.triggers import TRIGGER_NAMES, Trigger, invoke

if TYPE_CHECKING:
    from cognito_identity.local.context import ServerContext

__all__ = [
    "auth_event",
    "post_authentication",
    "pre_authentication",
    "pre_authentication_unknown",
    "run",
]


def _event(
    pool: Pool,
    client: AppClient,
    username: str,
    attributes: dict[str, str],
    name: str,
    request: dict[str, Any],
) -> dict[str, Any]:
    return {
        "version": "1",
        "region": pool.id.split("_", 1)[0],
        "userPoolId": pool.id,
        "userName": username,
        "callerContext": {"awsSdkVersion": "cognito-identity-local", "clientId": client.id},
        "triggerSource": f"{TRIGGER_NAMES[name]}_Authentication",
        "request": {"userAttributes": attributes, **request},
        "response": {},
    }


def auth_event(sign_in: SignIn, name: str, request: dict[str, Any]) -> dict[str, Any]:
    """The event of the sign-in trigger ``name`` (``triggerSource``
    ``<Trigger>_Authentication``), ``request`` added to the user's attributes."""
    user = sign_in.user
    attributes = {"sub": user.sub, **user.attributes, "cognito:user_status": user.status}
    return _event(sign_in.pool, sign_in.client, user.username, attributes, name, request)


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


def pre_authentication_unknown(
    ctx: ServerContext,
    pool: Pool,
    client: AppClient,
    username: str,
    client_metadata: dict[str, str],
) -> None:
    """Run the pool's pre authentication trigger for a user that does not exist (a client
    that hides which users exist): ``userNotFound: true``, no attributes."""
    name = "pre_authentication"
    trigger = ctx.triggers.get(pool.id, name)
    if trigger is None:
        return
    request = {"validationData": dict(client_metadata), "userNotFound": True}
    invoke(name, trigger, _event(pool, client, username, {}, name, request))


def post_authentication(ctx: ServerContext, sign_in: SignIn, *, new_device: bool) -> None:
    """Run the pool's post authentication trigger, if any."""
    run(
        ctx,
        sign_in,
        "post_authentication",
        {"newDeviceUsed": new_device, "clientMetadata": dict(sign_in.client_metadata)},
    )
