"""Locust users for Cognito user pools: one base class with the steps as helpers, and one
class per scenario.

Each simulated user has its own :class:`~cognito_identity.CognitoUserPool` whose client
reports every call attempt to a :class:`~cognito_identity.loadtest.steps.StepRecorder`,
with the SDK's retries off unless the target asks for them. A whole flow (``login
(SRP)``, ``refresh``, ``signup+confirm``...) is one more event, timed end to end, and
failed under the Cognito error code that ended it. A custom scenario subclasses
:class:`CognitoLoadUser` and calls its helpers from its tasks::

    class ProfileUser(CognitoLoadUser):
        @task
        def login_and_read_profile(self) -> None:
            tokens = self.login()
            if tokens is not None:
                self.get_user(tokens)
"""

from __future__ import annotations

import time
import urllib.parse
import uuid
import weakref
from collections.abc import Callable
from typing import Any, ClassVar, TypeVar

import requests
from locust import User, constant, task
from locust.env import Environment

from cognito_identity.client import CognitoClient, RetryPolicy
from cognito_identity.errors import CognitoError
from cognito_identity.flows import (
    Challenge,
    PasswordSignIn,
    Refresh,
    SrpSignIn,
    Tokens,
    UserAuthSignIn,
    first_factor_helper,
)
from cognito_identity.flows.outcome import Outcome
from cognito_identity.loadtest.provision import AdminApi, admin_api, new_password
from cognito_identity.loadtest.steps import (
    CALL,
    CPU,
    FLOW,
    SRP_MATH,
    StepFailure,
    StepRecorder,
    fire_event,
)
from cognito_identity.loadtest.target import TARGET_OPTION, Target, TestUser
from cognito_identity.loadtest.transport import GeventTransport
from cognito_identity.pool import CognitoUserPool

__all__ = [
    "LOGIN_NAMES",
    "SETUP",
    "CognitoLoadUser",
    "LoginRefreshUser",
    "LoginUser",
    "MixedUser",
    "PasswordLoginUser",
    "RefreshStormUser",
    "SignUpConfirmUser",
    "SrpLoginUser",
    "UnansweredChallenge",
    "UserAuthLoginUser",
    "target_of",
]

T = TypeVar("T")

#: The whole-flow event name of each login kind.
LOGIN_NAMES = {
    "USER_SRP_AUTH": "login (SRP)",
    "USER_PASSWORD_AUTH": "login (USER_PASSWORD_AUTH)",
    "USER_AUTH": "login (USER_AUTH)",
}
#: The Locust request type of the sessions made before a refresh storm (not a flow).
SETUP = "setup"

_targets: weakref.WeakKeyDictionary[Environment, tuple[object, Target]] = (
    weakref.WeakKeyDictionary()
)


def target_of(environment: Environment) -> Target:
    """The environment's target: the one in ``parsed_options`` (set by ``cognito-identity
    loadtest`` and sent by the master to its workers), else from environment variables."""
    options = environment.parsed_options
    raw = getattr(options, TARGET_OPTION, None) if options is not None else None
    cached = _targets.get(environment)
    if cached is not None and cached[0] is raw:
        return cached[1]
    target = Target.from_dict(raw) if raw is not None else Target.from_env()
    _targets[environment] = (raw, target)
    return target


class UnansweredChallenge(CognitoError):
    """A sign-in stopped at a challenge the load test does not answer (MFA, a new
    password): a test user that is not set up for plain sign-in."""

    def __init__(self, challenge: str) -> None:
        super().__init__(
            f"the sign-in asked for {challenge}, which the load test does not answer",
            code=f"challenge {challenge}",
        )


