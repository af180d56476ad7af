"""Everything an action handler needs, bundled once per server."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from cognito_identity.local.clock import Clock
from cognito_identity.local.errors import ServiceError
from cognito_identity.local.faults import Faults
from cognito_identity.local.iam import SignatureChecker
from cognito_identity.local.messages import compose
from cognito_identity.local.models import Catalog
from cognito_identity.local.oauth.codes import AuthorizationCodes, SingleUse
from cognito_identity.local.oauth.federation import PendingSignIn
from cognito_identity.local.outbox import Outbox
from cognito_identity.local.signin.sessions import ChallengeSessions
from cognito_identity.local.stats import RequestStats
from cognito_identity.local.store import Store
from cognito_identity.local.tokens import TokenIssuer
from cognito_identity.local.triggers import Triggers

__all__ = ["ServerContext"]


@dataclass
class ServerContext:
    """The server's shared state. ``endpoint`` is set once the socket is bound."""

    store: Store
    clock: Clock
    region: str
    endpoint: str = ""
    catalog: Catalog = field(default_factory=Catalog)
    challenges: ChallengeSessions = field(default_factory=ChallengeSessions)
    triggers: Triggers = field(default_factory=Triggers)
    faults: Faults = field(default_factory=Faults)
    stats: RequestStats = field(default_factory=RequestStats)
    #: Checks administrator calls' IAM signatures; None accepts any call.
    signatures: SignatureChecker | None = None
    #: How long GetCredentialsForIdentity's credentials last (Cognito: one hour).
    credentials_seconds: int = 3600
    oauth_codes: AuthorizationCodes = field(default_factory=AuthorizationCodes)
    #: Hosted-UI sign-ins gone to an identity provider, by the state sent along.
    oauth_pending: SingleUse[PendingSignIn] = field(default_factory=SingleUse)
    outbox: Outbox = field(init=False)
    tokens: TokenIssuer = field(init=False)

    def __post_init__(self) -> None:
        self.outbox = Outbox(self.store)
        self.outbox.compose_with(lambda conn, message, source: compose(self, conn, message, source))
        self.tokens = TokenIssuer(self)
        self.triggers.read_lambda_configs_with(self._lambda_config)

    def _lambda_config(self, pool_id: str) -> dict[str, Any]:
        try:
            pool = self.catalog.pool(self.store.connection(), pool_id)
        except ServiceError:
            return {}
        return dict(pool.description.get("LambdaConfig") or {})

    def issuer(self, pool_id: str) -> str:
        """The ``iss`` of the pool's tokens: the endpoint followed by the pool id."""
        return f"{self.endpoint}/{pool_id}"
