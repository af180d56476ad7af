"""AWS Signature Version 4 for API Gateway, AppSync, S3 and any other AWS API.

The names follow the original SDK: an :class:`AwsSigV4Client` holds credentials and an
endpoint, and a :class:`SigV4Request` is one signed request, ready to send::

    client = AwsSigV4Client(access_key_id, secret_access_key,
                            "https://abc.execute-api.eu-west-1.amazonaws.com/dev",
                            region="eu-west-1", session_token=session_token)
    request = SigV4Request(client, "POST", "/projects", body={"color": "blue"})
    requests.post(request.url, headers=request.headers, data=request.body)

:class:`SigV4Auth` signs requests made with ``requests`` directly, and the client
presigns URLs (:meth:`AwsSigV4Client.presign_url`) and S3 POST uploads
(:meth:`AwsSigV4Client.presign_post`).

Unlike the original SDK (its quirk Q22), signing follows AWS's specification: the
session token is signed, the host keeps a non-default port, paths and query strings are
encoded and normalised as AWS does, header values are trimmed, and a ``str`` body is
sent as it is rather than JSON-encoded a second time. All canonicalisation, hashing and
signing runs in Rust, in one call per request, with the GIL released.
"""

from __future__ import annotations

import base64
import datetime as _dt
import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Union

from requests.auth import AuthBase
from requests.models import PreparedRequest

from cognito_identity._native import SigningSteps, SigV4Signer, compact_json
from cognito_identity.errors import SigV4Error

__all__ = ["AwsSigV4Client", "PresignedPost", "SigV4Auth", "SigV4Request"]

#: Query parameters or headers: a mapping, or ``(name, value)`` pairs (names may repeat).
Pairs = Union[Mapping[str, str], Iterable[tuple[str, str]]]
#: A request body: bytes are sent as they are, ``str`` as UTF-8, a mapping or a
#: list as compact JSON (encoded once).
Body = Union[bytes, bytearray, memoryview, str, Mapping[str, Any], Sequence[Any], None]
#: A signing time: ``YYYYMMDDTHHMMSSZ``, or a ``datetime`` (naive ones are taken as UTC).
DateTime = Union[str, _dt.datetime, None]

_AMZ_DATE_FORMAT = "%Y%m%dT%H%M%SZ"
_POLICY_EXPIRATION_FORMAT = "%Y-%m-%dT%H:%M:%SZ"


def _amz_date(value: DateTime) -> str | None:
    if value is None or isinstance(value, str):
        return value
    if isinstance(value, _dt.datetime):
        if value.tzinfo is not None:
            value = value.astimezone(_dt.timezone.utc)
        return value.strftime(_AMZ_DATE_FORMAT)
    raise SigV4Error("datetime must be a YYYYMMDDTHHMMSSZ str or a datetime.datetime")


def _body_bytes(body: Body) -> bytes | None:
    if body is None or type(body) is bytes:
        return body
    if type(body) in (dict, list, tuple):
        # The native encoder writes json.dumps's bytes for plain documents; None means
        # it met something it leaves to json.dumps (a subclass, a non-str key...).
        encoded = compact_json(body)
        return _json_bytes(body) if encoded is None else encoded
    if isinstance(body, (bytes, bytearray, memoryview)):
        return bytes(body)
    if isinstance(body, str):
        return body.encode("utf-8")
    if isinstance(body, (Mapping, list, tuple)):
        return _json_bytes(dict(body) if isinstance(body, Mapping) else body)
    raise SigV4Error(
        f"unsupported body type {type(body).__name__}: use bytes, str, a mapping or a list"
    )


def _json_bytes(document: object) -> bytes:
    """``document`` as compact JSON (non-ASCII text unescaped) in UTF-8."""
    try:
        return json.dumps(document, separators=(",", ":"), ensure_ascii=False).encode("utf-8")
    except (TypeError, ValueError, RecursionError) as error:
        # ValueError covers a circular document and (UnicodeEncodeError) a lone
        # surrogate in a string; RecursionError a document nested about 1,000 deep.
        raise SigV4Error(f"the body cannot be encoded as JSON: {error}") from None


