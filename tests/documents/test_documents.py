"""Invoices and acts as PDF, read back as text; acts issued once per partner and month by the beat task and
e-mailed to the accountant from the stored event."""

# ruff: noqa: RUF001 -- Ukrainian document text, Cyrillic on purpose

import io
from datetime import date
from decimal import Decimal

import pytest
import time_machine
from django.core import mail
from django.core.management import CommandError, call_command
from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts.requisites import requisites_update
from billing.services import invoice_issue
from documents.files import act_pdf, invoice_pdf
from documents.models import Act
from documents.services import act_issue, acts_issue_due, acts_issue_for_month
from documents.tasks import acts_issue_due_task
from outbox.models import OutboxEvent
from outbox.relay import relay_run
from partner_support.errors import InvalidInput
from tests.documents.conftest import pdf_text

pytestmark = pytest.mark.django_db


@time_machine.travel("2026-12-03 12:00 +02:00", tick=False)
def test_the_invoice_pdf_names_both_parties_the_line_and_the_total_in_ukrainian(partner, owner, requisites):
    invoice = invoice_issue(partner=partner, requests=9, actor=owner)
    text = pdf_text(invoice_pdf(invoice))
    assert "Рахунок на оплату № INV-2026-000001 від 03.12.2026" in text
    assert "Постачальник: ТОВ «Демо CRM» ЄДРПОУ: 39123451 Не платник ПДВ" in text
    assert "Замовник: ТОВ «Альфа Інтеграції» ЄДРПОУ: 31316718 Номер платника ПДВ: 313167126598" in text
    assert "04053, м. Київ, вул. Січових Стрільців, 21" in text
    assert "Консультації підтримки (звернення), передоплата на депозит 9 180,00 1 620,00" in text
    assert "Разом, UAH 1 620,00" in text
    assert "Без ПДВ." in text


@time_machine.travel("2026-12-03 12:00 +02:00", tick=False)
def test_the_invoice_is_made_in_another_language_on_request(partner, owner, requisites):
    invoice = invoice_issue(partner=partner, requests=9, actor=owner)
    english = pdf_text(invoice_pdf(invoice, language="en"))
    assert "Invoice No. INV-2026-000001 of 2026-12-03" in english
    assert "Total, UAH 1,620.00" in english
    russian = pdf_text(invoice_pdf(invoice, language="ru"))
    assert "Счёт на оплату № INV-2026-000001 от 03.12.2026" in russian


@time_machine.travel("2026-12-03 12:00 +02:00", tick=False)
def test_a_vat_paying_vendor_shows_the_vat_in_the_total(partner, owner, requisites, settings):
    settings.VENDOR_REQUISITES = {**settings.VENDOR_REQUISITES, "vat_number": "391234526591"}
    invoice = invoice_issue(partner=partner, requests=10, actor=owner)
    text = pdf_text(invoice_pdf(invoice))
    assert "Номер платника ПДВ: 391234526591" in text
    assert "У тому числі ПДВ 20%: 300,00 UAH." in text


@time_machine.travel("2026-12-03 12:00 +02:00", tick=False)
def test_an_issued_invoice_keeps_the_requisites_it_was_issued_to(partner, owner, requisites):
    invoice = invoice_issue(partner=partner, requests=1, actor=owner)
    requisites_update(partner=partner, actor=owner, legal_name="ТОВ «Нова назва»")
    assert "ТОВ «Альфа Інтеграції»" in pdf_text(invoice_pdf(invoice))
    later = invoice_issue(partner=partner, requests=1, actor=owner)
    assert "ТОВ «Нова назва»" in pdf_text(invoice_pdf(later))


@time_machine.travel("2026-12-03 12:00 +02:00", tick=False)
def test_without_requisites_the_invoice_names_the_partner(partner, owner):
    invoice = invoice_issue(partner=partner, requests=1, actor=owner)
    assert f"Замовник: {partner.name}" in pdf_text(invoice_pdf(invoice))


@pytest.fixture
def november(charge):
    """Three requests charged in November 2026 (Kyiv time), one on 31 October and one on 1 December."""
    charge("Before the month", at="2026-10-31 23:30 +02:00")
    charge("Export to Excel stops", at="2026-11-02 10:00 +02:00")
    charge("Three reports", at="2026-11-16 11:00 +02:00", kind="composite", parts=3, price="540.00")
    charge("CRM is down", at="2026-11-30 23:59 +02:00", kind="bug")
    charge("After the month", at="2026-12-01 00:00 +02:00")


