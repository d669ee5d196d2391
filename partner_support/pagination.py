"""Lists that cost the same on their last page as on their first: keyset pagination and capped counts.

A keyset page continues from the sort key of the row it starts after, `WHERE (key, id) > (last key, last id)`, which
an index on (key, id) answers as a range: no OFFSET, whose cost grows with the depth of the page. A count is exact
up to a cap and then an estimate (PostgreSQL's planner) that the page says is one, so a large list never counts
every row it could show.
"""

import base64
import binascii
import json
from dataclasses import dataclass
from datetime import datetime

from django.db import connections
from django.db.models import BooleanField, Field, Func, QuerySet, Value

COUNT_CAP = 1000


class _Row(Func):
    """A row value: (a, b, ...)."""

    template = "(%(expressions)s)"
    output_field = Field()


class _RowAfter(Func):
    """(a, b) > (x, y): PostgreSQL and SQLite compare row values lexicographically, and an index on (a, b) serves."""

    arg_joiner = " > "
    template = "%(expressions)s"
    output_field = BooleanField()


class _RowBefore(_RowAfter):
    arg_joiner = " < "


@dataclass(frozen=True)
class Ordering:
    """A queryset's ordering as keyset pagination needs it: column names, all ascending or all descending, ending
    in the primary key so that every row has a distinct position."""

    names: tuple[str, ...]
    descending: bool

    @classmethod
    def of(cls, queryset: QuerySet) -> "Ordering":
        order_by = queryset.query.order_by or queryset.model._meta.ordering
        if not order_by or not all(isinstance(item, str) for item in order_by):
            raise ValueError("keyset pagination needs an ordering by column names")
        directions = {item.startswith("-") for item in order_by}
        names = tuple(item.lstrip("-") for item in order_by)
        if len(directions) != 1 or names[-1] not in ("id", "pk"):
            raise ValueError("keyset pagination needs one direction and the primary key last")
        return cls(names=names, descending=directions.pop())

    def key(self, row) -> list:
        return [getattr(row, name) for name in self.names]

    def reversed_order(self) -> list[str]:
        return [name if self.descending else f"-{name}" for name in self.names]


class InvalidCursor(ValueError):
    pass


@dataclass(frozen=True)
class Cursor:
    """Where a page starts: after `key` going forward (`backward` False) or before it going back; a backward
    cursor without a key is the last page."""

    key: tuple | None
    backward: bool = False

    def encode(self) -> str:
        values = [{"t": value.isoformat()} if isinstance(value, datetime) else value for value in self.key or ()]
        text = json.dumps({"k": values if self.key is not None else None, "b": self.backward}, separators=(",", ":"))
        return base64.urlsafe_b64encode(text.encode()).decode().rstrip("=")

    @classmethod
    def decode(cls, text: str) -> "Cursor":
        try:
            data = json.loads(base64.urlsafe_b64decode(text + "=" * (-len(text) % 4)))
            values = data["k"]
            backward = data["b"]
            if not isinstance(backward, bool) or not (values is None or isinstance(values, list)):
                raise InvalidCursor
            key = None if values is None else tuple(_decode_value(value) for value in values)
        except (ValueError, KeyError, TypeError, binascii.Error) as error:
            raise InvalidCursor from error
        return cls(key=key, backward=backward)


def _decode_value(value):
    if isinstance(value, dict):
        parsed = datetime.fromisoformat(value["t"])
        if parsed.tzinfo is None:
            raise InvalidCursor
        return parsed
    if value is None or isinstance(value, bool) or not isinstance(value, int | float | str):
        raise InvalidCursor
    return value


def cursor_or_none(text: str | None) -> Cursor | None:
    """A page's cursor from its query string; a missing or mangled one means the first page."""
    if not text:
        return None
    try:
        return Cursor.decode(text)
    except InvalidCursor:
        return None


@dataclass
class KeysetPage:
    rows: list
    next_cursor: Cursor | None
    previous_cursor: Cursor | None
    whole: bool = False  # the first page, and nothing after it: the rows are the whole list

    @property
    def has_other_pages(self) -> bool:
        return self.next_cursor is not None or self.previous_cursor is not None


