"""Canned replies API (staff): keep your own (administrators also the shared ones), and render one for a ticket,
in its reader's language with the placeholders filled, to post as a comment."""

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from partner_support.api import ID_SCHEMA, is_id
from partner_support.errors import PermissionDenied
from partner_support.parsers import SafeJSONParser

from .. import selectors
from ..models import CannedReply
from ..replies import (
    MAX_BODY,
    MAX_TITLE,
    canned_replies_for,
    canned_reply_create,
    canned_reply_delete,
    canned_reply_get,
    canned_reply_update,
    reply_render,
)


class CannedReplySerializer(serializers.ModelSerializer):
    shared = serializers.BooleanField(source="is_shared", read_only=True)

    class Meta:
        model = CannedReply
        fields = ["id", "title", "body_en", "body_uk", "body_ru", "shared", "updated_at"]


class CannedReplyWriteSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=MAX_TITLE)
    body_en = serializers.CharField(max_length=MAX_BODY, required=False, allow_blank=True, default="")
    body_uk = serializers.CharField(max_length=MAX_BODY, required=False, allow_blank=True, default="")
    body_ru = serializers.CharField(max_length=MAX_BODY, required=False, allow_blank=True, default="")
    shared = serializers.BooleanField(
        required=False, default=False, help_text="Shared with all staff (administrators only); on creation only."
    )

    def bodies(self) -> dict[str, str]:
        return {code: self.validated_data[f"body_{code}"] for code in ("en", "uk", "ru")}


class RenderedReplySerializer(serializers.Serializer):
    id = serializers.IntegerField(source="reply.pk")
    title = serializers.CharField(source="reply.title")
    language = serializers.ChoiceField(choices=["en", "uk", "ru"])
    body = serializers.CharField()


class CannedReplyViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.DestroyModelMixin, viewsets.GenericViewSet
):
    """The shared replies and your own. Placeholders in the texts: `{partner}`, `{name}` (who filed the request),
    `{number}`, `{deadline}` (the running deadline, as the reader reads times)."""

    serializer_class = CannedReplySerializer
    queryset = CannedReply.objects.none()  # for the schema; get_queryset answers the request
    lookup_value_regex = r"\d{1,18}"
    parser_classes = [SafeJSONParser]

    def get_queryset(self):
        if not self.request.user.is_support_staff:
            raise PermissionDenied("Canned replies are for staff.")
        return canned_replies_for(user=self.request.user)

    def get_object(self) -> CannedReply:
        self.get_queryset()
        return canned_reply_get(user=self.request.user, reply_id=self.kwargs["pk"])

    @extend_schema(request=CannedReplyWriteSerializer, responses={201: CannedReplySerializer})
    def create(self, request):
        self.get_queryset()
        data = CannedReplyWriteSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        reply = canned_reply_create(
            actor=request.user,
            title=data.validated_data["title"],
            bodies=data.bodies(),
            shared=data.validated_data["shared"],
        )
        return Response(CannedReplySerializer(reply).data, status=201)

    @extend_schema(request=CannedReplyWriteSerializer, responses={200: CannedReplySerializer})
    def partial_update(self, request, pk=None):
        reply = self.get_object()
        data = CannedReplyWriteSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        reply = canned_reply_update(
            actor=request.user, reply_id=reply.pk, title=data.validated_data["title"], bodies=data.bodies()
        )
        return Response(CannedReplySerializer(reply).data)

    def destroy(self, request, pk=None):
        canned_reply_delete(actor=request.user, reply_id=self.get_object().pk)
        return Response(status=204)

    @extend_schema(
        parameters=[OpenApiParameter("ticket", ID_SCHEMA, required=True, description="The ticket the reply is for.")],
        responses={200: RenderedReplySerializer},
    )
    @action(detail=True, methods=["get"])
    def render(self, request, pk=None):
        """The reply for one ticket: in the language of who reads it there, placeholders filled."""
        reply = self.get_object()
        ticket_id = request.query_params.get("ticket", "")
        if not is_id(ticket_id):
            raise serializers.ValidationError({"ticket": ["A ticket id is required."]})
        ticket = selectors.ticket_get(user=request.user, ticket_id=int(ticket_id))
        return Response(RenderedReplySerializer(reply_render(reply=reply, ticket=ticket)).data)
