"""The README's asyncio credentials snippet runs as written against the local pool."""

from __future__ import annotations

import pytest

from .test_readme_admin import section_code


def test_the_asyncio_credentials_snippet_runs(capsys: pytest.CaptureFixture[str]) -> None:
    code = section_code("### The same for asyncio")
    assert "AsyncCognitoCredentials(" in code
    exec(compile(code, "README.md", "exec"), {})
    assert capsys.readouterr().out.split("\n")[:3] == ["{200}", "200", "ASIA True"]
