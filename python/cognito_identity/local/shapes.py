"""The input shapes of the actions, transcribed from the Cognito service model.

Only members the local server reads are declared; others are accepted and ignored.
``tests/local/test_shapes.py`` checks these against botocore's copy of the model.
"""

from __future__ import annotations

import unicodedata

from cognito_identity.local.validation import (
    Member,
    Pattern,
    Shape,
    boolean,
    integer,
    list_of,
    string,
    string_map,
    structure,
)

__all__ = ["IDENTITY_INPUTS", "INPUTS"]

_PRINTABLE = Pattern.unicode_categories("[\\p{L}\\p{M}\\p{S}\\p{N}\\p{P}]+", "LMSNP")

USER_POOL_ID = string(1, 55, Pattern.regex("[\\w-]+_[0-9a-zA-Z]+"))
CLIENT_ID = string(1, 128, Pattern.regex("[\\w+]+"), sensitive=True)
USERNAME = string(1, 128, _PRINTABLE, sensitive=True)
PASSWORD = string(max=256, pattern=Pattern.regex("[\\S]+"), sensitive=True)
SECRET_HASH = string(1, 128, Pattern.regex("[\\w+=/]+"), sensitive=True)
CONFIRMATION_CODE = string(1, 2048, Pattern.regex("[\\S]+"))
SESSION = string(20, 4096, sensitive=True)
TOKEN = string(pattern=Pattern.regex("[A-Za-z0-9-_=.]+"), sensitive=True)
CLIENT_SECRET = string(24, 64, Pattern.regex("[\\w+]+"), sensitive=True)
_PRINTABLE_SPACE = "[\\p{L}\\p{M}\\p{S}\\p{N}\\p{P}\\p{Z}]+"
REDIRECT_URL = string(1, 1024, _PRINTABLE)
NAME = string(1, 128, Pattern.regex("[\\w\\s+=,.@-]+"))
CLIENT_METADATA = string_map()

ARN = string(
    20,
    2048,
    Pattern.regex(
        "arn:[\\w+=/,.@-]+:[\\w+=/,.@-]+:([\\w+=/,.@-]*)?:[0-9]+:[\\w+=/,.@-]+"
        "(:[\\w+=/,.@-]+)?(:[\\w+=/,.@-]+)?"
    ),
)
NEXT_TOKEN = string(1, 131072, Pattern.regex("[\\S]+"))
#: The triggers a pool's LambdaConfig names that the local pool runs (see triggers.py).
LAMBDA_CONFIG = structure(
    PreSignUp=Member(ARN),
    CustomMessage=Member(ARN),
    PostConfirmation=Member(ARN),
    PreAuthentication=Member(ARN),
    PostAuthentication=Member(ARN),
    DefineAuthChallenge=Member(ARN),
    CreateAuthChallenge=Member(ARN),
    VerifyAuthChallengeResponse=Member(ARN),
    PreTokenGeneration=Member(ARN),
    PreTokenGenerationConfig=Member(
        structure(
            LambdaVersion=Member(string(enum=("V1_0", "V2_0", "V3_0")), required=True),
            LambdaArn=Member(ARN, required=True),
        )
    ),
)

ATTRIBUTE = structure(
    Name=Member(
        string(
            1,
            32,
            Pattern.unicode_categories(
                "[\\p{L}\\p{M}\\p{S}\\p{N}\\p{P}\\t\\n\\r ]+", "LMSNP", "\t\n\r "
            ),
        ),
        required=True,
    ),
    Value=Member(string(max=2048, sensitive=True)),
)
ATTRIBUTES = list_of(ATTRIBUTE)
ALIAS_ATTRIBUTES = ("phone_number", "email")

SCHEMA_ATTRIBUTE = structure(
    Name=Member(string(1, 20, _PRINTABLE)),
    AttributeDataType=Member(string(enum=("String", "Number", "DateTime", "Boolean"))),
    DeveloperOnlyAttribute=Member(boolean()),
    Mutable=Member(boolean()),
    Required=Member(boolean()),
    NumberAttributeConstraints=Member(
        structure(MinValue=Member(string(0, 131072)), MaxValue=Member(string(0, 131072)))
    ),
    StringAttributeConstraints=Member(
        structure(MinLength=Member(string(0, 131072)), MaxLength=Member(string(0, 131072)))
    ),
)

