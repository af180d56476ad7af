"""How the signed-request endpoint refuses a request: AWS's error code, HTTP status and
message for each reason, in S3's form (an XML ``<Error>``) or the JSON form of AWS's
JSON services (``{"__type", "message"}`` plus ``x-amzn-ErrorType``).

S3 names some failures its own way (an unknown key is ``InvalidAccessKeyId``, a wrong
session token ``InvalidToken``, an expired one ``ExpiredToken`` with status 400); the
JSON services answer ``InvalidClientTokenId`` for both of the first two, as STS does.
"""

from __future__ import annotations

import json
import secrets
from dataclasses import dataclass
from enum import Enum
from xml.sax.saxutils import escape

from cognito_identity.local.protocol import Reply

__all__ = ["Reason", "Refusal"]

_MISMATCH = (
    "The request signature we calculated does not match the signature you provided."
    " Check your key and signing method."
)
_BAD_TOKEN = "The security token included in the request is invalid."


class Reason(Enum):
    """Why a request is refused: ``(status, code, message)`` for S3, then for others."""

    MISSING = (
        (403, "AccessDenied", "Access Denied"),
        (403, "MissingAuthenticationTokenException", "Missing Authentication Token"),
    )
    MALFORMED = (
        (400, "AuthorizationHeaderMalformed", "The authorization header is malformed."),
        (403, "IncompleteSignatureException", "The request signature is incomplete."),
    )
    UNKNOWN_KEY = (
        (
            403,
            "InvalidAccessKeyId",
            "The AWS Access Key Id you provided does not exist in our records.",
        ),
        (403, "InvalidClientTokenId", _BAD_TOKEN),
    )
    BAD_TOKEN = (
        (400, "InvalidToken", "The provided token is malformed or otherwise invalid."),
        (403, "InvalidClientTokenId", _BAD_TOKEN),
    )
    EXPIRED_TOKEN = (
        (400, "ExpiredToken", "The provided token has expired."),
        (403, "ExpiredToken", "The security token included in the request is expired"),
    )
    SKEWED = (
        (
            403,
            "RequestTimeTooSkewed",
            "The difference between the request time and the current time is too large.",
        ),
    ) * 2
    MISMATCH = ((403, "SignatureDoesNotMatch", _MISMATCH),) * 2
    PAYLOAD_MISMATCH = (
        (
            400,
            "XAmzContentSHA256Mismatch",
            "The provided 'x-amz-content-sha256' header does not match what was computed.",
        ),
    ) * 2
    BAD_ARGUMENT = ((400, "InvalidArgument", "The request is not valid."),) * 2
    TOO_LARGE = (
        (400, "EntityTooLarge", "Your proposed upload exceeds the maximum allowed size."),
    ) * 2
    TOO_SMALL = (
        (400, "EntityTooSmall", "Your proposed upload is smaller than the minimum allowed size."),
    ) * 2
    BAD_POLICY = ((400, "InvalidPolicyDocument", "Invalid Policy: Invalid JSON."),) * 2
    DENIED = ((403, "AccessDenied", "Access Denied"),) * 2


@dataclass
class Refusal(Exception):
    """A refused request: ``reason``, with ``message`` replacing the usual text and
    ``details`` (name, value) added to the answer (never a secret)."""

    reason: Reason
    message: str | None = None
    details: tuple[tuple[str, str], ...] = ()

    def reply(self, s3: bool) -> Reply:
        """The answer, in S3's XML form when ``s3``, else in JSON."""
        status, code, text = self.reason.value[0 if s3 else 1]
        message = self.message or text
        request_id = secrets.token_hex(8).upper()
        headers: tuple[tuple[str, str], ...]
        if s3:
            parts = [("Code", code), ("Message", message), *self.details]
            parts.append(("RequestId", request_id))
            inner = "".join(f"<{name}>{escape(value)}</{name}>" for name, value in parts)
            body = f'<?xml version="1.0" encoding="UTF-8"?>\n<Error>{inner}</Error>'
            headers = (("Content-Type", "application/xml"), ("x-amz-request-id", request_id))
            return Reply(status, body.encode("utf-8"), headers)
        document = {"__type": code, "message": message, **dict(self.details)}
        headers = (
            ("Content-Type", "application/json"),
            ("x-amzn-ErrorType", code),
            ("x-amzn-RequestId", request_id),
        )
        return Reply(status, json.dumps(document).encode("utf-8"), headers)
