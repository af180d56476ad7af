"""The local pool's error table, and what it answers for an action it does not implement."""

from __future__ import annotations

from typing import Any

import botocore.session
import pytest

from cognito_identity.local.errors import ERROR_CODES, ServiceError

from .conftest import RawClient

# Answered by AWS's front end before any action runs, so in no service model.
_PROTOCOL_CODES = {
    "IncompleteSignatureException",
    "InvalidSignatureException",
    "MissingAuthenticationTokenException",
    "RequestEntityTooLargeException",
    "SerializationException",
    "UnknownOperationException",
    "UnrecognizedClientException",
}


def test_every_code_is_modelled_or_a_protocol_error() -> None:
    session = botocore.session.get_session()
    modelled = {
        shape.name
        for service in ("cognito-idp", "cognito-identity")
        for shape in session.get_service_model(service).error_shapes
    }
    assert set(ERROR_CODES) - _PROTOCOL_CODES <= modelled
    assert set(ERROR_CODES) >= _PROTOCOL_CODES


def test_a_code_outside_the_table_is_refused() -> None:
    with pytest.raises(ValueError, match="error table"):
        ServiceError("NoSuchException", "message")
    assert ServiceError.internal().status == 500
    assert ServiceError.too_large(10).status == 413
    assert ServiceError.user_disabled().code == "NotAuthorizedException"


def test_an_unimplemented_action_is_named(raw: RawClient, idp: Any) -> None:
    response = raw.call("AdminListUserAuthEvents", {})
    body = response.json()
    assert response.status_code == 400
    assert body["__type"] == "UnknownOperationException"
    assert (
        body["message"] == "AdminListUserAuthEvents is not implemented by the local Cognito pool."
    )
    with pytest.raises(idp.exceptions.ClientError) as caught:
        idp.list_user_import_jobs(UserPoolId="us-east-1_abc", MaxResults=1)
    error = caught.value.response["Error"]
    assert error["Code"] == "UnknownOperationException"
    assert "ListUserImportJobs" in error["Message"]
    assert "not implemented" in error["Message"]


def test_a_request_without_target_says_so(raw: RawClient) -> None:
    body = raw.call(None, {}).json()
    assert body["__type"] == "UnknownOperationException"
    assert "X-Amz-Target" in body["message"]