PASSWORD_POLICY = structure(
    MinimumLength=Member(integer(6, 99)),
    RequireUppercase=Member(boolean()),
    RequireLowercase=Member(boolean()),
    RequireNumbers=Member(boolean()),
    RequireSymbols=Member(boolean()),
    TemporaryPasswordValidityDays=Member(integer(0, 365)),
)
SIGN_IN_POLICY = structure(
    AllowedFirstAuthFactors=Member(
        list_of(
            string(enum=("PASSWORD", "EMAIL_OTP", "SMS_OTP", "WEB_AUTHN", "SOFTWARE_TOKEN")), 1, 5
        )
    )
)

AUTH_FLOWS = (
    "USER_SRP_AUTH",
    "REFRESH_TOKEN_AUTH",
    "REFRESH_TOKEN",
    "CUSTOM_AUTH",
    "ADMIN_NO_SRP_AUTH",
    "USER_PASSWORD_AUTH",
    "ADMIN_USER_PASSWORD_AUTH",
    "USER_AUTH",
)
CHALLENGE_NAMES = (
    "SMS_MFA",
    "EMAIL_OTP",
    "SOFTWARE_TOKEN_MFA",
    "SELECT_MFA_TYPE",
    "MFA_SETUP",
    "PASSWORD_VERIFIER",
    "CUSTOM_CHALLENGE",
    "SELECT_CHALLENGE",
    "DEVICE_SRP_AUTH",
    "DEVICE_PASSWORD_VERIFIER",
    "ADMIN_NO_SRP_AUTH",
    "NEW_PASSWORD_REQUIRED",
    "SMS_OTP",
    "PASSWORD",
    "WEB_AUTHN",
    "PASSWORD_SRP",
)
EXPLICIT_AUTH_FLOWS = (
    "ADMIN_NO_SRP_AUTH",
    "CUSTOM_AUTH_FLOW_ONLY",
    "USER_PASSWORD_AUTH",
    "ALLOW_ADMIN_USER_PASSWORD_AUTH",
    "ALLOW_CUSTOM_AUTH",
    "ALLOW_USER_PASSWORD_AUTH",
    "ALLOW_USER_SRP_AUTH",
    "ALLOW_REFRESH_TOKEN_AUTH",
    "ALLOW_USER_AUTH",
    "ALLOW_TOKEN_EXCHANGE_DELEGATION",
    "ALLOW_TOKEN_EXCHANGE_IMPERSONATION",
)
TIME_UNITS = ("seconds", "minutes", "hours", "days")

_POOL_ONLY = structure(UserPoolId=Member(USER_POOL_ID, required=True))
_POOL_USER = structure(
    UserPoolId=Member(USER_POOL_ID, required=True),
    Username=Member(USERNAME, required=True),
)
_ACCESS_TOKEN_ONLY = structure(AccessToken=Member(TOKEN, required=True))
#: What CreateUserPoolClient and UpdateUserPoolClient both take.
_CLIENT_SETTINGS: dict[str, Member] = {
    "RefreshTokenValidity": Member(integer(0, 315360000)),
    "AccessTokenValidity": Member(integer(1, 86400)),
    "IdTokenValidity": Member(integer(1, 86400)),
    "TokenValidityUnits": Member(
        structure(
            AccessToken=Member(string(enum=TIME_UNITS)),
            IdToken=Member(string(enum=TIME_UNITS)),
            RefreshToken=Member(string(enum=TIME_UNITS)),
        )
    ),
    "ExplicitAuthFlows": Member(list_of(string(enum=EXPLICIT_AUTH_FLOWS))),
    "PreventUserExistenceErrors": Member(string(enum=("LEGACY", "ENABLED"))),
    "EnableTokenRevocation": Member(boolean()),
    "AuthSessionValidity": Member(integer(3, 15)),
    "RefreshTokenRotation": Member(
        structure(
            Feature=Member(string(enum=("ENABLED", "DISABLED")), required=True),
            RetryGracePeriodSeconds=Member(integer(0, 60)),
        )
    ),
    "SupportedIdentityProviders": Member(
        list_of(string(1, 32, Pattern.unicode_categories(_PRINTABLE_SPACE, "LMSNPZ")))
    ),
    "CallbackURLs": Member(list_of(REDIRECT_URL, 0, 100)),
    "LogoutURLs": Member(list_of(REDIRECT_URL, 0, 100)),
    "DefaultRedirectURI": Member(REDIRECT_URL),
    "AllowedOAuthFlows": Member(
        list_of(string(enum=("code", "implicit", "client_credentials")), 0, 3)
    ),
    "AllowedOAuthScopes": Member(
        list_of(string(1, 256, Pattern.regex("[\\x21\\x23-\\x5B\\x5D-\\x7E]+")), max=50)
    ),
    "AllowedOAuthFlowsUserPoolClient": Member(boolean()),
}