class CognitoLoadUser(User):
    """Base of every Cognito scenario: a pool client per simulated user, and helpers that
    run one step or one whole flow and report it to Locust.

    ``auth_flow`` (None: the target's) picks the sign-in of :meth:`login`;
    ``user_auth_factor`` the first factor of a USER_AUTH sign-in. Users act as fast as the
    pool answers (``wait_time = constant(0)``); set ``wait_time`` for a paced load.
    """

    abstract = True
    wait_time = constant(0)
    auth_flow: ClassVar[str | None] = None
    user_auth_factor: ClassVar[str] = "PASSWORD"

    def __init__(self, environment: Environment) -> None:
        super().__init__(environment)
        self.target = target_of(environment)
        self.recorder = StepRecorder(environment.events)
        self.pool = self.make_pool(hooks=(self.recorder,))
        self.client: CognitoClient = self.pool.transport
        self.test_user: TestUser | None = self.target.next_user() if self.target.users else None
        self.tokens: Tokens | None = None
        self._admin: AdminApi | None = None
        self._outbox: requests.Session | None = None

    # --- building blocks ---

    def make_pool(self, hooks: tuple[Any, ...] = ()) -> CognitoUserPool:
        """A pool client for the target with the target's retries and ``hooks``, over
        a :class:`~cognito_identity.loadtest.transport.GeventTransport`."""
        return CognitoUserPool(
            self.target.user_pool_id,
            self.target.client_id,
            client_secret=self.target.client_secret,
            endpoint=self.target.endpoint,
            retry=RetryPolicy(max_attempts=self.target.retries),
            hooks=hooks,
            transport=GeventTransport(),
        )

    def fire(
        self, request_type: str, name: str, started: float, failure: StepFailure | None = None
    ) -> None:
        """Report one event that began at ``started`` (a ``time.perf_counter()``)."""
        elapsed_ms = (time.perf_counter() - started) * 1000.0
        fire_event(self.environment.events, request_type, name, elapsed_ms, failure)

    def measure(self, name: str, body: Callable[[], T], request_type: str = FLOW) -> T | None:
        """Run ``body`` as the whole flow ``name``: one event timed end to end, failed under
        the Cognito error code that ended it (and None returned)."""
        started = time.perf_counter()
        try:
            result = body()
        except CognitoError as error:
            self.fire(request_type, name, started, StepFailure(error.code))
            return None
        self.fire(request_type, name, started)
        return result

    def _user(self, user: TestUser | None) -> TestUser:
        chosen = user or self.test_user
        if chosen is None:
            raise CognitoError("no test user to sign in as", code="NoTestUser")
        return chosen

    # --- steps and flows ---

    def sign_in(
        self, auth_flow: str | None = None, user: TestUser | None = None, *, pool: Any = None
    ) -> Tokens:
        """Sign ``user`` (this user's test user) in with ``auth_flow``, its steps reported
        as events (and the SRP math as ``srp client math``); raises on failure."""
        kind = auth_flow or self.auth_flow or self.target.auth_flow
        who = self._user(user)
        through: CognitoUserPool = pool or self.pool
        app, devices = through.app_client, _NoDevices()
        srp = True
        if kind == "USER_SRP_AUTH":
            flow = SrpSignIn(app, who.username, who.password, devices).flow()
        elif kind == "USER_PASSWORD_AUTH":
            flow, srp = PasswordSignIn(app, who.username, who.password, devices).flow(), False
        else:
            factor = self.user_auth_factor
            helper = first_factor_helper(app, factor, who.password)
            srp = helper is not None
            flow = UserAuthSignIn(app, who.username, devices, factor, who.password, helper).flow()
        cpu_before = self.recorder.flow_cpu
        outcome: Outcome = through.transport.run(flow)
        if srp and pool is None:
            cpu_ms = (self.recorder.flow_cpu - cpu_before) * 1000.0
            fire_event(self.environment.events, CPU, SRP_MATH, cpu_ms)
        if isinstance(outcome, Challenge):
            raise UnansweredChallenge(outcome.name)
        return outcome

    def login(self, auth_flow: str | None = None, user: TestUser | None = None) -> Tokens | None:
        """The whole-flow ``login (...)``: the tokens, or None when it failed (recorded)."""
        kind = auth_flow or self.auth_flow or self.target.auth_flow
        tokens = self.measure(LOGIN_NAMES[kind], lambda: self.sign_in(kind, user))
        if tokens is not None:
            self.tokens = tokens
        return tokens

    def refresh(self, tokens: Tokens | None = None) -> Tokens | None:
        """The whole-flow ``refresh``: new tokens from ``tokens`` (this user's last ones)."""
        held = tokens or self.tokens
        if held is None or held.refresh_token is None:
            return None
        flow = Refresh(self.pool.app_client, held.username, held.refresh_token).flow()
        return self.measure("refresh", lambda: self.client.run(flow))

    def get_user(self, tokens: Tokens | None = None) -> dict[str, Any] | None:
        """GetUser with the access token of ``tokens`` (this user's last ones)."""
        held = tokens or self.tokens
        if held is None:
            return None
        try:
            return self.client.call("GetUser", {"AccessToken": held.access_token})
        except CognitoError:
            return None

    def sign_up_and_confirm(self) -> str | None:
        """The whole-flow ``signup+confirm``: a new user signs up (``SignUp``) and is
        confirmed (``ConfirmSignUp`` with the local outbox's code, or
        ``AdminConfirmSignUp`` on a real pool). Returns the new username, or None."""
        username = f"{self.target.signup_prefix}{uuid.uuid4().hex[:16]}"
        password = self.target.signup_password or new_password()

        def body() -> str:
            self.pool.sign_up(username, password, {"email": f"{username}@example.com"})
            if self.target.confirm == "outbox":
                code = self._outbox_code(username)
                self.client.call(
                    "ConfirmSignUp",
                    {
                        "ClientId": self.target.client_id,
                        "Username": username,
                        "ConfirmationCode": code,
                        "SecretHash": self.pool.secret_hash(username),
                    },
                )
            else:
                self._admin_confirm(username)
            return username

        return self.measure("signup+confirm", body)

    def _outbox_code(self, username: str) -> str:
        query = urllib.parse.urlencode({"username": username, "pool_id": self.target.user_pool_id})
        if self._outbox is None:
            self._outbox = requests.Session()
        session = self._outbox
        try:
            answer = session.get(f"{self.target.endpoint}/_local/outbox?{query}", timeout=10)
            messages = answer.json().get("messages") or []
        except (requests.RequestException, ValueError) as error:
            raise CognitoError("the local outbox cannot be read", code="OutboxError") from error
        if not messages:
            raise CognitoError("no confirmation code in the outbox", code="OutboxEmpty")
        return str(messages[-1]["code"])

    def _admin_confirm(self, username: str) -> None:
        if self._admin is None:
            self._admin = admin_api(self.target)
        started = time.perf_counter()
        try:
            self._admin.call(
                "AdminConfirmSignUp", {"UserPoolId": self.target.user_pool_id, "Username": username}
            )
        except CognitoError as error:
            self.fire(CALL, "AdminConfirmSignUp", started, StepFailure(error.code))
            raise
        self.fire(CALL, "AdminConfirmSignUp", started)

    def ensure_session(self) -> Tokens | None:
        """This user's tokens, signing in first (reported as a ``setup`` event, not a
        flow) when it has none: the sessions a refresh storm starts from."""
        if self.tokens is None:
            quiet = self.make_pool()
            self.tokens = self.measure("session", lambda: self.sign_in(pool=quiet), SETUP)
        return self.tokens


