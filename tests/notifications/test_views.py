"""The notification list, marking read, the unread count and the e-mail preferences: each user's own only."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from notifications.context_processors import unread
from notifications.models import EmailPreference, Kind, Notification
from notifications.services import notification_mark_read
from partner_support.errors import NotFound

pytestmark = pytest.mark.django_db


def note(user, title="Accepted: Export fails", **fields) -> Notification:
    return Notification.objects.create(
        user=user, kind=Kind.TICKET_ACCEPTED, key=f"test:{title}", title=title, body="Body", **fields
    )


def test_the_list_shows_only_ones_own_notifications_and_the_unread_count(client, member, outsider):
    note(member, "Mine")
    note(member, "Mine too", read_at=timezone.now())
    note(outsider, "Theirs")
    client.force_login(member)
    response = client.get(reverse("notifications:list"))
    assert response.status_code == 200
    assert "Mine" in response.text and "Theirs" not in response.text
    assert response.context["unread"] == 1


def test_marking_read_one_and_all(client, member):
    first, second = note(member, "First"), note(member, "Second")
    client.force_login(member)
    assert client.post(reverse("notifications:read", args=[first.pk])).status_code == 302
    assert Notification.objects.filter(read_at__isnull=True).get() == second
    client.post(reverse("notifications:read_all"))
    assert not Notification.objects.filter(read_at__isnull=True).exists()


def test_another_users_notification_answers_404(client, member, outsider):
    theirs = note(outsider)
    client.force_login(member)
    assert client.post(reverse("notifications:read", args=[theirs.pk])).status_code == 404
    assert client.get(reverse("notifications:read", args=[theirs.pk])).status_code == 405
    assert Notification.objects.get(pk=theirs.pk).read_at is None
    with pytest.raises(NotFound):
        notification_mark_read(user=member, notification_id=theirs.pk)


def test_pages_need_a_login(client):
    for name in ("notifications:list", "notifications:preferences"):
        response = client.get(reverse(name))
        assert response.status_code == 302 and "/login" in response.url


def test_the_context_processor_counts_unread_for_the_nav(member, rf: RequestFactory):
    note(member)
    request = rf.get("/")
    request.user = member
    assert unread(request) == {"unread_notifications": 1}
    request.user = AnonymousUser()
    assert unread(request) == {"unread_notifications": 0}


def test_preferences_mute_and_unmute_per_kind(client, member):
    client.force_login(member)
    response = client.get(reverse("notifications:preferences"))
    assert response.status_code == 200 and Kind.COMMENT.value in response.text
    client.post(reverse("notifications:preferences"), {"muted": [Kind.COMMENT, Kind.TICKET_RESOLVED]})
    muted = set(EmailPreference.objects.filter(user=member, muted=True).values_list("kind", flat=True))
    assert muted == {Kind.COMMENT, Kind.TICKET_RESOLVED}
    client.post(reverse("notifications:preferences"), {"muted": [Kind.COMMENT]})
    assert set(EmailPreference.objects.filter(user=member, muted=True).values_list("kind", flat=True)) == {Kind.COMMENT}
