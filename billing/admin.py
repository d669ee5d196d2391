"""The administrators' console for tariffs, deposits, the ledger, holds and invoices.

Balances are never edited here: a payment goes through `deposit_top_up`, an invoice through `invoice_mark_paid`,
and the ledger and holds are read-only.
"""

from django.contrib import admin, messages
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from audit.admin import AuditedAdminMixin
from partner_support.admin import ReadOnlyAdmin
from partner_support.errors import ApplicationError

from .forms import TopUpForm
from .models import DepositAccount, Hold, Invoice, LedgerEntry, Tariff
from .services import account_for, deposit_top_up, invoice_cancel, invoice_mark_paid


@admin.register(Tariff)
class TariffAdmin(AuditedAdminMixin, admin.ModelAdmin):
    list_display = ["partner", "price_per_request", "hourly_rate", "bill_bugs", "currency"]
    list_select_related = ["partner"]
    search_fields = ["partner__name"]


@admin.register(DepositAccount)
class DepositAccountAdmin(AuditedAdminMixin, admin.ModelAdmin):
    list_display = ["partner", "balance", "held", "available", "currency", "low_balance_alerted", "top_up_link"]
    list_select_related = ["partner"]
    search_fields = ["partner__name", "partner__contract_number"]
    readonly_fields = ["balance", "held", "currency", "low_balance_alerted", "updated_at"]

    def get_readonly_fields(self, request, obj=None):
        return [*self.readonly_fields, "partner"] if obj else self.readonly_fields

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        """A new account is opened empty through the service; money arrives by top-up."""
        if not change:
            obj.pk = account_for(partner=obj.partner).pk

    @admin.display(description=_("top up"))
    def top_up_link(self, obj: DepositAccount) -> str:
        return format_html(
            '<a href="{}">{}</a>', reverse("admin:billing_depositaccount_top_up", args=[obj.pk]), _("Top up")
        )

    def get_urls(self):
        view = self.admin_site.admin_view(self.top_up_view)
        return [path("<int:pk>/top-up/", view, name="billing_depositaccount_top_up"), *super().get_urls()]

    def top_up_view(self, request, pk: int):
        account = get_object_or_404(DepositAccount.objects.select_related("partner"), pk=pk)
        form = TopUpForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            try:
                entry = deposit_top_up(
                    partner=account.partner,
                    amount=form.cleaned_data["amount"],
                    actor=request.user,
                    memo=form.cleaned_data["memo"],
                    idempotency_key=f"admin:topup:{form.cleaned_data['token']}",
                )
            except ApplicationError as error:
                form.add_error(None, error.message)
            else:
                messages.success(
                    request,
                    _("Credited %(amount)s; balance %(balance)s.")
                    % {"amount": entry.amount, "balance": entry.balance_after},
                )
                return redirect("admin:billing_depositaccount_changelist")
        context = {
            **self.admin_site.each_context(request),
            "title": _("Top up the deposit of %(partner)s") % {"partner": account.partner},
            "account": account,
            "form": form,
            "opts": self.model._meta,
        }
        return TemplateResponse(request, "billing/admin/top_up.html", context)


@admin.register(LedgerEntry)
class LedgerEntryAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "account", "kind", "amount", "balance_after", "ticket", "invoice", "actor", "memo"]
    list_filter = ["kind", "account__partner"]
    list_select_related = ["account__partner", "ticket", "invoice", "actor"]
    search_fields = ["idempotency_key", "memo", "account__partner__name"]
    date_hierarchy = "created_at"


@admin.register(Hold)
class HoldAdmin(ReadOnlyAdmin):
    list_display = ["ticket", "account", "amount", "status", "created_at", "updated_at"]
    list_filter = ["status"]
    list_select_related = ["ticket", "account__partner"]


@admin.register(Invoice)
class InvoiceAdmin(ReadOnlyAdmin):
    list_display = ["number", "partner", "requests", "amount", "status", "issued_at", "paid_at", "paid_by"]
    list_filter = ["status", "partner"]
    list_select_related = ["partner", "paid_by"]
    search_fields = ["number", "partner__name"]
    actions = ["mark_paid", "cancel"]

    def _run(self, request, queryset, service, done_message):
        for invoice in queryset.order_by("pk"):
            try:
                service(invoice=invoice, actor=request.user)
            except ApplicationError as error:
                self.message_user(request, f"{invoice.number}: {error.message}", messages.ERROR)
            else:
                self.message_user(request, done_message % {"number": invoice.number}, messages.SUCCESS)

    @admin.action(description=_("Mark the selected invoices paid (credits the deposit)"))
    def mark_paid(self, request, queryset):
        self._run(request, queryset, invoice_mark_paid, _("%(number)s is paid."))

    @admin.action(description=_("Cancel the selected unpaid invoices"))
    def cancel(self, request, queryset):
        self._run(request, queryset, invoice_cancel, _("%(number)s is cancelled."))