@time_machine.travel("2026-12-01 09:00 +02:00", tick=False)
def test_the_act_lists_every_request_charged_in_the_month_with_the_total(partner, requisites, november):
    act = act_issue(partner=partner, period=date(2026, 11, 1))
    assert (act.number, act.period, act.total) == ("ACT-2026-000001", date(2026, 11, 1), Decimal("900.00"))
    assert [(line["title"], line["kind"], line["parts"], line["amount"]) for line in act.lines] == [
        ("Export to Excel stops", "simple", 1, "180.00"),
        ("Three reports", "composite", 3, "540.00"),
        ("CRM is down", "bug", 1, "180.00"),
    ]
    text = pdf_text(act_pdf(act))
    assert "Акт наданих послуг № ACT-2026-000001 від 01.12.2026" in text
    assert "Замовник: ТОВ «Альфа Інтеграції» ЄДРПОУ: 31316718" in text
    numbers = [line["number"] for line in act.lines]
    assert f"1 {numbers[0]} Export to Excel stops (Просте) 1 180,00 180,00" in text
    assert f"2 {numbers[1]} Three reports (Складене) 3 180,00 540,00" in text
    assert f"3 {numbers[2]} CRM is down (Критична помилка) 1 180,00 180,00" in text
    assert "Разом, UAH 900,00" in text
    assert "Період: 01.11.2026 - 30.11.2026." in text
    assert "Before the month" not in text
    assert "After the month" not in text


@time_machine.travel("2026-12-01 09:00 +02:00", tick=False)
def test_an_act_is_issued_once_per_partner_and_month(partner, november):
    first = act_issue(partner=partner, period=date(2026, 11, 1))
    assert act_issue(partner=partner, period=date(2026, 11, 20)) == first
    assert Act.objects.count() == 1
    with pytest.raises(IntegrityError), transaction.atomic():
        Act.objects.create(partner=partner, number="ACT-X", period=date(2026, 11, 1), total=Decimal("1.00"))


@time_machine.travel("2026-12-01 09:00 +02:00", tick=False)
def test_no_act_for_a_month_without_charges_nor_for_a_month_not_over(partner, november):
    assert act_issue(partner=partner, period=date(2026, 9, 1)) is None
    with pytest.raises(InvalidInput, match="month that has ended"):
        act_issue(partner=partner, period=date(2026, 12, 1))
    assert not Act.objects.exists()


def test_the_beat_task_issues_last_months_acts_from_the_first_working_day(partner, charge):
    charge("January request", at="2026-01-20 10:00 +02:00")
    with time_machine.travel("2026-02-01 10:00 +02:00", tick=False):  # a Sunday
        assert acts_issue_due(now=timezone.now()) == []
    with time_machine.travel("2026-02-02 00:05 +02:00", tick=False):  # Monday, the first working day
        assert acts_issue_due_task() == 1
        assert acts_issue_due_task() == 0
    assert Act.objects.count() == 1


def test_a_scheduler_that_was_down_catches_up_later_in_the_month(partner, charge):
    charge("January request", at="2026-01-20 10:00 +02:00")
    with time_machine.travel("2026-02-17 10:00 +02:00", tick=False):
        assert [act.period for act in acts_issue_for_month(period=date(2026, 1, 1))] == [date(2026, 1, 1)]
        assert acts_issue_for_month(period=date(2026, 1, 1)) == []


@time_machine.travel("2026-12-01 09:00 +02:00", tick=False)
def test_the_act_is_emailed_to_the_accountant_once_with_its_pdf(partner, requisites, november):
    mail.outbox.clear()
    act = act_issue(partner=partner, period=date(2026, 11, 1))
    relay_run()
    documents = [message for message in mail.outbox if message.to == ["buh@alpha.example.com"]]
    assert len(documents) == 1
    message = documents[0]
    assert message.subject == "Акт наданих послуг ACT-2026-000001 від ТОВ «Демо CRM»"
    (filename, content, mimetype) = message.attachments[0]
    assert (filename, mimetype) == ("ACT-2026-000001.pdf", "application/pdf")
    assert "Разом, UAH 900,00" in pdf_text(content)
    event = OutboxEvent.objects.get(type="act.issued")
    assert (event.partner_id, event.public, event.payload["act"]["id"]) == (partner.pk, False, act.pk)
    OutboxEvent.objects.filter(pk=event.pk).update(delivered_at=None, done_by=[])
    relay_run()
    assert len([m for m in mail.outbox if m.to == ["buh@alpha.example.com"]]) == 1


@time_machine.travel("2026-12-03 12:00 +02:00", tick=False)
def test_an_invoice_is_emailed_to_the_accountant_and_nothing_without_an_address(partner, owner, requisites):
    mail.outbox.clear()
    invoice_issue(partner=partner, requests=2, actor=owner)
    relay_run()
    assert [(m.to, m.attachments[0][0]) for m in mail.outbox] == [(["buh@alpha.example.com"], "INV-2026-000001.pdf")]
    requisites_update(partner=partner, actor=owner, accountant_email="")
    invoice_issue(partner=partner, requests=2, actor=owner)
    relay_run()
    assert len(mail.outbox) == 1


@time_machine.travel("2026-12-01 09:00 +02:00", tick=False)
def test_acts_are_issued_by_hand_with_the_command(partner, november):
    out = io.StringIO()
    call_command("issue_acts", "--month", "2026-11", stdout=out)
    call_command("issue_acts", "--month", "2026-11", stdout=out)
    assert out.getvalue().count("ACT-2026-000001") == 1
    assert "0 acts for 2026-11." in out.getvalue()
    assert Act.objects.count() == 1
    with pytest.raises(CommandError, match="month that has ended"):
        call_command("issue_acts", "--month", "2026-12")
    with pytest.raises(CommandError, match="YYYY-MM"):
        call_command("issue_acts", "--month", "November")
