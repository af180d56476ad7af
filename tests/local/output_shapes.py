"""Responses checked against botocore's output shapes, as requests are against the input
shapes: every member known to the model, of the modelled type, required members present,
enum values from the enum."""

from __future__ import annotations

import json
from typing import Any

from botocore.model import OperationModel, Shape

_NUMBER_TYPES = {"integer": int, "long": int, "double": (int, float), "float": (int, float)}


def shape_errors(shape: Shape, value: Any, path: str) -> list[str]:
    """What in ``value`` (a decoded JSON body or part of one) breaks ``shape``."""
    kind = shape.type_name
    if kind == "structure":
        if not isinstance(value, dict):
            return [f"{path}: expected an object"]
        errors = [
            f"{path}.{name}: required member missing"
            for name in shape.required_members
            if name not in value
        ]
        for name, item in value.items():
            member = shape.members.get(name)
            if member is None:
                errors.append(f"{path}.{name}: not a member of {shape.name}")
            else:
                errors += shape_errors(member, item, f"{path}.{name}")
        return errors
    if kind == "list":
        if not isinstance(value, list):
            return [f"{path}: expected a list"]
        return [
            e
            for i, item in enumerate(value)
            for e in shape_errors(shape.member, item, f"{path}[{i}]")
        ]
    if kind == "map":
        if not isinstance(value, dict):
            return [f"{path}: expected a map"]
        return [
            e
            for key, item in value.items()
            for e in shape_errors(shape.key, key, f"{path} key")
            + shape_errors(shape.value, item, f"{path}[{key}]")
        ]
    if kind in ("string", "blob"):
        if not isinstance(value, str):
            return [f"{path}: expected a string"]
        if shape.enum and value not in shape.enum:
            return [f"{path}: {value!r} is not one of {shape.enum}"]
        return []
    if kind == "boolean":
        return [] if isinstance(value, bool) else [f"{path}: expected a boolean"]
    if kind == "timestamp":
        ok = isinstance(value, (int, float)) and not isinstance(value, bool)
        return [] if ok else [f"{path}: expected epoch seconds"]
    expected = _NUMBER_TYPES.get(kind)
    if expected is None:
        return [f"{path}: unchecked type {kind}"]
    ok = isinstance(value, expected) and not isinstance(value, bool)
    return [] if ok else [f"{path}: expected {kind}"]


def check_response(model: OperationModel, body: bytes) -> None:
    """Raise AssertionError if a 200 body does not fit the operation's output shape."""
    document = json.loads(body) if body.strip() else {}
    if model.output_shape is None:
        assert document == {}, f"{model.name}: expected an empty body, got {document}"
        return
    errors = shape_errors(model.output_shape, document, model.name)
    assert not errors, "; ".join(errors)


def install(client: Any) -> Any:
    """Make every successful call of the boto3 ``client`` check its response's shape."""

    def after_call(http_response: Any, model: OperationModel, **_: Any) -> None:
        if http_response.status_code == 200:
            check_response(model, http_response.content)

    client.meta.events.register("after-call", after_call)
    return client
