"""Service errors of the local user pool, as data: a code, a message and an HTTP status.

Handlers raise :class:`ServiceError`; the protocol layer turns it into Cognito's JSON 1.1
error body. Messages follow the real service's wording and never echo a secret value.
"""

from __future__ import annotations

__all__ = ["ServiceError"]


class ServiceError(Exception):
    """A failure reported to the client as ``{"__type": code, "message": message}``."""

    def __init__(self, code: str, message: str, status: int = 400) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.status = status

    def __repr__(self) -> str:
        return f"ServiceError(code={self.code!r}, message={self.message!r}, status={self.status})"

    # The constructors below name each Cognito error once, so handlers never spell codes.

    @classmethod
    def invalid_parameter(cls, message: str) -> ServiceError:
        """``InvalidParameterException``: a parameter breaks a rule of the action."""
        return cls("InvalidParameterException", message)

    @classmethod
    def serialization(cls, message: str) -> ServiceError:
        """``SerializationException``: the body is not JSON or a member has the wrong type."""
        return cls("SerializationException", message)

    @classmethod
    def unknown_operation(cls) -> ServiceError:
        """``UnknownOperationException``: the X-Amz-Target names no action of this server."""
        return cls("UnknownOperationException", "")

    @classmethod
    def too_large(cls, limit: int) -> ServiceError:
        """The request body is larger than the server accepts (HTTP 413)."""
        return cls(
            "RequestEntityTooLargeException",
            f"Request body is larger than {limit} bytes",
            413,
        )

    @classmethod
    def internal(cls) -> ServiceError:
        """``InternalErrorException``: a fault of the server itself (HTTP 500)."""
        return cls("InternalErrorException", "Internal server error", 500)

    @classmethod
    def resource_not_found(cls, message: str) -> ServiceError:
        """``ResourceNotFoundException``: no such pool or app client."""
        return cls("ResourceNotFoundException", message)

    @classmethod
    def pool_not_found(cls, pool_id: str) -> ServiceError:
        """The pool named in the request does not exist."""
        return cls.resource_not_found(f"User pool {pool_id} does not exist.")

    @classmethod
    def client_not_found(cls, client_id: str) -> ServiceError:
        """The app client named in the request does not exist."""
        return cls.resource_not_found(f"User pool client {client_id} does not exist.")

    @classmethod
    def user_not_found(cls, message: str = "User does not exist.") -> ServiceError:
        """``UserNotFoundException``."""
        return cls("UserNotFoundException", message)

    @classmethod
    def username_exists(cls, message: str = "User already exists") -> ServiceError:
        """``UsernameExistsException``."""
        return cls("UsernameExistsException", message)

    @classmethod
    def not_authorized(cls, message: str = "Incorrect username or password.") -> ServiceError:
        """``NotAuthorizedException``."""
        return cls("NotAuthorizedException", message)

    @classmethod
    def user_not_confirmed(cls) -> ServiceError:
        """``UserNotConfirmedException``."""
        return cls("UserNotConfirmedException", "User is not confirmed.")

    @classmethod
    def invalid_password(cls, message: str) -> ServiceError:
        """``InvalidPasswordException``: the password breaks the pool's policy."""
        return cls("InvalidPasswordException", message)

    @classmethod
    def code_mismatch(cls) -> ServiceError:
        """``CodeMismatchException``: a wrong confirmation code."""
        return cls("CodeMismatchException", "Invalid verification code provided, please try again.")

    @classmethod
    def expired_code(cls) -> ServiceError:
        """``ExpiredCodeException``: the code is older than its validity."""
        return cls("ExpiredCodeException", "Invalid code provided, please request a code again.")

    @classmethod
    def unsupported_token_type(cls) -> ServiceError:
        """``UnsupportedTokenTypeException``: RevokeToken takes only refresh tokens."""
        return cls("UnsupportedTokenTypeException", "Unsupported token type.")
