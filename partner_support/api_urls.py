"""/api/v1/: every endpoint of the REST API, the OpenAPI schema and the interactive docs."""

from csp.decorators import csp_update
from django.urls import path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.routers import DefaultRouter

from accounts.api import LoginTokenViewSet, MeView, ProjectViewSet, TokenLogoutView, TokenRefreshView, TokenView
from billing.api import AccountView, EntryViewSet, InvoiceViewSet
from documents.api import ActViewSet, InvoicePdfView, MonthlyReportPdfView, MonthlyReportView, RequisitesView
from integrations.api import ApiTokenViewSet, WebhookViewSet
from integrations.feed import EventsFeedView
from tickets.api.replies import CannedReplyViewSet
from tickets.api.views import BreachViewSet, TicketViewSet

router = DefaultRouter(trailing_slash=True)
router.register("auth/tokens", LoginTokenViewSet, basename="login-token")
router.register("projects", ProjectViewSet, basename="project")
router.register("tickets", TicketViewSet, basename="ticket")
router.register("sla/breaches", BreachViewSet, basename="breach")
router.register("canned-replies", CannedReplyViewSet, basename="canned-reply")
router.register("billing/entries", EntryViewSet, basename="entry")
router.register("billing/invoices", InvoiceViewSet, basename="invoice")
router.register("documents/acts", ActViewSet, basename="act")
router.register("integrations/tokens", ApiTokenViewSet, basename="api-token")
router.register("integrations/webhooks", WebhookViewSet, basename="webhook")

urlpatterns = [
    path("auth/token/", TokenView.as_view(), name="api-token"),
    path("auth/token/refresh/", TokenRefreshView.as_view(), name="api-token-refresh"),
    path("auth/logout/", TokenLogoutView.as_view(), name="api-logout"),
    path("me/", MeView.as_view(), name="api-me"),
    path("events/", EventsFeedView.as_view(), name="api-events"),
    path("billing/account/", AccountView.as_view(), name="api-billing-account"),
    path("billing/invoices/<id:pk>/pdf/", InvoicePdfView.as_view(), name="api-invoice-pdf"),
    path("requisites/", RequisitesView.as_view(), name="api-requisites"),
    path("reports/monthly/", MonthlyReportView.as_view(), name="api-monthly-report"),
    path("reports/monthly/pdf/", MonthlyReportPdfView.as_view(), name="api-monthly-report-pdf"),
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    # Swagger UI with its start-up script served as a file (CSP: no inline scripts); its page has one inline <style>.
    path(
        "docs/",
        csp_update({"style-src": ["'unsafe-inline'"]})(SpectacularSwaggerSplitView.as_view(url_name="api-schema")),
        name="api-docs",
    ),
    *router.urls,
]
