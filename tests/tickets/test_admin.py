"""The administrators' console pages of the tickets app render, and records written by services stay read-only."""

import pytest
from django.urls import reverse

from tickets.models import SlaBreach, WorkingCalendar

pytestmark = pytest.mark.django_db


def test_ticket_breach_and_calendar_pages_render_for_administrators(client, admin_user, file_ticket):
    ticket = file_ticket()
    breach = SlaBreach.objects.create(ticket=ticket, kind="acceptance", due_at=ticket.accept_due_at)
    calendar = WorkingCalendar.objects.get(is_default=True)
    client.force_login(admin_user)
    for url in (
        reverse("admin:tickets_ticket_changelist"),
        reverse("admin:tickets_ticket_change", args=[ticket.pk]),
        reverse("admin:tickets_slabreach_changelist"),
        reverse("admin:tickets_slabreach_change", args=[breach.pk]),
        reverse("admin:tickets_workingcalendar_change", args=[calendar.pk]),
        reverse("admin:tickets_slapolicy_changelist"),
    ):
        assert client.get(url).status_code == 200, url
    assert client.get(reverse("admin:tickets_slabreach_delete", args=[breach.pk])).status_code == 403
    assert client.get(reverse("admin:tickets_ticket_add")).status_code == 403


def test_acknowledging_from_the_admin_goes_through_the_service(client, admin_user, file_ticket):
    ticket = file_ticket()
    breach = SlaBreach.objects.create(ticket=ticket, kind="acceptance", due_at=ticket.accept_due_at)
    client.force_login(admin_user)
    client.post(
        reverse("admin:tickets_slabreach_changelist"), {"action": "acknowledge", "_selected_action": [breach.pk]}
    )
    breach.refresh_from_db()
    assert (breach.review, breach.reviewed_by) == ("acknowledged", admin_user)
