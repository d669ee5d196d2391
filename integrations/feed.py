"""The events feed: `GET /api/v1/events/?after=<position>`, so that a partner's CRM that was down catches up.

The same events, with the same ids and bodies, that webhooks deliver: a receiver can deduplicate the two against
each other by `id`. Positions grow in commit order, so reading `after` the last position seen never skips an
event; per ticket, `sequence` grows with each event. Partner people see their partner's public events;
administrators see every partner's (optionally `?partner=`).
"""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.models import Role
from outbox.models import OutboxEvent
from outbox.services import event_document
from partner_support.errors import PermissionDenied

from .models import WEBHOOK_EVENTS

DEFAULT_LIMIT = 100
MAX_LIMIT = 500
MAX_POSITION = 2**63 - 1


def _whole(request, name: str, default: int, low: int, high: int) -> int:
    raw = request.query_params.get(name)
    if raw is None or raw == "":
        return default
    if not (raw.isascii() and raw.isdigit()) or not low <= int(raw) <= high:
        raise ValidationError({name: [f"A whole number from {low} to {high}."]})
    return int(raw)


class EventsFeedView(APIView):
    @extend_schema(
        parameters=[
            OpenApiParameter(
                "after",
                {"type": "integer", "minimum": 0, "maximum": MAX_POSITION},
                description="The last position you have (0: from the start).",
            ),
            OpenApiParameter(
                "limit",
                {"type": "integer", "minimum": 1, "maximum": MAX_LIMIT},
                description=f"At most this many (default {DEFAULT_LIMIT}).",
            ),
            OpenApiParameter("type", OpenApiTypes.STR, enum=WEBHOOK_EVENTS, description="Only events of this type."),
            OpenApiParameter(
                "partner",
                {"type": "integer", "minimum": 1, "maximum": MAX_POSITION},
                description="Administrators: one partner's events.",
            ),
        ],
        responses={
            200: inline_serializer(
                "EventsFeed",
                {
                    "results": serializers.ListField(child=serializers.DictField()),
                    "next_after": serializers.IntegerField(help_text="Pass as `after` to read on."),
                    "has_more": serializers.BooleanField(),
                    "next": serializers.URLField(allow_null=True),
                },
            )
        },
        description=(
            "Events in commit order, each as its webhook body: `id` (also the webhook's X-Event-Id), `event`, "
            "`position`, `stream` (`ticket:<id>` or `partner:<id>`), `sequence` within the stream, `occurred_at`, "
            "the ticket or deposit as it was at that moment, and `data`. Delivery is at least once: deduplicate "
            "by `id`."
        ),
    )
    def get(self, request):
        user = request.user
        events = OutboxEvent.objects.filter(public=True, position__isnull=False)
        partner = _whole(request, "partner", 0, 1, MAX_POSITION) if "partner" in request.query_params else None
        if user.role == Role.ADMIN:
            if partner is not None:
                events = events.filter(partner_id=partner)
        elif user.partner_id is not None:
            events = events.filter(partner_id=user.partner_id)
        else:
            raise PermissionDenied("The events feed is for partners' integrations.")
        after = _whole(request, "after", 0, 0, MAX_POSITION)
        limit = _whole(request, "limit", DEFAULT_LIMIT, 1, MAX_LIMIT)
        kind = request.query_params.get("type")
        if kind:
            if kind not in WEBHOOK_EVENTS:
                raise ValidationError({"type": [f"One of: {', '.join(WEBHOOK_EVENTS)}."]})
            events = events.filter(type=kind)
        page = list(events.filter(position__gt=after).order_by("position")[: limit + 1])
        has_more = len(page) > limit
        page = page[:limit]
        next_after = page[-1].position if page else after
        query = request.query_params.copy()
        query["after"] = str(next_after)
        return Response(
            {
                "results": [event_document(event) for event in page],
                "next_after": next_after,
                "has_more": has_more,
                "next": request.build_absolute_uri(f"{request.path}?{query.urlencode()}") if has_more else None,
            }
        )