class AwsSigV4Client:
    """Credentials, region, service and endpoint for signing requests.

    ``endpoint`` is the base URL (``https://host[:port][/base/path]``), parsed once; the
    paths of requests are appended to it. ``default_content_type`` is sent with requests
    that have a body and no ``Content-Type``; ``default_accept_type`` with requests that
    have no ``Accept``. Services named ``s3`` (and ``s3-object-lambda``,
    ``s3-outposts``) are signed with S3's rules. The secret key and session token live
    only in the Rust signer (in buffers wiped when it is dropped) and appear in no repr.

    Raises :class:`SigV4Error` for an endpoint, region, service or key that cannot be used.
    """

    __slots__ = (
        "_access_key_id",
        "_default_accept_type",
        "_default_content_type",
        "_endpoint",
        "_region",
        "_service_name",
        "_signer",
    )

    def __init__(
        self,
        access_key_id: str,
        secret_access_key: str,
        endpoint: str,
        service_name: str = "execute-api",
        region: str = "us-east-1",
        session_token: str | None = None,
        default_content_type: str = "application/json",
        default_accept_type: str = "application/json",
    ) -> None:
        self._signer = SigV4Signer(
            access_key_id,
            secret_access_key,
            endpoint,
            region,
            service_name,
            session_token,
            default_content_type,
            default_accept_type,
        )
        self._access_key_id = access_key_id
        self._endpoint = endpoint
        self._service_name = service_name
        self._region = region
        self._default_content_type = default_content_type
        self._default_accept_type = default_accept_type

    @property
    def access_key_id(self) -> str:
        """The access key id (public: it is part of every signature)."""
        return self._access_key_id

    @property
    def endpoint(self) -> str:
        """The endpoint URL as given."""
        return self._endpoint

    @property
    def service_name(self) -> str:
        """The signing name of the service (``execute-api``, ``appsync``, ``s3``...)."""
        return self._service_name

    @property
    def region(self) -> str:
        """The region requests are signed for."""
        return self._region

    @property
    def default_content_type(self) -> str:
        """The ``Content-Type`` sent with a body when the request names none."""
        return self._default_content_type

    @property
    def default_accept_type(self) -> str:
        """The ``Accept`` sent when the request names none."""
        return self._default_accept_type

    def __repr__(self) -> str:
        return (
            f"AwsSigV4Client(access_key_id={self._access_key_id!r}, "
            f"endpoint={self._endpoint!r}, service_name={self._service_name!r}, "
            f"region={self._region!r})"
        )

    def presign_url(
        self,
        method: str,
        path: str = "",
        query_params: Pairs | None = None,
        headers: Pairs | None = None,
        expires_in: int = 3600,
        datetime: DateTime = None,
    ) -> str:
        """A URL that performs the request without further credentials.

        The signature travels in the query string (``X-Amz-Algorithm``,
        ``X-Amz-Credential``, ``X-Amz-Date``, ``X-Amz-Expires``,
        ``X-Amz-SignedHeaders``, ``X-Amz-Security-Token``, ``X-Amz-Signature``) and is
        valid for ``expires_in`` seconds (1 to 604800) from ``datetime`` (default: now).
        ``headers`` are signed and must then be sent with the request.
        """
        url, _steps = self._signer.presign(
            method, path, query_params, headers, expires_in, _amz_date(datetime)
        )
        return url

    def presign_post(
        self,
        bucket: str,
        key: str,
        *,
        fields: Mapping[str, str] | None = None,
        conditions: Sequence[Mapping[str, Any] | Sequence[Any]] | None = None,
        expires_in: int = 3600,
        datetime: DateTime = None,
    ) -> PresignedPost:
        """The form fields of a browser-style S3 POST upload to ``bucket``.

        The policy allows ``key`` (a key ending in ``${filename}`` allows any key with
        that prefix) plus ``conditions``, and expires ``expires_in`` seconds after
        ``datetime`` (default: now). ``fields`` are extra form fields; list a condition
        for each of them. The client's endpoint must be the bucket's URL and its service
        ``s3``. Post the returned fields, then the file, to :attr:`PresignedPost.url`.
        """
        if not self._signer.is_s3:
            raise SigV4Error(f"POST policies are an S3 feature, not {self._service_name!r}'s")
        if isinstance(expires_in, bool) or not isinstance(expires_in, int) or expires_in < 1:
            raise SigV4Error("expires_in must be a positive int number of seconds")
        amz_date = _amz_date(datetime) or SigV4Signer.now()
        signer_fields = self._signer.post_policy_fields(amz_date)
        try:
            expiration = _dt.datetime.strptime(amz_date, _AMZ_DATE_FORMAT) + _dt.timedelta(
                seconds=expires_in
            )
        except OverflowError:
            raise SigV4Error("expires_in puts the policy's expiration past year 9999") from None
        key_condition: Mapping[str, Any] | Sequence[Any]
        if key.endswith("${filename}"):
            key_condition = ["starts-with", "$key", key[: -len("${filename}")]]
        else:
            key_condition = {"key": key}
        policy = {
            "expiration": expiration.strftime(_POLICY_EXPIRATION_FORMAT),
            "conditions": [
                *(conditions or ()),
                {"bucket": bucket},
                key_condition,
                *({name: value} for name, value in signer_fields),
            ],
        }
        try:
            document = json.dumps(policy).encode("utf-8")
        except (TypeError, ValueError) as error:
            raise SigV4Error(f"the policy conditions cannot be encoded as JSON: {error}") from None
        encoded_policy = base64.b64encode(document).decode("ascii")
        form = {**(fields or {}), "key": key, **dict(signer_fields)}
        form["policy"] = encoded_policy
        form["x-amz-signature"] = self._signer.sign_string(encoded_policy, amz_date)
        return PresignedPost(url=self._endpoint, fields=form)


