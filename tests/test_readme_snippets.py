"""Every Python block of README.md and docs/*.md runs, as written, against a local pool.

The blocks of one file run in order in one namespace, so a block can use what an earlier
one made (``pool``, ``user``, ``session``). Before the first block the namespace holds
only the prelude (see :func:`prelude`), the placeholders a reader fills in with their own
values:

* ``pool_id``, ``client_id``: a user pool and an app client (SRP, password, refresh,
  custom and USER_AUTH sign-in; e-mail verified automatically; optional MFA);
* ``endpoint``: where Cognito is; for AWS it is ``None`` (the regional endpoint), here the
  local pool's URL;
* ``identity_pool_id``: an identity pool that accepts the user pool, registered the AWS
  way (``cognito-idp.<region>.amazonaws.com/<pool id>``), and guests;
* ``username``, ``password``: a confirmed user with a verified e-mail address, and its
  password (the blocks sign up a user of their own, too);
* ``api_url``: an HTTP API to send signed requests to (here the local pool, which
  answers them with an error; the blocks only send);
* ``input``: answers the blocks' prompts as the user would, with the newest code the pool
  sent (the outbox) or, for an authenticator prompt, the current TOTP code;
* ``domain``, ``code``: the hosted UI's URL (here the local pool's) and an authorization
  code for ``username`` that a browser brought back to the app client's redirect URI
  ``myapp://`` (here the prelude signs in on the hosted UI's form with requests).

A block must not rebind a placeholder (a block that starts a server of its own names its
ids otherwise): the test says which block did, as later blocks would use its value.

A block preceded by ``<!-- not run: <reason> -->`` is skipped (it needs something only
AWS has); a block preceded by ``<!-- run with pytest -->`` is a test module and is run
by pytest. A failing block is reported with its file and line: the code is compiled with
the Markdown file's name and line numbers, so the traceback points into the Markdown.
"""

from __future__ import annotations

import re
import sqlite3
import traceback
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

import boto3
import pytest
import requests
from hosted_ui import parse_form

from cognito_identity import CognitoUserPool
from cognito_identity.local import LocalCognito, ManualClock, totp_code

ROOT = Path(__file__).resolve().parents[1]
MARKDOWN = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
USERNAME = "bob"
PASSWORD = "Corr3ct-Horse!"
#: The app client's redirect URI for the hosted UI (a mobile app's custom scheme).
REDIRECT_URI = "myapp://"
# Few blocks may be left out, and each must say why.
MAX_NOT_RUN = 3

_FENCE = re.compile(r"^```(\w*)\s*$")
_NOT_RUN = re.compile(r"^<!--\s*not run:\s*(.*?)\s*-->$")
_PYTEST = re.compile(r"^<!--\s*run with pytest\s*-->$")


@dataclass(frozen=True)
class Block:
    """One fenced Python block: where it starts (the first code line, 1-based) and how
    it is run (``"exec"``, ``"pytest"`` or ``"not run"`` with ``reason``)."""

    path: Path
    line: int
    code: str
    mode: str = "exec"
    reason: str = ""


def python_blocks(path: Path) -> list[Block]:
    """The ```python blocks of a Markdown file, with the marker on the line before each."""
    lines = path.read_text().splitlines()
    blocks: list[Block] = []
    index = 0
    while index < len(lines):
        fence = _FENCE.match(lines[index])
        if fence is None:
            index += 1
            continue
        end = index + 1
        while end < len(lines) and not lines[end].startswith("```"):
            end += 1
        if fence.group(1) == "python":
            marker = lines[index - 1].strip() if index > 0 else ""
            code = "\n".join(lines[index + 1 : end]) + "\n"
            not_run = _NOT_RUN.match(marker)
            if not_run is not None:
                blocks.append(Block(path, index + 2, code, "not run", not_run.group(1)))
            elif _PYTEST.match(marker):
                blocks.append(Block(path, index + 2, code, "pytest"))
            else:
                blocks.append(Block(path, index + 2, code))
        index = end + 1
    return blocks


