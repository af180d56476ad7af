"""The README's self-refreshing credentials snippet runs as written against the local pool."""

from __future__ import annotations

import pytest

from .test_readme_admin import section_code


def test_the_credentials_snippet_runs(capsys: pytest.CaptureFixture[str]) -> None:
    code = section_code("## AWS credentials that refresh themselves")
    exec(compile(code, "README.md", "exec"), {})
    assert capsys.readouterr().out.split("\n")[:3] == ["ASIA UTC", "AWS4-HMAC-SHA256", "True"]
