"""Reads of tickets, scoped by the permission policy and shaped for pages and the API (constant query counts)."""

import re

from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVectorField
from django.db import connection
from django.db.models import (
    BooleanField,
    Case,
    Count,
    Expression,
    F,
    FloatField,
    Func,
    Prefetch,
    Q,
    QuerySet,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Cast, Coalesce
from django.utils.translation import gettext as _

from accounts.permissions import can, is_admin, scope_tickets
from partner_support.errors import NotFound
from partner_support.pagination import COUNT_CAP, planner_estimate

from .models import (
    OPEN_STATUSES,
    Attachment,
    Comment,
    Rating,
    Status,
    Ticket,
    TicketEvent,
    TicketPart,
    TimeEntry,
    deadline_key,
)

PART_MINUTES_LIMIT = 60
MAX_ID_DIGITS = 18  # longer numbers overflow a 64-bit primary key: no such object
# The API's deadline orderings sort by these annotations (tickets.models.deadline_key, which the indexes hold).
DEADLINE_KEYS = {"accept_due_at": "accept_due_key", "resolve_due_at": "resolve_due_key"}
SEARCH_CONFIG = "simple"
WORD = re.compile(r"\w+")
MAX_SEARCH_TERMS = 8
MIN_PREFIX = 3  # a shorter last word matches whole only: a one-letter prefix matches half of everything
OPEN = "open"  # the status filter's "any open status"
RANK = "search_rank"  # the annotation of a search's relevance, by which its results are listed
# A word in this share of the tickets or more is searched within the scope rather than through the full-text index
# (ticket_search): from there on, collecting all the tickets that hold it costs more than testing the scope's own.
COMMON_WORD_SHARE = 0.02
RANKED_NEWEST = COUNT_CAP + 1  # the matches of common words ranked in the whole table: more than a list counts
RANKED_ALL_WITHIN = 20_000  # an administrator's filter that leaves at most this many tickets: all matches ranked


class StoredSearchVector(Expression):
    """The ticket's `search_vector` column (PostgreSQL only, migration 0006): its title and description as
    `to_tsvector('simple', ...)`, stored and indexed (GIN `ticket_search`), so neither a match nor its rank parses
    the text again. Not a model field, so that no other query reads it; named by the alias of the query's ticket
    table, whatever that is (a subquery renames it)."""

    output_field = SearchVectorField()

    def as_sql(self, compiler, connection):
        alias = compiler.query.get_initial_alias()
        return f"{compiler.quote_name_unless_alias(alias)}.search_vector", []


def search_document() -> StoredSearchVector:
    return StoredSearchVector()


def _is_id(text: str) -> bool:
    """ASCII digits only ("²".isdigit() is true) and short enough for a 64-bit key."""
    return text.isascii() and text.isdigit() and len(text) <= MAX_ID_DIGITS


def ticket_list(
    *, user, status: str | None = None, kind: str | None = None, project: int | None = None, search: str = ""
) -> QuerySet[Ticket]:
    tickets = scope_tickets(user, Ticket.objects.all()).select_related("project", "partner", "assignee", "author")
    if status == OPEN:
        tickets = tickets.filter(status__in=OPEN_STATUSES)
    elif status:
        tickets = tickets.filter(status=status)
    if kind:
        tickets = tickets.filter(kind=kind)
    if project:
        tickets = tickets.filter(project_id=project)
    return ticket_search(tickets, search=search, user=user)


# The orderings a list may ask for (`-` for descending); each one is an index range, ending with the id so that
# keyset pagination has a distinct position for every row (tickets.models.Ticket.Meta.indexes, and the EXPLAIN
# tests in tests/tickets/test_scale_plans.py). Nothing else is offered, so that no list sorts in memory.
ORDERINGS = ("created_at", "accept_due_at", "resolve_due_at", "id")
DEFAULT_ORDERING = "-created_at"


def ticket_order(tickets: QuerySet[Ticket], *, ordering: str = DEFAULT_ORDERING) -> QuerySet[Ticket]:
    """Tickets in `ordering` (one of ORDERINGS, `-` for descending; a deadline not set yet sorts last, or first
    when descending). A full-text search (PostgreSQL) lists the best matches first whatever the ordering: an order
    an index gives would have the planner walk that index testing every ticket for the words, instead of reading
    the few matching ones from the full-text index."""
    if RANK in tickets.query.annotations:
        return tickets.order_by(f"-{RANK}", "-created_at", "-id")
    name = ordering.lstrip("-")
    if name not in ORDERINGS:
        name, ordering = DEFAULT_ORDERING.lstrip("-"), DEFAULT_ORDERING
    sign = "-" if ordering.startswith("-") else ""
    if name == "id":
        return tickets.order_by(f"{sign}id")
    if name in DEADLINE_KEYS:
        key = DEADLINE_KEYS[name]
        tickets = tickets.annotate(**{key: deadline_key(name)})
        name = key
    return tickets.order_by(f"{sign}{name}", f"{sign}id")


def search_terms(search: str) -> list[str]:
    """The words of a search, lower-cased (what the full-text index holds), at most MAX_SEARCH_TERMS of them."""
    return [word.lower() for word in WORD.findall(search)][:MAX_SEARCH_TERMS]


def _ticket_number(search: str) -> int | None:
    number = search.strip().upper().removeprefix("PS-").lstrip("0")
    return int(number) if _is_id(number) else None


def ticket_search(tickets: QuerySet[Ticket], *, search: str, user) -> QuerySet[Ticket]:
    """Tickets (already `user`'s scope) whose number is the search (PS-000123 or 123: the primary key) or whose
    title and description hold all its words, the last one also as a prefix. PostgreSQL matches and ranks (RANK)
    the stored `search_vector` (the `simple` configuration: no stemming, so every language is searched alike);
    elsewhere each word is a substring match.

    Which rows PostgreSQL reads depends on how common the words are. The full-text index `ticket_search` hands over
    every ticket, of every partner, that holds a word: a few for a rare word, but 200,000 for a word in one ticket
    in five at a million tickets (40 ms to collect, twice a page). So when every word is among the table's most
    common ones (_all_common), the search reads the scope's own tickets by the scope's index and tests each one's
    stored vector instead, the match written as a function call that no index serves. An administrator's scope is
    the whole table, where ranking every match of a common word means 200,000 ranks (0.8 s): there the newest
    RANKED_NEWEST matches (within the other filters) are ranked, found by walking the filing order, or a filter's
    own order where it has one (a word in one ticket in 50 fills them within 50,000 tickets); a filter that leaves
    few tickets (_few_filtered) has them all ranked. The list says "more
    than 1,000" of them, and more words narrow it. A ticket's number is matched beside the words, never inside
    that cap."""
    search = (search or "").strip()
    if not search:
        return tickets
    number = _ticket_number(search)
    by_number = Q(pk=number) if number is not None else Q(pk__in=[])
    terms = search_terms(search)
    if connection.vendor != "postgresql":
        words = Q()
        for term in terms:
            words &= Q(title__icontains=term) | Q(description__icontains=term)
        return tickets.filter(by_number | words) if terms else tickets.filter(by_number)
    if not terms:
        return tickets.filter(by_number).annotate(**{RANK: Value(1.0, output_field=FloatField())})
    # Every word whole, the last also as a prefix (the user may still be typing it); quoted, so that no
    # character of the input is tsquery syntax.
    *whole, last = terms
    parts = [f"'{term}'" for term in whole]
    parts.append(f"'{last}':*" if len(last) >= MIN_PREFIX else f"'{last}'")
    query = SearchQuery(" & ".join(parts), search_type="raw", config=SEARCH_CONFIG)
    tickets = tickets.alias(search_document=search_document())
    words = Q(search_document=query)
    if _all_common(terms, prefix=parts[-1].endswith(":*")):
        words = Q(Func(F("search_document"), query, function="ts_match_vq", output_field=BooleanField()))
        if is_admin(user) and not _few_filtered(tickets):
            newest = tickets.filter(words).order_by("-created_at", "-id").values("pk")[:RANKED_NEWEST]
            words = Q(pk__in=newest)
    # ts_rank answers a `real`: as `double precision` it is the very number the next page's cursor carries back
    # (a real compared with that number differs in its last bits, and the next page would skip equal ranks).
    rank = Cast(SearchRank(F("search_document"), query), FloatField())
    if number is not None:
        rank = Case(When(pk=number, then=Value(2.0)), default=rank, output_field=FloatField())
    return tickets.filter(by_number | words).annotate(**{RANK: rank})


def _few_filtered(tickets: QuerySet[Ticket]) -> bool:
    """Whether filters leave at most RANKED_ALL_WITHIN tickets (by the planner's estimate): then they are read by
    the filter's index and every match is ranked, where the walk by filing order for the newest matches would pass
    most of the table when the filter and the words leave fewer than RANKED_NEWEST."""
    return tickets.query.has_filters() and planner_estimate(tickets) <= RANKED_ALL_WITHIN


def _all_common(terms: list[str], *, prefix: bool) -> bool:
    """Whether every term (the last one as a prefix if `prefix`) is in at least COMMON_WORD_SHARE of the tickets,
    by PostgreSQL's own statistics of their search vectors (pg_stats.most_common_elems, as ANALYZE left them: a
    rarer word is not listed, and nothing is before the first ANALYZE)."""
    with connection.cursor() as cursor:
        cursor.execute(
            """SELECT count(*) FROM (
                   SELECT term.position
                   FROM unnest(%s::text[]) WITH ORDINALITY AS term(word, position)
                   JOIN (SELECT common.word, common.share
                         FROM pg_stats, unnest(most_common_elems::text::text[], most_common_elem_freqs)
                                        AS common(word, share)
                         WHERE (schemaname, tablename) = (
                                   SELECT namespace.nspname, class.relname
                                   FROM pg_class AS class JOIN pg_namespace AS namespace
                                        ON namespace.oid = class.relnamespace
                                   WHERE class.oid = %s::regclass)
                               AND attname = 'search_vector'
                   ) AS common
                   ON common.word = term.word OR (term.position = %s AND starts_with(common.word, term.word))
                   GROUP BY term.position
                   HAVING sum(common.share) >= %s
               ) AS frequent""",
            [terms, Ticket._meta.db_table, len(terms) if prefix else 0, COMMON_WORD_SHARE],
        )
        return cursor.fetchone()[0] == len(terms)


def ticket_get(*, user, ticket_id) -> Ticket:
    """The ticket if the user may see it; NotFound otherwise (whether it exists or not)."""
    plausible = _is_id(str(ticket_id))
    ticket = ticket_list(user=user).filter(pk=ticket_id).first() if plausible else None
    if ticket is None:
        raise NotFound(_("Ticket not found."))
    return ticket


def _sees_internal(user, ticket: Ticket) -> bool:
    return can(user, "tickets.view_internal", ticket)


def comments_for(*, user, ticket: Ticket) -> QuerySet[Comment]:
    comments = ticket.comments.select_related("author").prefetch_related(
        Prefetch("attachments", queryset=Attachment.objects.order_by("created_at", "id"))
    )
    return comments if _sees_internal(user, ticket) else comments.filter(internal=False)


def attachments_for(*, user, ticket: Ticket) -> QuerySet[Attachment]:
    attachments = ticket.attachments.select_related("uploaded_by")
    if _sees_internal(user, ticket):
        return attachments
    return attachments.filter(Q(comment__isnull=True) | Q(comment__internal=False))


def attachment_get(*, user, ticket_id, attachment_id) -> Attachment:
    ticket = ticket_get(user=user, ticket_id=ticket_id)
    attachment = attachments_for(user=user, ticket=ticket).filter(pk=attachment_id).first()
    if attachment is None:
        raise NotFound(_("Attachment not found."))
    return attachment


def events_for(*, user, ticket: Ticket) -> QuerySet[TicketEvent]:
    events = ticket.events.select_related("actor")
    return events if _sees_internal(user, ticket) else events.filter(internal=False)


def time_entries_for(*, ticket: Ticket) -> QuerySet[TimeEntry]:
    return ticket.time_entries.select_related("author", "part")


def parts_for(*, ticket: Ticket) -> list[TicketPart]:
    """The parts with the minutes logged on each; a part over an hour of work is flagged."""
    parts = list(ticket.part_rows.annotate(logged_minutes=Coalesce(Sum("entries__minutes"), 0)))
    for part in parts:
        part.over_limit = part.logged_minutes > PART_MINUTES_LIMIT
    return parts


def open_ticket_list(*, user, **filters) -> QuerySet[Ticket]:
    """Open tickets the user may see (narrowed by ticket_list's `filters`), nearest running deadline first:
    acceptance for new tickets, resolution for accepted ones (a paused or quoted ticket has no running clock and
    comes last). `clock_due_at` and `clock_warn_at` are the running clock's deadline and the instant at which 80%
    of it has run."""
    return (
        ticket_list(user=user, **filters)
        .filter(status__in=OPEN_STATUSES)
        .annotate(
            clock_due_at=Case(
                When(status=Status.NEW, then=F("accept_due_at")),
                When(status=Status.ACCEPTED, then=F("resolve_due_at")),
            ),
            clock_warn_at=Case(
                When(status=Status.NEW, then=F("accept_warn_at")),
                When(status=Status.ACCEPTED, then=F("resolve_warn_at")),
            ),
        )
        .order_by(F("clock_due_at").asc(nulls_last=True), "created_at", "id")
    )


def status_counts(*, tickets: QuerySet[Ticket]) -> dict[str, int]:
    """How many of the tickets are in each status, in one query."""
    rows = tickets.order_by().values("status").annotate(count=Count("id"))
    return {row["status"]: row["count"] for row in rows}


def rating_of_resolution(*, ticket: Ticket) -> Rating | None:
    """The rating of the ticket's latest resolution, if any (a reopened ticket's earlier one no longer counts)."""
    if ticket.resolution_round == 0:
        return None
    return ticket.ratings.select_related("author").filter(resolution_round=ticket.resolution_round).first()
