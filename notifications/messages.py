"""The text of each notification. Every function here runs in the recipient's language and time zone
(services.notify activates both), so that times read as the recipient's local time."""

from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from tickets.models import Kind, SlaBreach


@dataclass(frozen=True)
class TicketFacts:
    """A ticket as an event recorded it (the outbox payload), which is what its notification tells."""

    id: int
    number: str
    title: str
    kind: str
    project: str
    author: str
    assignee: str
    accept_due_at: datetime | None
    resolve_due_at: datetime | None
    quote_due_at: datetime | None
    estimate_hours: str | None
    amount: str | None
    resolution: str

    @classmethod
    def of(cls, snapshot: dict) -> "TicketFacts":
        assignee = snapshot.get("assignee") or {}
        return cls(
            id=snapshot["id"],
            number=snapshot["number"],
            title=snapshot["title"],
            kind=snapshot["kind"],
            project=snapshot["project"]["name"],
            author=snapshot["author"]["name"],
            assignee=assignee.get("name", ""),
            accept_due_at=parse_moment(snapshot.get("accept_due_at")),
            resolve_due_at=parse_moment(snapshot.get("resolve_due_at")),
            quote_due_at=parse_moment(snapshot.get("quote_due_at")),
            estimate_hours=snapshot.get("estimate_hours"),
            amount=snapshot.get("amount"),
            resolution=snapshot.get("resolution", ""),
        )


def parse_moment(value: str | None) -> datetime | None:
    return parse_datetime(value) if value else None


def ticket_url(ticket: TicketFacts) -> str:
    return f"{settings.SITE_URL}/tickets/{ticket.id}/"


def local_time(moment: datetime | None) -> str:
    """In the recipient's language's one format and their time zone, named (the mail may be read anywhere)."""
    if not moment:
        return "—"
    local = timezone.localtime(moment)
    return f"{date_format(local, 'DATETIME_FORMAT')} {local.strftime('%Z')}"


def _facts(ticket: TicketFacts) -> dict:
    return {"number": ticket.number, "title": ticket.title}


def ticket_new(ticket: TicketFacts, description: str) -> tuple[str, str]:
    return (
        _("New request: %(title)s") % _facts(ticket),
        _("%(author)s filed %(number)s “%(title)s” (%(kind)s) on %(project)s. Accept it by %(due)s.")
        % {
            **_facts(ticket),
            "author": ticket.author,
            "kind": Kind(ticket.kind).label,
            "project": ticket.project,
            "due": local_time(ticket.accept_due_at),
        }
        + "\n\n"
        + description,
    )


def ticket_accepted(ticket: TicketFacts) -> tuple[str, str]:
    manager = ticket.assignee or _("Support")
    return (
        _("Accepted: %(title)s") % _facts(ticket),
        _("%(number)s “%(title)s” is accepted by %(manager)s and will be resolved by %(due)s.")
        % {**_facts(ticket), "manager": manager, "due": local_time(ticket.resolve_due_at)},
    )


def info_requested(ticket: TicketFacts, message: str) -> tuple[str, str]:
    return (
        _("Information requested: %(title)s") % _facts(ticket),
        _("Your manager needs more information on %(number)s “%(title)s”:") % _facts(ticket)
        + f"\n\n{message}\n\n"
        + _("Reply to this e-mail or on the request's page; the resolution clock waits for your answer."),
    )


def ticket_quoted(ticket: TicketFacts, currency: str) -> tuple[str, str]:
    return (
        _("Quote: %(title)s") % _facts(ticket),
        _(
            "The enhancement %(number)s “%(title)s” is estimated at %(hours)s programmer hours, %(amount)s, "
            "to be delivered by %(due)s. Approve or decline the quote on the request's page."
        )
        % {
            **_facts(ticket),
            "hours": ticket.estimate_hours,
            "amount": f"{ticket.amount} {currency}",
            "due": local_time(ticket.quote_due_at),
        },
    )


def ticket_resolved(ticket: TicketFacts) -> tuple[str, str]:
    return (
        _("Resolved: %(title)s") % _facts(ticket),
        _("%(number)s “%(title)s” is resolved:") % _facts(ticket)
        + f"\n\n{ticket.resolution}\n\n"
        + _("Confirm the resolution, or reopen the request within 14 days if the problem remains."),
    )


def ticket_reopened(ticket: TicketFacts, actor_name: str, reason: str) -> tuple[str, str]:
    return (
        _("Reopened: %(title)s") % _facts(ticket),
        _("%(actor)s reopened %(number)s “%(title)s”:") % {**_facts(ticket), "actor": actor_name}
        + f"\n\n{reason}\n\n"
        + _("The resolution is due %(due)s.") % {"due": local_time(ticket.resolve_due_at)},
    )


