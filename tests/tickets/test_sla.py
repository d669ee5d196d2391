"""SLA clocks through the whole lifecycle, with time moved by time-machine (Europe/Kyiv, Mon-Fri 09:00-18:00)."""

from datetime import datetime, time, timedelta
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail
from django.core.management import CommandError, call_command

from outbox.models import OutboxEvent
from partner_support.errors import InvalidInput, PermissionDenied
from tickets import services
from tickets.models import CalendarDay, Kind, SlaBreach, SlaPolicy, Ticket, WorkingCalendar, WorkingInterval
from tickets.sweep import sla_sweep

pytestmark = pytest.mark.django_db
KYIV = ZoneInfo("Europe/Kyiv")


def at(day: int, hour: int, minute: int = 0, month: int = 11) -> datetime:
    return datetime(2026, month, day, hour, minute, tzinfo=KYIV)  # 2026-11-23 is a Monday


def travel(moment: datetime):
    return time_machine.travel(moment, tick=False)


def test_every_clock_through_file_accept_pause_resume_resolve_reopen(file_ticket, manager, member):
    with travel(at(23, 10)):
        ticket = file_ticket()
    assert (ticket.accept_due_at, ticket.accept_warn_at) == (at(23, 11), at(23, 10, 48))

    with travel(at(23, 10, 30)):
        ticket = services.ticket_accept(ticket_id=ticket.pk, actor=manager)
    assert ticket.resolve_due_at == at(24, 9, 30)  # 7h30 on Monday, 30 min on Tuesday
    assert ticket.resolve_warn_at == at(23, 16, 54)  # 80% of 480 min

    with travel(at(23, 12)):
        services.ticket_request_info(ticket_id=ticket.pk, actor=manager, message="Which version?")
    with travel(at(24, 10)):  # paused 6h on Monday and 1h on Tuesday
        services.comment_add(ticket_id=ticket.pk, actor=member, body="7.4")
    ticket = Ticket.objects.get(pk=ticket.pk)
    assert (ticket.status, ticket.resolve_due_at, ticket.paused_at) == ("accepted", at(24, 16, 30), None)

    with travel(at(24, 11)):
        services.ticket_escalate(ticket_id=ticket.pk, actor=manager, note="Core team")
    with travel(at(24, 13)):
        ticket = services.ticket_resume(ticket_id=ticket.pk, actor=manager)
    assert ticket.resolve_due_at == at(25, 9, 30)  # 16:30 + 2h paused = 18:30, i.e. 30 min into Wednesday

    with travel(at(24, 17)):
        ticket = services.ticket_resolve(ticket_id=ticket.pk, actor=manager, resolution="Fixed")
    assert ticket.resolve_clock_left == timedelta(hours=1, minutes=30)
    assert ticket.auto_close_at == at(27, 17)

    with travel(at(26, 10)):
        ticket = services.ticket_reopen(ticket_id=ticket.pk, actor=member, reason="Still wrong")
    assert ticket.resolve_due_at == at(26, 11, 30)
    assert not SlaBreach.objects.exists()


def test_filed_outside_hours_starts_at_the_next_opening(file_ticket):
    with travel(at(27, 17, 30)):  # Friday
        ticket = file_ticket()
    assert ticket.accept_due_at == at(30, 9, 30)


@pytest.mark.parametrize(
    ("kind", "parts", "accepted", "due"),
    [
        (Kind.BUG, None, at(27, 17), at(30, 11)),
        (Kind.SIMPLE, None, at(23, 9), at(23, 17)),
        (Kind.COMPOSITE, 3, at(23, 9), at(25, 15)),  # 24 working hours: 9 + 9 + 6
    ],
)
def test_resolution_time_per_kind(file_ticket, manager, kind, parts, accepted, due):
    with travel(accepted - timedelta(minutes=1) if accepted.hour > 9 else at(20, 17)):
        ticket = file_ticket(kind)
    with travel(accepted):
        ticket = services.ticket_accept(ticket_id=ticket.pk, actor=manager, parts=parts)
    assert ticket.resolve_due_at == due


def test_a_partners_policy_overrides_the_default(file_ticket, manager, funded):
    SlaPolicy.objects.create(partner=funded, kind=Kind.BUG, accept_minutes=15, resolve_minutes=60)
    with travel(at(23, 10)):
        ticket = file_ticket(Kind.BUG)
        assert ticket.accept_due_at == at(23, 10, 15)
        ticket = services.ticket_accept(ticket_id=ticket.pk, actor=manager)
    assert ticket.resolve_due_at == at(23, 11)


def test_a_partners_calendar_with_holidays_and_saturdays(file_ticket, funded):
    calendar = WorkingCalendar.objects.create(name="Six days", timezone="Europe/Warsaw")
    WorkingInterval.objects.bulk_create(
        WorkingInterval(calendar=calendar, weekday=d, start=time(8), end=time(16)) for d in range(6)
    )
    CalendarDay.objects.create(calendar=calendar, date=at(30, 12).date(), name="Company day off")
    funded.calendar = calendar
    funded.save()
    with travel(datetime(2026, 11, 28, 15, 30, tzinfo=ZoneInfo("Europe/Warsaw"))):  # Saturday
        ticket = file_ticket()
    assert ticket.accept_due_at == datetime(2026, 12, 1, 8, 30, tzinfo=ZoneInfo("Europe/Warsaw"))


# The sweep


