"""The README's hosted-UI snippet runs as written against the local pool."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

README = Path(__file__).resolve().parents[2] / "README.md"


def test_the_hosted_ui_snippet_runs_as_written() -> None:
    section = README.read_text().split("\n## Hosted UI (OAuth 2.0)\n", 1)[1].split("\n## ", 1)[0]
    match = re.search(r"```python\n(.*?)```", section, re.S)
    assert match is not None, "the hosted UI section has no Python snippet"
    out = subprocess.run(
        [sys.executable, "-c", match.group(1)], capture_output=True, text=True, timeout=120
    )
    assert out.returncode == 0, out.stderr[-2000:]
    assert out.stdout.splitlines() == ["alice True"]
