"""`Authorization: Token lt_...`: a login token from POST /api/v1/auth/token/ (accounts.credentials)."""

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
