"""The monthly service report: its SLA figures are the SLA audit's for the same partner and month (one
computation, tickets.sla_stats), with the requests, time, money and ratings of the month; page, PDF and API."""

from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse

from billing.services import tariff_for
from documents.report import monthly_report
from staff.selectors import audit_stats
from tests.documents.conftest import pdf_text
from tests.factories import PartnerOwnerFactory, ProjectFactory, UserFactory
from tickets import services
from tickets.models import SlaBreach

pytestmark = pytest.mark.django_db
KYIV = ZoneInfo("Europe/Kyiv")
NOVEMBER = date(2026, 11, 1)


def at(day: int, hour: int, minute: int = 0, month: int = 11) -> datetime:
    return datetime(2026, month, day, hour, minute, tzinfo=KYIV)  # 2026-11-23 is a Monday


def step(moment: datetime, action):
    with time_machine.travel(moment, tick=False):
        return action()


@pytest.fixture
def month(funded, file_ticket, manager, member, admin_user):
    """November 2026 of one partner: in time, accepted late, resolved late (credited, then excused), still open,
    a bug by phone; rated and timed; and another partner's late request, which must not count."""
    tariff = tariff_for(partner=funded)
    tariff.sla_credits = True
    tariff.save()
    quick = step(at(23, 10), lambda: file_ticket(title="Quick"))
    step(at(23, 10, 20), lambda: services.ticket_accept(ticket_id=quick.pk, actor=manager))
    step(at(23, 11), lambda: services.time_entry_add(ticket_id=quick.pk, actor=manager, minutes=45))
    step(at(23, 12), lambda: services.ticket_resolve(ticket_id=quick.pk, actor=manager, resolution="Done"))
    step(at(23, 13), lambda: services.rating_add(ticket_id=quick.pk, actor=member, score=5))
    slow = step(at(23, 10), lambda: file_ticket(title="Accepted late"))
    step(at(23, 12), lambda: services.ticket_accept(ticket_id=slow.pk, actor=manager))
    step(at(23, 15), lambda: services.ticket_resolve(ticket_id=slow.pk, actor=manager, resolution="Done"))
    step(at(23, 16), lambda: services.rating_add(ticket_id=slow.pk, actor=member, score=2))
    late = step(at(24, 10), lambda: file_ticket(title="Resolved late"))
    step(at(24, 10, 30), lambda: services.ticket_accept(ticket_id=late.pk, actor=manager))
    step(at(25, 15), lambda: services.time_entry_add(ticket_id=late.pk, actor=manager, minutes=90))
    step(at(26, 12), lambda: services.ticket_resolve(ticket_id=late.pk, actor=manager, resolution="Done"))
    open_one = step(at(27, 10), lambda: file_ticket(title="Still open"))
    step(at(27, 10, 10), lambda: services.ticket_accept(ticket_id=open_one.pk, actor=manager))
    step(at(30, 11), lambda: file_ticket("bug", actor=manager, channel="phone", title="CRM is down"))
    breach = SlaBreach.objects.get(ticket=late, kind="resolution")
    step(
        at(30, 12), lambda: services.breach_review(breach_id=breach.pk, actor=admin_user, decision="excused", note="x")
    )
    other = ProjectFactory()
    stranger = UserFactory(partner=other.partner)
    other_ticket = step(at(23, 10), lambda: file_ticket("bug", project_id=other.pk, actor=stranger))
    step(at(24, 12), lambda: services.ticket_accept(ticket_id=other_ticket.pk, actor=other.manager))
    return funded


def test_the_reports_service_level_is_the_sla_audits_for_the_partner_and_month(month):
    report = monthly_report(partner=month, period=NOVEMBER)
    audit = audit_stats(since=NOVEMBER, until=date(2026, 11, 30), partner=month.pk)
    assert report.sla == audit.totals
    assert sum(row.accepted for row in audit.weeks) == report.sla.accepted == 4
    assert sum(row.breaches for row in audit.weeks) == report.sla.breaches == 2
    assert [row.stats for row in audit.managers] == [report.sla]  # one manager served the partner
    assert (report.sla.acceptance_breaches, report.sla.resolution_breaches, report.sla.resolved_late) == (1, 1, 1)
    assert report.sla.resolved == 3
    assert report.sla.accepted_in_time_share == 0.75
    assert report.sla.resolved_in_time_share == pytest.approx(2 / 3)
    assert report.sla.median_acceptance == 25  # 20, 30, 10 and 120 working minutes
    assert report.sla.median_resolution == 180  # 100, 180 and 1050 working minutes