DOMAIN = string(1, 63, Pattern.regex("^[a-z0-9](?:[a-z0-9\\-]{0,61}[a-z0-9])?$"))
RESOURCE_SERVER_ID = string(1, 256, Pattern.regex("[\\x21\\x23-\\x5B\\x5D-\\x7E]+"))
_LISTING_TOKEN = string(min=1, pattern=Pattern.regex("[\\S]+"))


def _new_provider_name(value: str) -> bool:
    # [^_\p{Z}][\p{L}\p{M}\p{S}\p{N}\p{P}][^_\p{Z}]+: no underscore or space at the
    # ends, since the federated usernames are <provider>_<subject>.
    def plain(c: str) -> bool:
        return c != "_" and unicodedata.category(c)[0] != "Z"

    return (
        len(value) >= 3
        and plain(value[0])
        and unicodedata.category(value[1])[0] in "LMSNP"
        and all(plain(c) for c in value[2:])
    )


NEW_PROVIDER_NAME = string(
    1,
    32,
    Pattern("[^_\\p{Z}][\\p{L}\\p{M}\\p{S}\\p{N}\\p{P}][^_\\p{Z}]+", _new_provider_name),
)
PROVIDER_NAME = string(1, 32, Pattern.unicode_categories(_PRINTABLE_SPACE, "LMSNPZ"))
PROVIDER_TYPES = ("SAML", "Facebook", "Google", "LoginWithAmazon", "SignInWithApple", "OIDC")

#: StringType: any string (the provider-linking actions' members).
_ANY_STRING = string(0, 131072)
_PROVIDER_USER = structure(
    ProviderName=Member(PROVIDER_NAME),
    ProviderAttributeName=Member(_ANY_STRING),
    ProviderAttributeValue=Member(_ANY_STRING),
)