@dataclass(frozen=True)
class PresignedPost:
    """Where to POST an S3 upload and the form fields to send before the file."""

    url: str
    #: Form fields, including ``policy`` and ``x-amz-signature`` (kept out of the repr,
    #: since they can carry a session token).
    fields: dict[str, str] = field(repr=False)


class SigV4Request:
    """One request, signed with an ``Authorization`` header and ready to send.

    Send exactly :attr:`method`, :attr:`url`, :attr:`headers` and :attr:`body` (bytes).
    ``path`` is plain text below the endpoint's base path (it is percent-encoded here);
    ``query_params`` and ``headers`` are a mapping or ``(name, value)`` pairs. A mapping
    or list body is sent as compact JSON, a ``str`` as UTF-8 and bytes as they are.
    ``datetime`` fixes the signing time (default: now). ``unsigned_payload`` signs
    ``UNSIGNED-PAYLOAD`` instead of the body's hash (S3).

    With ``authorization_header`` (a Cognito JWT for an API Gateway or AppSync user-pool
    authorizer) that value is sent verbatim as ``Authorization`` and nothing is signed;
    the signing steps are then ``None``.

    Raises :class:`SigV4Error` for anything that cannot be signed or sent.
    """

    __slots__ = ("_steps", "body", "headers", "method", "url")

    method: str
    url: str
    headers: dict[str, str]
    body: bytes

    def __init__(
        self,
        client: AwsSigV4Client,
        method: str,
        path: str = "",
        query_params: Pairs | None = None,
        headers: Pairs | None = None,
        body: Body = None,
        datetime: DateTime = None,
        authorization_header: str | None = None,
        *,
        unsigned_payload: bool = False,
    ) -> None:
        data = _body_bytes(body)
        self._steps: SigningSteps | None
        if authorization_header is None:
            self.method, self.url, self.headers, self._steps = client._signer.sign(
                method,
                path,
                query_params,
                headers,
                data,
                _amz_date(datetime),
                unsigned_payload,
            )
        else:
            self.method, self.url, self.headers = client._signer.authorize(
                method, path, authorization_header, query_params, headers, data
            )
            self._steps = None
        self.body = b"" if data is None else data

    @classmethod
    def from_url(
        cls,
        client: AwsSigV4Client,
        method: str,
        url: str,
        headers: Pairs | None = None,
        body: Body = None,
        datetime: DateTime = None,
        *,
        unsigned_payload: bool = False,
    ) -> SigV4Request:
        """Sign a request given by its full URL (the client's endpoint is not used).

        The path is signed as written (in URL form; for S3, :attr:`url` carries the
        strict encoding of the object key, which is what S3 signs); the query string is
        parsed, ``+`` read as a space, and :attr:`url` carries it in canonical form. No
        default headers are added.
        """
        request = cls.__new__(cls)
        data = _body_bytes(body)
        request.method, request.url, request.headers, request._steps = client._signer.sign_url(
            method, url, headers, data, _amz_date(datetime), unsigned_payload
        )
        request.body = b"" if data is None else data
        return request

    def __repr__(self) -> str:
        return f"SigV4Request(method={self.method!r}, url={self.url!r})"

    @property
    def canonical_request(self) -> str | None:
        """The canonical request that was signed."""
        return None if self._steps is None else self._steps.canonical_request

    @property
    def string_to_sign(self) -> str | None:
        """The string to sign (algorithm, time, scope, hash of the canonical request)."""
        return None if self._steps is None else self._steps.string_to_sign

    @property
    def credential_scope(self) -> str | None:
        """``YYYYMMDD/region/service/aws4_request``."""
        return None if self._steps is None else self._steps.credential_scope

    @property
    def signed_headers(self) -> str | None:
        """The signed header names, joined with ``;``."""
        return None if self._steps is None else self._steps.signed_headers

    @property
    def signature(self) -> str | None:
        """The hex signature."""
        return None if self._steps is None else self._steps.signature


