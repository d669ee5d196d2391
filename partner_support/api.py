"""The API's shared parts: business errors mapped to HTTP once, JSON for every error, pagination."""

from django.http import JsonResponse
from rest_framework.pagination import PageNumberPagination
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from .errors import ApplicationError


def exception_handler(exc, context):
    """ApplicationError -> its status with {"detail": message, <field>: [message]}; the rest as DRF does."""
    if isinstance(exc, ApplicationError):
        response = Response({"detail": exc.message, **exc.extra}, status=exc.http_status)
        if getattr(exc, "retry_after", 0):
            response["Retry-After"] = str(exc.retry_after)
        return response
    return drf_exception_handler(exc, context)


class Pagination(PageNumberPagination):
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200


def api_not_found(request, exception=None):
    return JsonResponse({"detail": "Not found."}, status=404)


def api_server_error(request):
    return JsonResponse({"detail": "Internal error; it has been logged."}, status=500)
