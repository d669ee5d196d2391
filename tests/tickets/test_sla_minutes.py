"""Each ticket stores the working minutes its acceptance and resolution took, for the SLA audit's SQL statistics;
a data migration fills them for tickets accepted before they were stored."""

import importlib
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.apps import apps

from tickets import services
from tickets.models import Ticket

pytestmark = pytest.mark.django_db
KYIV = ZoneInfo("Europe/Kyiv")


def at(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 11, day, hour, minute, tzinfo=KYIV)  # 2026-11-23 is a Monday


def test_acceptance_and_resolution_store_their_working_minutes(file_ticket, manager, member):
    with time_machine.travel(at(20, 17, 30), tick=False):  # a Friday, 30 working minutes before closing
        ticket = file_ticket()
    with time_machine.travel(at(23, 9, 20), tick=False):
        ticket = services.ticket_accept(ticket_id=ticket.pk, actor=manager)
    assert ticket.accept_working_minutes == 50  # 30 on Friday, 20 on Monday
    assert ticket.resolve_working_minutes is None
    with time_machine.travel(at(24, 10), tick=False):
        ticket = services.ticket_resolve(ticket_id=ticket.pk, actor=manager, resolution="Done")
    assert Ticket.objects.get(pk=ticket.pk).resolve_working_minutes == 8 * 60 + 40 + 60  # Monday 8h40, Tuesday 1h
    with time_machine.travel(at(25, 10), tick=False):
        services.ticket_reopen(ticket_id=ticket.pk, actor=member, reason="Still wrong")
    with time_machine.travel(at(25, 11), tick=False):
        services.ticket_resolve(ticket_id=ticket.pk, actor=manager, resolution="Done now")
    # as the audit always counted it: from acceptance to the latest resolution
    assert Ticket.objects.get(pk=ticket.pk).resolve_working_minutes == 8 * 60 + 40 + 9 * 60 + 2 * 60


def test_the_data_migration_fills_what_the_clocks_would_have_stored(file_ticket, manager):
    with time_machine.travel(at(23, 10), tick=False):
        ticket = file_ticket()
    with time_machine.travel(at(23, 10, 45), tick=False):
        services.ticket_accept(ticket_id=ticket.pk, actor=manager)
    with time_machine.travel(at(23, 15), tick=False):
        services.ticket_resolve(ticket_id=ticket.pk, actor=manager, resolution="Done")
    never_accepted = file_ticket()
    stored = Ticket.objects.values_list("accept_working_minutes", "resolve_working_minutes").get(pk=ticket.pk)
    Ticket.objects.update(accept_working_minutes=None, resolve_working_minutes=None)

    importlib.import_module("tickets.migrations.0005_fill_working_minutes").fill(apps, None)

    assert Ticket.objects.values_list("accept_working_minutes", "resolve_working_minutes").get(pk=ticket.pk) == stored
    assert stored == (45, 255)
    assert Ticket.objects.get(pk=never_accepted.pk).accept_working_minutes is None
