"""Convert AWS's SigV4 test suite (as carried by botocore) into aws4_testsuite.json.

Run once, by hand, against a checkout of botocore:

    python tests/vectors/sigv4/convert_aws4_testsuite.py /path/to/botocore.git [commit]

It reads ``tests/unit/auth/aws4_testsuite`` from that commit with ``git show`` and
writes the JSON file next to this script. The raw ``.req`` files are HTTP requests; this
script parses them (request line, headers with obs-fold continuation lines unfolded,
body) into plain fields. See README.md for the choices it makes.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

SUITE = "tests/unit/auth/aws4_testsuite"
ACCESS_KEY_ID = "AKIDEXAMPLE"
SECRET_ACCESS_KEY = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"
DATE = "20150830T123600Z"
REGION = "us-east-1"
SERVICE = "service"


def git(repo: str, *args: str) -> str:
    return subprocess.run(
        ["git", "-C", repo, *args], check=True, capture_output=True, text=True
    ).stdout


def parse_request(raw: str) -> dict[str, object]:
    """Split a raw HTTP request into method, path, query, headers and body."""
    head, _, body = raw.replace("\r\n", "\n").partition("\n\n")
    # A file may end in a newline without a blank line after the headers.
    request_line, *header_lines = head.rstrip("\n").split("\n")
    # The target may contain a space (normalize-path/get-space), so the method is the
    # first word and the protocol the last.
    method, _, rest = request_line.partition(" ")
    target, _, _protocol = rest.rpartition(" ")
    path, question_mark, query = target.partition("?")
    headers: list[list[str]] = []
    for line in header_lines:
        if line[:1] in (" ", "\t"):
            # obs-fold (RFC 9112 section 5.2): the continuation joins the previous value
            # with a space; its own leading whitespace is kept for the signer to fold.
            headers[-1][1] += " " + line
        else:
            name, _, value = line.partition(":")
            headers.append([name, value])
    return {
        "method": method,
        "path": path,
        "query": query if question_mark else None,
        "headers": headers,
        "body": body,
    }


def main() -> None:
    repo = sys.argv[1]
    commit = git(repo, "rev-parse", sys.argv[2] if len(sys.argv) > 2 else "HEAD").strip()
    files = git(repo, "ls-tree", "-r", "--name-only", commit, SUITE).split("\n")
    cases = []
    for request_file in sorted(f for f in files if f.endswith(".req")):
        stem = request_file[: -len(".req")]
        name = str(Path(stem).parent.relative_to(SUITE))

        def read(extension: str, stem: str = stem) -> str:
            return git(repo, "show", f"{commit}:{stem}.{extension}").replace("\r", "")

        canonical_request = read("creq")
        # As in botocore's own harness: the credentials carry a session token exactly
        # when the expected canonical request signs one.
        token = re.search(r"^x-amz-security-token:(.*)$", canonical_request, re.MULTILINE)
        cases.append(
            {
                "name": name,
                "request": parse_request(read("req")),
                "credentials": {
                    "access_key_id": ACCESS_KEY_ID,
                    "secret_access_key": SECRET_ACCESS_KEY,
                    "session_token": token.group(1) if token else None,
                },
                "date": DATE,
                "region": REGION,
                "service": SERVICE,
                "expected": {
                    "canonical_request": canonical_request,
                    "string_to_sign": read("sts"),
                    "authorization": read("authz"),
                },
            }
        )
    document = {
        "origin": {
            "repository": "https://github.com/boto/botocore",
            "path": SUITE,
            "commit": commit,
        },
        "cases": cases,
    }
    output = Path(__file__).with_name("aws4_testsuite.json")
    output.write_text(json.dumps(document, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"wrote {len(cases)} cases to {output}")


if __name__ == "__main__":
    main()