class SnippetFailed(AssertionError):
    """A block raised; the message names the file and line and carries the traceback."""


def run_block(block: Block, namespace: dict[str, Any]) -> None:
    """Execute ``block`` in ``namespace``; raise :class:`SnippetFailed` naming its line."""
    # Pad with blank lines so that line numbers in the traceback are the Markdown's.
    source = "\n" * (block.line - 1) + block.code
    try:
        exec(compile(source, str(block.path), "exec"), namespace)
    except Exception as error:
        where = f"{block.path.name}:{block.line}"
        shown = "".join(traceback.format_exception(type(error), error, error.__traceback__))
        raise SnippetFailed(f"the block at {where} failed:\n{shown}") from None


class Answers:
    """Stands in for ``input()``: the newest code the pool sent, or a TOTP code for a
    prompt that names an authenticator (the pool's clock moves on a step first, as a
    code is good only once)."""

    def __init__(self, local: LocalCognito, clock: ManualClock, pool_id: str) -> None:
        self.local, self.clock, self.pool_id = local, clock, pool_id
        self.prompts: list[str] = []

    def __call__(self, prompt: str = "") -> str:
        self.prompts.append(prompt)
        if "authenticator" in prompt.lower():
            self.clock.advance(30)
            return totp_code(self._newest_totp_secret(), self.clock.now())
        messages = self.local.outbox.messages(self.pool_id)
        assert messages, f"{prompt!r} asked for a code, but the pool sent none"
        return messages[-1].code

    def _newest_totp_secret(self) -> str:
        with sqlite3.connect(self.local.db_path) as conn:
            row = conn.execute("SELECT secret FROM software_tokens ORDER BY rowid DESC").fetchone()
        assert row is not None, "an authenticator code was asked for before any TOTP setup"
        return str(row[0])


def prelude(local: LocalCognito, clock: ManualClock) -> dict[str, Any]:
    """The placeholders the blocks use, filled in for ``local``."""
    keys = {"aws_access_key_id": "test", "aws_secret_access_key": "test"}
    idp = boto3.client("cognito-idp", endpoint_url=local.endpoint, region_name="us-east-1", **keys)
    pool_id = idp.create_user_pool(
        PoolName="app-users",
        AutoVerifiedAttributes=["email"],
        MfaConfiguration="OPTIONAL",
        SmsConfiguration={"SnsCallerArn": "arn:aws:iam::123456789012:role/sms"},
        Schema=[{"Name": "team", "AttributeDataType": "String", "Mutable": True}],
        DeviceConfiguration={"DeviceOnlyRememberedOnUserPrompt": False},
        Policies={"SignInPolicy": {"AllowedFirstAuthFactors": ["PASSWORD", "EMAIL_OTP"]}},
    )["UserPool"]["Id"]
    idp.set_user_pool_mfa_config(
        UserPoolId=pool_id,
        MfaConfiguration="OPTIONAL",
        SmsMfaConfiguration={"SmsAuthenticationMessage": "Your code is {####}"},
        SoftwareTokenMfaConfiguration={"Enabled": True},
        EmailMfaConfiguration={},
    )
    client_id = idp.create_user_pool_client(
        UserPoolId=pool_id,
        ClientName="app",
        ExplicitAuthFlows=[
            "ALLOW_USER_SRP_AUTH",
            "ALLOW_USER_PASSWORD_AUTH",
            "ALLOW_CUSTOM_AUTH",
            "ALLOW_USER_AUTH",
            "ALLOW_REFRESH_TOKEN_AUTH",
        ],
        # The hosted UI's code flow, for use case 19.
        AllowedOAuthFlowsUserPoolClient=True,
        AllowedOAuthFlows=["code"],
        AllowedOAuthScopes=["openid", "email", "aws.cognito.signin.user.admin"],
        CallbackURLs=[REDIRECT_URI],
        SupportedIdentityProviders=["COGNITO"],
    )["UserPoolClient"]["ClientId"]
    idp.admin_create_user(
        UserPoolId=pool_id,
        Username=USERNAME,
        MessageAction="SUPPRESS",
        UserAttributes=[
            {"Name": "email", "Value": f"{USERNAME}@example.com"},
            {"Name": "email_verified", "Value": "true"},
        ],
    )
    idp.admin_set_user_password(
        UserPoolId=pool_id, Username=USERNAME, Password=PASSWORD, Permanent=True
    )
    identity = boto3.client(
        "cognito-identity", endpoint_url=local.endpoint, region_name="us-east-1", **keys
    )
    identity_pool_id = identity.create_identity_pool(
        IdentityPoolName="app",
        AllowUnauthenticatedIdentities=True,
        CognitoIdentityProviders=[
            {
                "ProviderName": f"cognito-idp.us-east-1.amazonaws.com/{pool_id}",
                "ClientId": client_id,
            }
        ],
    )["IdentityPoolId"]
    return {
        "__name__": "snippets",
        "pool_id": pool_id,
        "client_id": client_id,
        "endpoint": local.endpoint,
        "identity_pool_id": identity_pool_id,
        "username": USERNAME,
        "password": PASSWORD,
        "api_url": f"{local.endpoint}/dev",
        "input": Answers(local, clock, pool_id),
        "domain": local.endpoint,
        "code": hosted_ui_code(local.endpoint, client_id),
    }


