"""Acts in the administrators' console: read-only, since an issued document is never edited."""

from django.contrib import admin

from partner_support.admin import ReadOnlyAdmin

from .models import Act


@admin.register(Act)
class ActAdmin(ReadOnlyAdmin):
    list_display = ["number", "partner", "period", "total", "currency", "issued_at"]
    list_filter = ["period"]
    list_select_related = ["partner"]
    search_fields = ["number", "partner__name"]
