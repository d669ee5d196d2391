"""`Authorization: Token lt_...`: a login token from POST /api/v1/auth/token/ (accounts.credentials)."""

from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework.authentication import TokenAuthentication
from rest_framework.exceptions import AuthenticationFailed

from .credentials import LOGIN_TOKEN_PREFIX, login_token_user


class LoginTokenAuthentication(TokenAuthentication):
    def authenticate_credentials(self, key):
        if not key.startswith(LOGIN_TOKEN_PREFIX):
            return None  # another kind of token: the next authentication class decides
        found = login_token_user(key=key)
        if found is None:
            raise AuthenticationFailed("Invalid, expired or revoked token; log in again.")
        return found


class LoginTokenScheme(OpenApiAuthenticationExtension):
    """The login token's own security scheme in the schema (integration tokens keep `tokenAuth`)."""

    target_class = LoginTokenAuthentication
    name = "loginTokenAuth"

    def get_security_definition(self, auto_schema):
        return {
            "type": "apiKey",
            "in": "header",
            "name": "Authorization",
            "description": 'A login token from POST /api/v1/auth/token/, sent as "Token lt_..."; it expires.',
        }