def _header_text(value: str | bytes) -> str:
    # requests sends bytes header values as they are and str ones as Latin-1.
    return value if isinstance(value, str) else value.decode("latin-1")


class SigV4Auth(AuthBase):
    """A ``requests`` auth that signs each prepared request with a client's credentials.

    ``requests.get(url, auth=SigV4Auth(client))`` signs the request as it will be sent:
    its URL (the client's endpoint is not used), headers and body. The query string is
    rewritten in canonical form (``+`` read as a space) so that it is sent exactly as
    signed. A ``str`` body is encoded as Latin-1, as ``http.client`` would send it.
    Streamed bodies can only be signed with ``unsigned_payload=True`` (S3).
    """

    def __init__(self, client: AwsSigV4Client, *, unsigned_payload: bool = False) -> None:
        self.client = client
        self.unsigned_payload = unsigned_payload

    def __repr__(self) -> str:
        return f"SigV4Auth({self.client!r}, unsigned_payload={self.unsigned_payload!r})"

    def __call__(self, r: PreparedRequest) -> PreparedRequest:
        """Sign ``r`` in place and return it."""
        body = r.body
        data: bytes | None
        if body is None or isinstance(body, bytes):
            data = body
        elif isinstance(body, str):
            try:
                data = body.encode("latin-1")
            except UnicodeEncodeError:
                raise SigV4Error(
                    "a str body must be Latin-1 to be sent by http.client; pass bytes"
                ) from None
            r.body = data
        elif self.unsigned_payload:
            data = None
        else:
            raise SigV4Error("a streamed body can only be signed with unsigned_payload=True")
        if r.method is None or r.url is None:
            raise SigV4Error("the prepared request has no method or URL")
        headers = [(_header_text(name), _header_text(value)) for name, value in r.headers.items()]
        _method, r.url, to_send, _steps = self.client._signer.sign_url(
            r.method, r.url, headers, data, None, self.unsigned_payload
        )
        r.headers.update(to_send)
        return r
