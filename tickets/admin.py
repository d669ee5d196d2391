"""Tickets in the administrators' console: read-mostly; every change of state goes through tickets.services."""

from django.contrib import admin, messages
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from audit.admin import AuditedAdminMixin

from .calendars import holidays_import
from .models import (
    Attachment,
    CalendarDay,
    ChecklistStep,
    Comment,
    Rating,
    SlaBreach,
    SlaPolicy,
    Ticket,
    TicketEvent,
    TicketPart,
    TimeEntry,
    WorkingCalendar,
    WorkingInterval,
)
from .services import breach_review


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class PartInline(ReadOnlyInline):
    model = TicketPart


class CommentInline(ReadOnlyInline):
    model = Comment
    fields = ["created_at", "author", "internal", "body"]


class TimeEntryInline(ReadOnlyInline):
    model = TimeEntry
    fields = ["created_at", "author", "minutes", "note", "part"]


class EventInline(ReadOnlyInline):
    model = TicketEvent
    fields = ["created_at", "actor", "kind", "transition", "from_status", "to_status", "note"]


class RecordAdmin(admin.ModelAdmin):
    """Rows that only the services write: shown whole, never added or deleted here."""

    def get_readonly_fields(self, request, obj=None):
        return [field.name for field in self.model._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Ticket)
class TicketAdmin(RecordAdmin):
    list_display = ["number", "title", "partner", "project", "kind", "status", "assignee", "created_at"]
    list_filter = ["status", "kind", "channel", "partner"]
    search_fields = ["title", "description"]
    list_select_related = ["partner", "project", "assignee"]
    date_hierarchy = "created_at"
    inlines = [PartInline, CommentInline, TimeEntryInline, EventInline]


@admin.register(Attachment)
class AttachmentAdmin(admin.ModelAdmin):
    list_display = ["original_name", "ticket", "content_type", "size", "uploaded_by", "created_at"]
    # The file itself is served only by the permission-checked view of tickets.views, not linked from here.
    fields = readonly_fields = [
        "ticket",
        "comment",
        "uploaded_by",
        "original_name",
        "content_type",
        "size",
        "created_at",
    ]
    list_select_related = ["ticket", "uploaded_by"]


@admin.register(Rating)
class RatingAdmin(admin.ModelAdmin):
    list_display = ["ticket", "resolution_round", "score", "author", "created_at"]
    list_filter = ["score"]
    list_select_related = ["ticket", "author"]


class IntervalInline(admin.TabularInline):
    model = WorkingInterval
    extra = 0


class CalendarDayInline(admin.TabularInline):
    model = CalendarDay
    extra = 0


@admin.register(WorkingCalendar)
class WorkingCalendarAdmin(AuditedAdminMixin, admin.ModelAdmin):
    list_display = ["name", "timezone", "is_default"]
    inlines = [IntervalInline, CalendarDayInline]
    actions = ["import_ukrainian_holidays"]

    @admin.action(description=_("Import Ukrainian public holidays for this year and the next"))
    def import_ukrainian_holidays(self, request, queryset):
        year = timezone.localdate().year
        for calendar in queryset:
            for each_year in (year, year + 1):
                added, listed = holidays_import(calendar=calendar, country="UA", year=each_year)
                self.message_user(
                    request,
                    _("%(calendar)s %(year)d: %(listed)d days off listed, %(added)d added.")
                    % {"calendar": calendar, "year": each_year, "listed": listed, "added": added},
                    messages.WARNING if listed == 0 else messages.SUCCESS,
                )
        self.message_user(
            request,
            _("Under martial law the package lists no Ukrainian days off: add the company's own days off by hand."),
            messages.INFO,
        )


@admin.register(SlaPolicy)
class SlaPolicyAdmin(AuditedAdminMixin, admin.ModelAdmin):
    list_display = ["__str__", "partner", "kind", "accept_minutes", "resolve_minutes"]
    list_filter = ["kind"]
    list_select_related = ["partner"]


@admin.register(ChecklistStep)
class ChecklistStepAdmin(AuditedAdminMixin, admin.ModelAdmin):
    """The standard per kind of request. A step already ticked on some ticket is switched off, not deleted."""

    list_display = ["kind", "position", "title", "minutes", "start", "fact", "is_active"]
    list_filter = ["kind", "is_active"]
    list_editable = ["position", "is_active"]
    readonly_fields = ["created_at"]


@admin.register(SlaBreach)
class SlaBreachAdmin(RecordAdmin):
    """Breaches are recorded by the sweep and reviewed through the service; never added, edited or deleted here."""

    list_display = ["ticket", "kind", "due_at", "detected_at", "manager", "review", "reviewed_by"]
    list_filter = ["kind", "review", "manager"]
    list_select_related = ["ticket", "manager", "reviewed_by"]
    date_hierarchy = "detected_at"
    actions = ["acknowledge"]

    @admin.action(description=_("Acknowledge the selected breaches"))
    def acknowledge(self, request, queryset):
        for breach in queryset:
            breach_review(breach_id=breach.pk, actor=request.user, decision=SlaBreach.Review.ACKNOWLEDGED)
        self.message_user(request, _("%(count)d breaches acknowledged.") % {"count": queryset.count()})