def test_the_sweep_records_a_breach_once_and_warns_once(file_ticket, manager, django_capture_on_commit_callbacks):
    with travel(at(23, 10)):
        ticket = file_ticket()
    with travel(at(23, 10, 50)), django_capture_on_commit_callbacks(execute=True):
        report = sla_sweep(now=at(23, 10, 50))
    assert report.warnings == [(ticket.pk, "acceptance")] and report.breaches == []
    assert [m.to for m in sla_mails()] == [[manager.email]] and "SLA warning" in sla_mails()[0].subject

    with django_capture_on_commit_callbacks(execute=True):
        second = sla_sweep(now=at(23, 10, 55))
    assert second.warnings == [] and len(sla_mails()) == 1

    with django_capture_on_commit_callbacks(execute=True):
        assert [b[:2] for b in sla_sweep(now=at(23, 11, 1)).breaches] == [(ticket.pk, "acceptance")]
        assert sla_sweep(now=at(23, 11, 2)).breaches == []
    breach = SlaBreach.objects.get()
    assert (breach.ticket, breach.kind, breach.due_at, breach.manager) == (ticket, "acceptance", at(23, 11), manager)
    assert len(sla_mails()) == 2 and "SLA breached" in sla_mails()[1].subject


def sla_mails() -> list:
    """The SLA e-mails sent (the filing's own notification is delivered too, by the same relay)."""
    return [message for message in mail.outbox if "SLA" in message.subject]


def test_the_sweep_catches_up_after_a_day_down(file_ticket, manager):
    with travel(at(23, 10)):
        waiting = [file_ticket() for _ in range(3)]
        accepted = file_ticket()
        services.ticket_accept(ticket_id=accepted.pk, actor=manager)
    report = sla_sweep(now=at(24, 12))
    assert sorted((b.ticket_id, b.kind) for b in SlaBreach.objects.all()) == sorted(
        [(t.pk, "acceptance") for t in waiting] + [(accepted.pk, "resolution")]
    )
    # the 80% warnings of clocks that ran out while the sweep was down are not sent after the fact
    assert report.warnings == [] and not OutboxEvent.objects.filter(type="sla.warning").exists()
    assert Ticket.objects.filter(pk__in=[t.pk for t in waiting], accept_warned=True).count() == 3
    sla_sweep(now=at(24, 12, 1))
    assert SlaBreach.objects.count() == 4


def test_paused_and_resolved_tickets_do_not_breach(file_ticket, manager, member):
    with travel(at(23, 10)):
        paused = file_ticket()
        services.ticket_accept(ticket_id=paused.pk, actor=manager)
        services.ticket_request_info(ticket_id=paused.pk, actor=manager, message="?")
        resolved = file_ticket()
        services.ticket_accept(ticket_id=resolved.pk, actor=manager)
        services.ticket_resolve(ticket_id=resolved.pk, actor=manager, resolution="Done")
    assert sla_sweep(now=at(26, 12)).breaches == []


def test_a_late_transition_records_its_own_breach(file_ticket, manager):
    with travel(at(23, 10)):
        ticket = file_ticket()
    with travel(at(23, 11, 30)):
        services.ticket_accept(ticket_id=ticket.pk, actor=manager)
    breach = SlaBreach.objects.get()
    assert (breach.kind, breach.due_at, breach.detected_at) == ("acceptance", at(23, 11), at(23, 11, 30))
    sla_sweep(now=at(23, 12))
    assert SlaBreach.objects.count() == 1


def test_dry_run_at_an_instant_writes_nothing(file_ticket):
    with travel(at(23, 10)):
        ticket = file_ticket()
    out = StringIO()
    call_command("sla_sweep", "--dry-run", "--at", at(23, 12).isoformat(), stdout=out)
    assert f"{ticket.number} acceptance breach" in out.getvalue()
    assert "would record 1 breaches" in out.getvalue()
    assert not SlaBreach.objects.exists() and not Ticket.objects.get(pk=ticket.pk).accept_warned


@pytest.mark.parametrize("args", [["--at", "2026-11-23T12:00:00+02:00"], ["--dry-run", "--at", "tomorrow"]])
def test_sweep_command_refuses_bad_arguments(args):
    with pytest.raises(CommandError):
        call_command("sla_sweep", *args)


# Reviews and calendars


def test_administrators_acknowledge_or_excuse_a_breach_with_a_note(file_ticket, manager, admin_user):
    with travel(at(23, 10)):
        file_ticket()
    sla_sweep(now=at(23, 12))
    breach = SlaBreach.objects.get()
    with pytest.raises(PermissionDenied):
        services.breach_review(breach_id=breach.pk, actor=manager, decision="excused", note="Power cut")
    with pytest.raises(InvalidInput):
        services.breach_review(breach_id=breach.pk, actor=admin_user, decision="excused", note="")
    reviewed = services.breach_review(breach_id=breach.pk, actor=admin_user, decision="excused", note="Power cut")
    assert (reviewed.review, reviewed.review_note, reviewed.reviewed_by) == ("excused", "Power cut", admin_user)


def test_holidays_import_and_the_martial_law_warning():
    calendar = WorkingCalendar.objects.get(is_default=True)
    out = StringIO()
    call_command("import_holidays", "--country", "PL", "--year", "2026", stdout=out)
    assert calendar.days.filter(date=datetime(2026, 11, 11).date()).exists()
    added = calendar.days.count()
    call_command("import_holidays", "--country", "PL", "--year", "2026", stdout=out)
    assert calendar.days.count() == added > 10
    ua = StringIO()
    call_command("import_holidays", "--country", "UA", "--year", "2026", stdout=ua)
    assert "no days off" in ua.getvalue()
    with pytest.raises(CommandError):
        call_command("import_holidays", "--country", "XX", "--year", "2026")
