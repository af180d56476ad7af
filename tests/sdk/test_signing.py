"""SigV4Signer: botocore as the oracle (the same request, credentials and time give the
same Authorization header), credentials explicit or from botocore, and no secret shown."""

from __future__ import annotations

import datetime as dt
import logging
import sys
from typing import Any
from unittest import mock

import botocore.auth
import botocore.credentials
import pytest
from botocore.awsrequest import AWSRequest

from cognito_identity._protocol import USER_POOLS, HttpRequest, encode_call
from cognito_identity.client import CognitoClient
from cognito_identity.errors import CredentialsError
from cognito_identity.signing import AwsCredentials, SigV4Signer
from cognito_identity.transports import MockRequest, MockTransport

MOMENT = dt.datetime(2026, 3, 14, 15, 9, 26, tzinfo=dt.timezone.utc)
SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"
TOKEN = "FwoGZXIvYXdzEXAMPLE-session-token"


def admin_request(url: str = "https://cognito-idp.eu-west-1.amazonaws.com/") -> HttpRequest:
    return encode_call(
        url,
        USER_POOLS,
        "AdminGetUser",
        {"UserPoolId": "eu-west-1_AbC123", "Username": "ann"},
        "cognito-identity-test",
    )


def botocore_authorization(
    request: HttpRequest, key: str, secret: str, token: str | None, region: str
) -> dict[str, str]:
    aws = AWSRequest(
        method=request.method, url=request.url, headers=dict(request.headers), data=request.body
    )
    credentials = botocore.credentials.Credentials(key, secret, token)
    with mock.patch("botocore.auth.get_current_datetime", return_value=MOMENT):
        botocore.auth.SigV4Auth(credentials, "cognito-idp", region).add_auth(aws)
    return {name: aws.headers[name] for name in ("Authorization", "X-Amz-Date")}


@pytest.mark.parametrize("token", [None, TOKEN])
@pytest.mark.parametrize(
    "url,region",
    [
        ("https://cognito-idp.eu-west-1.amazonaws.com/", "eu-west-1"),
        ("http://127.0.0.1:49152/", "us-east-1"),
    ],
)
def test_the_authorization_header_is_botocores(token: str | None, url: str, region: str) -> None:
    request = admin_request(url)
    signer = SigV4Signer(AwsCredentials("AKIDEXAMPLE", SECRET, token), region)
    signed = signer.sign(request, datetime=MOMENT)
    expected = botocore_authorization(request, "AKIDEXAMPLE", SECRET, token, region)
    assert signed.headers["Authorization"] == expected["Authorization"]
    assert signed.headers["X-Amz-Date"] == expected["X-Amz-Date"]
    assert signed.headers.get("X-Amz-Security-Token") == token
    assert signed.body == request.body
    assert signed.headers["X-Amz-Target"] == request.headers["X-Amz-Target"]


def test_botocore_credentials_sign_as_the_same_explicit_ones() -> None:
    request = admin_request()
    from_botocore = SigV4Signer(
        botocore.credentials.Credentials("AKIDEXAMPLE", SECRET, TOKEN), "eu-west-1"
    )
    explicit = SigV4Signer(AwsCredentials("AKIDEXAMPLE", SECRET, TOKEN), "eu-west-1")
    assert (
        from_botocore.sign(request, datetime=MOMENT).headers["Authorization"]
        == explicit.sign(request, datetime=MOMENT).headers["Authorization"]
    )


def test_refreshable_credentials_are_read_for_each_request() -> None:
    issued: list[str] = []

    def refresh() -> dict[str, Any]:
        issued.append(f"AKIDNUMBER{len(issued)}")
        # Expiring within botocore's mandatory window: every read refreshes them.
        expiry = dt.datetime.now(dt.timezone.utc) + dt.timedelta(seconds=1)
        return {
            "access_key": issued[-1],
            "secret_key": SECRET,
            "token": TOKEN,
            "expiry_time": expiry.isoformat(),
        }

    refreshable = botocore.credentials.RefreshableCredentials.create_from_metadata(
        refresh(), refresh, "test"
    )
    signer = SigV4Signer(refreshable, "eu-west-1")
    first = signer.sign(admin_request(), datetime=MOMENT).headers["Authorization"]
    assert f"Credential={issued[-1]}/" in first
    second = signer.sign(admin_request(), datetime=MOMENT).headers["Authorization"]
    assert f"Credential={issued[-1]}/" in second
    assert first != second


def test_without_credentials_the_botocore_chain_is_used(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "AKIDFROMENV")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", SECRET)
    monkeypatch.delenv("AWS_SESSION_TOKEN", raising=False)
    monkeypatch.delenv("AWS_PROFILE", raising=False)
    signer = SigV4Signer(None, "eu-west-1")
    signed = signer.sign(admin_request(), datetime=MOMENT)
    expected = botocore_authorization(admin_request(), "AKIDFROMENV", SECRET, None, "eu-west-1")
    assert signed.headers["Authorization"] == expected["Authorization"]


def test_without_botocore_the_error_is_typed(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "botocore", None)
    monkeypatch.setitem(sys.modules, "botocore.session", None)
    with pytest.raises(CredentialsError, match="botocore"):
        SigV4Signer(None, "eu-west-1")


def test_the_chain_finding_nothing_is_a_typed_error(monkeypatch: pytest.MonkeyPatch) -> None:
    with (
        mock.patch("botocore.session.Session.get_credentials", return_value=None),
        pytest.raises(CredentialsError, match="found no IAM credentials"),
    ):
        SigV4Signer(None, "eu-west-1")


@pytest.mark.parametrize("credentials", [AwsCredentials("", SECRET), AwsCredentials("AKID", "")])
def test_incomplete_credentials_are_refused(credentials: AwsCredentials) -> None:
    with pytest.raises(CredentialsError):
        SigV4Signer(credentials, "eu-west-1")


def test_no_secret_in_reprs_errors_or_logs(caplog: pytest.LogCaptureFixture) -> None:
    credentials = AwsCredentials("AKIDEXAMPLE", SECRET, TOKEN)
    signer = SigV4Signer(credentials, "eu-west-1")
    transport = MockTransport(
        lambda request: {"Username": "ann", "UserAttributes": [], "UserStatus": "CONFIRMED"}
    )
    client = CognitoClient("https://cognito-idp.eu-west-1.amazonaws.com/", transport=transport)
    client.signer = signer
    with caplog.at_level(logging.DEBUG, logger="cognito_identity"):
        client.call("AdminGetUser", {"UserPoolId": "eu-west-1_AbC123", "Username": "ann"})
    sent: MockRequest = transport.requests[0]
    assert sent.http.headers["Authorization"].startswith("AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/")
    shown = " ".join([repr(credentials), repr(signer), repr(client), caplog.text])
    assert "AKIDEXAMPLE" in repr(signer)
    assert SECRET not in shown
    assert TOKEN not in shown
    try:
        SigV4Signer(credentials, "")
    except Exception as error:
        assert SECRET not in str(error) and SECRET not in repr(error)
