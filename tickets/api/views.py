"""Tickets API: list, file, read, one POST per transition, and the ticket's comments, time, parts, history, rating."""

from datetime import UTC

import django_filters
from django import forms
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_field
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.filters import OrderingFilter
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response

from accounts.permissions import can
from partner_support.api import ID_SCHEMA, MAX_ID, KeysetPagination, StrictFilterSet
from partner_support.errors import NotFound, PermissionDenied
from partner_support.parsers import SafeJSONParser

from .. import selectors, services
from ..models import Kind, SlaBreach, Status, Ticket
from . import serializers as s

ERRORS = {
    400: OpenApiResponse(description="Invalid input: `detail` and field errors."),
    402: OpenApiResponse(description="The available deposit does not cover the request."),
    404: OpenApiResponse(description="Not visible to you (or does not exist)."),
    409: OpenApiResponse(description="Not allowed in the ticket's current state."),
}


@extend_schema_field(ID_SCHEMA)
class IdFilter(django_filters.NumberFilter):
    """An object's id: a whole number from 1 (the schema says so; a form refuses anything else with a 400)."""

    field_class = forms.IntegerField

    def __init__(self, *args, **kwargs):
        super().__init__(*args, min_value=1, max_value=MAX_ID, **kwargs)


class TicketFilter(StrictFilterSet):
    status = django_filters.ChoiceFilter(choices=Status.choices)
    kind = django_filters.ChoiceFilter(choices=Kind.choices)
    project = IdFilter(field_name="project_id")
    search = django_filters.CharFilter(
        method="filter_search",
        help_text="A ticket number (PS-000123) or words of the title and description (the last one also as the start "
        "of a word). On PostgreSQL the best matches come first, whatever `ordering` says; an administrator's search "
        "whose every word is in 2% of the tickets or more ranks the 1,001 newest matches (within the other "
        "filters, unless they leave at most 20,000 tickets), and the ticket of the number searched.",
    )

    class Meta:
        model = Ticket
        fields = ["status", "kind", "project"]

    def filter_search(self, queryset, name, value):
        return selectors.ticket_search(queryset, search=value, user=self.request.user)


class TicketOrdering(OrderingFilter):
    """`ordering` by filing time (the default, newest first), a deadline or the id; every ordering ends with the id,
    so that keyset pagination has a distinct position for each row, and a deadline not set yet sorts last (first
    when descending). Each one is an index range (tickets.models.Ticket.Meta.indexes)."""

    ordering_fields = list(selectors.ORDERINGS)
    ordering_description = (
        "`created_at`, `accept_due_at`, `resolve_due_at` or `id`; `-` before it for descending. Default `-created_at`."
    )

    def get_default_ordering(self, view):
        return [selectors.DEFAULT_ORDERING]

    def filter_queryset(self, request, queryset, view):
        ordering = self.get_ordering(request, queryset, view) or [selectors.DEFAULT_ORDERING]
        return selectors.ticket_order(queryset, ordering=ordering[0])


def _transition_view(name: str, serializer_class, call, description: str):
    def view(self, request, pk=None):
        visible = self._visible(pk)
        data = serializer_class(data=request.data)
        data.is_valid(raise_exception=True)
        ticket = call(ticket_id=visible.pk, actor=request.user, **data.validated_data)
        return Response(s.TicketSerializer(self._visible(ticket.pk)).data)

    view.__name__ = name  # before @action, which maps the HTTP method to the function's name
    view = action(detail=True, methods=["post"], url_path=name)(view)
    # After @action, which replaces the function's kwargs (where extend_schema keeps the schema) with its own.
    return extend_schema(
        request=serializer_class, responses={200: s.TicketSerializer, **ERRORS}, description=description
    )(view)


class TicketViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    serializer_class = s.TicketSerializer
    lookup_value_regex = r"\d{1,18}"
    filterset_class = TicketFilter
    filter_backends = [django_filters.rest_framework.DjangoFilterBackend, TicketOrdering]
    pagination_class = KeysetPagination
    error_statuses = ("402", "409")  # the deposit does not cover it; not allowed in the ticket's state
    parser_classes = [SafeJSONParser, MultiPartParser, FormParser]

    def get_queryset(self):
        # The serializer nests the assignee alone: no other related row is loaded for a list of tickets.
        return selectors.ticket_list(user=self.request.user).select_related(None).select_related("assignee")

    def _visible(self, pk) -> Ticket:
        return selectors.ticket_get(user=self.request.user, ticket_id=pk)

    def get_object(self) -> Ticket:
        return self._visible(self.kwargs["pk"])

    @extend_schema(request=s.TicketCreateSerializer, responses={201: s.TicketSerializer, **ERRORS})
    def create(self, request):
        data = s.TicketCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        ticket = services.ticket_file(
            actor=request.user,
            project_id=values["project"],
            kind=values["kind"],
            title=values["title"],
            description=values["description"],
            channel=values["channel"],
            files=values["files"],
        )
        return Response(s.TicketSerializer(self._visible(ticket.pk)).data, status=status.HTTP_201_CREATED)

    accept = _transition_view(
        "accept", s.AcceptSerializer, services.ticket_accept, "Manager: accept (composite: parts)."
    )
    quote = _transition_view("quote", s.QuoteSerializer, services.ticket_quote, "Manager: quote an enhancement.")
    approve = _transition_view("approve", s.EmptySerializer, services.ticket_approve, "Partner: approve the quote.")
    decline = _transition_view("decline", s.EmptySerializer, services.ticket_decline, "Partner: decline the quote.")
    reject = _transition_view("reject", s.ReasonSerializer, services.ticket_reject, "Manager: reject with a reason.")
    request_info = _transition_view(
        "request_info", s.MessageSerializer, services.ticket_request_info, "Manager: ask the partner (pauses)."
    )
    escalate = _transition_view(
        "escalate", s.NoteSerializer, services.ticket_escalate, "Manager: consult production (pauses)."
    )
    resume = _transition_view("resume", s.EmptySerializer, services.ticket_resume, "Manager: resume a paused ticket.")
    resolve = _transition_view("resolve", s.ResolutionSerializer, services.ticket_resolve, "Manager: resolve.")
    confirm = _transition_view("confirm", s.EmptySerializer, services.ticket_confirm, "Partner: confirm, closing.")
    reopen = _transition_view("reopen", s.ReasonSerializer, services.ticket_reopen, "Partner: reopen within 14 days.")
    cancel = _transition_view("cancel", s.OptionalReasonSerializer, services.ticket_cancel, "Partner: withdraw.")

    @extend_schema(methods=["GET"], responses={200: s.CommentPageSerializer}, filters=False)
    @extend_schema(methods=["POST"], request=s.CommentCreateSerializer, responses={201: s.CommentSerializer, **ERRORS})
    @action(detail=True, methods=["get", "post"])
    def comments(self, request, pk=None):
        ticket = self._visible(pk)
        if request.method == "POST":
            data = s.CommentCreateSerializer(data=request.data)
            data.is_valid(raise_exception=True)
            comment = services.comment_add(ticket_id=ticket.pk, actor=request.user, **data.validated_data)
            created = selectors.comments_for(user=request.user, ticket=ticket).get(pk=comment.pk)
            return Response(s.CommentSerializer(created, context={"request": request}).data, status=201)
        comments = selectors.comments_for(user=request.user, ticket=ticket).order_by("created_at", "id")
        page = self.paginate_queryset(comments)
        return self.get_paginated_response(s.CommentSerializer(page, many=True, context={"request": request}).data)

    @extend_schema(methods=["GET"], responses={200: s.TimeEntrySerializer(many=True)})
    @extend_schema(
        methods=["POST"], request=s.TimeEntryCreateSerializer, responses={201: s.TimeEntrySerializer, **ERRORS}
    )
    @action(detail=True, methods=["get", "post"], url_path="time-entries")
    def time_entries(self, request, pk=None):
        ticket = self._visible(pk)
        if request.method == "POST":
            data = s.TimeEntryCreateSerializer(data=request.data)
            data.is_valid(raise_exception=True)
            values = data.validated_data
            entry = services.time_entry_add(
                ticket_id=ticket.pk,
                actor=request.user,
                minutes=values["minutes"],
                note=values["note"],
                part_id=values.get("part"),
            )
            return Response(s.TimeEntrySerializer(entry).data, status=201)
        return Response(s.TimeEntrySerializer(selectors.time_entries_for(ticket=ticket), many=True).data)

    @extend_schema(responses={200: s.EventSerializer(many=True)})
    @action(detail=True, methods=["get"])
    def history(self, request, pk=None):
        events = selectors.events_for(user=request.user, ticket=self._visible(pk))
        return Response(s.EventSerializer(events, many=True).data)

    @extend_schema(methods=["GET"], responses={200: s.AttachmentSerializer(many=True)})
    @extend_schema(
        methods=["POST"],
        request={
            "multipart/form-data": {
                "type": "object",
                "properties": {"files": {"type": "array", "items": {"type": "string", "format": "binary"}}},
            }
        },
        responses={201: s.AttachmentSerializer(many=True), **ERRORS},
    )
    @action(detail=True, methods=["get", "post"])
    def attachments(self, request, pk=None):
        ticket = self._visible(pk)
        context = {"request": request}
        if request.method == "POST":
            stored = services.attachment_add(
                ticket_id=ticket.pk, actor=request.user, files=request.FILES.getlist("files")
            )
            return Response(s.AttachmentSerializer(stored, many=True, context=context).data, status=201)
        attachments = selectors.attachments_for(user=request.user, ticket=ticket)
        return Response(s.AttachmentSerializer(attachments, many=True, context=context).data)

    @extend_schema(responses={200: s.PartSerializer(many=True)})
    @action(detail=True, methods=["get"])
    def parts(self, request, pk=None):
        return Response(s.PartSerializer(selectors.parts_for(ticket=self._visible(pk)), many=True).data)

    @extend_schema(request=s.PartUpdateSerializer, responses={200: s.PartSerializer(many=True), **ERRORS})
    @action(detail=True, methods=["patch"], url_path=r"parts/(?P<part_id>\d{1,18})")
    def part_update(self, request, pk=None, part_id=None):
        ticket = self._visible(pk)
        if not ticket.part_rows.filter(pk=part_id).exists():
            raise NotFound("Part not found.")
        data = s.PartUpdateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        services.part_update(part_id=int(part_id), actor=request.user, **data.validated_data)
        return Response(s.PartSerializer(selectors.parts_for(ticket=ticket), many=True).data)

    @extend_schema(request=s.RatingSerializer, responses={201: s.RatingSerializer, **ERRORS})
    @action(detail=True, methods=["post"])
    def rating(self, request, pk=None):
        ticket = self._visible(pk)
        data = s.RatingSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        rating = services.rating_add(ticket_id=ticket.pk, actor=request.user, **data.validated_data)
        return Response(s.RatingSerializer(rating).data, status=201)