INPUTS: dict[str, Shape] = {
    "CreateUserPool": structure(
        PoolName=Member(NAME, required=True),
        Policies=Member(
            structure(PasswordPolicy=Member(PASSWORD_POLICY), SignInPolicy=Member(SIGN_IN_POLICY))
        ),
        DeletionProtection=Member(string(enum=("ACTIVE", "INACTIVE"))),
        LambdaConfig=Member(LAMBDA_CONFIG),
        AutoVerifiedAttributes=Member(list_of(string(enum=ALIAS_ATTRIBUTES))),
        AliasAttributes=Member(
            list_of(string(enum=("phone_number", "email", "preferred_username")))
        ),
        UsernameAttributes=Member(list_of(string(enum=ALIAS_ATTRIBUTES))),
        UserAttributeUpdateSettings=Member(
            structure(
                AttributesRequireVerificationBeforeUpdate=Member(
                    list_of(string(enum=ALIAS_ATTRIBUTES))
                )
            )
        ),
        MfaConfiguration=Member(string(enum=("OFF", "ON", "OPTIONAL"))),
        AdminCreateUserConfig=Member(structure(AllowAdminCreateUserOnly=Member(boolean()))),
        UsernameConfiguration=Member(structure(CaseSensitive=Member(boolean(), required=True))),
        UserPoolTags=Member(string_map()),
        Schema=Member(list_of(SCHEMA_ATTRIBUTE, 1, 50)),
        DeviceConfiguration=Member(
            structure(
                ChallengeRequiredOnNewDevice=Member(boolean()),
                DeviceOnlyRememberedOnUserPrompt=Member(boolean()),
            )
        ),
    ),
    "DescribeUserPool": _POOL_ONLY,
    "UpdateUserPool": structure(
        UserPoolId=Member(USER_POOL_ID, required=True),
        PoolName=Member(NAME),
        Policies=Member(
            structure(PasswordPolicy=Member(PASSWORD_POLICY), SignInPolicy=Member(SIGN_IN_POLICY))
        ),
        DeletionProtection=Member(string(enum=("ACTIVE", "INACTIVE"))),
        LambdaConfig=Member(LAMBDA_CONFIG),
        AutoVerifiedAttributes=Member(list_of(string(enum=ALIAS_ATTRIBUTES))),
        UserAttributeUpdateSettings=Member(
            structure(
                AttributesRequireVerificationBeforeUpdate=Member(
                    list_of(string(enum=ALIAS_ATTRIBUTES))
                )
            )
        ),
        MfaConfiguration=Member(string(enum=("OFF", "ON", "OPTIONAL"))),
        DeviceConfiguration=Member(
            structure(
                ChallengeRequiredOnNewDevice=Member(boolean()),
                DeviceOnlyRememberedOnUserPrompt=Member(boolean()),
            )
        ),
        UserPoolTags=Member(string_map()),
        AdminCreateUserConfig=Member(structure(AllowAdminCreateUserOnly=Member(boolean()))),
    ),
    "AddCustomAttributes": structure(
        UserPoolId=Member(USER_POOL_ID, required=True),
        CustomAttributes=Member(list_of(SCHEMA_ATTRIBUTE, 1, 25), required=True),
    ),
    "ListUserPools": structure(
        NextToken=Member(string(min=1, pattern=Pattern.regex("[\\S]+"))),
        MaxResults=Member(integer(1, 60), required=True),
    ),
    "DeleteUserPool": _POOL_ONLY,
    "CreateUserPoolClient": structure(
        UserPoolId=Member(USER_POOL_ID, required=True),
        ClientName=Member(NAME, required=True),
        GenerateSecret=Member(boolean()),
        ClientSecret=Member(CLIENT_SECRET),
        **_CLIENT_SETTINGS,
    ),
    "UpdateUserPoolClient": structure(
        UserPoolId=Member(USER_POOL_ID, required=True),
        ClientId=Member(CLIENT_ID, required=True),
        ClientName=Member(NAME),
        **_CLIENT_SETTINGS,
    ),
    "DeleteUserPoolClient": structure(
        UserPoolId=Member(USER_POOL_ID, required=True),
        ClientId=Member(CLIENT_ID, required=True),
    ),
    "CreateUserPoolDomain": structure(
        Domain=Member(DOMAIN, required=True),
        UserPoolId=Member(USER_POOL_ID, required=True),
        ManagedLoginVersion=Member(integer()),
    ),
    "DescribeUserPoolDomain": structure(Domain=Member(DOMAIN, required=True)),
    "DeleteUserPoolDomain": structure(
        Domain=Member(DOMAIN, required=True),
        UserPoolId=Member(USER_POOL_ID, required=True),
    ),
    "CreateResourceServer": structure(
        UserPoolId=Member(USER_POOL_ID, required=True),
        Identifier=Member(RESOURCE_SERVER_ID, required=True),
        Name=Member(string(1, 256, Pattern.regex("[\\w\\s+=,.@-]+")), required=True),
        Scopes=Member(
            list_of(
                structure(
                    ScopeName=Member(
                        string(1, 256, Pattern.regex("[\\x21\\x23-\\x2E\\x30-\\x5B\\x5D-\\x7E]+")),
                        required=True,
                    ),
                    ScopeDescription=Member(string(1, 256), required=True),
                ),
                max=100,
            )
        ),
    ),
    "DescribeResourceServer": structure(
        UserPoolId=Member(USER_POOL_ID, required=True),
        Identifier=Member(RESOURCE_SERVER_ID, required=True),
    ),
    "DeleteResourceServer": structure(
        UserPoolId=Member(USER_POOL_ID, required=True),
        Identifier=Member(RESOURCE_SERVER_ID, required=True),
    ),
    "ListResourceServers": structure(
        UserPoolId=Member(USER_POOL_ID, required=True),
        MaxResults=Member(integer(1, 50)),
        NextToken=Member(_LISTING_TOKEN),
    ),
    "CreateIdentityProvider": structure(
        UserPoolId=Member(USER_POOL_ID, required=True),
        ProviderName=Member(NEW_PROVIDER_NAME, required=True),
        ProviderType=Member(string(enum=PROVIDER_TYPES), required=True),
        ProviderDetails=Member(string_map(), required=True),
        AttributeMapping=Member(string_map()),
        IdpIdentifiers=Member(list_of(string(1, 40, Pattern.regex("[\\w\\s+=.@-]+")), 0, 50)),
    ),
    "AdminLinkProviderForUser": structure(
        UserPoolId=Member(_ANY_STRING, required=True),
        DestinationUser=Member(_PROVIDER_USER, required=True),
        SourceUser=Member(_PROVIDER_USER, required=True),
    ),
    "AdminDisableProviderForUser": structure(
        UserPoolId=Member(_ANY_STRING, required=True),
        User=Member(_PROVIDER_USER, required=True),
    ),
    "DescribeIdentityProvider": structure(
        UserPoolId=Member(USER_POOL_ID, required=True),
        ProviderName=Member(PROVIDER_NAME, required=True),
    ),
    "DeleteIdentityProvider": structure(
        UserPoolId=Member(USER_POOL_ID, required=True),
        ProviderName=Member(PROVIDER_NAME, required=True),
    ),
    "ListIdentityProviders": structure(
        UserPoolId=Member(USER_POOL_ID, required=True),
        MaxResults=Member(integer(0, 60)),
        NextToken=Member(_LISTING_TOKEN),
    ),
    "ListUserPoolClients": structure(
        UserPoolId=Member(USER_POOL_ID, required=True),
        MaxResults=Member(integer(1, 60)),
        NextToken=Member(NEXT_TOKEN),
    ),
    "DescribeUserPoolClient": structure(
        UserPoolId=Member(USER_POOL_ID, required=True),
        ClientId=Member(CLIENT_ID, required=True),
    ),
    "AdminCreateUser": structure(
        UserPoolId=Member(USER_POOL_ID, required=True),
        Username=Member(USERNAME, required=True),
        UserAttributes=Member(ATTRIBUTES),
        ValidationData=Member(ATTRIBUTES),
        TemporaryPassword=Member(PASSWORD),
        MessageAction=Member(string(enum=("RESEND", "SUPPRESS"))),
        DesiredDeliveryMediums=Member(list_of(string(enum=("SMS", "EMAIL")))),
        ClientMetadata=Member(CLIENT_METADATA),
    ),
    "AdminSetUserPassword": structure(
        UserPoolId=Member(USER_POOL_ID, required=True),
        Username=Member(USERNAME, required=True),
        Password=Member(PASSWORD, required=True),
        Permanent=Member(boolean()),
    ),
    "AdminConfirmSignUp": structure(
        UserPoolId=Member(USER_POOL_ID, required=True),
        Username=Member(USERNAME, required=True),
        ClientMetadata=Member(CLIENT_METADATA),
    ),
    "AdminGetUser": _POOL_USER,
    "AdminDeleteUser": _POOL_USER,
    "AdminDisableUser": _POOL_USER,
    "AdminEnableUser": _POOL_USER,
    "ListUsers": structure(
        UserPoolId=Member(USER_POOL_ID, required=True),
        AttributesToGet=Member(list_of(ATTRIBUTE.members["Name"].shape)),
        Limit=Member(integer(0, 60)),
        PaginationToken=Member(string(min=1, pattern=Pattern.regex("[\\S]+"))),
        Filter=Member(string(max=256)),
    ),
    "SignUp": structure(
        ClientId=Member(CLIENT_ID, required=True),
        SecretHash=Member(SECRET_HASH),
        Username=Member(USERNAME, required=True),
        Password=Member(PASSWORD),
        UserAttributes=Member(ATTRIBUTES),
        ValidationData=Member(ATTRIBUTES),
        ClientMetadata=Member(CLIENT_METADATA),
    ),
    "ConfirmSignUp": structure(
        ClientId=Member(CLIENT_ID, required=True),
        SecretHash=Member(SECRET_HASH),
        Username=Member(USERNAME, required=True),
        ConfirmationCode=Member(CONFIRMATION_CODE, required=True),
        ForceAliasCreation=Member(boolean()),
        ClientMetadata=Member(CLIENT_METADATA),
    ),
    "ResendConfirmationCode": structure(
        ClientId=Member(CLIENT_ID, required=True),
        SecretHash=Member(SECRET_HASH),
        Username=Member(USERNAME, required=True),
        ClientMetadata=Member(CLIENT_METADATA),
    ),
    "InitiateAuth": structure(
        AuthFlow=Member(string(enum=AUTH_FLOWS), required=True),
        AuthParameters=Member(string_map(sensitive=True)),
        ClientMetadata=Member(CLIENT_METADATA),
        ClientId=Member(CLIENT_ID, required=True),
        Session=Member(SESSION),
    ),
    "RespondToAuthChallenge": structure(
        ClientId=Member(CLIENT_ID, required=True),
        ChallengeName=Member(string(enum=CHALLENGE_NAMES), required=True),
        Session=Member(SESSION),
        ChallengeResponses=Member(string_map(sensitive=True)),
        ClientMetadata=Member(CLIENT_METADATA),
    ),
    "AdminInitiateAuth": structure(
        UserPoolId=Member(USER_POOL_ID, required=True),
        ClientId=Member(CLIENT_ID, required=True),
        AuthFlow=Member(string(enum=AUTH_FLOWS), required=True),
        AuthParameters=Member(string_map(sensitive=True)),
        ClientMetadata=Member(CLIENT_METADATA),
        Session=Member(SESSION),
    ),
    "AdminRespondToAuthChallenge": structure(
        UserPoolId=Member(USER_POOL_ID, required=True),
        ClientId=Member(CLIENT_ID, required=True),
        ChallengeName=Member(string(enum=CHALLENGE_NAMES), required=True),
        ChallengeResponses=Member(string_map(sensitive=True)),
        Session=Member(SESSION),
        ClientMetadata=Member(CLIENT_METADATA),
    ),
    "GetUser": _ACCESS_TOKEN_ONLY,
    "GlobalSignOut": _ACCESS_TOKEN_ONLY,
    "RevokeToken": structure(
        Token=Member(TOKEN, required=True),
        ClientId=Member(CLIENT_ID, required=True),
        ClientSecret=Member(CLIENT_SECRET),
    ),
}

