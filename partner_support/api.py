"""The API's shared parts: business errors mapped to HTTP once, JSON for every error, pagination."""

from django.http import JsonResponse
from rest_framework.exceptions import NotFound
from rest_framework.pagination import BasePagination, PageNumberPagination
from rest_framework.response import Response
from rest_framework.utils.urls import replace_query_param
from rest_framework.views import exception_handler as drf_exception_handler

from .errors import ApplicationError
from .pagination import COUNT_CAP, Cursor, InvalidCursor, capped_count, keyset_page


def exception_handler(exc, context):
    """ApplicationError -> its status with {"detail": message, <field>: [message]}; the rest as DRF does."""
    if isinstance(exc, ApplicationError):
        return Response({"detail": exc.message, **exc.extra}, status=exc.http_status)
    return drf_exception_handler(exc, context)


class Pagination(PageNumberPagination):
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200


class KeysetPagination(BasePagination):
    """`{"count", "count_exact", "next", "previous", "results"}`: `next` and `previous` are links with a `cursor`
    (keyset pagination: a deep page costs what the first costs); `count` is exact up to COUNT_CAP rows, beyond
    that an estimate and `count_exact` is false. The view's queryset is ordered by columns ending in `id`."""

    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200
    cursor_query_param = "cursor"
    count_cap = COUNT_CAP

    def paginate_queryset(self, queryset, request, view=None):
        self.request = request
        self.size = self._page_size(request)
        encoded = request.query_params.get(self.cursor_query_param)
        try:
            cursor = Cursor.decode(encoded) if encoded else None
            page = keyset_page(queryset, cursor=cursor, size=self.size)
        except InvalidCursor:
            raise NotFound("Invalid cursor.") from None
        self.page = page
        self.count = capped_count(queryset, cap=self.count_cap)
        return page.rows

    def _page_size(self, request) -> int:
        requested = request.query_params.get(self.page_size_query_param, "")
        if requested.isascii() and requested.isdigit() and int(requested) > 0:
            return min(int(requested), self.max_page_size)
        return self.page_size

    def _link(self, cursor: Cursor | None) -> str | None:
        if cursor is None:
            return None
        url = self.request.build_absolute_uri()
        return replace_query_param(url, self.cursor_query_param, cursor.encode())

    def get_paginated_response(self, data):
        return Response(
            {
                "count": self.count.value,
                "count_exact": self.count.exact,
                "next": self._link(self.page.next_cursor),
                "previous": self._link(self.page.previous_cursor),
                "results": data,
            }
        )

    def get_paginated_response_schema(self, schema):
        return {
            "type": "object",
            "required": ["count", "count_exact", "results"],
            "properties": {
                "count": {
                    "type": "integer",
                    "description": f"How many rows the list has: exact up to {self.count_cap}, an estimate beyond "
                    "(then `count_exact` is false).",
                    "example": 123,
                },
                "count_exact": {"type": "boolean", "description": "Whether `count` is exact or an estimate."},
                "next": {
                    "type": "string",
                    "nullable": True,
                    "format": "uri",
                    "description": "The next page (a `cursor` link), or null on the last page.",
                },
                "previous": {
                    "type": "string",
                    "nullable": True,
                    "format": "uri",
                    "description": "The previous page (a `cursor` link), or null on the first page.",
                },
                "results": schema,
            },
        }

    def get_schema_operation_parameters(self, view):
        return [
            {
                "name": self.cursor_query_param,
                "required": False,
                "in": "query",
                "description": "Where the page starts: take it from a `next` or `previous` link.",
                "schema": {"type": "string"},
            },
            {
                "name": self.page_size_query_param,
                "required": False,
                "in": "query",
                "description": f"Rows per page, at most {self.max_page_size} (default {self.page_size}).",
                "schema": {"type": "integer"},
            },
        ]


def api_not_found(request, exception=None):
    return JsonResponse({"detail": "Not found."}, status=404)


def api_server_error(request):
    return JsonResponse({"detail": "Internal error; it has been logged."}, status=500)