def test_the_report_counts_requests_time_money_and_ratings_of_the_month(month):
    report = monthly_report(partner=month, period=NOVEMBER)
    assert report.filed == 5
    assert dict((value, count) for value, _label, count in report.by_kind) == {
        "simple": 4,
        "composite": 0,
        "bug": 1,
        "enhancement": 0,
    }
    assert dict((value, count) for value, _label, count in report.by_channel) == {
        "web": 4,
        "api": 0,
        "email": 0,
        "phone": 1,
    }
    assert report.minutes_logged == 135
    assert (report.charged, report.credited, report.spent) == (Decimal("540.00"), Decimal("0.00"), Decimal("540.00"))
    assert report.balance_at_end == Decimal("1260.00")
    assert (report.ratings, report.rating_average) == (2, 3.5)


def test_a_month_without_activity_reports_zeros(funded):
    report = monthly_report(partner=funded, period=date(2026, 10, 1))
    assert (report.filed, report.sla.accepted, report.sla.accepted_in_time_share, report.ratings) == (0, 0, None, 0)
    assert report.balance_at_end == Decimal("0.00")  # the deposit was funded later


@time_machine.travel("2026-12-02 10:00 +02:00", tick=False)
def test_members_see_the_report_page_and_its_pdf(client, member, month, django_assert_max_num_queries):
    client.force_login(member)
    with django_assert_max_num_queries(20):
        page = client.get(reverse("documents:report"))
    assert page.status_code == 200
    text = page.content.decode()
    assert "<svg" in text and "75%" in text and "1,260.00" in text
    assert reverse("documents:report") in client.get(reverse("billing:account")).content.decode()
    pdf = client.get(reverse("documents:report_pdf") + "?month=2026-11")
    content = pdf_text(pdf.content)
    assert "Щомісячний звіт про обслуговування" in content
    assert "Прийнято в межах SLA 75%" in content
    assert "Списано за звернення, грн 540,00" in content
    assert "Paid enhancement" not in content and "Платне доопрацювання" in content  # kinds in the PDF's language


@time_machine.travel("2026-12-02 10:00 +02:00", tick=False)
def test_the_api_answers_the_same_figures(client, member, month):
    client.force_login(member)
    answer = client.get("/api/v1/reports/monthly/?month=2026-11").json()
    report = monthly_report(partner=month, period=NOVEMBER)
    assert answer["sla"]["accepted"] == report.sla.accepted
    assert answer["sla"]["accepted_in_time_share"] == 0.75
    assert answer["sla"]["median_resolution_minutes"] == 180
    assert (answer["spent"], answer["balance_at_end"], answer["filed"]) == ("540.00", "1260.00", 5)
    assert client.get("/api/v1/reports/monthly/").json()["month"] == "2026-11-01"
    pdf = client.get("/api/v1/reports/monthly/pdf/?month=2026-11&language=en")
    assert "Monthly service report" in pdf_text(pdf.content)


@time_machine.travel("2026-12-02 10:00 +02:00", tick=False)
@pytest.mark.parametrize("month_text", ["2026-13", "November", "2027-01"])
def test_a_wrong_or_future_month_is_a_400(client, member, funded, month_text):
    client.force_login(member)
    answer = client.get(f"/api/v1/reports/monthly/?month={month_text}")
    assert answer.status_code == 400
    assert "month" in answer.json()


@time_machine.travel("2026-12-02 10:00 +02:00", tick=False)
def test_reports_stay_with_their_partner(client, month, admin_user, manager):
    stranger = PartnerOwnerFactory()
    client.force_login(stranger)
    answer = client.get(f"/api/v1/reports/monthly/?month=2026-11&partner={month.pk}").json()
    assert (answer["partner"], answer["filed"]) == (stranger.partner_id, 0)
    client.force_login(manager)
    assert client.get("/api/v1/reports/monthly/").status_code == 404
    assert client.get(reverse("documents:report")).status_code == 404
    client.force_login(admin_user)
    assert client.get(f"/api/v1/reports/monthly/?month=2026-11&partner={month.pk}").json()["filed"] == 5


def test_the_sla_audit_page_shows_the_same_totals_for_the_partner(client, admin_user, month):
    client.force_login(admin_user)
    page = client.get(
        reverse("staff:audit"), {"partner": month.pk, "since": "2026-11-01", "until": "2026-11-30"}
    ).content.decode()
    totals = page.split('id="period-totals"')[1].split("</p>")[0]
    assert "4 accepted, 2 breaches, 3 resolved" in totals
    assert "accepted in time 75%" in totals
    assert "median acceptance, min 25" in totals
    assert "median resolution, h 3" in totals