class _NoDevices:
    """Load-test users remember no device."""

    def lookup(self, username: str) -> None:
        return None

    def forget(self, username: str) -> None:
        return None


class LoginUser(CognitoLoadUser):
    """``login``: sign in again and again, with the target's auth flow."""

    @task
    def sign_in_task(self) -> None:
        self.login()


class SrpLoginUser(LoginUser):
    """``login`` with USER_SRP_AUTH."""

    auth_flow = "USER_SRP_AUTH"


class PasswordLoginUser(LoginUser):
    """``login`` with USER_PASSWORD_AUTH."""

    auth_flow = "USER_PASSWORD_AUTH"


class UserAuthLoginUser(LoginUser):
    """``login`` with USER_AUTH (choice-based sign-in, first factor PASSWORD)."""

    auth_flow = "USER_AUTH"


class LoginRefreshUser(CognitoLoadUser):
    """``login+refresh``: sign in, then refresh the session once."""

    @task
    def login_then_refresh(self) -> None:
        tokens = self.login()
        if tokens is not None:
            self.refresh(tokens)


class RefreshStormUser(CognitoLoadUser):
    """``refresh``: each user signs in once (a ``setup`` event), then refreshes its
    session as fast as the pool answers."""

    def on_start(self) -> None:
        self.ensure_session()

    @task
    def refresh_task(self) -> None:
        if self.ensure_session() is not None:
            self.refresh()


class SignUpConfirmUser(CognitoLoadUser):
    """``signup+confirm``: new users sign up and are confirmed."""

    @task
    def sign_up_task(self) -> None:
        self.sign_up_and_confirm()


class MixedUser(CognitoLoadUser):
    """``mixed``: mostly logins, some refreshes of the user's session, a few sign-ups
    (weights 6 : 3 : 1; subclass and set ``tasks`` for others)."""

    @task(6)
    def login_task(self) -> None:
        self.login()

    @task(3)
    def refresh_task(self) -> None:
        if self.tokens is None:
            self.login()
        else:
            self.refresh()

    @task(1)
    def sign_up_task(self) -> None:
        self.sign_up_and_confirm()