def hosted_ui_code(endpoint: str, client_id: str) -> str:
    """The authorization code the hosted UI sends to the redirect URI once ``USERNAME``
    has signed in on its form, as a browser would."""
    query = urlencode(
        {
            "response_type": "code",
            "client_id": client_id,
            "redirect_uri": REDIRECT_URI,
            "scope": "openid email aws.cognito.signin.user.admin",
        }
    )
    with requests.Session() as browser:
        page = browser.get(f"{endpoint}/oauth2/authorize?{query}", timeout=10)
        form = parse_form(page.text)
        answer = browser.post(
            endpoint + form.action,
            data={**form.fields, "username": USERNAME, "password": PASSWORD},
            allow_redirects=False,
            timeout=10,
        )
    redirect = urlsplit(answer.headers["Location"])
    assert redirect.scheme == "myapp", answer.headers["Location"]
    return parse_qs(redirect.query)["code"][0]


@pytest.fixture
def local_pool() -> Iterator[tuple[LocalCognito, ManualClock]]:
    clock = ManualClock()
    with LocalCognito(clock=clock) as local:
        yield local, clock


# The prelude's names that stand for the reader's own values.
PLACEHOLDERS = (
    "pool_id",
    "client_id",
    "endpoint",
    "identity_pool_id",
    "username",
    "password",
    "api_url",
    "input",
    "domain",
    "code",
)


def _id(path: Path) -> str:
    return str(path.relative_to(ROOT))


# The files with Python blocks (README.md has some, so the list is never empty).
WITH_BLOCKS = [path for path in MARKDOWN if python_blocks(path)]


@pytest.mark.parametrize("path", WITH_BLOCKS, ids=_id)
def test_every_python_block_runs(
    path: Path, local_pool: tuple[LocalCognito, ManualClock], pytester: pytest.Pytester
) -> None:
    namespace = prelude(*local_pool)
    placeholders = {name: namespace[name] for name in PLACEHOLDERS}
    for block in python_blocks(path):
        if block.mode == "exec":
            run_block(block, namespace)
            rebound = [n for n, v in placeholders.items() if namespace.get(n) is not v]
            assert not rebound, (
                f"the block at {block.path.name}:{block.line} rebinds {rebound}: "
                "later blocks would use its values, not the prelude's"
            )
        elif block.mode == "pytest":
            run_with_pytest(block, pytester)


