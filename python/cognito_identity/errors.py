"""The exceptions of cognito-identity: one family under :class:`CognitoError`.

Every failure the library raises is a :class:`CognitoError`, so ``except CognitoError``
catches all of them. Errors about bad input also derive from :class:`ValueError`, as
Python users expect. Messages never contain passwords, tokens or SRP secrets.
"""

from __future__ import annotations

from typing import Any

from cognito_identity._json import parse_json

__all__ = [
    "AccessDeniedException",
    "AliasExistsException",
    "CachedCIMDURLDoesNotExistException",
    "CodeDeliveryFailureException",
    "CodeMismatchException",
    "CognitoClientException",
    "CognitoConnectError",
    "CognitoError",
    "CognitoNetworkError",
    "CognitoResponseError",
    "CognitoTimeoutError",
    "CognitoUserChallengeException",
    "CognitoUserConfirmationNecessaryException",
    "CognitoUserCustomChallengeException",
    "CognitoUserDeviceConfirmationNecessaryException",
    "CognitoUserEmailOtpRequiredException",
    "CognitoUserException",
    "CognitoUserMfaRequiredException",
    "CognitoUserMfaSetupException",
    "CognitoUserNewPasswordRequiredException",
    "CognitoUserPhoneNumberVerificationNecessaryException",
    "CognitoUserSelectChallengeException",
    "CognitoUserSelectMfaTypeException",
    "CognitoUserSmsOtpRequiredException",
    "CognitoUserTotpRequiredException",
    "ConcurrentModificationException",
    "CredentialsError",
    "CustomCheckError",
    "DeveloperUserAlreadyRegisteredException",
    "DeviceKeyExistsException",
    "DuplicateProviderException",
    "EnableSoftwareTokenMFAException",
    "ExpiredCodeException",
    "ExternalServiceException",
    "FeatureUnavailableInTierException",
    "ForbiddenException",
    "ForbiddenTokenHeaderError",
    "GroupExistsException",
    "InternalErrorException",
    "InternalServerException",
    "InvalidArgumentTypeError",
    "InvalidClaimError",
    "InvalidConfigurationError",
    "InvalidEmailRoleAccessPolicyException",
    "InvalidIdentityPoolConfigurationException",
    "InvalidJwkError",
    "InvalidLambdaResponseException",
    "InvalidOAuthFlowException",
    "InvalidParameterException",
    "InvalidPasswordException",
    "InvalidSignatureError",
    "InvalidSmsRoleAccessPolicyException",
    "InvalidSmsRoleTrustRelationshipException",
    "InvalidUserPoolConfigurationException",
    "JwksFetchError",
    "LimitExceededException",
    "MFAMethodNotFoundException",
    "MalformedTokenError",
    "ManagedLoginBrandingExistsException",
    "MissingDependencyError",
    "MissingGroupError",
    "MissingTokenError",
    "NativePanicError",
    "NotAuthenticatedError",
    "NotAuthorizedException",
    "OperationNotEnabledException",
    "OtpError",
    "PasswordHistoryPolicyViolationException",
    "PasswordResetRequiredException",
    "PreconditionNotMetException",
    "RefreshTokenReuseException",
    "ResourceConflictException",
    "ResourceNotFoundException",
    "ScopeDoesNotExistException",
    "SerializationException",
    "ServiceQuotaExceededException",
    "SigV4Error",
    "SoftwareTokenMFANotFoundException",
    "SrpError",
    "StorageError",
    "TermsExistsException",
    "TierChangeNotAllowedException",
    "TokenClaimError",
    "TokenError",
    "TokenExpiredError",
    "TokenKeyNotFoundError",
    "TokenNotYetValidError",
    "TokenSigningError",
    "TooManyFailedAttemptsException",
    "TooManyRequestsException",
    "UnauthorizedException",
    "UnexpectedLambdaException",
    "UnknownOperationException",
    "UnsupportedAlgorithmError",
    "UnsupportedIdentityProviderException",
    "UnsupportedOperationException",
    "UnsupportedTokenTypeException",
    "UnsupportedUserStateException",
    "UserImportInProgressException",
    "UserLambdaValidationException",
    "UserNotConfirmedException",
    "UserNotFoundException",
    "UserPoolAddOnNotEnabledException",
    "UserPoolTaggingException",
    "UsernameExistsException",
    "ValidationException",
    "WebAuthnChallengeNotFoundException",
    "WebAuthnClientMismatchException",
    "WebAuthnConfigurationMissingException",
    "WebAuthnCredentialNotSupportedException",
    "WebAuthnNotEnabledException",
    "WebAuthnOriginNotAllowedException",
    "WebAuthnRelyingPartyMismatchException",
    "WrongClientError",
    "WrongIssuerError",
    "WrongTokenUseError",
    "challenge_exception",
    "client_exception",
]


