"""IAM signatures of administrator calls: the check the local pool makes when it is given
credentials (``LocalCognito(iam_credentials="KEY:SECRET")``, ``--iam-credentials``).

Cognito takes two kinds of call: public ones a user's app makes unsigned (SignUp,
InitiateAuth, GetUser with an access token, ...; :data:`PUBLIC_ACTIONS`), and
administrator calls signed with SigV4 by an IAM principal (every Admin* action, pool
management, ...). With credentials set, each administrator call must carry a SigV4
signature made with them, recomputed here by the project's Rust signer
(:mod:`cognito_identity.sigv4`) and refused as AWS refuses it:

* no ``Authorization`` header: MissingAuthenticationTokenException;
* a header that is not SigV4: IncompleteSignatureException;
* another access key id, or a session token the server never issued:
  UnrecognizedClientException;
* a wrong scope (region, service, date), a time more than 15 minutes off, or a signature
  that does not match: InvalidSignatureException.

Without credentials the server checks nothing, so any client works as before. The secret
lives only in the signer and is never logged or echoed.
"""

from __future__ import annotations

import datetime as _dt
import hmac
import re
import time
from collections.abc import Mapping
from dataclasses import dataclass, field

from cognito_identity.errors import SigV4Error
from cognito_identity.local.errors import ServiceError
from cognito_identity.sigv4 import AwsSigV4Client, SigV4Request

__all__ = ["PUBLIC_ACTIONS", "IamCredentials", "SignatureChecker"]

#: Actions Cognito takes unsigned (``authtype: none`` in the service models).
PUBLIC_ACTIONS = frozenset(
    {
        # user pools
        "AssociateSoftwareToken",
        "ChangePassword",
        "ConfirmDevice",
        "ConfirmForgotPassword",
        "ConfirmSignUp",
        "DeleteUser",
        "DeleteUserAttributes",
        "ForgetDevice",
        "ForgotPassword",
        "GetDevice",
        "GetTokensFromRefreshToken",
        "GetUser",
        "GetUserAttributeVerificationCode",
        "GlobalSignOut",
        "InitiateAuth",
        "ListDevices",
        "ResendConfirmationCode",
        "RespondToAuthChallenge",
        "RevokeToken",
        "SetUserMFAPreference",
        "SetUserSettings",
        "SignUp",
        "UpdateDeviceStatus",
        "UpdateUserAttributes",
        "VerifySoftwareToken",
        "VerifyUserAttribute",
        # identity pools
        "GetCredentialsForIdentity",
        "GetId",
        "GetOpenIdToken",
    }
)

# Signatures older or newer than this (against the wall clock) are refused, as AWS does.
_MAX_SKEW = _dt.timedelta(minutes=15)
_AMZ_DATE = "%Y%m%dT%H%M%SZ"
_AUTHORIZATION = re.compile(
    r"AWS4-HMAC-SHA256 Credential=(?P<key>[^/\s]+)/(?P<date>\d{8})/(?P<region>[^/\s]+)/"
    r"(?P<service>[^/\s]+)/aws4_request,\s*SignedHeaders=(?P<headers>[a-z0-9;_.-]+),"
    r"\s*Signature=(?P<signature>[0-9a-f]{64})"
)


@dataclass(frozen=True)
class IamCredentials:
    """The one access key the server accepts administrator calls from."""

    access_key_id: str
    secret_access_key: str = field(repr=False)

    @classmethod
    def parse(cls, text: str) -> IamCredentials:
        """``KEY:SECRET`` (the secret may itself contain ``:``)."""
        key, sep, secret = text.partition(":")
        if not sep or not key or not secret:
            raise ValueError("IAM credentials must be given as ACCESS_KEY_ID:SECRET_ACCESS_KEY")
        return cls(key, secret)


def _incomplete(message: str) -> ServiceError:
    return ServiceError.incomplete_signature(message)


