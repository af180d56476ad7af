"""The README's load-testing section: its locustfile (an indented block the snippet test
leaves alone, since importing Locust patches the interpreter for gevent) runs as written
with ``cognito-identity loadtest -f``."""

from __future__ import annotations

import json
import re
import textwrap
from pathlib import Path

from .cli import loadtest, short_run
from .conftest import needs_locust

README = Path(__file__).parents[2] / "README.md"


def readme_locustfile() -> str:
    """The Python block of the README's "Load testing" section, dedented."""
    section = README.read_text().split("\n## Load testing\n", 1)[1].split("\n## ", 1)[0]
    blocks = re.findall(r"\n( *)```python\n(.*?)\n\1```", section, flags=re.DOTALL)
    (code,) = [textwrap.dedent(body) for _, body in blocks if "CognitoLoadUser" in body]
    return code + "\n"


@needs_locust
def test_the_readmes_locustfile_runs_as_written(tmp_path: Path) -> None:
    locustfile = tmp_path / "locustfile.py"
    locustfile.write_text(readme_locustfile())
    done = loadtest(*short_run("-f", str(locustfile), "--json", str(tmp_path / "run.json")))
    assert done.returncode == 0, done.stderr
    steps = json.loads((tmp_path / "run.json").read_text())["steps"]
    # The comments' promises: "login (SRP)" and its steps, then "GetUser".
    for name in ("login (SRP)", "InitiateAuth USER_SRP_AUTH", "GetUser"):
        assert steps[name]["count"] > 0 and steps[name]["failures"] == 0, name
