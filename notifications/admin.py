from django.contrib import admin

from .models import InboundMessage, Notification, SentMessage


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


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ["created_at", "user", "kind", "title", "read_at", "emailed_at"]
    list_filter = ["kind"]
    search_fields = ["user__email", "title"]
    raw_id_fields = ["user", "ticket"]


admin.site.register(SentMessage)