class SignatureChecker:
    """Checks the SigV4 signature of administrator calls against one access key."""

    def __init__(self, credentials: IamCredentials, region: str) -> None:
        self._credentials = credentials
        self._region = region

    def __repr__(self) -> str:
        return f"SignatureChecker(access_key_id={self._credentials.access_key_id!r})"

    def check(self, service: str, path: str, headers: Mapping[str, str], body: bytes) -> None:
        """Refuse the request unless it is signed for ``service`` with the credentials.
        ``headers`` are keyed by lower-case name."""
        authorization = headers.get("authorization")
        if not authorization:
            raise ServiceError.missing_authentication()
        match = _AUTHORIZATION.fullmatch(authorization.strip())
        if match is None:
            raise _incomplete(
                "Authorization header requires 'Credential', 'SignedHeaders' and 'Signature'"
                " parameters of AWS4-HMAC-SHA256."
            )
        if not hmac.compare_digest(
            match["key"].encode(), self._credentials.access_key_id.encode()
        ) or headers.get("x-amz-security-token"):
            raise ServiceError.unrecognized_client()
        signed = match["headers"].split(";")
        if "host" not in signed:
            raise _incomplete("'Host' must be a 'SignedHeader' in the AWS Authorization.")
        amz_date = headers.get("x-amz-date", "")
        self._check_scope(match, service, amz_date)
        self._check_signature(match, signed, path, headers, body, amz_date)

    def _check_scope(self, match: re.Match[str], service: str, amz_date: str) -> None:
        try:
            signed_at = _dt.datetime.strptime(amz_date, _AMZ_DATE).replace(tzinfo=_dt.timezone.utc)
        except ValueError:
            raise _incomplete(
                "Authorization header requires existence of a valid X-Amz-Date."
            ) from None
        if match["date"] != amz_date[:8]:
            raise ServiceError.invalid_signature(
                "Date in Credential scope does not match YYYYMMDD from ISO-8601 version of"
                " date from HTTP"
            )
        if match["region"] != self._region:
            raise ServiceError.invalid_signature(
                f"Credential should be scoped to a valid region, not '{match['region']}'."
            )
        if match["service"] != service:
            raise ServiceError.invalid_signature(
                f"Credential should be scoped to correct service: '{service}'."
            )
        now = _dt.datetime.fromtimestamp(time.time(), _dt.timezone.utc)
        if signed_at < now - _MAX_SKEW:
            limit = (now - _MAX_SKEW).strftime(_AMZ_DATE)
            raise ServiceError.invalid_signature(
                f"Signature expired: {amz_date} is now earlier than {limit}"
                f" ({now.strftime(_AMZ_DATE)} - 15 min.)"
            )
        if signed_at > now + _MAX_SKEW:
            limit = (now + _MAX_SKEW).strftime(_AMZ_DATE)
            raise ServiceError.invalid_signature(
                f"Signature not yet current: {amz_date} is still later than {limit}"
                f" ({now.strftime(_AMZ_DATE)} + 15 min.)"
            )

    def _check_signature(
        self,
        match: re.Match[str],
        signed: list[str],
        path: str,
        headers: Mapping[str, str],
        body: bytes,
        amz_date: str,
    ) -> None:
        host = headers.get("host", "")
        try:
            signer = AwsSigV4Client(
                self._credentials.access_key_id,
                self._credentials.secret_access_key,
                f"http://{host}",
                service_name=match["service"],
                region=match["region"],
            )
            # The signer adds X-Amz-Date from the time given; every other signed header
            # goes in as the client sent it.
            expected = SigV4Request.from_url(
                signer,
                "POST",
                f"http://{host}{path}",
                headers=[(name, headers.get(name, "")) for name in signed if name != "x-amz-date"],
                body=body,
                datetime=amz_date,
            )
        except SigV4Error:
            raise ServiceError.invalid_signature() from None
        given = match["signature"]
        if expected.signed_headers != match["headers"] or not hmac.compare_digest(
            (expected.signature or "").encode(), given.encode()
        ):
            raise ServiceError.invalid_signature()
