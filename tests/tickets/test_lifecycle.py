"""Every legal transition per role, every illegal one by state and by role, and the history they write."""

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from partner_support.errors import InvalidInput, NotFound, PermissionDenied, TransitionNotAllowed
from tests.factories import AdminFactory, ManagerFactory, PartnerOwnerFactory
from tickets import services
from tickets.models import Kind, Status, Ticket, TicketEvent

from .conftest import drive

pytestmark = pytest.mark.django_db


def _in_a_week():
    return timezone.now() + timedelta(days=7)


CALLS = {
    "accept": lambda tid, actor: services.ticket_accept(ticket_id=tid, actor=actor),
    "quote": lambda tid, actor: services.ticket_quote(
        ticket_id=tid, actor=actor, estimate_hours="3", due_at=_in_a_week()
    ),
    "approve": lambda tid, actor: services.ticket_approve(ticket_id=tid, actor=actor),
    "decline": lambda tid, actor: services.ticket_decline(ticket_id=tid, actor=actor),
    "reject": lambda tid, actor: services.ticket_reject(ticket_id=tid, actor=actor, reason="Not ours"),
    "request_info": lambda tid, actor: services.ticket_request_info(ticket_id=tid, actor=actor, message="Logs?"),
    "escalate": lambda tid, actor: services.ticket_escalate(ticket_id=tid, actor=actor, note="Core team"),
    "resume": lambda tid, actor: services.ticket_resume(ticket_id=tid, actor=actor),
    "resolve": lambda tid, actor: services.ticket_resolve(ticket_id=tid, actor=actor, resolution="Done"),
    "confirm": lambda tid, actor: services.ticket_confirm(ticket_id=tid, actor=actor),
    "reopen": lambda tid, actor: services.ticket_reopen(ticket_id=tid, actor=actor, reason="Still broken"),
    "cancel": lambda tid, actor: services.ticket_cancel(ticket_id=tid, actor=actor),
}
PARTNER_SIDE = {"approve", "decline", "confirm", "reopen", "cancel"}
OPEN = {Status.NEW, Status.QUOTED, Status.ACCEPTED, Status.WAITING_PARTNER, Status.WAITING_PRODUCTION}
SOURCES = {
    "accept": {Status.NEW},
    "quote": {Status.NEW},
    "approve": {Status.QUOTED},
    "decline": {Status.QUOTED},
    "reject": {Status.NEW},
    "request_info": {Status.ACCEPTED},
    "escalate": {Status.ACCEPTED},
    "resume": {Status.WAITING_PARTNER, Status.WAITING_PRODUCTION},
    "resolve": {Status.ACCEPTED},
    "confirm": {Status.RESOLVED},
    "reopen": {Status.RESOLVED, Status.CLOSED},
    "cancel": OPEN,
}
TARGETS = {
    "accept": Status.ACCEPTED,
    "quote": Status.QUOTED,
    "approve": Status.ACCEPTED,
    "decline": Status.CANCELLED,
    "reject": Status.REJECTED,
    "request_info": Status.WAITING_PARTNER,
    "escalate": Status.WAITING_PRODUCTION,
    "resume": Status.ACCEPTED,
    "resolve": Status.RESOLVED,
    "confirm": Status.CLOSED,
    "reopen": Status.ACCEPTED,
    "cancel": Status.CANCELLED,
}


def _kind_for(name: str, status: str) -> str:
    """Quoting and the quoted states exist only for enhancements; everything else is shown on a simple request."""
    return Kind.ENHANCEMENT if name in {"quote", "approve", "decline"} or status == Status.QUOTED else Kind.SIMPLE


LEGAL = [(name, status) for name, sources in SOURCES.items() for status in sorted(sources)]
ILLEGAL = [(name, status) for name in CALLS for status in Status.values if status not in SOURCES[name]]


