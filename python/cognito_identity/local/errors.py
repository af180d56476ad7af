"""Service errors of the local user pool, as data: a code, a message and an HTTP status.

Handlers raise :class:`ServiceError` through its named constructors; the protocol layer
turns it into Cognito's JSON 1.1 error body. Every code the server can send is listed once
in :data:`ERROR_CODES` (the service models' error shapes, plus the protocol-level codes AWS
answers before an action runs), and a code outside it is a bug, refused at once. Messages
follow the real service's wording and never echo a secret value.
"""

from __future__ import annotations

__all__ = ["ERROR_CODES", "ServiceError"]

#: Every error code the local server sends, with its HTTP status.
ERROR_CODES: dict[str, int] = {
    # The user pools' and identity pools' modelled errors this server uses.
    "AliasExistsException": 400,
    "CodeMismatchException": 400,
    "DeviceKeyExistsException": 400,
    "DuplicateProviderException": 400,
    "EnableSoftwareTokenMFAException": 400,
    "ExpiredCodeException": 400,
    "GroupExistsException": 400,
    "InternalErrorException": 500,
    "InvalidLambdaResponseException": 400,
    "InvalidOAuthFlowException": 400,
    "InvalidParameterException": 400,
    "InvalidPasswordException": 400,
    "LimitExceededException": 400,
    "NotAuthorizedException": 400,
    "PasswordResetRequiredException": 400,
    "RefreshTokenReuseException": 400,
    "ScopeDoesNotExistException": 400,
    "ResourceNotFoundException": 400,
    "SoftwareTokenMFANotFoundException": 400,
    "TooManyFailedAttemptsException": 400,
    "TooManyRequestsException": 400,
    "UnauthorizedException": 400,
    "UnsupportedOperationException": 400,
    "UnsupportedTokenTypeException": 400,
    "UnsupportedUserStateException": 400,
    "UserLambdaValidationException": 400,
    "UserNotConfirmedException": 400,
    "UserNotFoundException": 400,
    "UsernameExistsException": 400,
    # Protocol-level errors, answered before any action runs (not in the models).
    "IncompleteSignatureException": 400,
    "InvalidSignatureException": 400,
    "MissingAuthenticationTokenException": 403,
    "RequestEntityTooLargeException": 413,
    "SerializationException": 400,
    "UnknownOperationException": 400,
    "UnrecognizedClientException": 400,
}


