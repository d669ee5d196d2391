"""SLA credits (a contract option, off by default): a request resolved after its deadline is credited back once,
by an entry of its own; excusing its breach later takes the credit back once; the ledger still reconciles."""

from datetime import date, datetime
from decimal import Decimal
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.management import call_command
from django.urls import reverse

from billing.models import DepositAccount, EntryKind, LedgerEntry, Tariff
from billing.services import adjustment_record, tariff_for
from documents.files import act_pdf
from documents.services import act_issue
from tests.documents.conftest import pdf_text
from tests.helpers import postgres_only, run_concurrently
from tickets import services
from tickets.models import SlaBreach
from tickets.sweep import sla_sweep

pytestmark = pytest.mark.django_db
KYIV = ZoneInfo("Europe/Kyiv")


def at(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 11, day, hour, minute, tzinfo=KYIV)  # 2026-11-23 is a Monday


def credits_on(partner, percent: int = 100) -> Tariff:
    tariff = tariff_for(partner=partner)
    tariff.sla_credits, tariff.sla_credit_percent = True, percent
    tariff.save()
    return tariff


@pytest.fixture
def accepted(file_ticket, manager):
    """A simple request accepted at 10:30 on Monday 23 November: to be resolved by 09:30 on Tuesday."""
    with time_machine.travel(at(23, 10), tick=False):
        ticket = file_ticket()
    with time_machine.travel(at(23, 10, 30), tick=False):
        services.ticket_accept(ticket_id=ticket.pk, actor=manager)
    return ticket


def resolve(ticket, manager, moment: datetime):
    with time_machine.travel(moment, tick=False):
        return services.ticket_resolve(ticket_id=ticket.pk, actor=manager, resolution="Fixed")


def entries(kind: str) -> list[LedgerEntry]:
    return list(LedgerEntry.objects.filter(kind=kind).order_by("id"))


def reconciles() -> bool:
    """reconcile_ledger exits non-zero (SystemExit) when an account does not add up."""
    out = StringIO()
    call_command("reconcile_ledger", stdout=out)
    return out.getvalue().startswith("OK:")


def test_off_by_default(funded, accepted, manager):
    assert tariff_for(partner=funded).sla_credits is False
    resolve(accepted, manager, at(24, 12))
    assert SlaBreach.objects.filter(kind="resolution").count() == 1
    assert entries(EntryKind.SLA_CREDIT) == []


def test_a_late_request_is_credited_back_once(funded, accepted, manager, member, client):
    credits_on(funded)
    resolve(accepted, manager, at(24, 12))
    with time_machine.travel(at(25, 10), tick=False):
        services.ticket_reopen(ticket_id=accepted.pk, actor=member, reason="Still wrong")
    resolve(accepted, manager, at(25, 11))
    (credit,) = entries(EntryKind.SLA_CREDIT)
    assert (credit.amount, credit.ticket_id, credit.idempotency_key) == (
        Decimal("180.00"),
        accepted.pk,
        f"sla_credit:ticket:{accepted.pk}",
    )
    assert DepositAccount.objects.get(partner=funded).balance == Decimal("1800.00")
    assert reconciles()
    client.force_login(member)
    page = client.get(reverse("billing:account")).content.decode()
    assert "SLA credit" in page and accepted.number in page


def test_the_contract_may_credit_a_share_of_the_price(funded, accepted, manager):
    credits_on(funded, percent=50)
    resolve(accepted, manager, at(24, 12))
    assert [entry.amount for entry in entries(EntryKind.SLA_CREDIT)] == [Decimal("90.00")]


def test_a_request_resolved_in_time_is_not_credited(funded, accepted, manager):
    credits_on(funded)
    resolve(accepted, manager, at(24, 9, 29))
    assert entries(EntryKind.SLA_CREDIT) == []


def test_excusing_the_breach_later_takes_the_credit_back_once(funded, accepted, manager, admin_user):
    credits_on(funded)
    resolve(accepted, manager, at(24, 12))
    breach = SlaBreach.objects.get(kind="resolution")
    for decision in ("excused", "acknowledged", "excused"):
        services.breach_review(breach_id=breach.pk, actor=admin_user, decision=decision, note="Production outage")
    (credit,) = entries(EntryKind.SLA_CREDIT)
    (reversal,) = entries(EntryKind.SLA_CREDIT_REVERSAL)
    assert (reversal.amount, reversal.ticket_id, reversal.idempotency_key) == (
        Decimal("-180.00"),
        accepted.pk,
        f"sla_credit:ticket:{accepted.pk}:reversal",
    )
    assert credit.amount == Decimal("180.00")  # the credit itself is never changed
    assert DepositAccount.objects.get(partner=funded).balance == Decimal("1620.00")
    assert reconciles()