# --- A user's own account and its admin counterparts (actions/account.py) ---

_ATTRIBUTE_NAME = ATTRIBUTE.members["Name"].shape
_MFA_FACTOR = structure(Enabled=Member(boolean()), PreferredMfa=Member(boolean()))
_MFA_PREFERENCES = {
    "SMSMfaSettings": Member(_MFA_FACTOR),
    "SoftwareTokenMfaSettings": Member(_MFA_FACTOR),
    "EmailMfaSettings": Member(_MFA_FACTOR),
}
_MFA_OPTIONS = list_of(
    structure(
        DeliveryMedium=Member(string(enum=("SMS", "EMAIL"))),
        AttributeName=Member(_ATTRIBUTE_NAME),
    )
)
_CLIENT_USER = {
    "ClientId": Member(CLIENT_ID, required=True),
    "SecretHash": Member(SECRET_HASH),
    "Username": Member(USERNAME, required=True),
    "ClientMetadata": Member(CLIENT_METADATA),
}

INPUTS.update(
    {
        "ChangePassword": structure(
            PreviousPassword=Member(PASSWORD),
            ProposedPassword=Member(PASSWORD, required=True),
            AccessToken=Member(TOKEN, required=True),
        ),
        "ForgotPassword": structure(**_CLIENT_USER),
        "ConfirmForgotPassword": structure(
            **_CLIENT_USER,
            ConfirmationCode=Member(CONFIRMATION_CODE, required=True),
            Password=Member(PASSWORD, required=True),
        ),
        "AdminResetUserPassword": structure(
            UserPoolId=Member(USER_POOL_ID, required=True),
            Username=Member(USERNAME, required=True),
            ClientMetadata=Member(CLIENT_METADATA),
        ),
        "UpdateUserAttributes": structure(
            UserAttributes=Member(ATTRIBUTES, required=True),
            AccessToken=Member(TOKEN, required=True),
            ClientMetadata=Member(CLIENT_METADATA),
        ),
        "AdminUpdateUserAttributes": structure(
            UserPoolId=Member(USER_POOL_ID, required=True),
            Username=Member(USERNAME, required=True),
            UserAttributes=Member(ATTRIBUTES, required=True),
            ClientMetadata=Member(CLIENT_METADATA),
        ),
        "DeleteUserAttributes": structure(
            UserAttributeNames=Member(list_of(_ATTRIBUTE_NAME), required=True),
            AccessToken=Member(TOKEN, required=True),
        ),
        "AdminDeleteUserAttributes": structure(
            UserPoolId=Member(USER_POOL_ID, required=True),
            Username=Member(USERNAME, required=True),
            UserAttributeNames=Member(list_of(_ATTRIBUTE_NAME), required=True),
        ),
        "GetUserAttributeVerificationCode": structure(
            AccessToken=Member(TOKEN, required=True),
            AttributeName=Member(_ATTRIBUTE_NAME, required=True),
            ClientMetadata=Member(CLIENT_METADATA),
        ),
        "VerifyUserAttribute": structure(
            AccessToken=Member(TOKEN, required=True),
            AttributeName=Member(_ATTRIBUTE_NAME, required=True),
            Code=Member(CONFIRMATION_CODE, required=True),
        ),
        "DeleteUser": _ACCESS_TOKEN_ONLY,
        "AdminUserGlobalSignOut": _POOL_USER,
        "SetUserMFAPreference": structure(
            **_MFA_PREFERENCES, AccessToken=Member(TOKEN, required=True)
        ),
        "AdminSetUserMFAPreference": structure(
            **_MFA_PREFERENCES,
            Username=Member(USERNAME, required=True),
            UserPoolId=Member(USER_POOL_ID, required=True),
        ),
        "SetUserSettings": structure(
            AccessToken=Member(TOKEN, required=True),
            MFAOptions=Member(_MFA_OPTIONS, required=True),
        ),
        "AdminSetUserSettings": structure(
            UserPoolId=Member(USER_POOL_ID, required=True),
            Username=Member(USERNAME, required=True),
            MFAOptions=Member(_MFA_OPTIONS, required=True),
        ),
    }
)