@pytest.mark.parametrize(("name", "status"), LEGAL)
def test_every_legal_transition_moves_the_status_and_writes_history(name, status, file_ticket, manager, member):
    ticket = drive(file_ticket(_kind_for(name, status)), status, manager=manager, partner_user=member)
    actor = member if name in PARTNER_SIDE else manager

    result = CALLS[name](ticket.pk, actor)

    stored = Ticket.objects.get(pk=ticket.pk)
    assert result.status == stored.status == TARGETS[name]
    event = TicketEvent.objects.filter(ticket=stored, kind="transition").last()
    assert (event.transition, event.from_status, event.to_status, event.actor) == (name, status, TARGETS[name], actor)


@pytest.mark.parametrize(("name", "status"), ILLEGAL)
def test_every_illegal_transition_is_refused_and_changes_nothing(name, status, file_ticket, manager, member):
    ticket = drive(file_ticket(_kind_for(name, status)), status, manager=manager, partner_user=member)
    events_before = TicketEvent.objects.filter(ticket=ticket).count()
    actor = member if name in PARTNER_SIDE else manager

    with pytest.raises(TransitionNotAllowed) as refused:
        CALLS[name](ticket.pk, actor)

    assert ticket.number in refused.value.message or "only" in refused.value.message.lower()
    assert Ticket.objects.get(pk=ticket.pk).status == status
    assert TicketEvent.objects.filter(ticket=ticket).count() == events_before


STAFF_ONLY = sorted(set(CALLS) - PARTNER_SIDE)


@pytest.mark.parametrize("name", STAFF_ONLY)
def test_partner_users_cannot_take_staff_actions(name, file_ticket, manager, member):
    status = sorted(SOURCES[name])[0]
    ticket = drive(file_ticket(_kind_for(name, status)), status, manager=manager, partner_user=member)
    with pytest.raises(PermissionDenied):
        CALLS[name](ticket.pk, member)
    assert Ticket.objects.get(pk=ticket.pk).status == status


@pytest.mark.parametrize("name", sorted(PARTNER_SIDE - {"cancel"}))
def test_staff_cannot_take_partner_decisions(name, file_ticket, manager, member, admin_user):
    status = sorted(SOURCES[name])[0]
    ticket = drive(file_ticket(_kind_for(name, status)), status, manager=manager, partner_user=member)
    for staff in (manager, admin_user):
        with pytest.raises(PermissionDenied):
            CALLS[name](ticket.pk, staff)
    assert Ticket.objects.get(pk=ticket.pk).status == status


@pytest.mark.parametrize("name", sorted(CALLS))
def test_other_partners_and_other_managers_do_not_even_see_the_ticket(name, file_ticket, manager, member, outsider):
    status = sorted(SOURCES[name])[0]
    ticket = drive(file_ticket(_kind_for(name, status)), status, manager=manager, partner_user=member)
    for stranger in (outsider, ManagerFactory(), PartnerOwnerFactory()):
        with pytest.raises(NotFound):
            CALLS[name](ticket.pk, stranger)


def test_administrators_take_any_staff_action_and_may_cancel(file_ticket, admin_user):
    ticket = file_ticket()
    assert services.ticket_accept(ticket_id=ticket.pk, actor=admin_user).status == Status.ACCEPTED
    assert services.ticket_cancel(ticket_id=ticket.pk, actor=AdminFactory()).status == Status.CANCELLED


def test_the_partner_owner_decides_like_a_member(file_ticket, manager, partner):
    owner = PartnerOwnerFactory(partner=partner)
    ticket = drive(file_ticket(), Status.RESOLVED, manager=manager, partner_user=owner)
    assert services.ticket_confirm(ticket_id=ticket.pk, actor=owner).status == Status.CLOSED


def test_unknown_ticket_is_not_found(manager):
    with pytest.raises(NotFound):
        services.ticket_accept(ticket_id=987654, actor=manager)


