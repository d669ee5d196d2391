"""Accounts API: token login, the current user, the projects the user may see."""

from django.contrib.auth import authenticate
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import mixins, serializers, viewsets
from rest_framework.authtoken.models import Token
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from partner_support.errors import ApplicationError, TooManyAttempts
from partner_support.throttling import ScopedThrottle

from .login_guard import LoginGuard, too_many_attempts_message
from .models import Project, User
from .selectors import project_list


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


class TokenView(APIView):
    """Exchange an e-mail and password for the user's API token (send it as `Authorization: Token <token>`)."""

    permission_classes = [AllowAny]
    authentication_classes: list = []
    throttle_classes = [ScopedThrottle]
    throttle_scope = "auth"

    @extend_schema(
        request=TokenRequestSerializer,
        responses={200: inline_serializer("TokenResponse", {"token": serializers.CharField()})},
    )
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
        guard.succeeded()
        token, _created = Token.objects.get_or_create(user=user)
        return Response({"token": token.key})


class MeView(APIView):
    @extend_schema(responses={200: MeSerializer})
    def get(self, request):
        return Response(MeSerializer(request.user).data)


class ProjectViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    serializer_class = ProjectSerializer
    lookup_value_regex = r"\d{1,18}"

    def get_queryset(self):
        return project_list(user=self.request.user)
