"""Documents API: the partner's requisites, its monthly acts, and every invoice and act as a PDF."""

from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, extend_schema_field
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.renderers import BaseRenderer, JSONRenderer
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.models import Partner, PartnerRequisites
from accounts.permissions import can
from accounts.requisites import REQUISITES_FIELDS, requisites_of, requisites_update
from billing.selectors import invoice_list
from partner_support.api import ID_SCHEMA, is_id
from partner_support.errors import InvalidInput, NotFound

from .files import act_pdf, document_language, invoice_pdf, pdf_filename
from .models import Act
from .pdf import DOCUMENT_LANGUAGES
from .report import monthly_report, report_period
from .report_pdf import report_pdf
from .selectors import act_list

PARTNER_PARAMETER = OpenApiParameter("partner", ID_SCHEMA, description="Administrators: whose requisites.")
LANGUAGE_PARAMETER = OpenApiParameter(
    "language",
    OpenApiTypes.STR,
    enum=list(DOCUMENT_LANGUAGES),
    description="The document's language (default: "
    "the language chosen in the partner's requisites, Ukrainian unless changed).",
)
PDF_RESPONSE = {(200, "application/pdf"): OpenApiResponse(OpenApiTypes.BINARY, description="The document as PDF.")}


class PdfRenderer(BaseRenderer):
    """Lets a client ask for `Accept: application/pdf`; the PDF itself is answered as it is (PdfAnswers)."""

    media_type = "application/pdf"
    format = "pdf"
    charset = None

    def render(self, data, accepted_media_type=None, renderer_context=None):
        return JSONRenderer().render(data)


class PdfAnswers:
    """A view answering a PDF, or an error as JSON (as documented) whatever the client accepted."""

    renderer_classes = [JSONRenderer, PdfRenderer]

    def finalize_response(self, request, response, *args, **kwargs):
        if isinstance(response, Response):
            request.accepted_renderer, request.accepted_media_type = JSONRenderer(), JSONRenderer.media_type
        return super().finalize_response(request, response, *args, **kwargs)


