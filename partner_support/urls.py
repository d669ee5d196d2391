from django.contrib import admin
from django.http import HttpResponsePermanentRedirect
from django.templatetags.static import static
from django.urls import include, path, register_converter
from django.views import defaults
from django.views.generic import RedirectView

from health.views import healthz
from tickets.views import home

from .api import api_not_found, api_server_error
from .converters import IdConverter

register_converter(IdConverter, "id")


def favicon(request):
    """Browsers ask for /favicon.ico before reading the page's <link rel="icon">; the static file's hashed name is
    looked up when asked (not at import, before `collectstatic` has written the manifest)."""
    return HttpResponsePermanentRedirect(static("favicon.svg"))


urlpatterns = [
    # One login for everyone, with its guard against password guessing: the admin's own login form is not served.
    path("admin/login/", RedirectView.as_view(pattern_name="login", query_string=True)),
    path("admin/", admin.site.urls),
    path("api/v1/", include("partner_support.api_urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("tickets/", include("tickets.urls")),
    path("billing/", include("billing.urls")),
    path("documents/", include("documents.urls")),
    path("notifications/", include("notifications.urls")),
    path("staff/", include("staff.urls")),
    path("integrations/", include("integrations.urls")),
    path("healthz", healthz, name="healthz"),
    # Browsers ask for /favicon.ico before reading the page's <link rel="icon">.
    path("favicon.ico", favicon),
    path("", home, name="home"),
    path("", include("accounts.urls")),
]


def handler404(request, exception):
    """JSON under /api/, Django's page elsewhere."""
    if request.path.startswith("/api/"):
        return api_not_found(request, exception)
    return defaults.page_not_found(request, exception)


def handler500(request):
    if request.path.startswith("/api/"):
        return api_server_error(request)
    return defaults.server_error(request)
