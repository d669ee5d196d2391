"""One date and amount format per language, system notes worded in the reader's language, and the page furniture:
favicon, error pages, skip link, the admin's plural names, the time zone list, a quiet development log."""

# ruff: noqa: RUF001 -- Ukrainian expectations, Cyrillic on purpose

import logging
from datetime import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.contrib import admin
from django.core import mail
from django.test import override_settings
from django.urls import reverse
from django.utils import translation

from accounts.forms import PreferencesForm, time_zone_names
from billing.formatting import amount_text
from tests.tickets.conftest import drive
from tickets import services
from tickets.models import Status

pytestmark = pytest.mark.django_db

KYIV = ZoneInfo("Europe/Kyiv")


def _as(user, language: str):
    user.language = language
    user.save(update_fields=["language"])
    return user


@pytest.mark.parametrize(
    ("language", "shown"),
    [("en", "3 Dec 2026, 16:14"), ("uk", "03.12.2026 16:14"), ("ru", "03.12.2026 16:14")],
)
def test_one_date_format_per_language_on_every_page(client, file_ticket, member, language, shown):
    with time_machine.travel(datetime(2026, 12, 3, 16, 14, tzinfo=KYIV), tick=False):
        ticket = file_ticket()
    client.force_login(_as(member, language))
    for url in (f"/tickets/{ticket.pk}/", "/tickets/"):
        assert shown in client.get(url).text, url
    for wrong in ("p.m.", "12/03/2026", "Dec. 3"):
        assert wrong not in client.get(f"/tickets/{ticket.pk}/").text


@pytest.mark.parametrize(
    ("language", "shown"), [("en", "1,620.00\xa0UAH"), ("uk", "1\xa0620,00\xa0грн"), ("ru", "1\xa0620,00\xa0грн")]
)
def test_amounts_in_the_readers_language(client, file_ticket, member, language, shown):
    file_ticket()  # 180.00 of the 1800.00 held
    client.force_login(_as(member, language))
    assert shown in client.get("/").text
    assert shown in client.get("/billing/").text


def test_amount_text_groups_thousands_in_each_language():
    with translation.override("en"):
        assert amount_text(Decimal("1234567.5")) == "1,234,567.50\xa0UAH"
    with translation.override("uk"):
        assert amount_text(Decimal("-80")) == "-80,00\xa0грн"
    assert amount_text(None) == "—"


def test_system_notes_and_memos_are_worded_in_the_readers_language(client, file_ticket, manager, member):
    ticket = drive(file_ticket(), Status.WAITING_PARTNER, manager=manager, partner_user=member)
    services.comment_add(ticket_id=ticket.pk, actor=member, body="Chrome")  # resumes, written in English
    services.time_entry_add(ticket_id=ticket.pk, actor=manager, minutes=45, note="")
    services.ticket_resolve(ticket_id=ticket.pk, actor=manager, resolution="Fixed")
    client.force_login(_as(member, "uk"))
    page = client.get(f"/tickets/{ticket.pk}/").text
    assert "Відновлено відповіддю партнера." in page and "Resumed by the partner" not in page
    assert "45 хв" in page and "45 min" not in page
    statement = client.get("/billing/").text
    assert f"Звернення {ticket.number}" in statement and f"Request {ticket.number}" not in statement
    history = client.get(f"/api/v1/tickets/{ticket.pk}/history/").json()
    assert "Відновлено відповіддю партнера." in [row["note"] for row in history]


def test_a_favicon_is_served_and_linked(client, member):
    answer = client.get("/favicon.ico")
    assert answer.status_code == 301 and answer.url.endswith("favicon.svg")
    client.force_login(member)
    assert 'rel="icon"' in client.get("/").text


def test_a_skip_link_comes_before_the_navigation(client, member):
    client.force_login(member)
    page = client.get("/").text
    assert page.index('class="skip-link" href="#content"') < page.index("<nav")
    assert '<main class="container" id="content"' in page


