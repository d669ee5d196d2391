"""Accounts API: token login (expiring, rotated, revocable), the current user, the projects the user may see."""

from django.contrib.auth import authenticate
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, viewsets
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from partner_support.errors import ApplicationError, InvalidInput, TooManyAttempts
from partner_support.throttling import ScopedThrottle

from .auth import LoginTokenAuthentication
from .credentials import login_token_issue, login_token_list, login_token_revoke, login_token_rotate
from .login_guard import LoginGuard, too_many_attempts_message
from .models import LoginToken, Project, User
from .selectors import project_list
from .two_factor import two_factor_enabled, two_factor_needed, two_factor_verify


class LoginFailed(ApplicationError):
    http_status = 400
    default_message = "Unable to log in with the e-mail and password given."


class PersonSerializer(serializers.ModelSerializer):
    name = serializers.CharField(source="display_name")

    class Meta:
        model = User
        fields = ["id", "name", "email", "phone"]


class MeSerializer(serializers.ModelSerializer):
    class Meta:
        model = User
        fields = ["id", "email", "name", "phone", "role", "partner", "language", "timezone"]


class ProjectSerializer(serializers.ModelSerializer):
    manager = PersonSerializer(read_only=True)

    class Meta:
        model = Project
        fields = ["id", "name", "partner", "client_name", "crm_url", "is_active", "manager"]


class TokenRequestSerializer(serializers.Serializer):
    email = serializers.CharField(max_length=254)
    password = serializers.CharField(max_length=4096, trim_whitespace=False)
    otp = serializers.CharField(
        max_length=20,
        required=False,
        allow_blank=True,
        help_text="The code from the authenticator app (or a recovery code), for users with two-factor authentication.",
    )


class IssuedTokenSerializer(serializers.Serializer):
    token = serializers.CharField(help_text="Send it as `Authorization: Token <token>`; shown once.")
    expires_at = serializers.DateTimeField()


class LoginTokenSerializer(serializers.ModelSerializer):
    current = serializers.SerializerMethodField()

    class Meta:
        model = LoginToken
        fields = ["id", "prefix", "created_at", "expires_at", "last_used_at", "client", "user_agent", "current"]

    def get_current(self, token) -> bool:
        return token == self.context.get("current")


def _issued(issued) -> dict:
    return IssuedTokenSerializer({"token": issued.key, "expires_at": issued.expires_at}).data


class NotALoginToken(ApplicationError):
    http_status = 400
    default_message = "Only a login token (from /auth/token/) is refreshed; log in with your e-mail and password."


class TwoFactorSetupNeeded(ApplicationError):
    http_status = 403
    default_message = (
        "Your role requires two-factor authentication: log in once in the browser to set up an authenticator app, "
        'then send its code as "otp".'
    )


def _second_factor_check(user: User, code: str, guard: LoginGuard) -> None:
    """The password was right; a user with a second factor also gives its code (a wrong one counts as a failed
    login), and one whose role requires a second factor has set one up."""
    if not two_factor_enabled(user):
        raise TwoFactorSetupNeeded()
    if not code:
        message = 'A two-factor code is required: send the authenticator app\'s code as "otp".'
        raise InvalidInput(message, extra={"otp": [message]})
    if two_factor_verify(user=user, code=code) is None:
        guard.failed()
        message = "That two-factor code is not right, or it was used already."
        raise InvalidInput(message, extra={"otp": [message]})


class TokenView(APIView):
    """Exchange an e-mail and password for a login token that expires (LOGIN_TOKEN_TTL_HOURS, 12 by default);
    refresh it before then at /auth/token/refresh/. A password change or reset revokes it."""

    permission_classes = [AllowAny]
    authentication_classes: list = []
    throttle_classes = [ScopedThrottle]
    throttle_scope = "auth"

    @extend_schema(request=TokenRequestSerializer, responses={200: IssuedTokenSerializer})
    def post(self, request):
        data = TokenRequestSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        email, password = data.validated_data["email"], data.validated_data["password"]
        guard = LoginGuard(request, email)
        wait = guard.retry_after()
        if wait:
            raise TooManyAttempts(too_many_attempts_message(wait), retry_after=wait)
        user = authenticate(request, email=email.strip().lower(), password=password)
        if user is None:
            guard.failed()
            raise LoginFailed()
        if two_factor_needed(user):
            _second_factor_check(user, data.validated_data.get("otp", ""), guard)
        guard.succeeded()
        return Response(_issued(login_token_issue(user=user, request=request)))


class TokenRefreshView(APIView):
    """A new login token for the one presented, which stops working at once (each token refreshes once)."""

    authentication_classes = [LoginTokenAuthentication]

    @extend_schema(request=None, responses={200: IssuedTokenSerializer})
    def post(self, request):
        if not isinstance(request.auth, LoginToken):
            raise NotALoginToken()
        return Response(_issued(login_token_rotate(token_id=request.auth.pk, request=request)))


class TokenLogoutView(APIView):
    """Revoke the login token presented (the integration tokens of partners are revoked in their own place)."""

    authentication_classes = [LoginTokenAuthentication]

    @extend_schema(request=None, responses={204: None})
    def post(self, request):
        if not isinstance(request.auth, LoginToken):
            raise NotALoginToken("Only a login token is revoked here.")
        login_token_revoke(actor=request.user, token_id=request.auth.pk)
        return Response(status=204)


class LoginTokenViewSet(mixins.ListModelMixin, mixins.DestroyModelMixin, viewsets.GenericViewSet):
    """Your own live login tokens; DELETE revokes one."""

    serializer_class = LoginTokenSerializer
    queryset = LoginToken.objects.none()  # for the schema; the list answers the request
    lookup_value_regex = r"\d{1,18}"
    pagination_class = None

    def list(self, request):
        current = request.auth if isinstance(request.auth, LoginToken) else None
        tokens = login_token_list(user=request.user)
        return Response(LoginTokenSerializer(tokens, many=True, context={"current": current}).data)

    def destroy(self, request, pk=None):
        login_token_revoke(actor=request.user, token_id=int(pk))
        return Response(status=204)


class MeView(APIView):
    @extend_schema(responses={200: MeSerializer})
    def get(self, request):
        return Response(MeSerializer(request.user).data)


class ProjectViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    serializer_class = ProjectSerializer
    lookup_value_regex = r"\d{1,18}"

    def get_queryset(self):
        return project_list(user=self.request.user)
