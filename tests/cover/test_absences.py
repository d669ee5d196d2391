"""Entering absences and deputies, handing over open tickets, and the pages that do it."""

import pytest
from django.urls import reverse

from accounts.absences import absence_add, deputy_set
from accounts.models import Absence
from accounts.permissions import can
from audit.models import AuditEvent
from partner_support.errors import InvalidInput, PermissionDenied
from tests.factories import ManagerFactory
from tests.helpers import postgres_only, run_concurrently
from tickets import services
from tickets.models import EventKind, Ticket, TicketHolding

from .conftest import at, travel

pytestmark = pytest.mark.django_db


def test_a_manager_enters_their_own_absence_and_not_anothers(manager, deputy):
    with travel(at(20, 12)):
        absence = absence_add(actor=manager, manager=manager, kind="sick", starts_at=at(23, 9), ends_at=at(24, 18))
        with pytest.raises(PermissionDenied):
            absence_add(actor=deputy, manager=manager, kind="leave", starts_at=at(25, 9), ends_at=at(26, 18))
    assert absence.created_by == manager
    assert AuditEvent.objects.filter(object_type="accounts.absence", object_id=str(absence.pk)).exists()


@pytest.mark.parametrize(
    ("start", "end", "field"),
    [
        (at(24, 9), at(23, 9), "ends_at"),
        (at(19, 9), at(20, 9), "ends_at"),  # already over
        (at(23, 12), at(25, 9), "starts_at"),  # overlaps the one entered
    ],
)
def test_an_absence_that_makes_no_sense_is_refused(manager, start, end, field):
    with travel(at(20, 12)):
        absence_add(actor=manager, manager=manager, kind="leave", starts_at=at(23, 9), ends_at=at(24, 9))
        with pytest.raises(InvalidInput) as refused:
            absence_add(actor=manager, manager=manager, kind="leave", starts_at=start, ends_at=end)
    assert field in refused.value.extra


def test_only_an_administrator_chooses_a_substitute(manager, deputy, admin_user):
    with travel(at(20, 12)), pytest.raises(InvalidInput) as refused:
        absence_add(
            actor=manager, manager=manager, kind="leave", starts_at=at(23, 9), ends_at=at(24, 9), substitute=deputy
        )
    assert "substitute" in refused.value.extra


def test_a_deputy_is_another_manager(manager, admin_user, member):
    with pytest.raises(InvalidInput):
        deputy_set(actor=admin_user, manager=manager, deputy=manager)
    with pytest.raises(InvalidInput):
        deputy_set(actor=admin_user, manager=manager, deputy=member)
    with pytest.raises(PermissionDenied):
        deputy_set(actor=ManagerFactory(), manager=manager, deputy=None)


def test_handover_moves_every_open_ticket_with_a_history_row_each(file_ticket, manager, deputy, member, client):
    with travel(at(24, 10)):
        first, second, done = file_ticket(), file_ticket(), file_ticket()
        services.ticket_accept(ticket_id=second.pk, actor=manager)
        services.ticket_reject(ticket_id=done.pk, actor=manager, reason="Duplicate")
        moved = services.tickets_hand_over(actor=manager, holder=manager, to=deputy, note="Client calls at 3 pm")
    assert {t.pk for t in moved} == {first.pk, second.pk}
    for ticket in (first, second):
        ticket = Ticket.objects.get(pk=ticket.pk)
        assert ticket.assignee == deputy
        [row] = ticket.events.filter(kind=EventKind.ASSIGNED)
        assert row.internal and "Client calls at 3 pm" in row.note and row.actor == manager
        assert ticket.holdings.order_by("since", "id").last().reason == TicketHolding.Reason.HANDOVER
    assert Ticket.objects.get(pk=done.pk).assignee == manager

    client.force_login(member)  # the partner sees who handles it now, never the note
    page = client.get(reverse("tickets:detail", args=[first.pk])).content.decode()
    assert "Client calls" not in page and deputy.display_name in page
    history = client.get(f"/api/v1/tickets/{first.pk}/history/").json()
    assert "Client calls" not in str(history)


def test_the_holder_works_on_a_handed_over_ticket_until_it_closes(file_ticket, manager, deputy, member):
    with travel(at(24, 10)):
        ticket = file_ticket()
        services.tickets_hand_over(actor=manager, holder=manager, to=deputy, note="Yours")
        services.ticket_accept(ticket_id=ticket.pk, actor=deputy)
        assert can(deputy, "tickets.view_internal", Ticket.objects.get(pk=ticket.pk))
        services.ticket_resolve(ticket_id=ticket.pk, actor=deputy, resolution="Fixed")
    assert not can(deputy, "tickets.view_ticket", Ticket.objects.get(pk=ticket.pk))


def test_handover_needs_a_note_and_another_manager(manager, deputy, member):
    with pytest.raises(InvalidInput):
        services.tickets_hand_over(actor=manager, holder=manager, to=deputy, note=" ")
    with pytest.raises(InvalidInput):
        services.tickets_hand_over(actor=manager, holder=manager, to=member, note="x")
    with pytest.raises(PermissionDenied):
        services.tickets_hand_over(actor=deputy, holder=manager, to=deputy, note="mine now")


