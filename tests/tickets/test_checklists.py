"""Checklists: steps per kind ticked by the manager or measured from the ticket's history, compliance per manager
and week (checked against a brute-force count), and never shown to partner people."""

import random
from collections import Counter
from datetime import datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse

from billing.services import deposit_top_up
from outbox.models import OutboxEvent
from partner_support.errors import TransitionNotAllowed
from tests.factories import ManagerFactory
from tickets import services
from tickets.checklists import checklist_compliance, ticket_checklist, week_of
from tickets.models import ChecklistStep, ChecklistTick, Kind, Status, Ticket
from tickets.sla import calendar_for
from tickets.worktime import add_working_time

pytestmark = pytest.mark.django_db
KYIV = ZoneInfo("Europe/Kyiv")
STEP_TIME = datetime(2026, 11, 1, tzinfo=KYIV)


def at(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 11, day, hour, minute, tzinfo=KYIV)  # 2026-11-23 is a Monday


def travel(moment: datetime):
    return time_machine.travel(moment, tick=False)


@pytest.fixture
def steps():
    return {
        "reproduce": ChecklistStep.objects.create(
            kind=Kind.SIMPLE, position=1, title="Reproduce", created_at=STEP_TIME
        ),
        "passport": ChecklistStep.objects.create(
            kind=Kind.SIMPLE, position=2, title="Check the project passport", created_at=STEP_TIME
        ),
        "answer": ChecklistStep.objects.create(
            kind=Kind.SIMPLE,
            position=3,
            title="Answer within 30 working minutes of accepting",
            minutes=30,
            start=ChecklistStep.Start.ACCEPTED,
            fact=ChecklistStep.Fact.ANSWERED,
            created_at=STEP_TIME,
        ),
        "bug": ChecklistStep.objects.create(kind=Kind.BUG, position=1, title="Call the client", created_at=STEP_TIME),
    }


def test_the_manager_ticks_steps_on_the_ticket_page_and_partners_never_see_them(
    client, file_ticket, steps, manager, member
):
    with travel(at(24, 10)):
        ticket = file_ticket()
        services.ticket_accept(ticket_id=ticket.pk, actor=manager)
    events = OutboxEvent.objects.count()
    client.force_login(manager)
    with travel(at(24, 10, 10)):
        page = client.get(reverse("tickets:detail", args=[ticket.pk])).content.decode()
        assert 'id="checklist"' in page and "Check the project passport" in page and "Call the client" not in page
        url = reverse("tickets:checklist", args=[ticket.pk, steps["passport"].pk])
        assert client.post(url, {"done": "1"}).status_code == 302
    tick = ChecklistTick.objects.get()
    assert (tick.step, tick.ticked_by, tick.ticked_at) == (steps["passport"], manager, at(24, 10, 10))
    assert OutboxEvent.objects.count() == events  # nothing of a checklist leaves as an event

    client.force_login(member)
    page = client.get(reverse("tickets:detail", args=[ticket.pk])).content.decode()
    assert 'id="checklist"' not in page and "project passport" not in page
    assert client.post(url, {"done": "0"}).status_code == 404
    for path in (f"/api/v1/tickets/{ticket.pk}/", f"/api/v1/tickets/{ticket.pk}/history/"):
        assert "Reproduce" not in client.get(path).content.decode()
    assert ChecklistTick.objects.count() == 1


def test_a_timed_step_is_measured_not_ticked(file_ticket, steps, manager, member):
    with travel(at(24, 10)):
        met, late = file_ticket(), file_ticket()
        services.ticket_accept(ticket_id=met.pk, actor=manager)
        services.ticket_accept(ticket_id=late.pk, actor=manager)
    with travel(at(24, 10, 20)):
        services.comment_add(ticket_id=met.pk, actor=manager, body="Looking at it", files=[])
        services.comment_add(ticket_id=late.pk, actor=manager, body="Internal only", internal=True, files=[])
        services.comment_add(ticket_id=late.pk, actor=member, body="Any news?", files=[])
    with travel(at(24, 10, 45)):
        [*_, answer] = ticket_checklist(ticket=Ticket.objects.get(pk=met.pk))
        assert (answer.met, answer.due_at, answer.done_at) == (True, at(24, 10, 30), at(24, 10, 20))
        [*_, answer] = ticket_checklist(ticket=Ticket.objects.get(pk=late.pk))
        assert (answer.met, answer.missed) == (False, True)
        with pytest.raises(Exception, match="measured"):
            services.checklist_tick(actor=manager, ticket_id=met.pk, step_id=steps["answer"].pk, done=True)


def test_a_closed_tickets_checklist_is_final(file_ticket, steps, manager, member):
    ticket = file_ticket()
    services.ticket_accept(ticket_id=ticket.pk, actor=manager)
    services.ticket_resolve(ticket_id=ticket.pk, actor=manager, resolution="Done")
    services.checklist_tick(actor=manager, ticket_id=ticket.pk, step_id=steps["reproduce"].pk, done=True)
    services.ticket_confirm(ticket_id=ticket.pk, actor=member)
    with pytest.raises(TransitionNotAllowed):
        services.checklist_tick(actor=manager, ticket_id=ticket.pk, step_id=steps["passport"].pk, done=True)


