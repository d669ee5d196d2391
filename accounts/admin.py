"""The administrators' console for people, partners and projects."""

from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.db import models, transaction
from django.utils.translation import gettext_lazy as _
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from audit.admin import AuditedAdminMixin
from partner_support.errors import ApplicationError

from .models import ManagerProfile, Partner, PartnerRequisites, Project, ProjectAssignment, User
from .services import project_manager_set
from .two_factor import two_factor_switch_off

# Authenticator keys and recovery codes are secrets of their holders: administrators reset them (above), never read.
admin.site.unregister([TOTPDevice, StaticDevice])


class ManagerProfileInline(admin.StackedInline):
    model = ManagerProfile
    fk_name = "user"
    can_delete = False


@admin.register(User)
class UserAdmin(AuditedAdminMixin, BaseUserAdmin):
    ordering = ["email"]
    list_display = ["email", "name", "role", "partner", "is_active"]
    list_filter = ["role", "partner", "is_active"]
    search_fields = ["email", "name"]
    list_select_related = ["partner"]
    inlines = [ManagerProfileInline]
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        (_("Profile"), {"fields": ["name", "phone", "role", "partner", "language", "timezone"]}),
        (_("Status"), {"fields": ["is_active", "last_login", "date_joined"]}),
    ]
    add_fieldsets = [
        (None, {"classes": ["wide"], "fields": ["email", "role", "partner", "password1", "password2"]}),
    ]
    readonly_fields = ["last_login", "date_joined"]
    actions = ["reset_two_factor"]

    @admin.action(description=_("Reset two-factor authentication (a lost phone)"))
    def reset_two_factor(self, request, queryset):
        reset = 0
        for user in queryset.exclude(pk=request.user.pk):
            two_factor_switch_off(actor=request.user, user=user)
            reset += 1
        if queryset.filter(pk=request.user.pk).exists():
            self.message_user(
                request, _("Your own is not reset here: another administrator resets it."), messages.ERROR
            )
        self.message_user(
            request,
            _("Reset for %(count)d people: they set up an authenticator at their next login if their role needs one.")
            % {"count": reset},
            messages.SUCCESS,
        )


@admin.register(Partner)
class PartnerAdmin(AuditedAdminMixin, admin.ModelAdmin):
    list_display = ["name", "contract_number", "contract_date", "status"]
    list_filter = ["status"]
    search_fields = ["name", "contract_number"]


@admin.register(PartnerRequisites)
class PartnerRequisitesAdmin(AuditedAdminMixin, admin.ModelAdmin):
    """The details invoices and acts are made out to; the tax code is checked (accounts.taxcodes) as on the page."""

    list_display = ["partner", "legal_name", "tax_code", "vat_status", "accountant_email", "document_language"]
    list_select_related = ["partner"]
    search_fields = ["partner__name", "legal_name", "tax_code"]


@admin.register(Project)
class ProjectAdmin(AuditedAdminMixin, admin.ModelAdmin):
    list_display = ["name", "partner", "client_name", "manager", "is_active"]
    list_filter = ["partner", "manager", "is_active"]
    search_fields = ["name", "client_name", "partner__name"]
    list_select_related = ["partner", "manager"]
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}

    def get_readonly_fields(self, request, obj=None):
        # A project never changes partner: its tickets, holds and debits carry that partner. A project's manager
        # changes on /staff/workload/, where its open tickets follow the new manager. The passport is edited on
        # /passports/<id>/, which keeps its history.
        return ["partner", "manager", "passport"] if obj is not None else ["passport"]

    def save_model(self, request, obj, form, change):
        """A new project's manager goes through the service, so that the cap and the history apply here too."""
        new_manager = None if change else obj.manager
        obj.manager = None if not change else obj.manager
        with transaction.atomic():
            super().save_model(request, obj, form, change)
            if new_manager is not None:
                try:
                    with transaction.atomic():
                        project_manager_set(project=obj, manager=new_manager, actor=request.user)
                except ApplicationError as error:
                    messages.error(request, error.message)


@admin.register(ProjectAssignment)
class ProjectAssignmentAdmin(admin.ModelAdmin):
    list_display = ["project", "manager", "previous_manager", "actor", "created_at"]
    list_select_related = ["project__partner", "manager", "previous_manager", "actor"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