def comment_added(ticket: TicketFacts, author: str, body: str, internal: bool) -> tuple[str, str]:
    title = _("Internal note: %(title)s") if internal else _("New comment: %(title)s")
    return (
        title % _facts(ticket),
        _("%(author)s wrote on %(number)s “%(title)s”:") % {**_facts(ticket), "author": author} + f"\n\n{body}",
    )


def sla_warning(ticket: TicketFacts, clock: str, due: datetime) -> tuple[str, str]:
    label = SlaBreach.Clock(clock).label.lower()
    return (
        _("SLA warning: %(clock)s due %(due)s")
        % {"clock": label, "due": date_format(timezone.localtime(due), "TIME_FORMAT")},
        _("80%% of the %(clock)s time of %(number)s “%(title)s” has run; it is due %(due)s.")
        % {**_facts(ticket), "clock": label, "due": local_time(due)},
    )


def sla_breach(ticket: TicketFacts, clock: str, due: datetime) -> tuple[str, str]:
    label = SlaBreach.Clock(clock).label
    return (
        _("SLA breached: %(clock)s") % {"clock": label},
        _("The %(clock)s deadline of %(number)s “%(title)s” was %(due)s.")
        % {**_facts(ticket), "clock": label.lower(), "due": local_time(due)},
    )


def cover_missing(ticket: TicketFacts, manager: str, until: datetime | None) -> tuple[str, str]:
    return (
        _("Nobody covers %(number)s") % _facts(ticket),
        _(
            "%(number)s “%(title)s” was filed on %(project)s while %(manager)s is away until %(until)s, and neither "
            "their deputy nor a substitute is available. Choose a substitute for the absence or hand the request "
            "to another manager; it is to be accepted by %(due)s."
        )
        % {
            **_facts(ticket),
            "project": ticket.project,
            "manager": manager,
            "until": local_time(until),
            "due": local_time(ticket.accept_due_at),
        },
    )


def absence_uncovered(manager: str, starts_at: datetime | None, ends_at: datetime | None) -> tuple[str, str]:
    return (
        _("Nobody covers %(manager)s") % {"manager": manager},
        _(
            "%(manager)s is away from %(start)s to %(end)s, and at some time then neither their deputy nor a "
            "substitute is available: new requests on their projects would wait. Choose a substitute for the absence."
        )
        % {"manager": manager, "start": local_time(starts_at), "end": local_time(ends_at)},
    )


def low_balance(*, partner: str, available: str, currency: str, link: str) -> tuple[str, str]:
    return (
        _("Low deposit balance"),
        _(
            "The available deposit of %(partner)s is %(available)s %(currency)s, less than three requests.\n"
            "New requests cannot be filed once it no longer covers one request. Order consultations here:\n"
            "%(link)s"
        )
        % {"partner": partner, "available": available, "currency": currency, "link": link},
    )


def invoice_paid(invoice: dict, partner: str, available: str) -> tuple[str, str]:
    return (
        _("Invoice %(number)s paid") % {"number": invoice["number"]},
        _(
            "The payment of invoice %(number)s, %(amount)s %(currency)s for %(requests)s requests, is credited to "
            "the deposit of %(partner)s. Available now: %(available)s %(currency)s."
        )
        % {
            "number": invoice["number"],
            "amount": invoice["amount"],
            "currency": invoice["currency"],
            "requests": invoice["requests"],
            "partner": partner,
            "available": available,
        },
    )


def webhook_disabled(url: str, failures: int) -> tuple[str, str]:
    return (
        _("Webhook disabled after repeated failures"),
        _(
            "Deliveries to %(url)s failed %(failures)d times in a row, so it has been switched off. What it was "
            "owed is kept: fix the receiver, then switch it on again in the cabinet or through the API, and the "
            "events are sent in order."
        )
        % {"url": url, "failures": failures},
    )


def invitation(*, inviter: str, partner: str, email: str, link: str) -> tuple[str, str]:
    return (
        _("You are invited to Partner Support"),
        _(
            "%(inviter)s added you to %(partner)s in Partner Support.\n"
            "Choose your password here: %(link)s\nThen log in with %(email)s."
        )
        % {"inviter": inviter, "partner": partner, "link": link, "email": email},
    )


def invitation_elsewhere(*, partner: str, email: str) -> tuple[str, str]:
    return (
        _("An invitation to Partner Support"),
        _(
            "%(partner)s invited %(email)s to their team in Partner Support, but this address already has an "
            "account, which stays as it is. An address belongs to one partner: if you are to work with "
            "%(partner)s, ask them to invite another address. If you expected nothing, ignore this e-mail."
        )
        % {"partner": partner, "email": email},
    )
