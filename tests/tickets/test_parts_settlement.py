"""A composite's resolution settles every part (done or dropped), charges the done parts only and freezes them."""

from decimal import Decimal

import pytest
from django.core.management import call_command

from billing.models import DepositAccount, EntryKind, Hold, HoldStatus, LedgerEntry
from partner_support.errors import InvalidInput, TransitionNotAllowed
from tickets import services
from tickets.models import EventKind, Kind, Status, TicketEvent, TicketPart

pytestmark = pytest.mark.django_db


@pytest.fixture
def composite(file_ticket, manager):
    """A composite of 3 parts accepted: 540.00 of the 1800.00 deposit held."""
    ticket = file_ticket(Kind.COMPOSITE)
    return services.ticket_accept(ticket_id=ticket.pk, actor=manager, parts=3)


def _parts(ticket) -> list[TicketPart]:
    return list(TicketPart.objects.filter(ticket=ticket).order_by("position"))


def _account(ticket) -> DepositAccount:
    return DepositAccount.objects.get(partner_id=ticket.partner_id)


def test_an_unticked_part_is_dropped_and_not_charged(composite, manager):
    first, second, _third = _parts(composite)
    services.part_update(part_id=first.pk, actor=manager, done=True)
    services.part_update(part_id=second.pk, actor=manager, done=True)
    assert _account(composite).held == Decimal("540.00")

    ticket = services.ticket_resolve(ticket_id=composite.pk, actor=manager, resolution="Two of three")

    assert ticket.parts_done == 2
    assert [(part.is_done, part.is_dropped) for part in _parts(ticket)] == [(True, False), (True, False), (False, True)]
    debit = LedgerEntry.objects.get(ticket=ticket, kind=EntryKind.DEBIT)
    assert debit.amount == Decimal("-360.00")
    account = _account(ticket)
    assert (account.balance, account.held) == (Decimal("1440.00"), Decimal("0.00"))
    assert Hold.objects.get(ticket=ticket).status == HoldStatus.CAPTURED
    call_command("reconcile_ledger")


def test_the_resolution_names_the_parts_done(composite, manager):
    services.ticket_resolve(ticket_id=composite.pk, actor=manager, resolution="Only the third", done_parts=[3])
    assert [part.is_done for part in _parts(composite)] == [False, False, True]
    assert LedgerEntry.objects.get(ticket=composite).amount == Decimal("-180.00")
    notes = [event.text for event in TicketEvent.objects.filter(ticket=composite, kind=EventKind.PART)]
    assert notes == [
        "Part 1: dropped, its share of the hold released",
        "Part 2: dropped, its share of the hold released",
        "Part 3: done",
    ]


def test_every_part_dropped_charges_nothing_and_releases_the_hold(composite, manager):
    services.ticket_resolve(ticket_id=composite.pk, actor=manager, resolution="Nothing to do", done_parts=[])
    assert not LedgerEntry.objects.filter(ticket=composite).exists()
    account = _account(composite)
    assert (account.balance, account.held) == (Decimal("1800.00"), Decimal("0.00"))
    call_command("reconcile_ledger")


def test_all_parts_done_charge_all(composite, manager):
    services.ticket_resolve(ticket_id=composite.pk, actor=manager, resolution="All", done_parts=[1, 2, 3])
    assert LedgerEntry.objects.get(ticket=composite).amount == Decimal("-540.00")


@pytest.mark.parametrize("done_parts", [[4], [0, 1]])
def test_unknown_parts_are_refused_and_nothing_moves(composite, manager, done_parts):
    with pytest.raises(InvalidInput) as refused:
        services.ticket_resolve(ticket_id=composite.pk, actor=manager, resolution="x", done_parts=done_parts)
    assert "done_parts" in refused.value.extra
    composite.refresh_from_db()
    assert composite.status == Status.ACCEPTED and composite.parts_done is None
    assert _account(composite).held == Decimal("540.00")


