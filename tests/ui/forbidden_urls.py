"""A URL that refuses (tests of the 403 page): Django's PermissionDenied becomes templates/403.html."""

from django.core.exceptions import PermissionDenied
from django.urls import include, path


def forbidden(request):
    raise PermissionDenied


urlpatterns = [path("forbidden/", forbidden), path("", include("partner_support.urls"))]
