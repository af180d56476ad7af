"""S3 POST policies, checked as S3 checks a browser-style form upload: the form's
``policy`` (base64 JSON) must be signed with the credentials it names, must not have
expired, and every field must meet its conditions (exact match, ``eq``, ``starts-with``,
``content-length-range`` for the file), with no field it does not mention.
"""

from __future__ import annotations

import base64
import binascii
import datetime as _dt
import hmac
import json
import sqlite3
import time
from dataclasses import dataclass
from email.message import Message
from typing import Any

from cognito_identity._native import SigV4Signer
from cognito_identity.errors import SigV4Error
from cognito_identity.local import aws_keys
from cognito_identity.local.aws_refusals import Reason, Refusal
from cognito_identity.local.aws_signatures import Credential, check_credential

__all__ = ["FormUpload", "check_post", "parse_form"]

# Fields a policy need not mention (S3: the signature, the policy, the file itself).
_UNCHECKED = frozenset({"policy", "x-amz-signature", "file"})
_REQUIRED = ("key", "policy", "x-amz-algorithm", "x-amz-credential", "x-amz-date")


@dataclass(frozen=True)
class FormUpload:
    """A form upload: its fields (names lower-cased, file apart) and the file."""

    fields: dict[str, str]
    filename: str
    content: bytes


def _policy_failed(reason: str) -> Refusal:
    return Refusal(Reason.DENIED, f"Invalid according to Policy: {reason}")


def parse_form(content_type: str | None, body: bytes) -> FormUpload:
    """The fields and file of a ``multipart/form-data`` body (the file is the last part,
    as S3 requires)."""
    header = Message()
    header["content-type"] = content_type or ""
    boundary = header.get_param("boundary")
    if header.get_content_type() != "multipart/form-data" or not isinstance(boundary, str):
        raise Refusal(Reason.BAD_ARGUMENT, "POST requires a multipart/form-data body.")
    fields: dict[str, str] = {}
    file: tuple[str, bytes] | None = None
    for part in body.split(b"--" + boundary.encode("latin-1"))[1:]:
        if part.startswith(b"--"):
            break
        head, _, content = part.removeprefix(b"\r\n").partition(b"\r\n\r\n")
        content = content.removesuffix(b"\r\n")
        disposition = Message()
        for line in head.decode("latin-1").split("\r\n"):
            name, _, value = line.partition(":")
            if name.strip().lower() == "content-disposition":
                disposition["content-disposition"] = value.strip()
        field = disposition.get_param("name", header="content-disposition")
        filename = disposition.get_param("filename", header="content-disposition")
        if not isinstance(field, str):
            raise Refusal(Reason.BAD_ARGUMENT, "Each form part needs a name.")
        if field.lower() == "file":
            file = (filename if isinstance(filename, str) else "", content)
            break  # S3 ignores whatever follows the file
        fields[field.lower()] = content.decode("utf-8", "replace")
    if file is None:
        raise Refusal(Reason.BAD_ARGUMENT, "POST requires exactly one file upload per request.")
    return FormUpload(fields, *file)


def check_post(
    conn: sqlite3.Connection, form: FormUpload, bucket: str, service: str, pool_now: float
) -> aws_keys.IssuedCredentials:
    """The credentials that signed the upload's policy, once the policy allows ``form``
    into ``bucket`` (else a :class:`Refusal`)."""
    fields = form.fields
    for name in _REQUIRED:
        if name not in fields:
            raise Refusal(Reason.BAD_ARGUMENT, f"Bucket POST must contain a field named '{name}'.")
    if "x-amz-signature" not in fields:
        raise Refusal(Reason.DENIED, "Bucket POST must contain a field named 'x-amz-signature'.")
    credential = Credential.parse(fields["x-amz-credential"], Reason.BAD_ARGUMENT)
    amz_date = fields["x-amz-date"]
    issued = check_credential(
        conn, credential, fields.get("x-amz-security-token"), amz_date, service, pool_now
    )
    try:
        signer = SigV4Signer(
            issued.access_key_id,
            issued.secret_access_key,
            "http://localhost",
            credential.region,
            credential.service,
        )
        expected = signer.sign_string(fields["policy"], amz_date)
    except SigV4Error:
        raise Refusal(Reason.MISMATCH) from None
    if not hmac.compare_digest(expected.encode(), fields["x-amz-signature"].encode()):
        raise Refusal(Reason.MISMATCH, details=(("StringToSign", fields["policy"]),))
    policy = _decode(fields["policy"])
    _check_expiration(policy.get("expiration"))
    _check_conditions(policy.get("conditions"), form, bucket)
    return issued


def _decode(encoded: str) -> dict[str, Any]:
    try:
        policy = json.loads(base64.b64decode(encoded, validate=True))
    except (binascii.Error, ValueError):
        raise Refusal(Reason.BAD_POLICY) from None
    if not isinstance(policy, dict):
        raise Refusal(Reason.BAD_POLICY)
    return policy


def _check_expiration(expiration: Any) -> None:
    if not isinstance(expiration, str):
        raise Refusal(Reason.BAD_POLICY, "Invalid Policy: Policy missing expiration.")
    try:
        moment = _dt.datetime.fromisoformat(expiration.replace("Z", "+00:00"))
    except ValueError:
        raise Refusal(Reason.BAD_POLICY, "Invalid Policy: Invalid 'expiration' value.") from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=_dt.timezone.utc)
    if moment.timestamp() < time.time():
        raise _policy_failed("Policy expired.")


def _check_conditions(conditions: Any, form: FormUpload, bucket: str) -> None:
    if not isinstance(conditions, list):
        raise Refusal(Reason.BAD_POLICY, "Invalid Policy: Policy missing conditions.")
    values = {**form.fields, "bucket": bucket}
    mentioned = set()
    for condition in conditions:
        if isinstance(condition, dict) and len(condition) == 1:
            ((name, expected),) = condition.items()
            operator, field = "eq", str(name).lower()
        elif isinstance(condition, list) and len(condition) == 3:
            operator = str(condition[0]).lower()
            if operator == "content-length-range":
                low, high = condition[1], condition[2]
                if not (isinstance(low, int) and isinstance(high, int)):
                    raise Refusal(Reason.BAD_POLICY, "Invalid Policy: bad content-length-range.")
                if len(form.content) > high:
                    raise Refusal(Reason.TOO_LARGE)
                if len(form.content) < low:
                    raise Refusal(Reason.TOO_SMALL)
                continue
            field, expected = str(condition[1]).lower().removeprefix("$"), condition[2]
        else:
            raise Refusal(Reason.BAD_POLICY, f"Invalid Policy: bad condition {condition!r}.")
        mentioned.add(field)
        value = values.get(field, "")
        met = value == expected if operator == "eq" else value.startswith(str(expected))
        if operator not in ("eq", "starts-with") or not met:
            raise _policy_failed(f"Policy Condition failed: {json.dumps(condition)}")
    extra = sorted(
        name
        for name in form.fields
        if name not in mentioned and name not in _UNCHECKED and not name.startswith("x-ignore-")
    )
    if extra:
        raise _policy_failed("Extra input fields: " + ", ".join(extra))