def test_parts_are_refused_on_a_simple_resolution(file_ticket, manager):
    ticket = services.ticket_accept(ticket_id=file_ticket().pk, actor=manager)
    with pytest.raises(InvalidInput):
        services.ticket_resolve(ticket_id=ticket.pk, actor=manager, resolution="x", done_parts=[1])


def test_parts_freeze_once_resolved_even_after_a_reopen(composite, manager, member):
    services.ticket_resolve(ticket_id=composite.pk, actor=manager, resolution="Two", done_parts=[1, 2])
    part = _parts(composite)[2]
    with pytest.raises(TransitionNotAllowed):
        services.part_update(part_id=part.pk, actor=manager, done=True)

    services.ticket_reopen(ticket_id=composite.pk, actor=member, reason="Part 2 is wrong")
    with pytest.raises(TransitionNotAllowed):
        services.part_update(part_id=part.pk, actor=manager, title="Renamed")
    with pytest.raises(InvalidInput):
        services.ticket_resolve(ticket_id=composite.pk, actor=manager, resolution="All", done_parts=[1, 2, 3])
    services.ticket_resolve(ticket_id=composite.pk, actor=manager, resolution="Fixed part 2")

    assert LedgerEntry.objects.filter(ticket=composite).count() == 1
    assert LedgerEntry.objects.get(ticket=composite).amount == Decimal("-360.00")
    assert [p.is_done for p in _parts(composite)] == [True, True, False]
    call_command("reconcile_ledger")


def test_saving_a_part_unchanged_writes_no_history(composite, manager):
    part = _parts(composite)[2]
    services.part_update(part_id=part.pk, actor=manager, title=part.label, done=False)
    assert not TicketEvent.objects.filter(ticket=composite, kind=EventKind.PART).exists()
    services.part_update(part_id=part.pk, actor=manager, title=part.label, done=True)
    assert [event.text for event in TicketEvent.objects.filter(ticket=composite, kind=EventKind.PART)] == [
        "Part 3: done"
    ]


def test_the_api_settles_parts_and_shows_them(api, composite, manager, member):
    url = f"/api/v1/tickets/{composite.pk}/"
    answer = api(manager).post(url + "resolve/", {"resolution": "One", "done_parts": [2]}, format="json")
    assert answer.status_code == 200, answer.content
    assert answer.json()["parts_done"] == 1
    parts = api(member).get(url + "parts/").json()
    assert [(p["done"], p["dropped"]) for p in parts] == [(False, True), (True, False), (False, True)]
    refused = api(manager).patch(url + f"parts/{parts[0]['id']}/", {"done": True}, format="json")
    assert refused.status_code == 409
    bad = api(manager).post(url + "resolve/", {"resolution": "x", "done_parts": ["a"]}, format="json")
    assert bad.status_code == 400


def test_the_page_resolves_with_the_parts_ticked(client, composite, manager, member):
    client.force_login(manager)
    page = client.get(f"/tickets/{composite.pk}/").text
    assert 'name="resolve-done_parts"' in page
    answer = client.post(
        f"/tickets/{composite.pk}/actions/resolve/", {"resolve-resolution": "Done", "resolve-done_parts": ["1", "3"]}
    )
    assert answer.status_code == 302
    assert LedgerEntry.objects.get(ticket=composite).amount == Decimal("-360.00")
    page = client.get(f"/tickets/{composite.pk}/").text
    assert "Save part" not in page and "dropped" in page
    client.force_login(member)
    assert "2 of 3 done" in client.get(f"/tickets/{composite.pk}/").text


def test_a_default_part_title_is_worded_in_the_readers_language(client, composite, member):
    part = _parts(composite)[1]
    assert part.title == "" and part.label == "Part 2"
    member.language = "uk"
    member.save(update_fields=["language"])
    client.force_login(member)
    assert "Частина 2" in client.get(f"/tickets/{composite.pk}/").text
