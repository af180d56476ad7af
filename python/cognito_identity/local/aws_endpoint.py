"""The signed-request endpoint: ``<endpoint>/_local/aws/<service>/<anything>`` takes any
method, checks the request's SigV4 signature as AWS does against the temporary
credentials the identity pools issued, and echoes what it received as JSON.

It is a test target for signing (API Gateway, AppSync, S3 or any other service's), not an
emulator: nothing is stored. The signature may be in the ``Authorization`` header or in
the query string (presigned URLs); for ``s3``, a ``POST`` with a ``multipart/form-data``
body is a form upload checked against its POST policy. Refusals carry AWS's codes (see
:mod:`~cognito_identity.local.aws_signatures`), in S3's XML for ``s3`` and in JSON for
other services.

The echo (service, method, path, query, headers, body, the access key and identity that
signed; never the token or signature) is the JSON body of the answer and its
``x-local-echo`` header; S3 writes (PUT, DELETE, HEAD, a POST that is not a form upload)
get only the header, since S3 clients read their answer's body as XML.

Point an S3 client at ``<endpoint>/_local/aws/s3`` with path-style addressing, and other
clients at ``<endpoint>/_local/aws/<signing name>``.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qsl

from cognito_identity.local.aws_refusals import Reason, Refusal
from cognito_identity.local.aws_signatures import Received, check_request
from cognito_identity.local.post_policy import check_post, parse_form
from cognito_identity.local.protocol import Reply

if TYPE_CHECKING:
    from cognito_identity.local.context import ServerContext

__all__ = ["PREFIX", "handle_aws", "is_aws_path"]

#: Where the endpoint is served.
PREFIX = "/_local/aws/"
_S3_SERVICES = frozenset({"s3", "s3-object-lambda", "s3-outposts"})
# Never echoed: they carry the credentials' secrets (the session token, the signature).
_HIDDEN = frozenset({"authorization", "x-amz-security-token", "x-amz-signature", "policy"})


def is_aws_path(target: str) -> bool:
    """Whether ``target`` (path and query) is the signed-request endpoint's."""
    return target.startswith(PREFIX)


def handle_aws(ctx: ServerContext, request: Received) -> Reply:
    """Check ``request``'s signature; echo it, or refuse it as AWS would."""
    service, _, rest = request.path[len(PREFIX) :].partition("/")
    s3 = service in _S3_SERVICES
    if not service:
        return Refusal(Reason.BAD_ARGUMENT, "The path must name a service.").reply(s3)
    conn = ctx.store.connection()
    pool_now = ctx.clock.now()
    content_type = request.header("content-type") or ""
    try:
        if s3 and request.method == "POST" and content_type.startswith("multipart/form-data"):
            bucket = rest.partition("/")[0]
            form = parse_form(content_type, request.body)
            issued = check_post(conn, form, bucket, service, pool_now)
            key = form.fields["key"].replace("${filename}", form.filename)
            extra: dict[str, Any] = {
                "signed_with": "post-policy",
                "bucket": bucket,
                "key": key,
                "fields": _visible(form.fields.items()),
                "file": {"filename": form.filename, **_body(form.content)},
            }
        else:
            issued, how = check_request(conn, request, service, pool_now, s3)
            extra = {"signed_with": how, **_body(request.body)}
    except Refusal as refusal:
        return refusal.reply(s3)
    document = {
        "service": service,
        "method": request.method,
        "path": request.path,
        "query": [
            list(pair)
            for pair in parse_qsl(request.query, keep_blank_values=True)
            if pair[0].lower() not in _HIDDEN
        ],
        "headers": _visible(request.headers),
        "access_key_id": issued.access_key_id,
        "identity_id": issued.identity_id,
        **extra,
    }
    echo = json.dumps(document)  # ASCII: fit for a header too
    if s3 and extra["signed_with"] != "post-policy" and request.method != "GET":
        # S3 clients parse the answer to a write as XML: an empty body, the echo aside.
        return Reply(200, b"", (("x-local-echo", echo),))
    return Reply(200, echo.encode(), (("Content-Type", "application/json"), ("x-local-echo", echo)))


def _visible(pairs: Any) -> dict[str, str]:
    """Names (lower-cased) and values, secrets left out; repeated names joined by ``,``."""
    out: dict[str, str] = {}
    for name, value in pairs:
        lower = name.lower()
        if lower not in _HIDDEN:
            out[lower] = f"{out[lower]},{value}" if lower in out else value
    return out


def _body(data: bytes) -> dict[str, Any]:
    """The body's size and, when it is UTF-8 text, the text (else None)."""
    try:
        text: str | None = data.decode("utf-8")
    except UnicodeDecodeError:
        text = None
    return {"body": text, "body_size": len(data)}