def test_error_pages_are_our_own(client, member, file_ticket):
    client.force_login(member)
    missing = client.get("/tickets/999999/")
    assert missing.status_code == 404 and 'id="error-page"' in missing.text and "Go to the start page" in missing.text
    ticket = file_ticket()
    opened = client.get(f"/tickets/{ticket.pk}/actions/cancel/")
    assert opened.status_code == 405 and "Use the button on the page" in opened.text and opened["Allow"] == "POST"
    assert client.get("/api/v1/tickets/1/cancel/").status_code in (401, 403, 404, 405)


def test_the_403_and_500_pages_render(client, rf, member):
    from partner_support import urls

    request = rf.get("/billing/")
    request.user = member
    assert "Something went wrong" in urls.handler500(request).content.decode()
    client.force_login(member)
    with override_settings(ROOT_URLCONF="tests.ui.forbidden_urls"):
        page = client.get("/forbidden/")
    assert page.status_code == 403 and "Not allowed" in page.text


def test_the_admin_names_its_lists_in_good_english():
    plurals = {str(model._meta.verbose_name_plural) for model in admin.site._registry}
    assert {"SLA breaches", "SLA policies", "webhook deliveries", "API tokens"} <= plurals
    assert not {name for name in plurals if name.endswith(("ys", "chs", "shs")) or name.startswith("sla")}


def test_each_time_zone_once_under_its_current_name():
    names = time_zone_names()
    assert "Europe/Kyiv" in names and "Europe/Kiev" not in names and "US/Eastern" not in names
    assert len(names) == len(set(names)) and len(names) < 450


def test_an_old_time_zone_name_stays_valid_for_who_has_it(member):
    member.timezone = "Europe/Kiev"
    form = PreferencesForm(instance=member)
    assert ("Europe/Kiev", "Europe/Kiev") in form.fields["timezone"].choices


def test_development_mail_is_one_log_line_and_a_file(tmp_path, caplog):
    backend = "partner_support.mail.LoggedFileEmailBackend"
    with override_settings(EMAIL_BACKEND=backend, EMAIL_FILE_PATH=tmp_path), caplog.at_level(logging.INFO):
        mail.send_mail("[PS-000001] Accepted", "A long body\nwith lines", "support@example.com", ["a@example.com"])
    lines = [record.getMessage() for record in caplog.records if record.name == "partner_support.mail"]
    assert len(lines) == 1 and "a@example.com" in lines[0] and "Accepted" in lines[0] and "long body" not in lines[0]
    [stored] = tmp_path.iterdir()
    assert "A long body" in stored.read_text()


def test_the_file_system_broker_does_not_warn_of_its_missing_host(settings):
    if settings.CELERY_BROKER_URL.startswith(("filesystem://", "memory://")):
        assert settings.LOGGING["loggers"]["kombu.connection"]["level"] == "ERROR"
    else:
        assert settings.LOGGING["loggers"]["kombu.connection"]["level"] == "WARNING"


@pytest.mark.parametrize(("language", "label"), [("uk", "Електронна пошта"), ("ru", "Электронная почта")])
def test_the_password_reset_page_names_its_field_in_the_language(client, language, label):
    client.cookies["django_language"] = language
    page = client.get(reverse("password_reset")).text
    assert f'<label for="id_email">{label}' in page and ">Email<" not in page


def test_the_login_page_is_where_the_readme_says(client):
    assert client.get(reverse("login")).status_code == 200
    assert reverse("login") == "/login/"


def test_the_low_deposit_warning_stays_on_the_dashboard_line(client, partner, owner, admin_user):
    from billing.services import deposit_top_up

    deposit_top_up(partner=partner, amount=Decimal("200.00"), actor=admin_user, memo="t", idempotency_key="low:1")
    client.force_login(owner)
    page = client.get("/").text
    assert '<strong id="available" class="low">' in page  # coloured, not a block of its own (.error is one)
    assert "covers fewer than three requests" in page


def test_chart_units_are_in_the_readers_language():
    from staff.charts import weekly_charts

    with translation.override("uk"):
        [chart] = weekly_charts([], {}, [("t", translation.gettext("min"), "a", lambda row: row)])
    assert chart.unit == "хв"