# --- MFA and sign-in challenges (actions/mfa.py) ---

INPUTS.update(
    {
        "SetUserPoolMfaConfig": structure(
            UserPoolId=Member(USER_POOL_ID, required=True),
            SmsMfaConfiguration=Member(
                structure(
                    SmsAuthenticationMessage=Member(string(6, 140, Pattern.regex(".*\\{####\\}.*")))
                )
            ),
            SoftwareTokenMfaConfiguration=Member(structure(Enabled=Member(boolean()))),
            EmailMfaConfiguration=Member(structure()),
            MfaConfiguration=Member(string(enum=("OFF", "ON", "OPTIONAL"))),
        ),
        "GetUserPoolMfaConfig": _POOL_ONLY,
        "AssociateSoftwareToken": structure(AccessToken=Member(TOKEN), Session=Member(SESSION)),
        "VerifySoftwareToken": structure(
            AccessToken=Member(TOKEN),
            Session=Member(SESSION),
            UserCode=Member(string(6, 6, Pattern.regex("[0-9]+"), sensitive=True), required=True),
            FriendlyDeviceName=Member(string(0, 131072)),
        ),
    }
)


# --- Devices (actions/devices.py) ---

DEVICE_KEY = string(1, 55, Pattern.regex("[\\w-]+_[0-9a-f-]+"))
_DEVICE_STATUS = string(enum=("remembered", "not_remembered"))
_DEVICE_PAGE = {
    "Limit": Member(integer(0, 60)),
    "PaginationToken": Member(string(min=1, pattern=Pattern.regex("[\\S]+"))),
}
_ADMIN_DEVICE = {
    "UserPoolId": Member(USER_POOL_ID, required=True),
    "Username": Member(USERNAME, required=True),
    "DeviceKey": Member(DEVICE_KEY, required=True),
}