def keyset_page(queryset: QuerySet, *, cursor: Cursor | None, size: int) -> KeysetPage:
    """One page of `queryset` (ordered by columns ending in the primary key) starting at `cursor`; one query."""
    ordering = Ordering.of(queryset)
    if cursor is not None and cursor.key is not None and len(cursor.key) != len(ordering.names):
        raise InvalidCursor
    backward = cursor is not None and cursor.backward
    rows = queryset
    if backward:
        rows = rows.order_by(*ordering.reversed_order())
    if cursor is not None and cursor.key is not None:
        after = _RowAfter if ordering.descending == backward else _RowBefore
        columns = _Row(*ordering.names)
        values = _Row(*(Value(value) for value in cursor.key))
        rows = rows.filter(after(columns, values))
    fetched = list(rows[: size + 1])
    more = len(fetched) > size
    fetched = fetched[:size]
    if backward:
        fetched.reverse()
        previous_cursor = Cursor(key=tuple(ordering.key(fetched[0])), backward=True) if more else None
        next_cursor = Cursor(key=tuple(ordering.key(fetched[-1]))) if fetched and cursor.key is not None else None
    else:
        next_cursor = Cursor(key=tuple(ordering.key(fetched[-1]))) if more else None
        started_later = cursor is not None and cursor.key is not None and fetched
        previous_cursor = Cursor(key=tuple(ordering.key(fetched[0])), backward=True) if started_later else None
    whole = (cursor is None or cursor.key is None) and not backward and not more
    return KeysetPage(rows=fetched, next_cursor=next_cursor, previous_cursor=previous_cursor, whole=whole)


@dataclass(frozen=True)
class PageLinks:
    """Links of a keyset-paginated page (query strings) and its number where it is known: counting from the first
    page as the user walks, and the last page's number when the count is exact."""

    number: int | None
    num_pages: int | None
    first: str | None
    previous: str | None
    next: str | None
    last: str | None

    @classmethod
    def build(cls, *, query: str, page: KeysetPage, count: "Count", size: int, number: int | None) -> "PageLinks":
        num_pages = max(1, -(-count.value // size)) if count.exact else None
        prefix = f"{query}&" if query else ""

        def link(cursor: Cursor | None, page_number: int | None) -> str | None:
            if cursor is None:
                return None
            shown = f"page={page_number}&" if page_number else ""
            return f"?{prefix}{shown}cursor={cursor.encode()}"

        first = f"?{query}" if page.previous_cursor is not None else None
        last = link(Cursor(key=None, backward=True), num_pages) if page.next_cursor is not None else None
        return cls(
            number=number,
            num_pages=num_pages,
            first=first,
            previous=link(page.previous_cursor, number - 1 if number and number > 1 else None),
            next=link(page.next_cursor, number + 1 if number else None),
            last=last,
        )


@dataclass(frozen=True)
class Count:
    """How many rows a list has: `exact` when at most the cap, else PostgreSQL's estimate (at least cap + 1) or,
    elsewhere, cap + 1 ("more than the cap")."""

    value: int
    exact: bool
    cap: int = COUNT_CAP


def page_count(queryset: QuerySet, page: KeysetPage, *, cap: int = COUNT_CAP) -> Count:
    """How many rows the list of `page` has: its rows when they are the whole list (no query), else capped_count."""
    if page.whole and len(page.rows) <= cap:
        return Count(value=len(page.rows), exact=True, cap=cap)
    return capped_count(queryset, cap=cap)


def capped_count(queryset: QuerySet, *, cap: int = COUNT_CAP) -> Count:
    """Counts at most cap + 1 rows (an index range, not the whole table); beyond that asks the planner."""
    counted = queryset.order_by().values("pk")[: cap + 1].count()  # values(): no annotation (a rank) computed
    if counted <= cap:
        return Count(value=counted, exact=True, cap=cap)
    return Count(value=max(planner_estimate(queryset), cap + 1), exact=False, cap=cap)


def planner_estimate(queryset: QuerySet) -> int:
    """How many rows PostgreSQL expects `queryset` to hold (its EXPLAIN, nothing read); 0 elsewhere."""
    connection = connections[queryset.db]
    if connection.vendor != "postgresql":
        return 0
    sql, params = queryset.order_by().values("pk").query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN (FORMAT JSON) " + sql, params)
        plan = cursor.fetchone()[0]
    if isinstance(plan, str):
        plan = json.loads(plan)
    return int(plan[0]["Plan"]["Plan Rows"])
