"""SigV4 checked as AWS checks it, against the credentials the local identity pools issued:
a signature in the ``Authorization`` header or in the query string (a presigned URL).

The expected signature is computed by the project's Rust signer from the request as it
arrived: the headers the client says it signed, the path and query as sent, the payload
hash (S3's ``x-amz-content-sha256``, ``UNSIGNED-PAYLOAD`` included, else the body's), at
the request's own ``X-Amz-Date``. In order, a request is refused for:

* no signature, or one that cannot be read (:attr:`Reason.MISSING`, :attr:`Reason.MALFORMED`);
* an access key this server never issued (:attr:`Reason.UNKNOWN_KEY`), a session token
  that is missing or not the key's (:attr:`Reason.BAD_TOKEN`), or an expired key, by
  the server's clock (:attr:`Reason.EXPIRED_TOKEN`);
* an ``X-Amz-Date`` more than 15 minutes from this machine's clock, which the signers
  read (:attr:`Reason.SKEWED`); a presigned URL past its ``X-Amz-Expires``
  (:attr:`Reason.DENIED`);
* an ``x-amz-content-sha256`` that is not the body's (:attr:`Reason.PAYLOAD_MISMATCH`);
* any other difference: another scope, header, path, query value, body, date or secret
  (:attr:`Reason.MISMATCH`).
"""

from __future__ import annotations

import datetime as _dt
import hashlib
import hmac
import re
import sqlite3
import time
from collections.abc import Sequence
from dataclasses import dataclass
from urllib.parse import parse_qsl, quote, unquote

from cognito_identity._native import SigV4Signer
from cognito_identity.errors import SigV4Error
from cognito_identity.local import aws_keys
from cognito_identity.local.aws_refusals import Reason, Refusal

__all__ = ["MAX_SKEW_SECONDS", "Credential", "Received", "check_credential", "check_request"]

#: How far ``X-Amz-Date`` may be from the clock, either way, as in AWS.
MAX_SKEW_SECONDS = 15 * 60
_ALGORITHM = "AWS4-HMAC-SHA256"
_AMZ_DATE = re.compile(r"^\d{8}T\d{6}Z$")
_AUTHORIZATION = re.compile(
    r"^AWS4-HMAC-SHA256\s+Credential=(?P<credential>[^,\s]+),\s*"
    r"SignedHeaders=(?P<signed>[^,\s]+),\s*Signature=(?P<signature>[0-9a-f]{64})$"
)
_SHA256_HEX = re.compile(r"^[0-9a-f]{64}$")
_UNSIGNED = "UNSIGNED-PAYLOAD"
_PRESIGN_PARAMETERS = frozenset(
    {
        "X-Amz-Algorithm",
        "X-Amz-Credential",
        "X-Amz-Date",
        "X-Amz-Expires",
        "X-Amz-SignedHeaders",
        "X-Amz-Security-Token",
        "X-Amz-Signature",
    }
)
_MAX_EXPIRES = 7 * 24 * 3600


@dataclass(frozen=True)
class Received:
    """A request as it arrived: ``target`` is the path and query as sent, ``headers``
    the header lines in order (names as sent)."""

    method: str
    target: str
    headers: Sequence[tuple[str, str]]
    body: bytes

    def header(self, name: str) -> str | None:
        """The first header named ``name`` (any case)."""
        lower = name.lower()
        return next((value for key, value in self.headers if key.lower() == lower), None)

    @property
    def path(self) -> str:
        """The path as sent."""
        return self.target.partition("?")[0]

    @property
    def query(self) -> str:
        """The query string as sent (without ``?``)."""
        return self.target.partition("?")[2]


@dataclass(frozen=True)
class Credential:
    """A parsed ``X-Amz-Credential``: access key and scope."""

    access_key_id: str
    date: str
    region: str
    service: str

    @classmethod
    def parse(cls, text: str, reason: Reason = Reason.MALFORMED) -> Credential:
        """``KEY/YYYYMMDD/region/service/aws4_request``, else refused for ``reason``."""
        parts = text.split("/")
        if len(parts) != 5 or parts[4] != "aws4_request" or not all(parts[:4]):
            raise Refusal(reason, "The credential is not KEY/date/region/service/aws4_request.")
        return cls(*parts[:4])


