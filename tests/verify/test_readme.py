"""The README's "Verifying tokens in a service" snippet runs as written."""

from __future__ import annotations

import contextlib
import io
import re
from pathlib import Path

README = Path(__file__).resolve().parents[2] / "README.md"


def test_the_service_snippet_runs_as_written() -> None:
    section = README.read_text().split("## Verifying tokens in a service", 1)[1]
    snippet = re.search(r"```python\n(.*?)```", section, re.S)
    assert snippet is not None
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        exec(compile(snippet.group(1), "README.md", "exec"), {})
    assert out.getvalue().splitlines() == [
        "alice aws.cognito.signin.user.admin",
        "refused: WrongTokenUse",
    ]
