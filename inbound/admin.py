from django.contrib import admin

from partner_support.admin import ReadOnlyAdmin

from .models import InboundMessage


@admin.register(InboundMessage)
class InboundMessageAdmin(ReadOnlyAdmin):
    """The inbound e-mail log: what became of each message, and why."""

    list_display = ["received_at", "sender", "subject", "status", "ticket"]
    list_filter = ["status"]
    search_fields = ["sender", "subject", "message_id"]
    readonly_fields = [f.name for f in InboundMessage._meta.fields]
