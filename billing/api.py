"""Billing API: the deposit (balance, held, available), its ledger entries, invoices."""

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.models import Partner
from accounts.permissions import can
from partner_support.api import ID_SCHEMA, KeysetPagination, is_id
from partner_support.errors import InvalidInput, NotFound

from .models import Invoice, LedgerEntry
from .selectors import account_summary, invoice_list, statement
from .services import invoice_cancel, invoice_issue, invoice_mark_paid
from .services.invoices import MAX_REQUESTS_PER_INVOICE

PARTNER_PARAMETER = OpenApiParameter("partner", ID_SCHEMA, description="Administrators: whose deposit.")


def shown_partner(request) -> Partner:
    """The user's own partner; an administrator names one with `?partner=<id>`. Anything else is not found."""
    user = request.user
    requested = request.query_params.get("partner")
    if requested is not None and not is_id(requested):
        raise InvalidInput("partner: give a partner's id.", extra={"partner": ["A whole number, 1 or more."]})
    partner = Partner.objects.filter(pk=requested).first() if requested and not user.partner_id else user.partner
    if partner is None or not can(user, "billing.view_account", partner):
        raise NotFound("No deposit account visible to you.")
    return partner


class AccountSerializer(serializers.Serializer):
    partner = serializers.IntegerField()
    balance = serializers.DecimalField(max_digits=14, decimal_places=2)
    held = serializers.DecimalField(max_digits=14, decimal_places=2)
    available = serializers.DecimalField(max_digits=14, decimal_places=2)
    currency = serializers.CharField()
    price_per_request = serializers.DecimalField(max_digits=14, decimal_places=2)


class EntrySerializer(serializers.ModelSerializer):
    ticket_number = serializers.CharField(source="ticket.number", default=None, read_only=True, allow_null=True)
    invoice_number = serializers.CharField(source="invoice.number", default=None, read_only=True, allow_null=True)
    memo = serializers.CharField(source="description", read_only=True, help_text="In the caller's language.")

    class Meta:
        model = LedgerEntry
        fields = [
            "id",
            "kind",
            "amount",
            "balance_after",
            "memo",
            "ticket",
            "ticket_number",
            "invoice",
            "invoice_number",
            "created_at",
        ]


class InvoiceSerializer(serializers.ModelSerializer):
    class Meta:
        model = Invoice
        fields = [
            "id",
            "number",
            "partner",
            "requests",
            "unit_price",
            "amount",
            "currency",
            "status",
            "issued_at",
            "paid_at",
            "cancelled_at",
        ]
        read_only_fields = fields


class InvoiceOrderSerializer(serializers.Serializer):
    requests = serializers.IntegerField(
        min_value=1, max_value=MAX_REQUESTS_PER_INVOICE, help_text="How many consultations (requests) to order."
    )


class AccountView(APIView):
    @extend_schema(parameters=[PARTNER_PARAMETER], responses={200: AccountSerializer})
    def get(self, request):
        partner = shown_partner(request)
        summary = account_summary(partner=partner)
        return Response(
            AccountSerializer(
                {
                    "partner": partner.pk,
                    "balance": summary.balance,
                    "held": summary.held,
                    "available": summary.available,
                    "currency": summary.currency,
                    "price_per_request": summary.price_per_request,
                }
            ).data
        )


class EntryViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    serializer_class = EntrySerializer
    pagination_class = KeysetPagination
    queryset = LedgerEntry.objects.none()  # for the schema; get_queryset answers the request

    @extend_schema(parameters=[PARTNER_PARAMETER])
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    def get_queryset(self):
        summary = account_summary(partner=shown_partner(self.request))
        return statement(account=summary.account) if summary.account else LedgerEntry.objects.none()


class InvoiceViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    serializer_class = InvoiceSerializer
    lookup_value_regex = r"\d{1,18}"

    def get_queryset(self):
        return invoice_list(user=self.request.user)

    @extend_schema(request=InvoiceOrderSerializer, responses={201: InvoiceSerializer})
    def create(self, request):
        data = InvoiceOrderSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        partner = request.user.partner
        if partner is None:
            raise NotFound("Invoices are ordered by a partner's owner.")
        invoice = invoice_issue(partner=partner, requests=data.validated_data["requests"], actor=request.user)
        return Response(InvoiceSerializer(invoice).data, status=201)

    @extend_schema(request=None, responses={200: InvoiceSerializer})
    @action(detail=True, methods=["post"])
    def pay(self, request, pk=None):
        invoice = get_object_or_404(self.get_queryset(), pk=pk)
        invoice_mark_paid(invoice=invoice, actor=request.user)
        return Response(InvoiceSerializer(self.get_queryset().get(pk=pk)).data)

    @extend_schema(request=None, responses={200: InvoiceSerializer})
    @action(detail=True, methods=["post"])
    def cancel(self, request, pk=None):
        invoice = get_object_or_404(self.get_queryset(), pk=pk)
        invoice_cancel(invoice=invoice, actor=request.user)
        return Response(InvoiceSerializer(self.get_queryset().get(pk=pk)).data)
