"""The declared input shapes agree with botocore's copy of the Cognito service model."""

from __future__ import annotations

from typing import Any

import botocore.session
import pytest

from cognito_identity.local.actions import ACTIONS
from cognito_identity.local.shapes import INPUTS
from cognito_identity.local.validation import Shape

_MODEL = botocore.session.get_session().get_service_model("cognito-idp")


def test_every_action_has_a_shape_and_exists_in_the_model() -> None:
    assert set(ACTIONS) == set(INPUTS)
    assert set(ACTIONS) <= set(_MODEL.operation_names)


def _compare(ours: Shape, theirs: Any, path: str) -> None:
    assert ours.kind == theirs.type_name, path
    meta = theirs.metadata
    if ours.kind in ("string", "integer", "list"):
        assert ours.min == meta.get("min"), path
        assert ours.max == meta.get("max"), path
    if ours.kind == "string":
        assert (ours.pattern.text if ours.pattern else None) == meta.get("pattern"), path
        assert list(ours.enum or []) == list(theirs.enum or []), path
        assert ours.sensitive == bool(meta.get("sensitive")), path
    if ours.kind == "list":
        assert ours.item is not None
        _compare(ours.item, theirs.member, path + "[]")
    if ours.kind == "map":
        assert ours.sensitive == bool(meta.get("sensitive")), path
    if ours.kind == "structure":
        required = set(theirs.required_members)
        declared = set(ours.members)
        # Every required member is declared, and flagged required exactly when the model does.
        assert required <= declared, path
        for name, member in ours.members.items():
            assert name in theirs.members, f"{path}.{name}"
            assert member.required == (name in required), f"{path}.{name}"
            _compare(member.shape, theirs.members[name], f"{path}.{name}")


@pytest.mark.parametrize("action", sorted(INPUTS))
def test_shape_matches_model(action: str) -> None:
    _compare(INPUTS[action], _MODEL.operation_model(action).input_shape, action)
