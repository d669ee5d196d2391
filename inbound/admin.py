from django.contrib import admin

from .models import InboundMessage


@admin.register(InboundMessage)
class InboundMessageAdmin(admin.ModelAdmin):
    """The inbound e-mail log: what became of each message, and why."""

    list_display = ["received_at", "sender", "subject", "status", "ticket"]
    list_filter = ["status"]
    search_fields = ["sender", "subject", "message_id"]
    readonly_fields = [f.name for f in InboundMessage._meta.fields]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False