def _pdf(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _language(request, partner_id: int) -> str:
    asked = request.query_params.get("language")
    if asked is not None and asked not in DOCUMENT_LANGUAGES:
        raise InvalidInput(
            f"language: one of {', '.join(DOCUMENT_LANGUAGES)}.", extra={"language": ["Not a document language."]}
        )
    current = PartnerRequisites.objects.filter(partner_id=partner_id).first()
    return document_language(asked, current.document_language if current else "uk")


class RequisitesSerializer(serializers.ModelSerializer):
    updated_at = serializers.DateTimeField(read_only=True, allow_null=True, help_text="Null until first saved.")

    class Meta:
        model = PartnerRequisites
        fields = ["partner", *REQUISITES_FIELDS, "updated_at"]
        read_only_fields = ["partner", "updated_at"]
        extra_kwargs = {"vat_number": {"required": False}, "accountant_email": {"required": False}}


def _requisites_partner(request) -> Partner:
    user = request.user
    requested = request.query_params.get("partner")
    if requested is not None and not is_id(requested):
        raise InvalidInput("partner: give a partner's id.", extra={"partner": ["A whole number, 1 or more."]})
    partner = Partner.objects.filter(pk=requested).first() if requested and not user.partner_id else user.partner
    if partner is None or not can(user, "accounts.edit_requisites", partner):
        raise NotFound("No requisites visible to you.")
    return partner


class RequisitesView(APIView):
    """The partner's requisites (owners; administrators name the partner). PUT replaces them."""

    @extend_schema(parameters=[PARTNER_PARAMETER], responses={200: RequisitesSerializer})
    def get(self, request):
        partner = _requisites_partner(request)
        current = requisites_of(partner=partner) or PartnerRequisites(partner=partner)
        return Response(RequisitesSerializer(current).data)

    @extend_schema(parameters=[PARTNER_PARAMETER], request=RequisitesSerializer, responses={200: RequisitesSerializer})
    def put(self, request):
        partner = _requisites_partner(request)
        data = RequisitesSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        fields = {"vat_number": "", "accountant_email": "", **data.validated_data}
        return Response(RequisitesSerializer(requisites_update(partner=partner, actor=request.user, **fields)).data)


class ActSerializer(serializers.ModelSerializer):
    class Meta:
        model = Act
        fields = ["id", "number", "partner", "period", "issued_at", "currency", "total", "lines", "customer"]
        read_only_fields = fields


class ActViewSet(PdfAnswers, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Monthly acts of services (owners and administrators)."""

    serializer_class = ActSerializer
    lookup_value_regex = r"\d{1,18}"

    def get_queryset(self):
        return act_list(user=self.request.user)

    @extend_schema(parameters=[LANGUAGE_PARAMETER], responses=PDF_RESPONSE)
    @action(detail=True, methods=["get"])
    def pdf(self, request, pk=None):
        act = get_object_or_404(self.get_queryset(), pk=pk)
        return _pdf(act_pdf(act, language=_language(request, act.partner_id)), pdf_filename(act))


class InvoicePdfView(PdfAnswers, APIView):
    """An invoice as PDF (owners and administrators, as the invoice itself)."""

    @extend_schema(parameters=[LANGUAGE_PARAMETER], responses=PDF_RESPONSE)
    def get(self, request, pk: int):
        invoice = get_object_or_404(invoice_list(user=request.user), pk=pk)
        return _pdf(invoice_pdf(invoice, language=_language(request, invoice.partner_id)), pdf_filename(invoice))


MONTH_PARAMETER = OpenApiParameter(
    "month",
    OpenApiTypes.STR,
    pattern=r"^\d{4}-(0[1-9]|1[0-2])$",
    description="YYYY-MM; default: last month. A month not begun is a 400.",
)
REPORT_PARTNER_PARAMETER = OpenApiParameter("partner", ID_SCHEMA, description="Administrators: whose report.")


class CountSerializer(serializers.Serializer):
    value = serializers.CharField()
    label = serializers.CharField()
    count = serializers.IntegerField()


class SlaFiguresSerializer(serializers.Serializer):
    accepted = serializers.IntegerField()
    resolved = serializers.IntegerField()
    acceptance_breaches = serializers.IntegerField()
    resolution_breaches = serializers.IntegerField()
    resolved_late = serializers.IntegerField()
    accepted_in_time_share = serializers.FloatField(allow_null=True)
    resolved_in_time_share = serializers.FloatField(allow_null=True)
    median_acceptance_minutes = serializers.FloatField(source="median_acceptance", allow_null=True)
    median_resolution_minutes = serializers.FloatField(source="median_resolution", allow_null=True)


class MonthlyReportSerializer(serializers.Serializer):
    partner = serializers.IntegerField(source="partner.pk")
    month = serializers.DateField(source="period")
    currency = serializers.CharField()
    filed = serializers.IntegerField()
    by_kind = serializers.SerializerMethodField()
    by_channel = serializers.SerializerMethodField()
    sla = SlaFiguresSerializer()
    minutes_logged = serializers.IntegerField()
    charged = serializers.DecimalField(max_digits=14, decimal_places=2)
    credited = serializers.DecimalField(max_digits=14, decimal_places=2)
    spent = serializers.DecimalField(max_digits=14, decimal_places=2)
    balance_at_end = serializers.DecimalField(max_digits=14, decimal_places=2)
    ratings = serializers.IntegerField()
    rating_average = serializers.FloatField(allow_null=True)

    @extend_schema_field(CountSerializer(many=True))
    def get_by_kind(self, report) -> list:
        return [{"value": v, "label": label, "count": n} for v, label, n in report.by_kind]

    @extend_schema_field(CountSerializer(many=True))
    def get_by_channel(self, report) -> list:
        return [{"value": v, "label": label, "count": n} for v, label, n in report.by_channel]


def _report_partner(request) -> Partner:
    user = request.user
    requested = request.query_params.get("partner")
    if requested is not None and not is_id(requested):
        raise InvalidInput("partner: give a partner's id.", extra={"partner": ["A whole number, 1 or more."]})
    partner = Partner.objects.filter(pk=requested).first() if requested and not user.partner_id else user.partner
    if partner is None or not can(user, "documents.view_report", partner):
        raise NotFound("No report visible to you.")
    return partner


def _report(request):
    partner = _report_partner(request)
    period = report_period(request.query_params.get("month"), today=timezone.localdate())
    return monthly_report(partner=partner, period=period)


class MonthlyReportView(APIView):
    """A partner's monthly service report (its people and administrators); SLA figures as the SLA audit's."""

    @extend_schema(parameters=[MONTH_PARAMETER, REPORT_PARTNER_PARAMETER], responses={200: MonthlyReportSerializer})
    def get(self, request):
        return Response(MonthlyReportSerializer(_report(request)).data)


class MonthlyReportPdfView(PdfAnswers, APIView):
    @extend_schema(parameters=[MONTH_PARAMETER, REPORT_PARTNER_PARAMETER, LANGUAGE_PARAMETER], responses=PDF_RESPONSE)
    def get(self, request):
        report = _report(request)
        content = report_pdf(report, language=_language(request, report.partner.pk))
        return _pdf(content, f"report-{report.partner.contract_number}-{report.period:%Y-%m}.pdf")