def test_enhancement_is_quoted_not_accepted(file_ticket, manager):
    ticket = file_ticket(Kind.ENHANCEMENT)
    with pytest.raises(TransitionNotAllowed, match="quote"):
        services.ticket_accept(ticket_id=ticket.pk, actor=manager)
    with pytest.raises(TransitionNotAllowed, match="Only enhancements"):
        services.ticket_quote(ticket_id=file_ticket().pk, actor=manager, estimate_hours="2", due_at=_in_a_week())


def test_quote_prices_hours_at_the_tariff_and_approval_runs_to_the_quoted_date(file_ticket, manager, member):
    ticket = file_ticket(Kind.ENHANCEMENT)
    due = _in_a_week()
    quoted = services.ticket_quote(ticket_id=ticket.pk, actor=manager, estimate_hours="2.5", due_at=due)
    assert (str(quoted.estimate_hours), str(quoted.amount), quoted.quote_due_at) == ("2.50", "1500.00", due)
    approved = services.ticket_approve(ticket_id=ticket.pk, actor=member)
    assert approved.resolve_due_at == due and approved.accepted_at is not None


@pytest.mark.parametrize(
    ("estimate", "due_delta", "field"),
    [
        ("0", timedelta(days=1), "estimate_hours"),
        ("many", timedelta(days=1), "estimate_hours"),
        ("2", timedelta(days=-1), "due_at"),
        ("2", None, "due_at"),
    ],
)
def test_quote_refuses_bad_input(file_ticket, manager, estimate, due_delta, field):
    ticket = file_ticket(Kind.ENHANCEMENT)
    due = timezone.now() + due_delta if due_delta else "not a date"
    with pytest.raises(InvalidInput) as refused:
        services.ticket_quote(ticket_id=ticket.pk, actor=manager, estimate_hours=estimate, due_at=due)
    assert field in refused.value.extra
    assert Ticket.objects.get(pk=ticket.pk).status == Status.NEW


@pytest.mark.parametrize("parts", [None, 1, 51, "3", True])
def test_composite_acceptance_needs_a_sensible_number_of_parts(file_ticket, manager, parts):
    ticket = file_ticket(Kind.COMPOSITE)
    with pytest.raises(InvalidInput) as refused:
        services.ticket_accept(ticket_id=ticket.pk, actor=manager, parts=parts)
    assert "parts" in refused.value.extra
    assert Ticket.objects.get(pk=ticket.pk).status == Status.NEW


def test_composite_acceptance_creates_its_parts(file_ticket, manager):
    ticket = services.ticket_accept(ticket_id=file_ticket(Kind.COMPOSITE).pk, actor=manager, parts=3)
    assert ticket.parts == 3
    assert [part.label for part in ticket.part_rows.all()] == ["Part 1", "Part 2", "Part 3"]


def test_parts_are_refused_on_a_simple_request(file_ticket, manager):
    with pytest.raises(InvalidInput):
        services.ticket_accept(ticket_id=file_ticket().pk, actor=manager, parts=2)


@pytest.mark.parametrize(
    ("call", "field"),
    [
        (lambda tid, actor: services.ticket_reject(ticket_id=tid, actor=actor, reason="  "), "reason"),
        (lambda tid, actor: services.ticket_resolve(ticket_id=tid, actor=actor, resolution=""), "resolution"),
        (lambda tid, actor: services.ticket_request_info(ticket_id=tid, actor=actor, message=None), "message"),
    ],
)
def test_texts_the_design_requires_are_required(file_ticket, manager, call, field):
    ticket = file_ticket()
    if field != "reason":
        services.ticket_accept(ticket_id=ticket.pk, actor=manager)
    with pytest.raises(InvalidInput) as refused:
        call(ticket.pk, manager)
    assert field in refused.value.extra


