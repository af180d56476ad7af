"""The error family against botocore's service models: every error code Cognito's APIs
model has its own class, raised for that code."""

from __future__ import annotations

import functools
import inspect
import subprocess
import sys
from typing import Any

import pytest
from botocore.loaders import Loader

from cognito_identity import errors
from cognito_identity.errors import CognitoClientException, client_exception

SERVICES = ["cognito-idp", "cognito-identity"]
# Errors of the AWS JSON 1.1 protocol itself, which no service model lists.
PROTOCOL_ERRORS = {"SerializationException", "UnknownOperationException", "ValidationException"}


@functools.cache
def _modelled_errors(service: str) -> dict[str, str]:
    """Shape name -> error code, for every error shape in the service's latest model."""
    model: dict[str, Any] = Loader().load_service_model(service, "service-2")
    return {
        name: shape.get("error", {}).get("code", name)
        for name, shape in model["shapes"].items()
        if shape.get("exception")
    }


@pytest.mark.parametrize("service", SERVICES)
def test_every_modelled_error_has_its_class_mapped_by_code(service: str) -> None:
    modelled = _modelled_errors(service)
    assert len(modelled) > 5  # the model was found and read
    missing = [name for name in modelled if not hasattr(errors, name)]
    assert missing == []
    for name, code in modelled.items():
        cls = getattr(errors, name)
        assert issubclass(cls, CognitoClientException) and cls.code == code
        raised = client_exception(code, "what Cognito said", 400)
        assert type(raised) is cls
        assert (raised.code, raised.message, raised.status_code) == (
            code,
            "what Cognito said",
            400,
        )
        assert name in errors.__all__


def test_the_only_classes_beyond_the_models_are_the_protocol_errors() -> None:
    modelled = set()
    for service in SERVICES:
        modelled.update(_modelled_errors(service).values())
    ours = {
        cls.code
        for cls in vars(errors).values()
        if inspect.isclass(cls)
        and issubclass(cls, CognitoClientException)
        and cls is not CognitoClientException
    }
    assert ours - modelled == PROTOCOL_ERRORS


def test_an_unknown_code_keeps_its_code_on_the_base_class() -> None:
    raised = client_exception("BrandNewException", "new", 400)
    assert type(raised) is CognitoClientException and raised.code == "BrandNewException"


def test_all_lists_exactly_the_public_names() -> None:
    public = {
        name
        for name, value in vars(errors).items()
        if not name.startswith("_") and getattr(value, "__module__", None) == errors.__name__
    }
    assert sorted(errors.__all__) == sorted(public)
    assert len(set(errors.__all__)) == len(errors.__all__)
    namespace: dict[str, object] = {}
    exec("from cognito_identity.errors import *", namespace)
    assert set(namespace) - {"__builtins__"} == public


def test_importing_the_package_does_not_import_botocore() -> None:
    # botocore is installed (the last import succeeds), yet the package leaves it alone.
    code = "import sys, cognito_identity; print('botocore' in sys.modules); import botocore"
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    )
    assert result.stdout.strip() == "False"