def run_with_pytest(block: Block, pytester: pytest.Pytester) -> None:
    """Run a block that is a test module, in a pytest session of its own (in-process)."""
    module = pytester.makepyfile(
        **{f"test_line_{block.line}": "\n" * (block.line - 1) + block.code}
    )
    result = pytester.runpytest_inprocess(str(module), "-q", "-p", "no:cacheprovider")
    outcomes = result.parseoutcomes()
    if result.ret != 0 or outcomes.get("passed", 0) == 0:
        where = f"{block.path.name}:{block.line}"
        raise SnippetFailed(f"the test module at {where} failed:\n{result.stdout.str()}")


def test_few_blocks_are_left_out_and_each_says_why() -> None:
    left_out = [b for path in MARKDOWN for b in python_blocks(path) if b.mode == "not run"]
    assert len(left_out) <= MAX_NOT_RUN, [f"{b.path.name}:{b.line}" for b in left_out]
    for block in left_out:
        assert block.reason, f"{block.path.name}:{block.line} is not run but gives no reason"


def test_a_failing_block_is_reported_with_its_file_and_line(tmp_path: Path) -> None:
    page = tmp_path / "page.md"
    page.write_text(
        "# Title\n\n```python\nvalue = 1\n```\n\n<!-- not run: needs AWS -->\n"
        "```python\nraise RuntimeError('left out')\n```\n\n"
        "```python\nfirst = value\nsecond = missing_name\n```\n"
    )
    blocks = python_blocks(page)
    assert [(b.line, b.mode, b.reason) for b in blocks] == [
        (4, "exec", ""),
        (9, "not run", "needs AWS"),
        (13, "exec", ""),
    ]
    namespace: dict[str, Any] = {}
    run_block(blocks[0], namespace)
    with pytest.raises(SnippetFailed, match=r"page\.md:13") as failure:
        run_block(blocks[2], namespace)
    # The traceback points at the Markdown line of the failing statement.
    assert f'File "{page}", line 14' in str(failure.value)
    assert "missing_name" in str(failure.value)


# --- The challenge block (use case 18) answers each challenge it names -----------------

_CHALLENGE_MARK = "except CognitoUserSelectMfaTypeException"


def _challenge_block() -> Block:
    (block,) = [b for b in python_blocks(ROOT / "README.md") if _CHALLENGE_MARK in b.code]
    return block


def _admin(local: LocalCognito) -> Any:
    return boto3.client(
        "cognito-idp",
        endpoint_url=local.endpoint,
        region_name="us-east-1",
        aws_access_key_id="test",
        aws_secret_access_key="test",
    )


def _user(idp: Any, pool_id: str, username: str, *, temporary: bool = False) -> None:
    idp.admin_create_user(
        UserPoolId=pool_id,
        Username=username,
        MessageAction="SUPPRESS",
        TemporaryPassword=PASSWORD,
        UserAttributes=[
            {"Name": "email", "Value": f"{username}@example.com"},
            {"Name": "email_verified", "Value": "true"},
            {"Name": "phone_number", "Value": "+15555550100"},
            {"Name": "phone_number_verified", "Value": "true"},
        ],
    )
    if not temporary:
        idp.admin_set_user_password(
            UserPoolId=pool_id, Username=username, Password=PASSWORD, Permanent=True
        )


def _authenticator(idp: Any, clock: ManualClock, client_id: str, username: str) -> None:
    """Set up and verify a software token for ``username`` (signed in by password)."""
    tokens = idp.initiate_auth(
        ClientId=client_id,
        AuthFlow="USER_PASSWORD_AUTH",
        AuthParameters={"USERNAME": username, "PASSWORD": PASSWORD},
    )["AuthenticationResult"]
    secret = idp.associate_software_token(AccessToken=tokens["AccessToken"])["SecretCode"]
    idp.verify_software_token(
        AccessToken=tokens["AccessToken"], UserCode=totp_code(secret, clock.now())
    )