def test_reopen_only_within_14_days(file_ticket, manager, member):
    ticket = drive(file_ticket(), Status.RESOLVED, manager=manager, partner_user=member)
    with time_machine.travel(timezone.now() + timedelta(days=15)), pytest.raises(TransitionNotAllowed, match="14 days"):
        services.ticket_reopen(ticket_id=ticket.pk, actor=member, reason="Broken again")
    with time_machine.travel(timezone.now() + timedelta(days=13)):
        assert (
            services.ticket_reopen(ticket_id=ticket.pk, actor=member, reason="Broken again").status == Status.ACCEPTED
        )


def test_reopen_and_resolve_again_count_resolutions(file_ticket, manager, member):
    ticket = drive(file_ticket(), Status.CLOSED, manager=manager, partner_user=member)
    services.ticket_reopen(ticket_id=ticket.pk, actor=member, reason="Still broken")
    again = services.ticket_resolve(ticket_id=ticket.pk, actor=manager, resolution="Really fixed")
    assert again.resolution_round == 2 and again.resolution == "Really fixed" and again.closed_at is None


def test_the_whole_story_is_in_the_history(file_ticket, manager, member):
    ticket = file_ticket()
    services.ticket_accept(ticket_id=ticket.pk, actor=manager)
    services.ticket_request_info(ticket_id=ticket.pk, actor=manager, message="Which browser?")
    services.comment_add(ticket_id=ticket.pk, actor=member, body="Firefox 140")
    services.time_entry_add(ticket_id=ticket.pk, actor=manager, minutes=25, note="Reproduced")
    services.ticket_resolve(ticket_id=ticket.pk, actor=manager, resolution="Patched")
    services.rating_add(ticket_id=ticket.pk, actor=member, score=5, comment="Quick")

    history = [(e.kind, e.transition, e.actor) for e in TicketEvent.objects.filter(ticket=ticket)]
    assert history == [
        ("filed", "", member),
        ("transition", "accept", manager),
        ("transition", "request_info", manager),
        ("comment", "", manager),
        ("comment", "", member),
        ("transition", "resume", member),
        ("time_entry", "", manager),
        ("transition", "resolve", manager),
        ("rating", "", member),
    ]


def test_a_reopened_ticket_goes_to_the_projects_current_manager(file_ticket, manager, member, admin_user, project):
    from tickets.services import project_assign_manager

    ticket = drive(file_ticket(), Status.RESOLVED, manager=manager, partner_user=member)
    successor = ManagerFactory()
    project_assign_manager(project=project, manager=successor, actor=admin_user)
    reopened = services.ticket_reopen(ticket_id=ticket.pk, actor=member, reason="Again")
    assert reopened.assignee == successor


def test_titles_are_one_line(file_ticket):
    ticket = file_ticket(title="Line1\nBcc: x@evil.test\r\n  more")
    assert ticket.title == "Line1 Bcc: x@evil.test more"


def test_a_quote_is_due_within_a_year(file_ticket, manager):
    ticket = file_ticket(Kind.ENHANCEMENT)
    with pytest.raises(InvalidInput, match="within a year"):
        services.ticket_quote(
            ticket_id=ticket.pk, actor=manager, estimate_hours="2", due_at=timezone.now() + timedelta(days=400)
        )


def test_a_quote_approved_after_its_date_gets_the_quoted_working_time_not_a_breach(file_ticket, manager, member):
    from tickets.models import SlaBreach
    from tickets.sweep import sla_sweep

    ticket = file_ticket(Kind.ENHANCEMENT)
    quoted = services.ticket_quote(
        ticket_id=ticket.pk, actor=manager, estimate_hours="2", due_at=timezone.now() + timedelta(days=7)
    )
    with time_machine.travel(timezone.now() + timedelta(days=10)):
        approved = services.ticket_approve(ticket_id=ticket.pk, actor=member)
        assert approved.resolve_due_at > timezone.now() > quoted.quote_due_at
        sla_sweep(now=timezone.now())
    assert not SlaBreach.objects.filter(ticket=ticket, kind="resolution").exists()
