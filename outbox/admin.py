from django.contrib import admin

from partner_support.admin import ReadOnlyAdmin

from .models import OutboxEvent


@admin.register(OutboxEvent)
class OutboxEventAdmin(ReadOnlyAdmin):
    """The stored events, to see what is still undelivered and why (read-only: the relay writes them)."""

    list_display = ["occurred_at", "type", "stream", "sequence", "position", "delivered_at", "attempts", "last_error"]
    list_filter = ["type", "public", ("delivered_at", admin.EmptyFieldListFilter)]
    search_fields = ["stream", "=event_id"]
    ordering = ["-id"]