def brute_force(since: datetime, until: datetime) -> Counter:
    """Compliance counted the slow, obvious way: ticket by ticket, step by step, one query at a time."""
    counts: Counter = Counter()
    for ticket in Ticket.objects.order_by("pk"):
        if ticket.accepted_at is None or not (since <= ticket.accepted_at < until):
            continue
        if ticket.status not in (Status.RESOLVED, Status.CLOSED):
            continue
        answers = [
            c.created_at for c in ticket.comments.all() if not c.internal and c.author.role in ("manager", "admin")
        ]
        if ticket.resolved_at:
            answers.append(ticket.resolved_at)
        first_answer = min(answers) if answers else None
        for step in ChecklistStep.objects.filter(kind=ticket.kind, is_active=True):
            if step.created_at > ticket.accepted_at:
                continue
            key = (week_of(ticket.accepted_at), ticket.assignee_id)
            counts[(*key, "applicable")] += 1
            if step.minutes is None:
                counts[(*key, "met")] += ChecklistTick.objects.filter(ticket=ticket, step=step).exists()
            else:
                start = {"filed": ticket.created_at, "accepted": ticket.accepted_at}[step.start]
                done = {"accepted": ticket.accepted_at, "answered": first_answer, "resolved": ticket.resolved_at}[
                    step.fact
                ]
                due = add_working_time(start, timedelta(minutes=step.minutes), calendar_for(ticket))
                counts[(*key, "met")] += done is not None and done <= due
    return counts


def test_compliance_matches_a_brute_force_count(
    file_ticket, steps, manager, member, admin_user, django_assert_max_num_queries
):
    deposit_top_up(partner=member.partner, amount=Decimal("9000.00"), actor=admin_user, memo="t", idempotency_key="t:2")
    other = ManagerFactory()
    late_step_time = at(25, 12)
    ChecklistStep.objects.create(kind=Kind.SIMPLE, position=4, title="Log time", created_at=late_step_time)
    ChecklistStep.objects.create(
        kind=Kind.SIMPLE,
        position=5,
        title="Accept within the hour",
        minutes=60,
        start=ChecklistStep.Start.FILED,
        fact=ChecklistStep.Fact.ACCEPTED,
        created_at=STEP_TIME,
    )
    ChecklistStep.objects.create(kind=Kind.SIMPLE, title="Switched off", is_active=False, created_at=STEP_TIME)
    rng = random.Random(16)
    manual = list(ChecklistStep.objects.filter(kind=Kind.SIMPLE, minutes__isnull=True, is_active=True))
    for number in range(36):
        filed_at = at(rng.choice([23, 24, 25, 26, 27, 30]), rng.randint(9, 16), rng.randint(0, 59))
        kind = Kind.BUG if number % 6 == 0 else Kind.SIMPLE
        with travel(filed_at):
            ticket = file_ticket(kind)
        holder = manager
        if number % 5 == 0:
            with travel(filed_at):
                services.tickets_hand_over(actor=manager, holder=manager, to=other, note="Take it")
            holder = other
        if number % 7 == 3:
            continue  # never accepted
        accepted_at = filed_at + timedelta(minutes=rng.randint(5, 120))
        with travel(accepted_at):
            services.ticket_accept(ticket_id=ticket.pk, actor=holder)
        moment = accepted_at
        for _ in range(rng.randint(0, 3)):
            moment += timedelta(minutes=rng.randint(1, 50))
            author, internal = rng.choice([(holder, False), (holder, True), (member, False)])
            with travel(moment):
                services.comment_add(ticket_id=ticket.pk, actor=author, body="…", internal=internal, files=[])
        for step in manual if kind == Kind.SIMPLE else []:
            if rng.random() < 0.6:
                services.checklist_tick(actor=holder, ticket_id=ticket.pk, step_id=step.pk, done=True)
        if number % 4 != 1:
            with travel(moment + timedelta(minutes=rng.randint(10, 200))):
                services.ticket_resolve(ticket_id=ticket.pk, actor=holder, resolution="Done")

    since, until = at(23, 0), datetime(2026, 12, 1, tzinfo=KYIV)
    with django_assert_max_num_queries(6):
        rows = checklist_compliance(since=since, until=until)
    counted = Counter()
    for row in rows:
        counted[(row.week, row.manager_id, "applicable")] += row.applicable
        counted[(row.week, row.manager_id, "met")] += row.met
    expected = brute_force(since, until)
    assert {key: value for key, value in counted.items() if value} == {k: v for k, v in expected.items() if v}
    assert sum(row.applicable for row in rows) > 50 and 0 < sum(row.met for row in rows) < sum(
        row.applicable for row in rows
    )
    assert {row.manager_id for row in rows} == {manager.pk, other.pk}
    assert len({row.week for row in rows}) == 2


def test_the_compliance_page_is_for_administrators(client, admin_user, manager):
    client.force_login(admin_user)
    assert client.get(reverse("staff:checklists")).status_code == 200
    assert 'id="checklists-link"' in client.get(reverse("staff:audit")).content.decode()
    client.force_login(manager)
    assert client.get(reverse("staff:checklists")).status_code == 404