def _signed_at(amz_date: str | None) -> float:
    if amz_date is None or not _AMZ_DATE.match(amz_date):
        raise Refusal(Reason.DENIED, "AWS authentication requires a valid x-amz-date.")
    try:
        moment = _dt.datetime.strptime(amz_date, "%Y%m%dT%H%M%SZ")
    except ValueError:
        raise Refusal(Reason.DENIED, "AWS authentication requires a valid x-amz-date.") from None
    return moment.replace(tzinfo=_dt.timezone.utc).timestamp()


def check_credential(
    conn: sqlite3.Connection,
    credential: Credential,
    token: str | None,
    amz_date: str | None,
    service: str,
    pool_now: float,
) -> aws_keys.IssuedCredentials:
    """The issued credentials ``credential`` names, once its key, ``token``, scope and
    date are found good (else a :class:`Refusal`)."""
    issued = aws_keys.find(conn, credential.access_key_id)
    if issued is None:
        raise Refusal(Reason.UNKNOWN_KEY)
    if token is None or not hmac.compare_digest(token.encode(), issued.session_token.encode()):
        raise Refusal(Reason.BAD_TOKEN)
    if pool_now >= issued.expires:
        raise Refusal(Reason.EXPIRED_TOKEN)
    if credential.service != service:
        raise Refusal(
            Reason.MISMATCH, f"Credential should be scoped to correct service: '{service}'."
        )
    _signed_at(amz_date)
    if amz_date is None or credential.date != amz_date[:8]:
        raise Refusal(Reason.MISMATCH, "The credential's date is not the date of X-Amz-Date.")
    return issued


def check_request(
    conn: sqlite3.Connection, request: Received, service: str, pool_now: float, s3: bool
) -> tuple[aws_keys.IssuedCredentials, str]:
    """The credentials that signed ``request`` and how (``"header"`` or ``"query"``),
    or a :class:`Refusal`. ``pool_now`` is the server's clock (credential expiry)."""
    authorization = request.header("authorization")
    if authorization is not None:
        return _check_header_signed(conn, request, authorization, service, pool_now, s3), "header"
    query = parse_qsl(request.query, keep_blank_values=True)
    if any(name == "X-Amz-Signature" for name, _ in query):
        return _check_presigned(conn, request, dict(query), query, service, pool_now, s3), "query"
    raise Refusal(Reason.MISSING)


def _signer(
    issued: aws_keys.IssuedCredentials, request: Received, credential: Credential, token: str | None
) -> tuple[SigV4Signer, str]:
    host = request.header("host") or ""
    try:
        signer = SigV4Signer(
            issued.access_key_id,
            issued.secret_access_key,
            f"http://{host}",
            credential.region,
            credential.service,
            token,
        )
    except SigV4Error:
        raise Refusal(Reason.MISMATCH) from None
    return signer, host


def _check_header_signed(
    conn: sqlite3.Connection,
    request: Received,
    authorization: str,
    service: str,
    pool_now: float,
    s3: bool,
) -> aws_keys.IssuedCredentials:
    match = _AUTHORIZATION.match(authorization.strip())
    if match is None:
        raise Refusal(Reason.MALFORMED)
    credential = Credential.parse(match["credential"])
    signed = match["signed"].split(";")
    amz_date = request.header("x-amz-date")
    token = request.header("x-amz-security-token")
    issued = check_credential(conn, credential, token, amz_date, service, pool_now)
    assert amz_date is not None  # check_credential refused a missing date
    skew = abs(time.time() - _signed_at(amz_date))
    if skew > MAX_SKEW_SECONDS:
        raise Refusal(
            Reason.SKEWED,
            details=(
                ("RequestTime", amz_date),
                ("ServerTime", time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())),
                ("MaxAllowedSkewMilliseconds", str(MAX_SKEW_SECONDS * 1000)),
            ),
        )
    given_hash = _payload_hash(request, s3)
    # The signer writes X-Amz-Date (from the time given) and the session token itself;
    # every other signed header goes in as the client sent it.
    headers = [
        (name, value)
        for name, value in request.headers
        if name.lower() in signed and name.lower() not in ("x-amz-date", "x-amz-security-token")
    ]
    signer, host = _signer(
        issued, request, credential, token if "x-amz-security-token" in signed else None
    )
    try:
        _method, _url, _headers, steps = signer.sign_url(
            request.method,
            f"http://{host}{request.target}",
            headers,
            None if given_hash else request.body,
            amz_date,
        )
    except SigV4Error:
        raise Refusal(Reason.MISMATCH) from None
    if steps.signed_headers != match["signed"] or not hmac.compare_digest(
        steps.signature.encode(), match["signature"].encode()
    ):
        raise _mismatch(steps.canonical_request, steps.string_to_sign, token)
    return issued