class CognitoError(Exception):
    """Base class of every error raised by cognito-identity.

    ``code`` is a short machine-readable name (Cognito's error code for service
    errors), ``message`` the human-readable text and ``status_code`` the HTTP status
    when the error came from a response (``None`` otherwise).
    """

    code: str = "CognitoError"

    def __init__(
        self,
        message: str = "",
        *,
        code: str | None = None,
        status_code: int | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        if code is not None:
            self.code = code
        self.status_code = status_code

    def __repr__(self) -> str:
        return f"{type(self).__name__}(code={self.code!r}, message={self.message!r})"


class SrpError(CognitoError, ValueError):
    """SRP input that cannot be used: a bad B, salt or secret block, or u == 0."""

    code = "SrpError"


class NativePanicError(CognitoError):
    """A bug in the native (Rust) code, caught where it returns to Python.

    No input is meant to cause this: please report it, with the message, which names
    the binding but holds no request data.
    """

    code = "NativePanicError"


class SigV4Error(CognitoError, ValueError):
    """A request that cannot be signed (bad URL, header or parameter)."""

    code = "SigV4Error"


class TokenError(CognitoError):
    """Base class of every JWT decoding or verification failure."""

    code = "TokenError"


class MalformedTokenError(TokenError, ValueError):
    """The token is not three base64url parts holding a JSON header and claims."""

    code = "MalformedToken"


class InvalidJwkError(TokenError, ValueError):
    """A JSON Web Key that cannot be used to verify RS256 signatures."""

    code = "InvalidJwk"


class UnsupportedAlgorithmError(TokenError):
    """The token's ``alg`` is not RS256 (for example ``none`` or ``HS256``)."""

    code = "UnsupportedAlgorithm"


class TokenKeyNotFoundError(TokenError):
    """No key in the key set has the token's ``kid``."""

    code = "KeyNotFound"


class InvalidSignatureError(TokenError):
    """The token's signature does not verify with the key."""

    code = "InvalidSignature"


class TokenSigningError(TokenError, ValueError):
    """A private key, header or claims that cannot be used to sign an RS256 token."""

    code = "TokenSigning"


class MissingTokenError(MalformedTokenError):
    """A request without a token: no ``Authorization`` header, or not a Bearer one."""

    code = "MissingToken"


class ForbiddenTokenHeaderError(TokenError):
    """The token's header names or carries a key of its own (``jku``, ``x5u``, ``jwk``,
    ``x5c``): a verifier never lets a token choose the key that verifies it."""

    code = "ForbiddenTokenHeader"


class JwksFetchError(TokenError):
    """The user pool's JWKS could not be fetched (network failure, timeout, an HTTP
    error, or a recent failure that is not retried yet)."""

    code = "JwksFetchFailed"


class TokenClaimError(TokenError):
    """Base class of the claim checks of
    :class:`~cognito_identity.verify.CognitoJwtVerifier`: the signature was good, the
    claims are not acceptable."""

    code = "TokenClaim"


class InvalidClaimError(TokenClaimError):
    """A claim the verifier needs is missing or has the wrong type (an ``exp`` that is
    text, an ``aud`` that is a list...)."""

    code = "InvalidClaim"


class WrongIssuerError(TokenClaimError):
    """The token's ``iss`` is not the expected user pool."""

    code = "WrongIssuer"


class WrongTokenUseError(TokenClaimError):
    """The token's ``token_use`` is not the kind expected (``id`` or ``access``)."""

    code = "WrongTokenUse"


class WrongClientError(TokenClaimError):
    """The token was issued to another app client (``aud`` of an ID token,
    ``client_id`` of an access token)."""

    code = "WrongClient"


class TokenExpiredError(TokenClaimError):
    """The token's ``exp`` has passed, beyond the leeway."""

    code = "TokenExpired"


class TokenNotYetValidError(TokenClaimError):
    """The token's ``iat`` or ``nbf`` is in the future, beyond the leeway."""

    code = "TokenNotYetValid"


class MissingGroupError(TokenClaimError):
    """The token's ``cognito:groups`` holds none of the groups required."""

    code = "MissingGroup"


class CustomCheckError(TokenClaimError):
    """The verifier's ``custom_check`` refused the token."""

    code = "CustomCheckFailed"


# --- Transport and session errors (raised by the SDK itself) ---


class CognitoNetworkError(CognitoError):
    """Cognito could not be reached: connection refused, DNS failure, timeout, bad TLS."""

    code = "NetworkError"


class CognitoConnectError(CognitoNetworkError):
    """No connection to Cognito could be opened (refused, unresolvable host): nothing was
    sent, so the call may safely be tried again."""

    code = "ConnectError"


class CognitoTimeoutError(CognitoNetworkError):
    """A call ran past its deadline (retries included), or a read past its timeout."""

    code = "Timeout"


class CognitoResponseError(CognitoError):
    """Cognito answered with something that is not the JSON the API promises."""

    code = "InvalidResponse"


class StorageError(CognitoError):
    """A session store that cannot be read or written."""

    code = "StorageError"


class NotAuthenticatedError(CognitoError):
    """The call needs a signed-in user with a valid session, and there is none."""

    code = "NotAuthenticated"


class MissingDependencyError(CognitoError, ImportError):
    """A feature needs an optional package that is not installed; the message names the
    extra to install (``pip install 'cognito-identity[boto3]'``)."""

    code = "MissingDependency"


class CredentialsError(CognitoError):
    """No IAM credentials to sign a call with: none were given, and botocore is not
    installed or its credential chain found none."""

    code = "CredentialsError"


# --- Errors returned by the service, one class per Cognito error code ---


class CognitoClientException(CognitoError):
    """An error response from Cognito.

    ``code`` is Cognito's error code (``"NotAuthorizedException"``, ...), ``message``
    its message and ``status_code`` the HTTP status. Each known code has a subclass of
    the same name, so ``except NotAuthorizedException`` works; an unknown code is raised
    as this base class with ``code`` set.
    """

    code = "UnknownError"

    def __init_subclass__(cls, **kwargs: object) -> None:
        super().__init_subclass__(**kwargs)
        cls.code = cls.__name__


# Cognito user pools and identity pools (the error shapes of their API models).
class AccessDeniedException(CognitoClientException):
    """The caller may not perform this action."""


class AliasExistsException(CognitoClientException):
    """The e-mail address or phone number is already an alias of another user."""


class CachedCIMDURLDoesNotExistException(CognitoClientException):
    """Cognito has no cached client metadata document for the URL in the request."""


class CodeDeliveryFailureException(CognitoClientException):
    """A verification code could not be delivered."""


class CodeMismatchException(CognitoClientException):
    """The code given does not match the one Cognito sent."""


class ConcurrentModificationException(CognitoClientException):
    """Another request changed the same resource at the same time."""


class DeveloperUserAlreadyRegisteredException(CognitoClientException):
    """The developer user is already registered with an identity pool."""


class DeviceKeyExistsException(CognitoClientException):
    """The device key is already in use."""


class DuplicateProviderException(CognitoClientException):
    """The identity provider already exists."""


class EnableSoftwareTokenMFAException(CognitoClientException):
    """The TOTP code given while enabling software-token MFA is wrong."""


class ExpiredCodeException(CognitoClientException):
    """The code has expired."""


class ExternalServiceException(CognitoClientException):
    """An external identity provider failed."""


class FeatureUnavailableInTierException(CognitoClientException):
    """The feature is not available in the user pool's feature plan."""


class ForbiddenException(CognitoClientException):
    """A web ACL or other rule blocked the request."""


class GroupExistsException(CognitoClientException):
    """The group already exists."""


class InternalErrorException(CognitoClientException):
    """Cognito failed internally."""


class InternalServerException(CognitoClientException):
    """Cognito failed internally."""


class InvalidEmailRoleAccessPolicyException(CognitoClientException):
    """Cognito may not use the configured e-mail identity."""


class InvalidIdentityPoolConfigurationException(CognitoClientException):
    """The identity pool's role configuration is not usable."""


class InvalidLambdaResponseException(CognitoClientException):
    """A Lambda trigger returned an invalid response."""


class InvalidOAuthFlowException(CognitoClientException):
    """The OAuth flow is not allowed for this client."""


class InvalidParameterException(CognitoClientException):
    """A parameter is missing, malformed or not allowed."""


class InvalidPasswordException(CognitoClientException):
    """The password does not satisfy the user pool's password policy."""


class InvalidSmsRoleAccessPolicyException(CognitoClientException):
    """The SMS role may not publish text messages."""


class InvalidSmsRoleTrustRelationshipException(CognitoClientException):
    """The SMS role does not trust Cognito."""


class InvalidUserPoolConfigurationException(CognitoClientException):
    """The user pool's configuration does not allow this request."""


class LimitExceededException(CognitoClientException):
    """A service limit was exceeded."""


class MFAMethodNotFoundException(CognitoClientException):
    """No MFA method is set up for the user."""


class ManagedLoginBrandingExistsException(CognitoClientException):
    """The app client already has a managed login branding style."""


class NotAuthorizedException(CognitoClientException):
    """Wrong credentials, a revoked or expired token, or a disabled user or flow."""


class OperationNotEnabledException(CognitoClientException):
    """The operation is not available in this Region or with this user pool's setup."""


class PasswordHistoryPolicyViolationException(CognitoClientException):
    """The password was used recently and may not be reused."""


class PasswordResetRequiredException(CognitoClientException):
    """The user must reset their password before signing in."""


class PreconditionNotMetException(CognitoClientException):
    """A precondition of the request is not met."""


class RefreshTokenReuseException(CognitoClientException):
    """A rotated refresh token was used again."""


class ResourceConflictException(CognitoClientException):
    """The request conflicts with the resource's current state."""


class ResourceNotFoundException(CognitoClientException):
    """The user pool, client, device or other resource does not exist."""


class ScopeDoesNotExistException(CognitoClientException):
    """An OAuth scope does not exist."""


class ServiceQuotaExceededException(CognitoClientException):
    """A service quota was exceeded."""


class SoftwareTokenMFANotFoundException(CognitoClientException):
    """Software-token MFA is not set up for the user."""


class TermsExistsException(CognitoClientException):
    """The terms document already exists."""


class TierChangeNotAllowedException(CognitoClientException):
    """The feature plan cannot be changed now."""


class TooManyFailedAttemptsException(CognitoClientException):
    """Too many failed attempts; try again later."""


class TooManyRequestsException(CognitoClientException):
    """The request rate is too high; retry with back-off."""


class UnauthorizedException(CognitoClientException):
    """The request is not authorized."""


class UnexpectedLambdaException(CognitoClientException):
    """A Lambda trigger failed."""


class UnsupportedIdentityProviderException(CognitoClientException):
    """The identity provider is not supported by this client."""


class UnsupportedOperationException(CognitoClientException):
    """The operation is not supported."""


class UnsupportedTokenTypeException(CognitoClientException):
    """The token type is not supported for this operation."""


class UnsupportedUserStateException(CognitoClientException):
    """The user is in a state that does not allow this operation."""


class UserImportInProgressException(CognitoClientException):
    """A user import job is running."""


class UserLambdaValidationException(CognitoClientException):
    """A Lambda trigger rejected the request."""


class UserNotConfirmedException(CognitoClientException):
    """The user has not confirmed their sign-up."""


class UserNotFoundException(CognitoClientException):
    """The user does not exist."""


class UserPoolAddOnNotEnabledException(CognitoClientException):
    """The user pool's advanced security features are not enabled."""


class UserPoolTaggingException(CognitoClientException):
    """The user pool's tags could not be set."""


class UsernameExistsException(CognitoClientException):
    """A user with that username already exists."""


class WebAuthnChallengeNotFoundException(CognitoClientException):
    """The passkey registration challenge has expired."""


class WebAuthnClientMismatchException(CognitoClientException):
    """The access token is for another app client than the one that started passkey
    registration."""


class WebAuthnConfigurationMissingException(CognitoClientException):
    """The user pool has neither a relying party ID nor a domain for passkeys."""


class WebAuthnCredentialNotSupportedException(CognitoClientException):
    """The passkey comes from a device or provider Cognito does not support."""


class WebAuthnNotEnabledException(CognitoClientException):
    """Passkeys are not enabled in the user pool."""


class WebAuthnOriginNotAllowedException(CognitoClientException):
    """The passkey was registered from an origin that does not match the user pool's
    relying party ID."""


class WebAuthnRelyingPartyMismatchException(CognitoClientException):
    """The passkey belongs to another relying party ID than the user pool's."""


# The AWS JSON protocol's own errors, which any AWS endpoint may return.
class SerializationException(CognitoClientException):
    """The request body is not valid JSON for this action."""


class UnknownOperationException(CognitoClientException):
    """The X-Amz-Target names no action of the service."""


class ValidationException(CognitoClientException):
    """A parameter failed the API's validation."""


def _all_subclasses(cls: type[CognitoClientException]) -> list[type[CognitoClientException]]:
    found: list[type[CognitoClientException]] = []
    for sub in cls.__subclasses__():
        found.append(sub)
        found.extend(_all_subclasses(sub))
    return found


_CLASS_BY_CODE: dict[str, type[CognitoClientException]] = {
    cls.code: cls for cls in _all_subclasses(CognitoClientException)
}


def client_exception(
    code: str, message: str, status_code: int | None = None
) -> CognitoClientException:
    """Build the exception for a Cognito error response: the class named by ``code``.

    An unknown code gives a plain :class:`CognitoClientException` carrying that code,
    so new Cognito errors still reach the caller intact.
    """
    cls = _CLASS_BY_CODE.get(code)
    if cls is None:
        return CognitoClientException(message, code=code, status_code=status_code)
    return cls(message, status_code=status_code)


# --- Configuration errors ---


class InvalidConfigurationError(CognitoError, ValueError):
    """A pool id, client id or other setting the SDK was given cannot be right."""

    code = "InvalidConfiguration"


class InvalidArgumentTypeError(CognitoError, TypeError):
    """A public call was given an argument of the wrong type (a number for a username,
    a password where :class:`~cognito_identity.AuthenticationDetails` is expected)."""

    code = "InvalidArgumentType"


# --- Challenges: Cognito needs one more answer before it issues tokens ---


class CognitoUserException(CognitoError):
    """Base class of the challenges a sign-in can stop at.

    ``challenge_name`` is Cognito's name for the challenge and ``challenge_parameters``
    what it sent with it. The :class:`~cognito_identity.user.CognitoUser` that raised it
    keeps the challenge session, so the matching ``send_...`` method answers it.
    """

    code = "ChallengeRequired"
    default_challenge: str | None = None
    #: The ``Session`` string to answer the challenge in, and the user it was asked of:
    #: set when a :class:`~cognito_identity.admin.UserPoolAdmin` raised the challenge (a
    #: service keeps no user object). Never shown in a repr or message.
    session: str | None = None
    username: str | None = None

    def __init__(
        self,
        message: str = "",
        *,
        challenge_name: str | None = None,
        challenge_parameters: dict[str, str] | None = None,
    ) -> None:
        self.challenge_name = challenge_name or self.default_challenge
        self.challenge_parameters = dict(challenge_parameters or {})
        super().__init__(message or f"Cognito asks for the {self.challenge_name} challenge")

    def __repr__(self) -> str:
        return f"{type(self).__name__}(challenge_name={self.challenge_name!r})"

    @classmethod
    def from_challenge(cls, name: str, parameters: dict[str, str]) -> CognitoUserException:
        """Build from a Cognito answer's ``ChallengeName`` and ``ChallengeParameters``."""
        return cls(challenge_name=name, challenge_parameters=parameters)


class CognitoUserConfirmationNecessaryException(CognitoUserException):
    """The user signed up but has not confirmed the code Cognito sent them."""

    code = "UserNotConfirmed"

    def __init__(self, message: str = "User Confirmation Necessary") -> None:
        super().__init__(message)


class OtpError(CognitoError, ValueError):
    """A one-time password that cannot be computed: an empty secret, a digit count
    outside 6 to 8, a zero time step, a time before the epoch or an unknown hash."""

    code = "OtpError"


class CognitoUserChallengeException(CognitoUserException):
    """A challenge this SDK has no dedicated class for; answer it with
    :meth:`~cognito_identity.user.CognitoUser.respond_to_auth_challenge`."""


_NEW_ATTRIBUTE_PREFIX = "userAttributes."


class CognitoUserNewPasswordRequiredException(CognitoUserException):
    """NEW_PASSWORD_REQUIRED: the user signed in with a temporary password.

    ``user_attributes`` are the user's current attributes and ``required_attributes``
    the names that must be given with the new password, always without Cognito's
    ``userAttributes.`` prefix (the original SDK stripped it on one path only, Q6).
    Answer with :meth:`~cognito_identity.user.CognitoUser.send_new_password_required_answer`.
    """

    default_challenge = "NEW_PASSWORD_REQUIRED"

    def __init__(
        self,
        message: str = "New Password required",
        *,
        user_attributes: dict[str, str] | None = None,
        required_attributes: list[str] | None = None,
        challenge_name: str | None = None,
        challenge_parameters: dict[str, str] | None = None,
    ) -> None:
        super().__init__(
            message, challenge_name=challenge_name, challenge_parameters=challenge_parameters
        )
        self.user_attributes = dict(user_attributes or {})
        self.required_attributes = [
            name.removeprefix(_NEW_ATTRIBUTE_PREFIX) for name in required_attributes or []
        ]

    @classmethod
    def from_challenge(cls, name: str, parameters: dict[str, str]) -> CognitoUserException:
        """Decode the JSON ``userAttributes`` and ``requiredAttributes`` parameters."""
        user_attributes = _json_parameter(parameters, "userAttributes", dict)
        required = _json_parameter(parameters, "requiredAttributes", list)
        return cls(
            user_attributes={str(k): str(v) for k, v in (user_attributes or {}).items()},
            required_attributes=[str(item) for item in required or []],
            challenge_name=name,
            challenge_parameters=parameters,
        )


def _json_parameter(parameters: dict[str, str], name: str, kind: type) -> Any:
    raw = parameters.get(name)
    if raw is None:
        return None
    value = parse_json(raw)
    if not isinstance(value, kind):
        raise CognitoResponseError(f"the challenge parameter {name} is not a JSON {kind.__name__}")
    return value


class CognitoUserMfaRequiredException(CognitoUserException):
    """SMS_MFA: a code went by text message (``CODE_DELIVERY_DESTINATION`` says where);
    answer with :meth:`~cognito_identity.user.CognitoUser.send_mfa_code`."""

    default_challenge = "SMS_MFA"


class CognitoUserTotpRequiredException(CognitoUserException):
    """SOFTWARE_TOKEN_MFA: answer with ``send_mfa_code(code, "SOFTWARE_TOKEN_MFA")``."""

    default_challenge = "SOFTWARE_TOKEN_MFA"


class CognitoUserEmailOtpRequiredException(CognitoUserException):
    """EMAIL_OTP: a code went by e-mail; answer with ``send_mfa_code(code, "EMAIL_OTP")``."""

    default_challenge = "EMAIL_OTP"


class CognitoUserSelectMfaTypeException(CognitoUserException):
    """SELECT_MFA_TYPE: the user has several factors; pick one of :attr:`mfas_can_choose`
    with :meth:`~cognito_identity.user.CognitoUser.send_mfa_selection_answer`."""

    default_challenge = "SELECT_MFA_TYPE"

    @property
    def mfas_can_choose(self) -> list[str]:
        """The factors offered (``MFAS_CAN_CHOOSE``)."""
        return _name_list(self.challenge_parameters, "MFAS_CAN_CHOOSE")


class CognitoUserMfaSetupException(CognitoUserException):
    """MFA_SETUP: the pool requires MFA and the user has none. Call
    ``associate_software_token()`` then ``verify_software_token(code)``, which finishes
    the sign-in in the same session."""

    default_challenge = "MFA_SETUP"

    @property
    def mfas_can_setup(self) -> list[str]:
        """The factors that may be set up (``MFAS_CAN_SETUP``)."""
        return _name_list(self.challenge_parameters, "MFAS_CAN_SETUP")


def _name_list(parameters: dict[str, str], name: str) -> list[str]:
    value = _json_parameter(parameters, name, list)
    return [str(item) for item in value or []]


class CognitoUserCustomChallengeException(CognitoUserException):
    """CUSTOM_CHALLENGE: a custom-auth trigger asks a question; answer with
    :meth:`~cognito_identity.user.CognitoUser.send_custom_challenge_answer`."""

    default_challenge = "CUSTOM_CHALLENGE"


class CognitoUserSmsOtpRequiredException(CognitoUserException):
    """SMS_OTP: a passwordless sign-in code went by text message; answer with
    :meth:`~cognito_identity.user.CognitoUser.send_otp_code`."""

    default_challenge = "SMS_OTP"


class CognitoUserSelectChallengeException(CognitoUserException):
    """SELECT_CHALLENGE: a choice-based sign-in (USER_AUTH) asks for a first factor; pick
    one of :attr:`available_challenges` with
    :meth:`~cognito_identity.user.CognitoUser.send_challenge_selection`.

    Cognito lists the choices in the answer's ``AvailableChallenges``, outside the
    challenge parameters.
    """

    default_challenge = "SELECT_CHALLENGE"

    def __init__(
        self,
        message: str = "",
        *,
        available_challenges: list[str] | None = None,
        challenge_name: str | None = None,
        challenge_parameters: dict[str, str] | None = None,
    ) -> None:
        super().__init__(
            message, challenge_name=challenge_name, challenge_parameters=challenge_parameters
        )
        self.available_challenges = list(available_challenges or [])


class CognitoUserDeviceConfirmationNecessaryException(CognitoUserException):
    """The sign-in succeeded (``sign_in_user_session``) but the new device must be
    confirmed as remembered."""

    code = "DeviceConfirmationNecessary"

    def __init__(
        self,
        message: str = "User Device Confirmation Necessary",
        *,
        sign_in_user_session: Any = None,
    ) -> None:
        super().__init__(message)
        self.sign_in_user_session = sign_in_user_session


class CognitoUserPhoneNumberVerificationNecessaryException(CognitoUserException):
    """SMS MFA needs a verified phone number, and the user has none."""

    code = "PhoneNumberVerificationNecessary"

    def __init__(
        self,
        message: str = "Verification of Attribute 'phone_number' Necessary",
        *,
        sign_in_user_session: Any = None,
    ) -> None:
        super().__init__(message)
        self.sign_in_user_session = sign_in_user_session


_CHALLENGE_CLASSES: dict[str, type[CognitoUserException]] = {
    cls.default_challenge: cls
    for cls in (
        CognitoUserNewPasswordRequiredException,
        CognitoUserMfaRequiredException,
        CognitoUserTotpRequiredException,
        CognitoUserEmailOtpRequiredException,
        CognitoUserSelectMfaTypeException,
        CognitoUserMfaSetupException,
        CognitoUserCustomChallengeException,
        CognitoUserSmsOtpRequiredException,
        CognitoUserSelectChallengeException,
    )
    if cls.default_challenge is not None
}


def challenge_exception(name: str, parameters: dict[str, str]) -> CognitoUserException:
    """The exception for challenge ``name``: its own class, or
    :class:`CognitoUserChallengeException` for one this SDK does not know (never a crash)."""
    cls = _CHALLENGE_CLASSES.get(name, CognitoUserChallengeException)
    return cls.from_challenge(name, parameters)
