"""/api/v1/: every endpoint of the REST API, the OpenAPI schema and the interactive docs."""

from django.urls import path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView
from rest_framework.routers import DefaultRouter

from accounts.api import MeView, ProjectViewSet, TokenView
from billing.api import AccountView, EntryViewSet, InvoiceViewSet
from integrations.api import ApiTokenViewSet, WebhookViewSet
from integrations.feed import EventsFeedView
from tickets.api.views import BreachViewSet, TicketViewSet

router = DefaultRouter(trailing_slash=True)
router.register("projects", ProjectViewSet, basename="project")
router.register("tickets", TicketViewSet, basename="ticket")
router.register("sla/breaches", BreachViewSet, basename="breach")
router.register("billing/entries", EntryViewSet, basename="entry")
router.register("billing/invoices", InvoiceViewSet, basename="invoice")
router.register("integrations/tokens", ApiTokenViewSet, basename="api-token")
router.register("integrations/webhooks", WebhookViewSet, basename="webhook")

urlpatterns = [
    path("auth/token/", TokenView.as_view(), name="api-token"),
    path("me/", MeView.as_view(), name="api-me"),
    path("events/", EventsFeedView.as_view(), name="api-events"),
    path("billing/account/", AccountView.as_view(), name="api-billing-account"),
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="api-schema"), name="api-docs"),
    *router.urls,
]