class UtcDateTimeFilter(django_filters.IsoDateTimeFilter):
    """ISO 8601 with any offset Python accepts, compared in UTC (PostgreSQL refuses offsets beyond 15:59)."""

    def filter(self, qs, value):
        if value:
            try:
                value = value.astimezone(UTC)
            except OverflowError:
                raise ValidationError({self.field_name: ["The date is out of range."]}) from None
        return super().filter(qs, value)


class BreachFilter(StrictFilterSet):
    kind = django_filters.ChoiceFilter(choices=SlaBreach.Clock.choices)
    review = django_filters.ChoiceFilter(choices=SlaBreach.Review.choices)
    manager = IdFilter(field_name="manager_id")
    partner = IdFilter(field_name="ticket__partner_id")
    detected_after = UtcDateTimeFilter(field_name="detected_at", lookup_expr="gte")
    detected_before = UtcDateTimeFilter(field_name="detected_at", lookup_expr="lt")

    class Meta:
        model = SlaBreach
        fields = ["kind", "review", "manager", "partner"]


class BreachViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """SLA breaches: administrators see all, managers their own; partners none."""

    serializer_class = s.BreachSerializer
    error_statuses = ("409",)
    filterset_class = BreachFilter
    pagination_class = KeysetPagination
    queryset = SlaBreach.objects.none()  # for the schema; get_queryset answers the request
    lookup_value_regex = r"\d{1,18}"

    def get_queryset(self):
        user = self.request.user
        if not can(user, "tickets.view_breaches"):
            raise PermissionDenied("SLA breaches are for staff.")
        breaches = SlaBreach.objects.select_related("ticket", "manager").order_by("-detected_at", "-id")
        return breaches if can(user, "tickets.audit_sla") else breaches.filter(manager=user)

    @extend_schema(request=s.BreachReviewSerializer, responses={200: s.BreachSerializer, **ERRORS})
    @action(detail=True, methods=["post"])
    def review(self, request, pk=None):
        if not self.get_queryset().filter(pk=pk).exists():
            raise NotFound("Breach not found.")
        data = s.BreachReviewSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        services.breach_review(breach_id=int(pk), actor=request.user, **data.validated_data)
        return Response(s.BreachSerializer(self.get_queryset().get(pk=pk)).data)