def test_the_absences_page_enters_an_absence_and_hands_over(client, manager, deputy, file_ticket):
    client.force_login(manager)
    with travel(at(24, 10)):
        ticket = file_ticket()
        page = client.get(reverse("tickets:absences"))
        assert page.status_code == 200 and 'id="absence-new"' in page.content.decode()
        answer = client.post(
            reverse("tickets:absence_new"),
            {"kind": "leave", "starts_at": "2026-11-25T09:00", "ends_at": "2026-11-27T18:00", "note": "Vacation"},
        )
        assert answer.status_code == 302
        absence = Absence.objects.get()
        assert (absence.starts_at, absence.ends_at, absence.manager) == (at(25, 9), at(27, 18), manager)
        refused = client.post(
            reverse("tickets:absence_new"),
            {"kind": "leave", "starts_at": "2026-11-26T09:00", "ends_at": "2026-11-26T18:00"},
        )
        assert refused.status_code == 400 and "overlaps" in refused.content.decode()
        assert client.post(reverse("tickets:handover"), {"to": deputy.pk, "note": ""}).status_code == 400
        moved = client.post(reverse("tickets:handover"), {"to": deputy.pk, "note": "See the passport"})
        assert moved.status_code == 302
    assert Ticket.objects.get(pk=ticket.pk).assignee == deputy


def test_administrators_manage_anyones_absences_and_partners_see_no_page(client, manager, admin_user, member):
    client.force_login(admin_user)
    with travel(at(20, 10)):
        answer = client.post(
            reverse("tickets:absence_new"),
            {"manager": manager.pk, "kind": "training", "starts_at": "2026-11-25T09:00", "ends_at": "2026-11-25T18:00"},
        )
        assert answer.status_code == 302 and Absence.objects.get().created_by == admin_user
        overview = client.get(reverse("tickets:absences")).content.decode()
        assert manager.display_name in overview
    client.force_login(member)
    assert client.get(reverse("tickets:absences")).status_code == 404
    assert client.post(reverse("tickets:absence_new"), {"kind": "leave"}).status_code == 404


def test_the_workload_page_shows_cover_apart_from_the_cap(client, manager, deputy, away, admin_user, file_ticket):
    away()
    with travel(at(24, 10)):
        file_ticket()
        client.force_login(admin_user)
        page = client.get(reverse("staff:workload")).content.decode()
    cover = page[page.find('id="cover-now"') :]
    assert manager.display_name in cover and deputy.display_name in cover
    held = page[page.find('id="cover-held"') :]
    assert deputy.display_name in held
    assert f"<td>{deputy.display_name} &lt;{deputy.email}&gt;</td><td>0 / 5</td>" in page


@postgres_only
@pytest.mark.django_db(transaction=True)
def test_two_overlapping_absences_entered_at_once_keep_one(manager):
    def enter():
        try:
            return absence_add(actor=manager, manager=manager, kind="leave", starts_at=at(23, 9), ends_at=at(24, 9))
        except InvalidInput as error:
            return error

    with travel(at(20, 12)):
        results = run_concurrently([enter] * 6)
    assert sum(isinstance(result, Absence) for result in results) == 1
    assert Absence.objects.count() == 1  # the others waited for the manager's row lock, then saw the first


def test_administrators_choose_a_substitute_and_managers_cancel_on_the_page(client, manager, deputy, away, admin_user):
    absence = away()
    substitute = ManagerFactory(name="Sam Substitute")
    client.force_login(admin_user)
    with travel(at(21, 10)):
        page = client.get(reverse("tickets:absences"), {"manager": manager.pk}).content.decode()
        assert f'name="absence-{absence.pk}-substitute"' in page
        answer = client.post(
            reverse("tickets:substitute", args=[absence.pk]), {f"absence-{absence.pk}-substitute": substitute.pk}
        )
    assert answer.status_code == 302 and Absence.objects.get(pk=absence.pk).substitute == substitute
    client.force_login(manager)
    assert client.post(reverse("tickets:substitute", args=[absence.pk]), {}).status_code == 404
    with travel(at(21, 11)):
        assert client.post(reverse("tickets:absence_cancel", args=[absence.pk])).status_code == 302
    assert Absence.objects.get(pk=absence.pk).cancelled_at is not None
    client.force_login(deputy)
    with travel(at(21, 12)):
        assert client.post(reverse("tickets:absence_cancel", args=[absence.pk])).status_code == 404


def test_a_manager_chooses_their_deputy_on_the_page(client, manager):
    colleague = ManagerFactory()
    client.force_login(manager)
    assert client.post(reverse("tickets:deputy"), {"deputy": colleague.pk}).status_code == 302
    manager.manager_profile.refresh_from_db()
    assert manager.manager_profile.deputy == colleague
    assert client.post(reverse("tickets:deputy"), {"deputy": manager.pk}).status_code == 400
