"""A browser-less way through the local pool's hosted UI: a pool with a code-flow app
client and a confirmed user, the sign-in form parsed and posted with requests."""

from __future__ import annotations

import base64
import hashlib
import html.parser
import secrets
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

import requests

from cognito_identity.local import LocalCognito

PASSWORD = "Corr3ct-Horse!"
CALLBACK = "http://localhost:8400/callback"
SIGNED_OUT = "http://localhost:8400/signed-out"


class _Form(html.parser.HTMLParser):
    """The fields of the first form of a page, and whether its inputs have labels."""

    def __init__(self) -> None:
        super().__init__()
        self.fields: dict[str, str] = {}
        self.labels: set[str] = set()
        self.ids: dict[str, str] = {}
        self.action = ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value or "" for name, value in attrs}
        if tag == "form":
            self.action = values.get("action", "")
        if tag == "input":
            self.fields[values["name"]] = values.get("value", "")
            if values.get("type") != "hidden":
                self.ids[values["name"]] = values.get("id", "")
        if tag == "label":
            self.labels.add(values.get("for", ""))


def parse_form(page: str) -> _Form:
    form = _Form()
    form.feed(page)
    return form


def pkce() -> tuple[str, str]:
    verifier = base64.urlsafe_b64encode(secrets.token_bytes(64)).rstrip(b"=").decode()
    digest = hashlib.sha256(verifier.encode()).digest()
    return verifier, base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


def code_flow_client(idp: Any, pool_id: str, name: str) -> str:
    """The id of a new app client of ``pool_id``: code flow, ``openid``, the pool's own
    sign-in only, calling back to CALLBACK."""
    return str(
        idp.create_user_pool_client(
            UserPoolId=pool_id,
            ClientName=name,
            AllowedOAuthFlowsUserPoolClient=True,
            AllowedOAuthFlows=["code"],
            AllowedOAuthScopes=["openid"],
            CallbackURLs=[CALLBACK],
            SupportedIdentityProviders=["COGNITO"],
        )["UserPoolClient"]["ClientId"]
    )


class HostedUi:
    """A pool with a code-flow app client and a confirmed user, and a browser-less way
    through its sign-in page."""

    def __init__(self, local: LocalCognito, idp: Any, **client_args: Any) -> None:
        self.endpoint = local.endpoint
        self.idp = idp
        self.pool_id = idp.create_user_pool(PoolName="web")["UserPool"]["Id"]
        settings: dict[str, Any] = {
            "AllowedOAuthFlowsUserPoolClient": True,
            "AllowedOAuthFlows": ["code"],
            "AllowedOAuthScopes": ["openid", "email"],
            "CallbackURLs": [CALLBACK],
            "LogoutURLs": [SIGNED_OUT],
            "SupportedIdentityProviders": ["COGNITO"],
            **client_args,
        }
        client = idp.create_user_pool_client(UserPoolId=self.pool_id, ClientName="web", **settings)[
            "UserPoolClient"
        ]
        self.client_id = client["ClientId"]
        self.client_secret = client.get("ClientSecret")
        idp.admin_create_user(
            UserPoolId=self.pool_id,
            Username="ann",
            UserAttributes=[{"Name": "email", "Value": "ann@example.com"}],
            MessageAction="SUPPRESS",
        )
        idp.admin_set_user_password(
            UserPoolId=self.pool_id, Username="ann", Password=PASSWORD, Permanent=True
        )
        self.http = requests.Session()

    def authorize(self, challenge: str | None, **params: str) -> requests.Response:
        query = {
            "response_type": "code",
            "client_id": self.client_id,
            "redirect_uri": CALLBACK,
            "scope": "openid email",
            "state": "st-1",
            **params,
        }
        if challenge is not None:
            query.update(code_challenge=challenge, code_challenge_method="S256")
        return self.http.get(
            f"{self.endpoint}/oauth2/authorize?{urlencode(query)}",
            allow_redirects=False,
            timeout=10,
        )

    def sign_in(
        self, challenge: str | None, password: str = PASSWORD, **params: str
    ) -> requests.Response:
        """Sign in through the form, as from a browser that has no session with the pool
        yet (a session cookie would skip the form, as on Cognito)."""
        self.http.cookies.clear()
        page = self.authorize(challenge, **params)
        assert page.status_code == 200, page.text
        form = parse_form(page.text)
        fields = {**form.fields, "username": "ann", "password": password}
        return self.http.post(
            self.endpoint + form.action, data=fields, allow_redirects=False, timeout=10
        )

    def code(self, challenge: str | None) -> str:
        answer = self.sign_in(challenge)
        assert answer.status_code == 302, answer.text
        query = parse_qs(urlsplit(answer.headers["Location"]).query)
        assert query["state"] == ["st-1"]
        return query["code"][0]

    def token(self, **form: str) -> requests.Response:
        auth = (self.client_id, self.client_secret) if self.client_secret else None
        if auth is None:
            form.setdefault("client_id", self.client_id)
        return self.http.post(f"{self.endpoint}/oauth2/token", data=form, auth=auth, timeout=10)

    def exchange(self, code: str, verifier: str | None, **extra: str) -> requests.Response:
        form = {"grant_type": "authorization_code", "code": code, "redirect_uri": CALLBACK}
        if verifier is not None:
            form["code_verifier"] = verifier
        return self.token(**{**form, **extra})
