"""The API's shared parts: business errors mapped to HTTP once, JSON for every error, pagination."""

import django_filters
from django.http import JsonResponse
from django.utils.dateparse import parse_datetime
from rest_framework import serializers
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.pagination import BasePagination, PageNumberPagination
from rest_framework.response import Response
from rest_framework.utils.urls import replace_query_param
from rest_framework.views import exception_handler as drf_exception_handler

from .errors import ApplicationError
from .pagination import COUNT_CAP, Cursor, InvalidCursor, keyset_page, page_count


def exception_handler(exc, context):
    """ApplicationError -> its status with {"detail": message, <field>: [message]}; the rest as DRF does."""
    if isinstance(exc, ApplicationError):
        response = Response({"detail": exc.message, **exc.extra}, status=exc.http_status)
        if getattr(exc, "retry_after", 0):
            response["Retry-After"] = str(exc.retry_after)
        return response
    return drf_exception_handler(exc, context)


MAX_ID = 2**63 - 1  # the largest primary key (bigint)
ID_SCHEMA = {"type": "integer", "minimum": 1, "maximum": MAX_ID}


def is_id(text: str) -> bool:
    """Whether a query parameter is a plausible primary key: ASCII digits, 1 to MAX_ID."""
    return text.isascii() and text.isdigit() and len(text) <= 19 and 1 <= int(text) <= MAX_ID


class Pagination(PageNumberPagination):
    """`page` and `page_size` are whole numbers from 1 (anything else is a 400, not silently the first page);
    a page past the end is a 404 and a page size over 200 gives 200 rows."""

    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200

    def paginate_queryset(self, queryset, request, view=None):
        for name in (self.page_query_param, self.page_size_query_param):
            value = request.query_params.get(name)
            if value is not None and not (value.isascii() and value.isdigit() and value.strip("0")):
                raise ValidationError({name: ["A whole number, 1 or more."]})
        return super().paginate_queryset(queryset, request, view)

    def get_schema_operation_parameters(self, view):
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            parameter["schema"]["minimum"] = 1
        return parameters


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
            # An unknown cursor names a page that does not exist, as DRF's own cursor pagination answers.
            raise NotFound("Not a cursor of this list: follow `next` or `previous`.") from None
        self.page = page
        self.count = page_count(queryset, page, cap=self.count_cap)
        return page.rows

    def _page_size(self, request) -> int:
        requested = request.query_params.get(self.page_size_query_param)
        if requested is None:
            return self.page_size
        if not (requested.isascii() and requested.isdigit() and int(requested) > 0):
            raise ValidationError({self.page_size_query_param: ["A whole number, 1 or more."]})
        return min(int(requested), self.max_page_size)

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
                "schema": {"type": "integer", "minimum": 1},
            },
        ]


def api_not_found(request, exception=None):
    return JsonResponse({"detail": "Not found."}, status=404)


def api_server_error(request):
    return JsonResponse({"detail": "Internal error; it has been logged."}, status=500)


class StrictFilterSet(django_filters.FilterSet):
    """Query filters that say what they accept: a typed filter (a choice, a number, a date) given with an empty
    value is a 400 (the schema promises a value of its type), not silently "any"."""

    def _empty_filters(self) -> list[str]:
        """Typed filters given with no value (free text may be empty: an empty search is no search)."""
        return [
            name
            for name, field in self.filters.items()
            if not isinstance(field, django_filters.CharFilter)
            and name in self.data
            and str(self.data.get(name, "")).strip() == ""
        ]

    def is_valid(self) -> bool:
        valid = super().is_valid()
        empty = self._empty_filters()
        for name in empty:
            if name not in self.form.errors:
                self.form.add_error(name, "Give a value, or leave the parameter out.")
        return valid and not empty


class AwareDateTimeField(serializers.DateTimeField):
    """An ISO 8601 instant with its offset ("2026-12-01T12:00:00+02:00" or "...Z"); a wall time without a time zone
    is refused rather than read in the server's zone."""

    default_error_messages = {"naive": "Give the time zone, e.g. 2026-12-01T12:00:00+02:00 or ...Z."}

    def to_internal_value(self, value):
        if isinstance(value, str):
            try:
                parsed = parse_datetime(value.strip())
            except ValueError:
                parsed = None
            if parsed is not None and parsed.tzinfo is None:
                self.fail("naive")
        return super().to_internal_value(value)