class ServiceError(Exception):
    """A failure reported to the client as ``{"__type": code, "message": message}``."""

    def __init__(self, code: str, message: str, status: int | None = None) -> None:
        if code not in ERROR_CODES:
            raise ValueError(f"{code} is not in the local pool's error table")
        super().__init__(message)
        self.code = code
        self.message = message
        self.status = ERROR_CODES[code] if status is None else status

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
    def unknown_operation(cls, target: str | None) -> ServiceError:
        """``UnknownOperationException``: the X-Amz-Target names no action of this server."""
        if not target:
            return cls("UnknownOperationException", "The request has no X-Amz-Target header.")
        action = target.rpartition(".")[2] or target
        return cls(
            "UnknownOperationException",
            f"{action} is not implemented by the local Cognito pool.",
        )

    @classmethod
    def too_large(cls, limit: int) -> ServiceError:
        """The request body is larger than the server accepts (HTTP 413)."""
        return cls("RequestEntityTooLargeException", f"Request body is larger than {limit} bytes")

    @classmethod
    def internal(cls) -> ServiceError:
        """``InternalErrorException``: a fault of the server itself (HTTP 500)."""
        return cls("InternalErrorException", "Internal server error")

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

    @classmethod
    def user_disabled(cls) -> ServiceError:
        """``NotAuthorizedException``: the user was disabled (AdminDisableUser)."""
        return cls.not_authorized("User is disabled.")

    @classmethod
    def password_reset_required(cls) -> ServiceError:
        """``PasswordResetRequiredException``: an administrator reset the password."""
        return cls("PasswordResetRequiredException", "Password reset required for the user")

    @classmethod
    def unsupported_user_state(cls, message: str) -> ServiceError:
        """``UnsupportedUserStateException``: the user's status does not allow the action."""
        return cls("UnsupportedUserStateException", message)

    @classmethod
    def alias_exists(cls, attribute: str) -> ServiceError:
        """``AliasExistsException``: another user signs in with this e-mail or phone."""
        return cls("AliasExistsException", f"An account with the given {attribute} already exists.")

    @classmethod
    def unauthorized(cls, message: str) -> ServiceError:
        """``UnauthorizedException``: the caller may not do this (RevokeToken)."""
        return cls("UnauthorizedException", message)

    @classmethod
    def unsupported_operation(cls, message: str) -> ServiceError:
        """``UnsupportedOperationException``: a feature turned off for the client."""
        return cls("UnsupportedOperationException", message)

    @classmethod
    def device_key_exists(cls) -> ServiceError:
        """``DeviceKeyExistsException``."""
        return cls("DeviceKeyExistsException", "Device key already exists.")

    @classmethod
    def refresh_token_reuse(cls) -> ServiceError:
        """``RefreshTokenReuseException``: a rotated-out token past its grace period."""
        return cls("RefreshTokenReuseException", "Refresh token has already been used.")

    @classmethod
    def lambda_validation(cls, trigger: str, error: object) -> ServiceError:
        """``UserLambdaValidationException``: a trigger raised (its message is the user's)."""
        return cls("UserLambdaValidationException", f"{trigger} failed with error {error}.")

    @classmethod
    def invalid_lambda_response(cls) -> ServiceError:
        """``InvalidLambdaResponseException``: a trigger answered in the wrong shape."""
        return cls("InvalidLambdaResponseException", "Invalid lambda response")

    @classmethod
    def group_exists(cls, group: str) -> ServiceError:
        """``GroupExistsException``."""
        return cls("GroupExistsException", f"A group with the name {group} already exists.")

    @classmethod
    def group_not_found(cls) -> ServiceError:
        """``ResourceNotFoundException`` for a group."""
        return cls.resource_not_found("Group not found.")

    @classmethod
    def too_many_requests(cls) -> ServiceError:
        """``TooManyRequestsException``: the request rate is over the quota (throttling)."""
        return cls("TooManyRequestsException", "Too many requests")

    @classmethod
    def limit_exceeded(cls, message: str) -> ServiceError:
        """``LimitExceededException``: a quota of the pool is used up."""
        return cls("LimitExceededException", message)

    @classmethod
    def unrecognized_client(cls) -> ServiceError:
        """``UnrecognizedClientException``: the access key id is not one the server knows."""
        return cls(
            "UnrecognizedClientException", "The security token included in the request is invalid."
        )

    @classmethod
    def invalid_signature(cls, message: str | None = None) -> ServiceError:
        """``InvalidSignatureException``: the SigV4 signature or its scope is wrong."""
        return cls(
            "InvalidSignatureException",
            message
            or "The request signature we calculated does not match the signature you provided."
            " Check your AWS Secret Access Key and signing method. Consult the service"
            " documentation for details.",
        )

    @classmethod
    def incomplete_signature(cls, message: str) -> ServiceError:
        """``IncompleteSignatureException``: the Authorization header is not SigV4."""
        return cls("IncompleteSignatureException", message)

    @classmethod
    def missing_authentication(cls) -> ServiceError:
        """``MissingAuthenticationTokenException``: an admin call that is not signed."""
        return cls("MissingAuthenticationTokenException", "Missing Authentication Token")

    @classmethod
    def software_token_not_found(cls) -> ServiceError:
        """``SoftwareTokenMFANotFoundException``: no AssociateSoftwareToken came first."""
        return cls(
            "SoftwareTokenMFANotFoundException", "Software Token MFA does not exist for the user."
        )

    @classmethod
    def software_token_mismatch(cls) -> ServiceError:
        """``EnableSoftwareTokenMFAException``: a wrong code while verifying a new token."""
        return cls(
            "EnableSoftwareTokenMFAException", "Code mismatch and fail enable Software Token MFA"
        )

    @classmethod
    def software_token_reused(cls) -> ServiceError:
        """``ExpiredCodeException``: a TOTP code's time step was used already."""
        return cls("ExpiredCodeException", "Your software token has already been used once.")

    @classmethod
    def invalid_auth_state(cls) -> ServiceError:
        """``CodeMismatchException``: a wrong one-time code in a sign-in challenge."""
        return cls("CodeMismatchException", "Invalid code or auth state for the user.")

    @classmethod
    def unsupported_content_type(cls) -> ServiceError:
        """``UnknownOperationException`` for a body that is not AWS JSON, as AWS answers."""
        return cls(
            "UnknownOperationException",
            "Actions take a body of type application/x-amz-json-1.0 or application/x-amz-json-1.1.",
        )