def _payload_hash(request: Received, s3: bool) -> str | None:
    """The ``x-amz-content-sha256`` the request gives, once checked against its body
    (S3 requires one; other services may send one)."""
    given = request.header("x-amz-content-sha256")
    if given is None:
        if s3:
            raise Refusal(
                Reason.BAD_ARGUMENT,
                "Missing required header for this request: x-amz-content-sha256",
            )
        return None
    given = given.strip()
    if given == _UNSIGNED and s3:
        return given
    if not _SHA256_HEX.match(given):
        raise Refusal(
            Reason.BAD_ARGUMENT,
            "x-amz-content-sha256 must be UNSIGNED-PAYLOAD (S3) or the body's SHA-256 in hex;"
            " aws-chunked uploads are not supported here.",
        )
    if not hmac.compare_digest(given, hashlib.sha256(request.body).hexdigest()):
        raise Refusal(Reason.PAYLOAD_MISMATCH)
    return given


def _check_presigned(
    conn: sqlite3.Connection,
    request: Received,
    params: dict[str, str],
    query: list[tuple[str, str]],
    service: str,
    pool_now: float,
    s3: bool,
) -> aws_keys.IssuedCredentials:
    needed = _PRESIGN_PARAMETERS - {"X-Amz-Security-Token"}
    missing = sorted(name for name in needed if name not in params)
    if missing or params["X-Amz-Algorithm"] != _ALGORITHM:
        what = ", ".join(missing) or "X-Amz-Algorithm"
        raise Refusal(Reason.MALFORMED, f"Query-string authentication requires {what}.")
    credential = Credential.parse(params["X-Amz-Credential"])
    amz_date = params["X-Amz-Date"]
    issued = check_credential(
        conn, credential, params.get("X-Amz-Security-Token"), amz_date, service, pool_now
    )
    expires_text = params["X-Amz-Expires"]
    if not expires_text.isdigit() or not 1 <= int(expires_text) <= _MAX_EXPIRES:
        raise Refusal(Reason.MALFORMED, "X-Amz-Expires must be from 1 to 604800 seconds.")
    signed_at, now = _signed_at(amz_date), time.time()
    if now > signed_at + int(expires_text):
        raise Refusal(Reason.DENIED, "Request has expired")
    if signed_at > now + MAX_SKEW_SECONDS:
        raise Refusal(Reason.SKEWED)
    if request.body and not s3:
        # Such a URL signs the hash of no body; AWS hashes the body it gets.
        raise Refusal(Reason.MISMATCH)
    signed = params["X-Amz-SignedHeaders"].split(";")
    headers = [(name, value) for name, value in request.headers if name.lower() in signed]
    others = [(name, value) for name, value in query if name not in _PRESIGN_PARAMETERS]
    signer, _host = _signer(issued, request, credential, params.get("X-Amz-Security-Token"))
    try:
        _url, steps = signer.presign(
            request.method, unquote(request.path), others, headers, int(expires_text), amz_date
        )
    except SigV4Error:
        raise Refusal(Reason.MISMATCH) from None
    if steps.signed_headers != params["X-Amz-SignedHeaders"] or not hmac.compare_digest(
        steps.signature.encode(), params["X-Amz-Signature"].encode()
    ):
        raise _mismatch(steps.canonical_request, steps.string_to_sign, issued.session_token)
    return issued


def _mismatch(canonical_request: str, string_to_sign: str, token: str | None) -> Refusal:
    """SignatureDoesNotMatch with what was expected, as S3 shows it (the session token
    left out of the canonical request)."""
    if token:
        for form in (token, quote(token, safe="-_.~")):
            canonical_request = canonical_request.replace(form, "<session token>")
    return Refusal(
        Reason.MISMATCH,
        details=(("StringToSign", string_to_sign), ("CanonicalRequest", canonical_request)),
    )
