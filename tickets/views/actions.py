"""The lifecycle actions a ticket page offers: each one's input form, the policy's permission and the service."""

from collections.abc import Callable
from dataclasses import dataclass

from django import forms
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from .. import services
from ..forms import (
    AcceptForm,
    CancelForm,
    EscalateForm,
    NoInputForm,
    QuoteForm,
    RejectForm,
    ReopenForm,
    RequestInfoForm,
    ResolveForm,
)
from ..models import Kind, Ticket

STAFF = "tickets.act_as_staff"
PARTNER = "tickets.act_as_partner"
CANCEL = "tickets.cancel_ticket"


@dataclass(frozen=True)
class Action:
    name: str
    label: str | Promise
    perm: str
    form_class: type[forms.Form]
    run: Callable[..., Ticket]
    danger: bool = False
    # What a destructive action breaks, said next to its button (the form is its confirmation).
    warning: str | Promise = ""

    def form(self, ticket: Ticket, data=None) -> forms.Form:
        extra = {}
        if self.form_class is AcceptForm:
            extra = {"composite": ticket.kind == Kind.COMPOSITE}
        elif self.form_class is ResolveForm and ticket.kind == Kind.COMPOSITE and ticket.parts_done is None:
            extra = {"parts": list(ticket.part_rows.all())}
        return self.form_class(data, prefix=self.name, **extra)

    def perform(self, *, ticket: Ticket, actor, data: dict) -> Ticket:
        return self.run(ticket_id=ticket.pk, actor=actor, **data)


ACTIONS = {
    action.name: action
    for action in (
        Action("accept", _("Accept"), STAFF, AcceptForm, services.ticket_accept),
        Action("quote", _("Send the quote"), STAFF, QuoteForm, services.ticket_quote),
        Action("request_info", _("Ask the partner"), STAFF, RequestInfoForm, services.ticket_request_info),
        Action("escalate", _("Escalate to production"), STAFF, EscalateForm, services.ticket_escalate),
        Action("resume", _("Resume work"), STAFF, NoInputForm, services.ticket_resume),
        Action("resolve", _("Resolve"), STAFF, ResolveForm, services.ticket_resolve),
        Action(
            "reject",
            _("Reject"),
            STAFF,
            RejectForm,
            services.ticket_reject,
            danger=True,
            warning=_("The request ends for good: the partner is told your reason, nothing is charged."),
        ),
        Action("approve", _("Approve the quote"), PARTNER, NoInputForm, services.ticket_approve),
        Action(
            "decline",
            _("Decline the quote"),
            PARTNER,
            NoInputForm,
            services.ticket_decline,
            danger=True,
            warning=_("The enhancement is cancelled for good; nothing is charged. File a new request to ask again."),
        ),
        Action("confirm", _("Confirm the resolution"), PARTNER, NoInputForm, services.ticket_confirm),
        Action("reopen", _("Reopen"), PARTNER, ReopenForm, services.ticket_reopen),
        Action(
            "cancel",
            _("Cancel the request"),
            CANCEL,
            CancelForm,
            services.ticket_cancel,
            danger=True,
            warning=_(
                "The request is withdrawn for good: the work stops, the money held for it returns to the deposit "
                "and it cannot be reopened."
            ),
        ),
    )
}
