"""Integrations API for partner owners: API tokens and webhook endpoints with their delivery log."""

from drf_spectacular.utils import extend_schema, extend_schema_field, inline_serializer
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from accounts.permissions import can
from partner_support.errors import PermissionDenied

from .models import WEBHOOK_EVENTS, ApiToken, WebhookDelivery, WebhookEndpoint
from .services import (
    api_token_create,
    api_token_revoke,
    webhook_create,
    webhook_delete,
    webhook_replay,
    webhook_update,
)

MAX_POSITION = 2**63 - 1


def _owner_partner(user):
    if user.partner is None or not can(user, "accounts.manage_integrations", user.partner):
        raise PermissionDenied("Only the partner's owners manage API tokens and webhooks.")
    return user.partner


class ApiTokenSerializer(serializers.ModelSerializer):
    class Meta:
        model = ApiToken
        fields = ["id", "name", "prefix", "created_at", "last_used_at", "revoked_at"]
        read_only_fields = fields


class WebhookSerializer(serializers.ModelSerializer):
    class Meta:
        model = WebhookEndpoint
        fields = ["id", "url", "events", "is_active", "consecutive_failures", "disabled_at", "created_at"]
        read_only_fields = ["consecutive_failures", "disabled_at", "created_at"]


class WebhookCreatedSerializer(WebhookSerializer):
    class Meta(WebhookSerializer.Meta):
        fields = [*WebhookSerializer.Meta.fields, "secret"]


@extend_schema_field({"type": "string", "format": "uri", "pattern": "^https?://", "maxLength": 500})
class WebhookUrlField(serializers.URLField):
    """An http(s) URL (the service refuses any other scheme, and private addresses in production)."""


class WebhookInputSerializer(serializers.Serializer):
    url = WebhookUrlField(max_length=500, required=False)
    events = serializers.ListField(child=serializers.ChoiceField(choices=WEBHOOK_EVENTS), required=False)
    is_active = serializers.BooleanField(required=False)


class WebhookCreateInputSerializer(WebhookInputSerializer):
    url = WebhookUrlField(max_length=500)


class ReplaySerializer(serializers.Serializer):
    after = serializers.IntegerField(min_value=0, max_value=MAX_POSITION, help_text="Send again from after this.")
    up_to = serializers.IntegerField(
        min_value=1, max_value=MAX_POSITION, required=False, allow_null=True, help_text="... up to this position."
    )


class DeliverySerializer(serializers.ModelSerializer):
    class Meta:
        model = WebhookDelivery
        fields = [
            "id",
            "event",
            "event_id",
            "attempt",
            "status_code",
            "error",
            "succeeded",
            "duration_ms",
            "created_at",
        ]


class ApiTokenRequestSerializer(serializers.Serializer):
    # The length is checked as sent (the schema's maxLength); the service trims the name.
    name = serializers.CharField(max_length=100, trim_whitespace=False)


class ApiTokenViewSet(mixins.ListModelMixin, mixins.DestroyModelMixin, viewsets.GenericViewSet):
    """Owners' named tokens for their CRM (`Authorization: Token ps_...`). DELETE revokes."""

    serializer_class = ApiTokenSerializer
    queryset = ApiToken.objects.none()  # for the schema; get_queryset answers the request
    lookup_value_regex = r"\d{1,18}"

    def get_queryset(self):
        return ApiToken.objects.filter(partner=_owner_partner(self.request.user))

    @extend_schema(
        request=ApiTokenRequestSerializer,
        responses={
            201: inline_serializer(
                "ApiTokenCreated",
                {"id": serializers.IntegerField(), "key": serializers.CharField(), "name": serializers.CharField()},
            )
        },
    )
    def create(self, request):
        data = ApiTokenRequestSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        token, key = api_token_create(actor=request.user, name=data.validated_data["name"])
        return Response({"id": token.pk, "name": token.name, "key": key}, status=201)

    def destroy(self, request, pk=None):
        api_token_revoke(actor=request.user, token_id=int(pk))
        return Response(status=204)


class WebhookViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    serializer_class = WebhookSerializer
    queryset = WebhookEndpoint.objects.none()  # for the schema; get_queryset answers the request
    lookup_value_regex = r"\d{1,18}"

    def get_queryset(self):
        return WebhookEndpoint.objects.filter(partner=_owner_partner(self.request.user))

    @extend_schema(request=WebhookCreateInputSerializer, responses={201: WebhookCreatedSerializer})
    def create(self, request):
        data = WebhookCreateInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        endpoint = webhook_create(
            actor=request.user, url=data.validated_data.get("url"), events=data.validated_data.get("events")
        )
        return Response(WebhookCreatedSerializer(endpoint).data, status=201)

    @extend_schema(request=WebhookInputSerializer, responses={200: WebhookSerializer})
    def partial_update(self, request, pk=None):
        self.get_object()
        data = WebhookInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        endpoint = webhook_update(
            actor=request.user,
            endpoint_id=int(pk),
            is_active=data.validated_data.get("is_active"),
            events=data.validated_data.get("events"),
        )
        return Response(WebhookSerializer(endpoint).data)

    def destroy(self, request, pk=None):
        webhook_delete(actor=request.user, endpoint_id=int(pk))
        return Response(status=204)

    @extend_schema(responses={200: DeliverySerializer(many=True)})
    @action(detail=True, methods=["get"])
    def deliveries(self, request, pk=None):
        endpoint = self.get_object()
        return Response(DeliverySerializer(endpoint.deliveries.all()[:200], many=True).data)

    @extend_schema(
        request=ReplaySerializer,
        responses={200: inline_serializer("WebhookReplayed", {"replayed": serializers.IntegerField()})},
        description="Send again, in order, the events whose feed position is after `after` (and up to `up_to`).",
    )
    @action(detail=True, methods=["post"])
    def replay(self, request, pk=None):
        self.get_object()
        data = ReplaySerializer(data=request.data)
        data.is_valid(raise_exception=True)
        count = webhook_replay(
            actor=request.user,
            endpoint_id=int(pk),
            after=data.validated_data["after"],
            up_to=data.validated_data.get("up_to"),
        )
        return Response({"replayed": count})
