from django.contrib import admin

from .models import ApiToken, WebhookDelivery, WebhookEndpoint


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ["name", "prefix", "partner", "user", "created_at", "last_used_at", "revoked_at"]
    list_select_related = ["partner", "user"]
    readonly_fields = ["partner", "user", "name", "prefix", "key_hash", "created_at", "last_used_at"]

    def has_add_permission(self, request):
        return False


@admin.register(WebhookEndpoint)
class WebhookEndpointAdmin(admin.ModelAdmin):
    list_display = ["url", "partner", "is_active", "consecutive_failures", "disabled_at"]
    list_filter = ["is_active"]
    list_select_related = ["partner"]
    exclude = ["secret"]


@admin.register(WebhookDelivery)
class WebhookDeliveryAdmin(admin.ModelAdmin):
    list_display = ["event", "endpoint", "attempt", "status_code", "succeeded", "created_at"]
    list_filter = ["succeeded", "event"]
    list_select_related = ["endpoint"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
