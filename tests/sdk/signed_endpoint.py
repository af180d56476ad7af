"""Helpers for tests against the local pool's signed-request endpoint
(``/_local/aws/<service>/...``): where it is, and what it answered."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from botocore.config import Config

from cognito_identity import CognitoCredentials, CognitoUser

from .conftest import PoolSetup
from .test_credentials_refresh import signed_in_user, user_credentials

#: boto3's S3 client as the endpoint needs it: path-style addressing, SigV4.
S3_CONFIG = Config(s3={"addressing_style": "path"}, signature_version="s3v4")
_XML_CODE = re.compile(r"<Code>([^<]+)</Code>")


def aws_url(setup: PoolSetup, service: str) -> str:
    """The endpoint's base URL for ``service``."""
    return f"{setup.local.endpoint}/_local/aws/{service}"


def echo(response: Any) -> dict[str, Any]:
    """What the endpoint received, from an accepted answer (requests or httpx)."""
    assert response.status_code == 200, response.text
    return dict(json.loads(response.headers["x-local-echo"]))


def refusal(response: Any) -> tuple[int, str]:
    """The status and AWS error code of a refused answer (XML for S3, else JSON)."""
    text = response.text
    if text.startswith("<?xml"):
        match = _XML_CODE.search(text)
        assert match is not None, text
        return response.status_code, match.group(1)
    return response.status_code, str(json.loads(text)["__type"])


@pytest.fixture
def user(setup: PoolSetup) -> CognitoUser:
    return signed_in_user(setup)


@pytest.fixture
def credentials(setup: PoolSetup, user: CognitoUser) -> CognitoCredentials:
    return user_credentials(setup, user)
