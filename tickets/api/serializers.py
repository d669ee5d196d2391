"""Shapes of the tickets API (DESIGN.md section 8). Input serializers only validate types; rules live in services."""

from rest_framework import serializers

from accounts.api import PersonSerializer
from partner_support.api import AwareDateTimeField

from ..models import (
    RATING_MAX,
    RATING_MIN,
    Attachment,
    Channel,
    Comment,
    Kind,
    Rating,
    SlaBreach,
    Ticket,
    TicketEvent,
    TicketPart,
    TimeEntry,
)


class TicketSerializer(serializers.ModelSerializer):
    assignee = PersonSerializer(read_only=True)
    number = serializers.CharField(read_only=True)
    status = serializers.CharField(read_only=True)

    class Meta:
        model = Ticket
        fields = [
            "id",
            "number",
            "project",
            "partner",
            "kind",
            "status",
            "channel",
            "title",
            "description",
            "parts",
            "parts_done",
            "estimate_hours",
            "amount",
            "quote_due_at",
            "resolution",
            "reject_reason",
            "created_at",
            "accept_due_at",
            "accepted_at",
            "resolve_due_at",
            "paused_at",
            "resolved_at",
            "closed_at",
            "cancelled_at",
            "assignee",
        ]
        read_only_fields = fields


MAX_ID = 2**63 - 1


class TicketCreateSerializer(serializers.Serializer):
    project = serializers.IntegerField(min_value=1, max_value=MAX_ID)
    kind = serializers.ChoiceField(choices=Kind.choices)
    title = serializers.CharField(max_length=200)
    description = serializers.CharField()
    channel = serializers.ChoiceField(
        choices=[Channel.API, Channel.PHONE], default=Channel.API, help_text="`phone`: staff registering a bug."
    )
    files = serializers.ListField(child=serializers.FileField(), required=False, default=list)


class AcceptSerializer(serializers.Serializer):
    parts = serializers.IntegerField(
        required=False, allow_null=True, min_value=2, max_value=50, help_text="Composite requests: 2 to 50."
    )


class QuoteSerializer(serializers.Serializer):
    estimate_hours = serializers.DecimalField(max_digits=7, decimal_places=2)
    due_at = AwareDateTimeField()


class ReasonSerializer(serializers.Serializer):
    reason = serializers.CharField()


class OptionalReasonSerializer(serializers.Serializer):
    reason = serializers.CharField(required=False, allow_blank=True, default="")


class MessageSerializer(serializers.Serializer):
    message = serializers.CharField()


class NoteSerializer(serializers.Serializer):
    note = serializers.CharField(required=False, allow_blank=True, default="")


class ResolutionSerializer(serializers.Serializer):
    resolution = serializers.CharField()
    done_parts = serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=50),
        required=False,
        max_length=50,
        help_text="A composite: the positions of the parts done; the others are dropped and not charged. "
        "By default the parts ticked done.",
    )


class EmptySerializer(serializers.Serializer):
    pass


class AttachmentSerializer(serializers.ModelSerializer):
    url = serializers.SerializerMethodField()

    class Meta:
        model = Attachment
        fields = ["id", "original_name", "content_type", "size", "comment", "created_at", "url"]

    def get_url(self, attachment: Attachment) -> str:
        request = self.context["request"]
        return request.build_absolute_uri(f"/tickets/{attachment.ticket_id}/attachments/{attachment.pk}/")


class CommentSerializer(serializers.ModelSerializer):
    author = PersonSerializer(read_only=True)
    attachments = AttachmentSerializer(many=True, read_only=True)

    class Meta:
        model = Comment
        fields = ["id", "author", "body", "internal", "created_at", "attachments"]


class CommentCreateSerializer(serializers.Serializer):
    body = serializers.CharField()
    internal = serializers.BooleanField(default=False)
    files = serializers.ListField(child=serializers.FileField(), required=False, default=list)


class TimeEntrySerializer(serializers.ModelSerializer):
    author = PersonSerializer(read_only=True)

    class Meta:
        model = TimeEntry
        fields = ["id", "author", "minutes", "note", "part", "created_at"]


class TimeEntryCreateSerializer(serializers.Serializer):
    minutes = serializers.IntegerField(min_value=1, max_value=24 * 60)
    note = serializers.CharField(required=False, allow_blank=True, default="")
    part = serializers.IntegerField(required=False, allow_null=True, min_value=1, max_value=MAX_ID)


class PartSerializer(serializers.ModelSerializer):
    title = serializers.CharField(
        source="label", help_text="The manager's name for it, or \"Part 2\" in the caller's language."
    )
    done = serializers.BooleanField(source="is_done")
    dropped = serializers.BooleanField(source="is_dropped")
    logged_minutes = serializers.IntegerField(read_only=True)
    over_limit = serializers.BooleanField(read_only=True)

    class Meta:
        model = TicketPart
        fields = ["id", "position", "title", "done", "done_at", "dropped", "dropped_at", "logged_minutes", "over_limit"]


class PartUpdateSerializer(serializers.Serializer):
    title = serializers.CharField(required=False)
    done = serializers.BooleanField(required=False)


class EventSerializer(serializers.ModelSerializer):
    actor = PersonSerializer(read_only=True)
    note = serializers.CharField(source="text", read_only=True, help_text="In the caller's language.")

    class Meta:
        model = TicketEvent
        fields = ["id", "kind", "transition", "from_status", "to_status", "note", "actor", "created_at"]


class RatingSerializer(serializers.ModelSerializer):
    class Meta:
        model = Rating
        fields = ["id", "score", "comment", "resolution_round", "created_at"]
        read_only_fields = ["id", "resolution_round", "created_at"]
        extra_kwargs = {"score": {"min_value": RATING_MIN, "max_value": RATING_MAX}}


class BreachSerializer(serializers.ModelSerializer):
    ticket_number = serializers.CharField(source="ticket.number", read_only=True)
    partner = serializers.IntegerField(source="ticket.partner_id", read_only=True)
    manager = PersonSerializer(read_only=True)

    class Meta:
        model = SlaBreach
        fields = [
            "id",
            "ticket",
            "ticket_number",
            "partner",
            "kind",
            "due_at",
            "detected_at",
            "manager",
            "review",
            "review_note",
            "reviewed_at",
        ]


class BreachReviewSerializer(serializers.Serializer):
    decision = serializers.ChoiceField(choices=[SlaBreach.Review.ACKNOWLEDGED, SlaBreach.Review.EXCUSED])
    note = serializers.CharField(required=False, allow_blank=True, default="")


class CommentPageSerializer(serializers.Serializer):
    """A page of a ticket's comments (keyset pagination: `next`/`previous` carry a `cursor`)."""

    count = serializers.IntegerField(help_text="Exact up to 1,000, an estimate beyond (then `count_exact` is false).")
    count_exact = serializers.BooleanField()
    next = serializers.URLField(allow_null=True)
    previous = serializers.URLField(allow_null=True)
    results = CommentSerializer(many=True)

    class Meta:
        ref_name = "CommentPage"
