"""docs/local-pool.md lists exactly the actions the local pool implements."""

from __future__ import annotations

import re
from pathlib import Path

from cognito_identity.local.actions import ACTIONS, IDENTITY_ACTIONS

_DOC = Path(__file__).resolve().parents[2] / "docs" / "local-pool.md"


def test_the_implemented_actions_are_listed() -> None:
    text = _DOC.read_text()
    section = text.split("## Implemented actions", 1)[1].split("\n## ", 1)[0]
    listed = set(re.findall(r"`([A-Z][A-Za-z]+)`", section))
    assert listed == set(ACTIONS) | set(IDENTITY_ACTIONS)
