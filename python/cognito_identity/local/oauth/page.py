"""The hosted UI's pages: plain HTML forms with labelled fields, no JavaScript."""

from __future__ import annotations

from collections.abc import Mapping
from html import escape

__all__ = ["challenge_page", "choice_page", "error_page", "sign_in_page", "totp_setup_page"]

_STYLE = (
    "body{font-family:sans-serif;max-width:24rem;margin:3rem auto;padding:0 1rem}"
    "label,input,button{display:block;width:100%;margin:.3rem 0;font-size:1rem}"
    "input,button{padding:.5rem;box-sizing:border-box}"
    ".error{color:#a00;border:1px solid #a00;padding:.5rem}"
)


def _document(title: str, body: str) -> bytes:
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{escape(title)}</title><style>{_STYLE}</style></head>"
        f"<body><main><h1>{escape(title)}</h1>{body}</main></body></html>\n"
    ).encode()


def _hidden(fields: Mapping[str, str]) -> str:
    return "".join(
        f'<input type="hidden" name="{escape(name)}" value="{escape(value)}">'
        for name, value in fields.items()
    )


def _error(message: str | None) -> str:
    return f'<p class="error" role="alert">{escape(message)}</p>' if message else ""


def sign_in_page(action: str, fields: Mapping[str, str], error: str | None = None) -> bytes:
    """The username and password form; ``fields`` carry the authorize request along."""
    username = escape(fields.get("login_hint", ""))
    return _document(
        "Sign in",
        f"{_error(error)}"
        f'<form method="post" action="{escape(action)}">{_hidden(fields)}'
        '<label for="username">Username</label>'
        f'<input id="username" name="username" autocomplete="username" value="{username}"'
        " required autofocus>"
        '<label for="password">Password</label>'
        '<input id="password" name="password" type="password"'
        ' autocomplete="current-password" required>'
        '<button type="submit" name="signInSubmitButton">Sign in</button></form>',
    )


def challenge_page(
    action: str,
    fields: Mapping[str, str],
    label: str,
    field_name: str,
    *,
    secret: bool,
    error: str | None = None,
) -> bytes:
    """One more step of the sign-in (a new password, a code): one labelled field."""
    kind = (
        ' type="password" autocomplete="new-password"'
        if secret
        else (' inputmode="numeric" autocomplete="one-time-code"')
    )
    return _document(
        "Sign in",
        f"{_error(error)}"
        f'<form method="post" action="{escape(action)}">{_hidden(fields)}'
        f'<label for="answer">{escape(label)}</label>'
        f'<input id="answer" name="{escape(field_name)}"{kind} required autofocus>'
        '<button type="submit">Continue</button></form>',
    )


def choice_page(
    action: str,
    fields: Mapping[str, str],
    legend: str,
    field_name: str,
    options: list[tuple[str, str]],
    error: str | None = None,
) -> bytes:
    """A choice between ``options`` (value, label): a fieldset of labelled radio buttons."""
    choices = "".join(
        f'<input type="radio" id="choice-{index}" name="{escape(field_name)}"'
        f' value="{escape(value)}"{" checked" if index == 0 else ""}>'
        f'<label for="choice-{index}">{escape(label)}</label>'
        for index, (value, label) in enumerate(options)
    )
    return _document(
        "Sign in",
        f"{_error(error)}"
        f'<form method="post" action="{escape(action)}">{_hidden(fields)}'
        f"<fieldset><legend>{escape(legend)}</legend>{choices}</fieldset>"
        '<button type="submit">Continue</button></form>',
    )


def totp_setup_page(
    action: str,
    fields: Mapping[str, str],
    secret: str,
    otpauth_uri: str,
    field_name: str,
    error: str | None = None,
) -> bytes:
    """Setting up an authenticator app: its secret (to type in, or as an ``otpauth://``
    link), then its first code."""
    return _document(
        "Set up your authenticator app",
        f"{_error(error)}"
        "<p>Add this account to your authenticator app with the key below, then enter"
        " the code it shows.</p>"
        f'<p>Key: <code id="secret">{escape(secret)}</code></p>'
        f'<p><a href="{escape(otpauth_uri)}">Open in an authenticator app</a></p>'
        f'<form method="post" action="{escape(action)}">{_hidden(fields)}'
        '<label for="answer">Code from your authenticator app</label>'
        f'<input id="answer" name="{escape(field_name)}" inputmode="numeric"'
        ' autocomplete="one-time-code" required autofocus>'
        '<button type="submit">Continue</button></form>',
    )


def error_page(message: str) -> bytes:
    """Cognito's answer to a request it cannot redirect back (unknown client, a redirect
    URI the client does not list)."""
    return _document("An error was encountered", _error(message))
