"""boto3 sessions fed by a :class:`~cognito_identity.credentials.CognitoCredentials`
(the ``boto3`` extra; imported only when :meth:`CognitoCredentials.boto3_session` is
called, so ``import cognito_identity`` never needs boto3 or botocore).

botocore refreshes ``RefreshableCredentials`` on its own schedule: it asks for new ones
once fewer than 15 minutes remain (its advisory window), and every thread waits for them
once fewer than 10 remain. Cognito's credentials last an hour and the SDK refreshes them
a minute before expiry, so the refresh callback asks for credentials valid for more than
botocore's advisory window: it fetches new ones when it is called inside that window
instead of handing back the same credentials for botocore to ask about again.
"""

from __future__ import annotations

import importlib
from datetime import datetime, timezone
from typing import TYPE_CHECKING, Any

from cognito_identity import credentials as _credentials_module
from cognito_identity.errors import MissingDependencyError

if TYPE_CHECKING:
    from cognito_identity.credentials import CognitoCredentials

__all__ = ["boto3_session", "refreshable_credentials"]

#: botocore's advisory refresh window (``_DEFAULT_ADVISORY_REFRESH_TIMEOUT``), in seconds.
BOTOCORE_ADVISORY_SECONDS = 15 * 60
# A refresh returns credentials valid for this much longer than the window, so that
# botocore does not find them due again at once.
_MARGIN_SECONDS = 60
#: The ``method`` botocore records for these credentials.
METHOD = "cognito-identity"


def _require(module: str) -> Any:
    try:
        return importlib.import_module(module)
    except ImportError:
        raise MissingDependencyError(
            f"CognitoCredentials.boto3_session() needs {module.split('.')[0]}: "
            "pip install 'cognito-identity[boto3]'"
        ) from None


def _now() -> datetime:
    """The SDK's clock (:func:`cognito_identity.credentials._now`), as botocore reads it."""
    return datetime.fromtimestamp(_credentials_module._now(), timezone.utc)


def refreshable_credentials(credentials: CognitoCredentials) -> Any:
    """botocore ``RefreshableCredentials`` that take their values from ``credentials``,
    fetching new ones when botocore's refresh window begins."""
    botocore_credentials = _require("botocore.credentials")

    def metadata() -> dict[str, str]:
        snapshot = credentials.get_credentials(
            min_lifetime=BOTOCORE_ADVISORY_SECONDS + _MARGIN_SECONDS
        )
        return {
            "access_key": snapshot.access_key_id,
            "secret_key": snapshot.secret_access_key,
            "token": snapshot.session_token,
            "expiry_time": snapshot.expiration.isoformat(),
        }

    first = metadata()
    return botocore_credentials.RefreshableCredentials(
        access_key=first["access_key"],
        secret_key=first["secret_key"],
        token=first["token"],
        expiry_time=datetime.fromisoformat(first["expiry_time"]),
        refresh_using=metadata,
        method=METHOD,
        time_fetcher=_now,
    )


def boto3_session(credentials: CognitoCredentials, region: str | None = None) -> Any:
    """A ``boto3.Session`` in ``region`` (default: the identity pool's) whose clients sign
    with ``credentials``, refreshed as botocore needs."""
    boto3 = _require("boto3")
    botocore_credentials = _require("botocore.credentials")
    botocore_session = _require("botocore.session").Session()
    refreshable = refreshable_credentials(credentials)

    provider_base: Any = botocore_credentials.CredentialProvider

    class CognitoProvider(provider_base):  # type: ignore[misc]
        METHOD = METHOD

        def load(self) -> Any:
            return refreshable

    # The session's credential chain is this one provider: no environment variable or
    # profile on the machine can take its place.
    botocore_session.register_component(
        "credential_provider", botocore_credentials.CredentialResolver([CognitoProvider()])
    )
    return boto3.Session(
        botocore_session=botocore_session, region_name=region or credentials.region
    )
