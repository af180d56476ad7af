"""The README's admin snippet runs as written against the local pool."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

README = Path(__file__).resolve().parents[2] / "README.md"


def section_code(heading: str) -> str:
    text = README.read_text(encoding="utf-8")
    section = text.split(f"\n{heading}\n", 1)[1].split("\n## ", 1)[0]
    match = re.search(r"```python\n(.*?)```", section, re.DOTALL)
    assert match is not None, f"no Python snippet under {heading!r}"
    return match.group(1)


def test_the_admin_snippet_runs(capsys: pytest.CaptureFixture[str]) -> None:
    exec(compile(section_code("## Services: signed admin calls"), "README.md", "exec"), {})
    assert capsys.readouterr().out.split("\n")[:3] == ["CONFIRMED", "alice", "['alice']"]