def _mfa(idp: Any, pool_id: str, username: str, sms: bool, totp: bool, preferred: str) -> None:
    idp.admin_set_user_mfa_preference(
        UserPoolId=pool_id,
        Username=username,
        SMSMfaSettings={"Enabled": sms, "PreferredMfa": preferred == "sms"},
        SoftwareTokenMfaSettings={"Enabled": totp, "PreferredMfa": preferred == "totp"},
    )


@pytest.fixture(scope="module")
def challenge_namespace() -> Iterator[dict[str, Any]]:
    """The prelude and the README's first block (its imports and ``pool``), shared by the
    challenge scenarios: each one signs in a user of its own."""
    clock = ManualClock()
    with LocalCognito(clock=clock) as local:
        namespace = prelude(local, clock)
        namespace.update(local=local, clock=clock)
        run_block(python_blocks(ROOT / "README.md")[0], namespace)
        yield namespace


@pytest.mark.parametrize(
    "challenge",
    ["NEW_PASSWORD_REQUIRED", "SMS_MFA", "SOFTWARE_TOKEN_MFA", "SELECT_MFA_TYPE", "MFA_SETUP"],
)
def test_the_challenge_block_answers(challenge: str, challenge_namespace: dict[str, Any]) -> None:
    namespace = dict(challenge_namespace)
    pool_id, client_id, clock = namespace["pool_id"], namespace["client_id"], namespace["clock"]
    idp = _admin(namespace["local"])
    username = challenge.lower()
    _user(idp, pool_id, username, temporary=challenge == "NEW_PASSWORD_REQUIRED")
    if challenge == "SMS_MFA":
        _mfa(idp, pool_id, username, sms=True, totp=False, preferred="sms")
    elif challenge == "SOFTWARE_TOKEN_MFA":
        _authenticator(idp, clock, client_id, username)
        _mfa(idp, pool_id, username, sms=False, totp=True, preferred="totp")
    elif challenge == "SELECT_MFA_TYPE":
        _authenticator(idp, clock, client_id, username)
        _mfa(idp, pool_id, username, sms=True, totp=True, preferred="")
    elif challenge == "MFA_SETUP":
        # A pool that requires an authenticator of everyone, and has none for this user.
        pool_id = idp.create_user_pool(PoolName="mfa-required", MfaConfiguration="ON")["UserPool"][
            "Id"
        ]
        idp.set_user_pool_mfa_config(
            UserPoolId=pool_id,
            MfaConfiguration="ON",
            SoftwareTokenMfaConfiguration={"Enabled": True},
        )
        client_id = idp.create_user_pool_client(UserPoolId=pool_id, ClientName="app")[
            "UserPoolClient"
        ]["ClientId"]
        _user(idp, pool_id, username)
        namespace["pool"] = CognitoUserPool(pool_id, client_id, endpoint=namespace["endpoint"])
    namespace["username"] = username
    namespace.pop("session")
    asked = namespace["input"].prompts
    del asked[:]
    run_block(_challenge_block(), namespace)
    assert namespace["session"].is_valid()
    assert namespace["session"].access_token.username == username
    # The branch for this challenge ran: it asked for its code, or set the new password.
    assert asked == EXPECTED_PROMPTS[challenge]
    status = idp.admin_get_user(UserPoolId=pool_id, Username=username)["UserStatus"]
    assert status == "CONFIRMED"


EXPECTED_PROMPTS = {
    "NEW_PASSWORD_REQUIRED": [],
    "SMS_MFA": ["SMS code: "],
    "SOFTWARE_TOKEN_MFA": ["Authenticator code: "],
    "SELECT_MFA_TYPE": ["Authenticator code: "],
    "MFA_SETUP": ["Authenticator code: "],
}
