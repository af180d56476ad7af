"""Steps many local-pool tests share: a confirmed user, a password sign-in."""

from __future__ import annotations

from typing import Any

from .conftest import PASSWORD


def make_user(idp: Any, pool_id: str, name: str, **attributes: str) -> None:
    """A confirmed user ``name`` with PASSWORD and a verified e-mail."""
    attributes.setdefault("email", f"{name}@example.com")
    attributes.setdefault("email_verified", "true")
    idp.admin_create_user(
        UserPoolId=pool_id,
        Username=name,
        UserAttributes=[{"Name": k, "Value": v} for k, v in attributes.items()],
        MessageAction="SUPPRESS",
    )
    idp.admin_set_user_password(
        UserPoolId=pool_id, Username=name, Password=PASSWORD, Permanent=True
    )


def sign_in(idp: Any, client_id: str, name: str, password: str = PASSWORD) -> dict[str, Any]:
    """The AuthenticationResult of a USER_PASSWORD_AUTH sign-in."""
    answer = idp.initiate_auth(
        ClientId=client_id,
        AuthFlow="USER_PASSWORD_AUTH",
        AuthParameters={"USERNAME": name, "PASSWORD": password},
    )
    return dict(answer["AuthenticationResult"])


def error_of(caught: Any) -> tuple[str, str]:
    """The (code, message) of a botocore ClientError caught by pytest.raises."""
    error = caught.value.response["Error"]
    return str(error["Code"]), str(error["Message"])