INPUTS.update(
    {
        "ConfirmDevice": structure(
            AccessToken=Member(TOKEN, required=True),
            DeviceKey=Member(DEVICE_KEY, required=True),
            DeviceSecretVerifierConfig=Member(
                structure(
                    PasswordVerifier=Member(string(0, 131072)),
                    Salt=Member(string(0, 131072)),
                )
            ),
            DeviceName=Member(string(1, 1024)),
        ),
        "GetDevice": structure(
            DeviceKey=Member(DEVICE_KEY, required=True), AccessToken=Member(TOKEN)
        ),
        "ListDevices": structure(AccessToken=Member(TOKEN, required=True), **_DEVICE_PAGE),
        "UpdateDeviceStatus": structure(
            AccessToken=Member(TOKEN, required=True),
            DeviceKey=Member(DEVICE_KEY, required=True),
            DeviceRememberedStatus=Member(_DEVICE_STATUS),
        ),
        "ForgetDevice": structure(
            AccessToken=Member(TOKEN), DeviceKey=Member(DEVICE_KEY, required=True)
        ),
        "AdminGetDevice": structure(**_ADMIN_DEVICE),
        "AdminListDevices": structure(
            UserPoolId=Member(USER_POOL_ID, required=True),
            Username=Member(USERNAME, required=True),
            **_DEVICE_PAGE,
        ),
        "AdminUpdateDeviceStatus": structure(
            **_ADMIN_DEVICE, DeviceRememberedStatus=Member(_DEVICE_STATUS)
        ),
        "AdminForgetDevice": structure(**_ADMIN_DEVICE),
    }
)


# --- Groups (actions/groups.py) ---

