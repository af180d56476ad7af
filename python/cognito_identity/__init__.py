"""cognito-identity: Amazon Cognito user pools for Python, with a Rust core.

The names most programs need are importable from here::

    from cognito_identity import AuthenticationDetails, CognitoUser, CognitoUserPool

    pool = CognitoUserPool("eu-west-1_AbCdEf123", "client-id")
    user = CognitoUser("alice", pool)
    session = user.authenticate_user(AuthenticationDetails(password="..."))

Services sign users in and manage them with IAM credentials through
:class:`UserPoolAdmin` (the admin API, SigV4-signed).
"""

from __future__ import annotations

from cognito_identity._native import __version__
from cognito_identity.account import IMfaSettings, MfaSettings
from cognito_identity.admin import PoolUser, UserPoolAdmin
from cognito_identity.attributes import AttributeArg, AuthenticationDetails, CognitoUserAttribute
from cognito_identity.auth_flow import AuthFlow
from cognito_identity.credentials import CognitoCredentials, TemporaryCredentials
from cognito_identity.device_list import CognitoDevice, DeviceList
from cognito_identity.errors import (
    CognitoClientException,
    CognitoError,
    CognitoUserChallengeException,
    CognitoUserConfirmationNecessaryException,
    CognitoUserCustomChallengeException,
    CognitoUserDeviceConfirmationNecessaryException,
    CognitoUserEmailOtpRequiredException,
    CognitoUserException,
    CognitoUserMfaRequiredException,
    CognitoUserMfaSetupException,
    CognitoUserNewPasswordRequiredException,
    CognitoUserPhoneNumberVerificationNecessaryException,
    CognitoUserSelectChallengeException,
    CognitoUserSelectMfaTypeException,
    CognitoUserSmsOtpRequiredException,
    CognitoUserTotpRequiredException,
    InvalidArgumentTypeError,
    InvalidConfigurationError,
)
from cognito_identity.oauth import CognitoOAuthClient
from cognito_identity.oauth_errors import (
    OAuthAccessDeniedError,
    OAuthError,
    OAuthInvalidClientError,
    OAuthInvalidGrantError,
    OAuthInvalidRequestError,
    OAuthInvalidScopeError,
    OAuthInvalidTokenError,
    OAuthServerError,
    OAuthStateError,
    OAuthUnauthorizedClientError,
    OAuthUnsupportedGrantTypeError,
    OAuthUnsupportedResponseTypeError,
)
from cognito_identity.pool import CognitoUserPool, SignUpResult
from cognito_identity.session import (
    CognitoAccessToken,
    CognitoIdToken,
    CognitoRefreshToken,
    CognitoUserSession,
)
from cognito_identity.signing import AwsCredentials
from cognito_identity.sigv4 import AwsSigV4Client, SigV4Request
from cognito_identity.storage import CognitoStorage, FileStorage, MemoryStorage
from cognito_identity.user import CognitoUser
from cognito_identity.verify import CognitoJwtVerifier

__all__ = [
    "AttributeArg",
    "AuthFlow",
    "AuthenticationDetails",
    "AwsCredentials",
    "AwsSigV4Client",
    "CognitoAccessToken",
    "CognitoClientException",
    "CognitoCredentials",
    "CognitoDevice",
    "CognitoError",
    "CognitoIdToken",
    "CognitoJwtVerifier",
    "CognitoOAuthClient",
    "CognitoRefreshToken",
    "CognitoStorage",
    "CognitoUser",
    "CognitoUserAttribute",
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
    "CognitoUserPool",
    "CognitoUserSelectChallengeException",
    "CognitoUserSelectMfaTypeException",
    "CognitoUserSession",
    "CognitoUserSmsOtpRequiredException",
    "CognitoUserTotpRequiredException",
    "DeviceList",
    "FileStorage",
    "IMfaSettings",
    "InvalidArgumentTypeError",
    "InvalidConfigurationError",
    "MemoryStorage",
    "MfaSettings",
    "OAuthAccessDeniedError",
    "OAuthError",
    "OAuthInvalidClientError",
    "OAuthInvalidGrantError",
    "OAuthInvalidRequestError",
    "OAuthInvalidScopeError",
    "OAuthInvalidTokenError",
    "OAuthServerError",
    "OAuthStateError",
    "OAuthUnauthorizedClientError",
    "OAuthUnsupportedGrantTypeError",
    "OAuthUnsupportedResponseTypeError",
    "PoolUser",
    "SigV4Request",
    "SignUpResult",
    "TemporaryCredentials",
    "UserPoolAdmin",
    "__version__",
]