def test_a_breach_excused_before_resolution_gives_no_credit(funded, accepted, manager, admin_user):
    credits_on(funded)
    sla_sweep(now=at(24, 10))
    breach = SlaBreach.objects.get(kind="resolution")
    services.breach_review(breach_id=breach.pk, actor=admin_user, decision="excused", note="Waiting on the vendor")
    resolve(accepted, manager, at(24, 12))
    assert entries(EntryKind.SLA_CREDIT) == entries(EntryKind.SLA_CREDIT_REVERSAL) == []


def test_an_acceptance_breach_alone_gives_no_credit(funded, file_ticket, manager):
    credits_on(funded)
    with time_machine.travel(at(23, 10), tick=False):
        ticket = file_ticket()
    with time_machine.travel(at(23, 12), tick=False):
        services.ticket_accept(ticket_id=ticket.pk, actor=manager)
    resolve(ticket, manager, at(23, 13))
    assert SlaBreach.objects.get().kind == "acceptance"
    assert entries(EntryKind.SLA_CREDIT) == []


def test_taking_back_a_credit_already_spent_may_overdraw(funded, accepted, manager, admin_user):
    credits_on(funded)
    resolve(accepted, manager, at(24, 12))
    adjustment_record(
        partner=funded, amount=Decimal("-1800.00"), actor=admin_user, memo="Refund to the partner", idempotency_key="r"
    )
    breach = SlaBreach.objects.get(kind="resolution")
    services.breach_review(breach_id=breach.pk, actor=admin_user, decision="excused", note="Outage")
    assert DepositAccount.objects.get(partner=funded).balance == Decimal("-180.00")
    assert reconciles()


def test_administrators_switch_credits_on_in_the_admin_and_it_is_audited(client, admin_user, funded):
    tariff = tariff_for(partner=funded)
    client.force_login(admin_user)
    url = reverse("admin:billing_tariff_change", args=[tariff.pk])
    form = {
        "partner": funded.pk,
        "price_per_request": "180.00",
        "hourly_rate": "600.00",
        "bill_bugs": "on",
        "currency": "UAH",
        "sla_credits": "on",
        "sla_credit_percent": "50",
    }
    assert client.post(url, {**form, "sla_credit_percent": "150"}).status_code == 200
    assert client.post(url, form).status_code == 302
    tariff.refresh_from_db()
    assert (tariff.sla_credits, tariff.sla_credit_percent) == (True, 50)
    changes = client.get(reverse("staff:changes")).content.decode()
    assert "sla_credit_percent" in changes


def test_the_act_shows_the_credit_and_its_reversal(funded, accepted, manager, admin_user):
    credits_on(funded)
    resolve(accepted, manager, at(24, 12))
    breach = SlaBreach.objects.get(kind="resolution")
    with time_machine.travel(at(26, 12), tick=False):
        services.breach_review(breach_id=breach.pk, actor=admin_user, decision="excused", note="Outage")
    with time_machine.travel("2026-12-01 09:00 +02:00", tick=False):
        act = act_issue(partner=funded, period=date(2026, 11, 1))
    assert [(line["entry"], line["amount"]) for line in act.lines] == [
        ("debit", "180.00"),
        ("sla_credit", "-180.00"),
        ("sla_reversal", "180.00"),
    ]
    assert act.total == Decimal("180.00")
    text = pdf_text(act_pdf(act, language="en"))
    assert (
        f"2 {accepted.number} SLA credit, resolved after the deadline: The export fails (Simple) 1 -180.00 -180.00"
        in text
    )
    assert f"3 {accepted.number} SLA credit taken back, the breach was excused: The export fails (Simple)" in text
    assert "Total, UAH 180.00" in text


@postgres_only
@pytest.mark.django_db(transaction=True)
def test_an_excuse_racing_the_late_resolution_never_leaves_a_credit(funded, accepted, manager, admin_user):
    credits_on(funded)
    sla_sweep(now=at(24, 10))
    breach = SlaBreach.objects.get(kind="resolution")
    with time_machine.travel(at(24, 12), tick=True):
        results = run_concurrently(
            [
                lambda: services.ticket_resolve(ticket_id=accepted.pk, actor=manager, resolution="Fixed"),
                lambda: services.breach_review(breach_id=breach.pk, actor=admin_user, decision="excused", note="x"),
            ]
        )
    assert not any(isinstance(result, Exception) for result in results), results
    credited = sum(entry.amount for entry in LedgerEntry.objects.filter(kind__startswith="sla_"))
    assert credited == 0
    assert len(entries(EntryKind.SLA_CREDIT)) == len(entries(EntryKind.SLA_CREDIT_REVERSAL)) <= 1
    assert reconciles()