GROUP_NAME = string(1, 128, _PRINTABLE)
_POOL_GROUP = {
    "UserPoolId": Member(USER_POOL_ID, required=True),
    "GroupName": Member(GROUP_NAME, required=True),
}
_GROUP_SETTINGS = {
    "Description": Member(string(max=2048)),
    "RoleArn": Member(ARN),
    "Precedence": Member(integer(0)),
}
_GROUP_PAGE = {"Limit": Member(integer(0, 60)), "NextToken": Member(NEXT_TOKEN)}

INPUTS.update(
    {
        "CreateGroup": structure(**_POOL_GROUP, **_GROUP_SETTINGS),
        "GetGroup": structure(**_POOL_GROUP),
        "UpdateGroup": structure(**_POOL_GROUP, **_GROUP_SETTINGS),
        "DeleteGroup": structure(**_POOL_GROUP),
        "ListGroups": structure(UserPoolId=Member(USER_POOL_ID, required=True), **_GROUP_PAGE),
        "AdminAddUserToGroup": structure(**_POOL_GROUP, Username=Member(USERNAME, required=True)),
        "AdminRemoveUserFromGroup": structure(
            **_POOL_GROUP, Username=Member(USERNAME, required=True)
        ),
        "AdminListGroupsForUser": structure(
            UserPoolId=Member(USER_POOL_ID, required=True),
            Username=Member(USERNAME, required=True),
            **_GROUP_PAGE,
        ),
        "ListUsersInGroup": structure(**_POOL_GROUP, **_GROUP_PAGE),
    }
)


# --- Refresh token rotation (actions/refresh.py) ---

INPUTS["GetTokensFromRefreshToken"] = structure(
    RefreshToken=Member(TOKEN, required=True),
    ClientId=Member(CLIENT_ID, required=True),
    ClientSecret=Member(CLIENT_SECRET),
    DeviceKey=Member(DEVICE_KEY),
    ClientMetadata=Member(CLIENT_METADATA),
)


# --- Identity pools (actions/identity.py), from botocore's cognito-identity model ---

IDENTITY_POOL_ID = string(1, 55, Pattern.regex("[\\w-]+:[0-9a-f-]+"))
IDENTITY_ID = string(1, 55, Pattern.regex("[\\w-]+:[0-9a-f-]+"))
LOGINS = string_map()
_ARNS = list_of(string(20, 2048))

#: The input shapes of the AWSCognitoIdentityService actions.
IDENTITY_INPUTS: dict[str, Shape] = {
    "CreateIdentityPool": structure(
        IdentityPoolName=Member(string(1, 128, Pattern.regex("[\\w\\s+=,.@-]+")), required=True),
        AllowUnauthenticatedIdentities=Member(boolean(), required=True),
        AllowClassicFlow=Member(boolean()),
        SupportedLoginProviders=Member(string_map()),
        DeveloperProviderName=Member(string(1, 128, Pattern.regex("[\\w._-]+"))),
        OpenIdConnectProviderARNs=Member(_ARNS),
        CognitoIdentityProviders=Member(
            list_of(
                structure(
                    ProviderName=Member(string(1, 128, Pattern.regex("[\\w._:/-]+"))),
                    ClientId=Member(string(1, 128, Pattern.regex("[\\w_]+"))),
                    ServerSideTokenCheck=Member(boolean()),
                )
            )
        ),
        SamlProviderARNs=Member(_ARNS),
        IdentityPoolTags=Member(string_map()),
    ),
    "DescribeIdentityPool": structure(IdentityPoolId=Member(IDENTITY_POOL_ID, required=True)),
    "ListIdentityPools": structure(
        MaxResults=Member(integer(1, 60), required=True),
        NextToken=Member(string(1, 65535, Pattern.regex("[\\S]+"))),
    ),
    "DeleteIdentityPool": structure(IdentityPoolId=Member(IDENTITY_POOL_ID, required=True)),
    "GetId": structure(
        AccountId=Member(string(1, 15, Pattern.regex("\\d+"))),
        IdentityPoolId=Member(IDENTITY_POOL_ID, required=True),
        Logins=Member(LOGINS),
    ),
    "GetCredentialsForIdentity": structure(
        IdentityId=Member(IDENTITY_ID, required=True),
        Logins=Member(LOGINS),
        CustomRoleArn=Member(string(20, 2048)),
    ),
    "DeleteIdentities": structure(
        IdentityIdsToDelete=Member(list_of(IDENTITY_ID, 1, 60), required=True)
    ),
    "GetOpenIdToken": structure(
        IdentityId=Member(IDENTITY_ID, required=True), Logins=Member(LOGINS)
    ),
}
