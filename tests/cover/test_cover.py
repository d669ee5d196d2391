"""Cover during absences (time moved by time-machine): who takes a new request, what the partner is shown, who may
work on the project's requests, the administrators' warning when nobody covers, and breaches of whoever held."""

import pytest
from django.urls import reverse

from accounts.absences import absence_add, absence_cancel, absence_substitute_set
from accounts.models import Absence
from accounts.permissions import OPEN_TICKET_STATUSES, can
from notifications.models import Kind as NotificationKind
from notifications.models import Notification
from outbox.models import OutboxEvent
from tests.factories import AdminFactory, ManagerFactory, ProjectFactory
from tickets import services
from tickets.events import COVER_MISSING
from tickets.models import OPEN_STATUSES, SlaBreach, Status, Ticket, TicketHolding
from tickets.sweep import sla_sweep

from .conftest import at, travel

pytestmark = pytest.mark.django_db


@pytest.fixture
def run(django_capture_on_commit_callbacks):
    def run(function, /, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return function(**kwargs)

    return run


def test_a_ticket_filed_during_an_absence_goes_to_the_deputy_who_accepts_it_in_time(
    file_ticket, manager, deputy, away, member, client
):
    away()
    for _ in range(deputy.manager_profile.max_projects):  # the deputy's cap is full: cover does not count
        ProjectFactory(manager=deputy)
    with travel(at(24, 10)):
        ticket = file_ticket()
        assert ticket.assignee == deputy and ticket.accept_due_at == at(24, 11)
        assert ticket.holdings.get().reason == TicketHolding.Reason.COVER

        client.force_login(member)
        page = client.get(reverse("tickets:detail", args=[ticket.pk])).content.decode()
        assert 'id="cover-handler">Dana Deputy<' in page
        assert 'href="tel:+380 44 000 1111"' in page
        assert f"While {manager.display_name} is away, until 28 Nov 2026, 00:00." in page
        member.language = "uk"
        member.save(update_fields=["language"])
        page = client.get(reverse("tickets:detail", args=[ticket.pk])).content.decode()
        assert f"Поки {manager.display_name} відсутній(-я), до 28.11.2026 00:00." in page

    with travel(at(24, 10, 40)):
        services.ticket_accept(ticket_id=ticket.pk, actor=deputy)
    with travel(at(24, 12)):
        assert sla_sweep(now=at(24, 12)).breaches == []
    assert not SlaBreach.objects.exists()
    assert Ticket.objects.get(pk=ticket.pk).status == Status.ACCEPTED


def test_before_and_after_the_absence_the_manager_takes_new_tickets(file_ticket, manager, deputy, away):
    away()
    with travel(at(20, 15)):
        assert file_ticket().assignee == manager
    with travel(at(30, 10)):
        assert file_ticket().assignee == manager


def test_the_deputy_sees_the_projects_tickets_in_every_state_only_while_covering(
    file_ticket, manager, deputy, away, member, client
):
    away()
    with travel(at(20, 10)):
        closed = file_ticket()
        services.ticket_accept(ticket_id=closed.pk, actor=manager)
        services.ticket_resolve(ticket_id=closed.pk, actor=manager, resolution="Done")
        services.ticket_confirm(ticket_id=closed.pk, actor=member)
        assert not can(deputy, "tickets.view_ticket", Ticket.objects.get(pk=closed.pk))
    client.force_login(deputy)
    with travel(at(24, 10)):
        assert client.get(reverse("tickets:detail", args=[closed.pk])).status_code == 200
        assert client.get("/api/v1/tickets/").json()["count"] == 1
        assert client.get(reverse("passports")).content.decode().count('class="card"') == 1
    with travel(at(30, 10)):
        assert client.get(reverse("tickets:detail", args=[closed.pk])).status_code == 404
        assert client.get("/api/v1/tickets/").json()["count"] == 0


def test_when_the_deputy_is_away_too_the_administrators_substitute_covers(
    file_ticket, manager, deputy, away, admin_user
):
    absence = away()
    away(deputy, start=at(24, 0), end=at(25, 0))
    substitute = ManagerFactory(name="Sam Substitute")
    with travel(at(21, 9)):
        absence_substitute_set(actor=admin_user, absence_id=absence.pk, substitute=substitute)
    with travel(at(23, 10)):
        assert file_ticket().assignee == deputy
    with travel(at(24, 10)):
        assert file_ticket().assignee == substitute
    with travel(at(25, 10)):
        assert file_ticket().assignee == deputy


def test_a_ticket_filed_when_manager_and_deputy_are_both_away_warns_the_administrators_at_once(
    run, file_ticket, manager, deputy, away, admin_user, member, mailoutbox
):
    away()
    away(deputy)
    other_admin = AdminFactory()
    with travel(at(24, 10)):
        ticket = run(file_ticket)
    assert ticket.assignee == manager  # nobody else may take it until an administrator decides
    event = OutboxEvent.objects.get(type=COVER_MISSING)
    assert event.public is False and event.payload["data"]["manager"] == manager.pk
    warned = Notification.objects.filter(kind=NotificationKind.COVER_MISSING, ticket__isnull=False)
    assert {n.user for n in warned} == {admin_user, other_admin}
    assert all(n.ticket == ticket and n.internal for n in warned)
    [mail] = [m for m in mailoutbox if f"Nobody covers {ticket.number}" in m.subject]
    assert set(mail.to) == {admin_user.email, other_admin.email}
    assert not Notification.objects.filter(user=member, kind=NotificationKind.COVER_MISSING).exists()


def test_nobody_warned_when_someone_covers(run, file_ticket, manager, deputy, away):
    away()
    with travel(at(24, 10)):
        run(file_ticket)
    assert not OutboxEvent.objects.filter(type=COVER_MISSING).exists()


def test_the_partners_page_shows_who_covers_a_ticket_still_held_by_the_absent_manager(
    file_ticket, manager, deputy, away, member, client
):
    away()
    with travel(at(20, 10)):
        ticket = file_ticket()
    client.force_login(member)
    with travel(at(24, 10)):
        page = client.get(reverse("tickets:detail", args=[ticket.pk])).content.decode()
    assert 'id="cover-handler">Dana Deputy<' in page
    with travel(at(20, 11)):
        assert 'id="cover"' not in client.get(reverse("tickets:detail", args=[ticket.pk])).content.decode()


def test_the_deputys_queue_names_whom_they_cover(file_ticket, manager, deputy, away, client):
    away()
    with travel(at(24, 10)):
        ticket = file_ticket()
        client.force_login(deputy)
        page = client.get(reverse("tickets:queue")).content.decode()
    assert ticket.number in page and 'id="covering"' in page and manager.display_name in page


def test_a_breach_during_cover_is_the_deputys_even_when_seen_after_a_handover(
    file_ticket, manager, deputy, away, admin_user
):
    away()
    with travel(at(24, 10)):
        late = file_ticket(title="Late")
        swept = file_ticket(title="Swept")
    with travel(at(24, 11, 30)):  # both acceptance deadlines (11:00) passed while the deputy held them
        services.tickets_hand_over(actor=deputy, holder=deputy, to=manager, note="Back to you")
        services.ticket_accept(ticket_id=late.pk, actor=manager)
        sla_sweep(now=at(24, 11, 30))
    breaches = {b.ticket_id: b.manager_id for b in SlaBreach.objects.all()}
    assert breaches == {late.pk: deputy.pk, swept.pk: deputy.pk}


def test_a_breach_after_a_handover_is_the_new_holders(file_ticket, manager, deputy):
    with travel(at(24, 10)):
        ticket = file_ticket()
        services.tickets_hand_over(actor=manager, holder=manager, to=deputy, note="I am off tomorrow")
    with travel(at(24, 12)):
        sla_sweep(now=at(24, 12))
    assert SlaBreach.objects.get(ticket=ticket).manager == deputy


def test_open_ticket_statuses_of_the_policy_are_the_lifecycles():
    assert set(OPEN_TICKET_STATUSES) == {str(status) for status in OPEN_STATUSES}


def test_a_cancelled_absence_changes_nothing_and_one_under_way_ends_now(file_ticket, manager, deputy, away):
    future, current = away(start=at(30, 0), end=at(30, 20)), away(start=at(20, 0), end=at(27, 0))
    with travel(at(24, 10)):
        absence_cancel(actor=manager, absence_id=future.pk)
        absence_cancel(actor=manager, absence_id=current.pk)
        assert file_ticket().assignee == manager
    assert Absence.objects.get(pk=future.pk).cancelled_at is not None
    assert Absence.objects.get(pk=current.pk).ends_at == at(24, 10)


def test_entering_an_absence_nobody_can_cover_warns_the_administrators(run, manager, deputy, away, admin_user):
    other_admin = AdminFactory()
    with travel(at(20, 12)):
        run(absence_add, actor=manager, manager=manager, kind="leave", starts_at=at(23, 0), ends_at=at(28, 0))
        assert not Notification.objects.exists()  # the deputy covers
        run(absence_add, actor=deputy, manager=deputy, kind="training", starts_at=at(25, 9), ends_at=at(25, 18))
    warned = Notification.objects.filter(kind=NotificationKind.COVER_MISSING)
    assert {n.user for n in warned} == {admin_user, other_admin}
    # The manager's absence lost its cover; the deputy, who has no deputy of their own, has none either.
    titles = {n.title: n for n in warned.filter(user=admin_user)}
    assert set(titles) == {f"Nobody covers {manager.display_name}", f"Nobody covers {deputy.display_name}"}
    notification = titles[f"Nobody covers {manager.display_name}"]
    assert f"?manager={manager.pk}" in notification.url
    assert notification.internal and notification.ticket is None
    assert not OutboxEvent.objects.filter(type="absence.uncovered", public=True).exists()


def test_a_manager_without_a_deputy_is_warned_about_on_entering_an_absence(run, manager, admin_user):
    with travel(at(20, 12)):
        run(absence_add, actor=manager, manager=manager, kind="sick", starts_at=at(20, 12), ends_at=at(22, 0))
    assert Notification.objects.get(user=admin_user).kind == NotificationKind.COVER_MISSING
