"""A Flask decorator that verifies the request's ``Authorization: Bearer`` token.

    require_token = cognito_auth_required(CognitoJwtVerifier(pool_id, client_id, "access"))

    @app.get("/me")
    @require_token
    def me():
        return {"sub": g.cognito_claims["sub"]}

The claims are in ``flask.g.cognito_claims``. A refused token answers 401 (with
``WWW-Authenticate: Bearer``), 403 or 503 and ``{"error": <code>}``: see
:func:`~cognito_identity.verify.bearer.http_status`.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any, TypeVar, cast

from flask import abort, g, jsonify, request

from cognito_identity.errors import TokenError
from cognito_identity.verify.bearer import WWW_AUTHENTICATE, http_status
from cognito_identity.verify.verifier import CognitoJwtVerifier

__all__ = ["cognito_auth_required"]

View = TypeVar("View", bound=Callable[..., Any])


def cognito_auth_required(verifier: CognitoJwtVerifier) -> Callable[[View], View]:
    """A decorator for views that need a valid token; the claims go to ``g.cognito_claims``."""

    def decorate(view: View) -> View:
        @functools.wraps(view)
        def checked(*args: Any, **kwargs: Any) -> Any:
            try:
                claims = verifier.verify_authorization_header(request.headers.get("Authorization"))
            except TokenError as exc:
                status = http_status(exc)
                response = jsonify(error=exc.code)
                response.status_code = status
                if status == 401:
                    response.headers.update(WWW_AUTHENTICATE)
                abort(response)
            g.cognito_claims = claims
            return view(*args, **kwargs)

        return cast(View, checked)

    return decorate
