"""The text of each notification. Every function here runs in the recipient's language and time zone
(services.notify activates both), so that times read as the recipient's local time."""

from datetime import datetime

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from tickets.models import Comment, Kind, SlaBreach, Ticket


def ticket_url(ticket: Ticket) -> str:
    return f"{settings.SITE_URL}/tickets/{ticket.pk}/"


def local_time(moment: datetime | None) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M %Z") if moment else "—"


def _facts(ticket: Ticket) -> dict:
    return {"number": ticket.number, "title": ticket.title}


def ticket_new(ticket: Ticket) -> tuple[str, str]:
    return (
        _("New request: %(title)s") % _facts(ticket),
        _("%(author)s filed %(number)s “%(title)s” (%(kind)s) on %(project)s. Accept it by %(due)s.")
        % {
            **_facts(ticket),
            "author": ticket.author.display_name,
            "kind": Kind(ticket.kind).label,
            "project": ticket.project.name,
            "due": local_time(ticket.accept_due_at),
        }
        + "\n\n"
        + ticket.description,
    )


def ticket_accepted(ticket: Ticket) -> tuple[str, str]:
    manager = ticket.assignee.display_name if ticket.assignee else _("Support")
    return (
        _("Accepted: %(title)s") % _facts(ticket),
        _("%(number)s “%(title)s” is accepted by %(manager)s and will be resolved by %(due)s.")
        % {**_facts(ticket), "manager": manager, "due": local_time(ticket.resolve_due_at)},
    )


def info_requested(ticket: Ticket, message: str) -> tuple[str, str]:
    return (
        _("Information requested: %(title)s") % _facts(ticket),
        _("Your manager needs more information on %(number)s “%(title)s”:") % _facts(ticket)
        + f"\n\n{message}\n\n"
        + _("Reply to this e-mail or on the request's page; the resolution clock waits for your answer."),
    )


def ticket_quoted(ticket: Ticket, currency: str) -> tuple[str, str]:
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


def ticket_resolved(ticket: Ticket) -> tuple[str, str]:
    return (
        _("Resolved: %(title)s") % _facts(ticket),
        _("%(number)s “%(title)s” is resolved:") % _facts(ticket)
        + f"\n\n{ticket.resolution}\n\n"
        + _("Confirm the resolution, or reopen the request within 14 days if the problem remains."),
    )


def ticket_reopened(ticket: Ticket, actor_name: str, reason: str) -> tuple[str, str]:
    return (
        _("Reopened: %(title)s") % _facts(ticket),
        _("%(actor)s reopened %(number)s “%(title)s”:") % {**_facts(ticket), "actor": actor_name}
        + f"\n\n{reason}\n\n"
        + _("The resolution is due %(due)s.") % {"due": local_time(ticket.resolve_due_at)},
    )


def comment_added(comment: Comment) -> tuple[str, str]:
    ticket = comment.ticket
    title = _("Internal note: %(title)s") if comment.internal else _("New comment: %(title)s")
    return (
        title % _facts(ticket),
        _("%(author)s wrote on %(number)s “%(title)s”:") % {**_facts(ticket), "author": comment.author.display_name}
        + f"\n\n{comment.body}",
    )


def sla_warning(ticket: Ticket, clock: str, due: datetime) -> tuple[str, str]:
    label = SlaBreach.Clock(clock).label.lower()
    return (
        _("SLA warning: %(clock)s due %(due)s") % {"clock": label, "due": timezone.localtime(due).strftime("%H:%M")},
        _("80%% of the %(clock)s time of %(number)s “%(title)s” has run; it is due %(due)s.")
        % {**_facts(ticket), "clock": label, "due": local_time(due)},
    )


def sla_breach(breach: SlaBreach) -> tuple[str, str]:
    ticket = breach.ticket
    return (
        _("SLA breached: %(clock)s") % {"clock": breach.get_kind_display()},
        _("The %(clock)s deadline of %(number)s “%(title)s” was %(due)s.")
        % {**_facts(ticket), "clock": breach.get_kind_display().lower(), "due": local_time(breach.due_at)},
    )


def low_balance(account, link: str) -> tuple[str, str]:
    return (
        _("Low deposit balance"),
        _(
            "The available deposit of %(partner)s is %(available)s %(currency)s, less than three requests.\n"
            "New requests cannot be filed once it no longer covers one request. Order consultations here:\n"
            "%(link)s"
        )
        % {"partner": account.partner.name, "available": account.available, "currency": account.currency, "link": link},
    )


def invoice_paid(invoice, available) -> tuple[str, str]:
    return (
        _("Invoice %(number)s paid") % {"number": invoice.number},
        _(
            "The payment of invoice %(number)s, %(amount)s %(currency)s for %(requests)s requests, is credited to "
            "the deposit of %(partner)s. Available now: %(available)s %(currency)s."
        )
        % {
            "number": invoice.number,
            "amount": invoice.amount,
            "currency": invoice.currency,
            "requests": invoice.requests,
            "partner": invoice.partner.name,
            "available": available,
        },
    )
