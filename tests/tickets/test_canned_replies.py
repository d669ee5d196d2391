"""Canned replies: personal and shared, placeholders filled in the reader's language, inserted into a comment on
the ticket page (without JavaScript) and used through the API; partner people never reach them."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse

from partner_support.errors import InvalidInput, PermissionDenied
from tests.factories import ManagerFactory
from tickets.models import CannedReply
from tickets.replies import canned_replies_for, canned_reply_create, reply_render

pytestmark = pytest.mark.django_db
KYIV = ZoneInfo("Europe/Kyiv")
BODIES = {
    "en": "Dear {name} of {partner}, {number} will be accepted by {deadline}; {unknown}",
    "uk": "Шановна {name} з {partner}, {number} буде прийнято до {deadline}.",
    "ru": "Уважаемая {name} из {partner}, {number} будет принято до {deadline}.",
}


@pytest.fixture
def ticket(file_ticket, member):
    member.name = "Olena"
    member.save(update_fields=["name"])
    with time_machine.travel(datetime(2026, 11, 24, 10, 0, tzinfo=KYIV), tick=False):
        return file_ticket()


@pytest.fixture
def shared(admin_user):
    return canned_reply_create(actor=admin_user, title="Acceptance", bodies=BODIES, shared=True)


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("en", "Dear Olena of {partner}, {number} will be accepted by 24 Nov 2026, 11:00; {{unknown}}"),
        ("uk", "Шановна Olena з {partner}, {number} буде прийнято до 24.11.2026 11:00."),
        ("ru", "Уважаемая Olena из {partner}, {number} будет принято до 24.11.2026 11:00."),
    ],
)
def test_placeholders_render_in_the_readers_language(ticket, shared, member, language, expected):
    member.language = language
    member.save(update_fields=["language"])
    ticket.author.refresh_from_db()
    rendered = reply_render(reply=shared, ticket=ticket)
    assert rendered.language == language
    assert rendered.body == expected.format(partner=ticket.partner.name, number=ticket.number)


def test_a_reply_without_the_readers_language_falls_back_to_english(ticket, manager, member):
    member.language = "uk"
    member.save(update_fields=["language"])
    ticket.author.refresh_from_db()
    reply = canned_reply_create(actor=manager, title="Hi", bodies={"en": "Hello {name}"})
    assert (reply_render(reply=reply, ticket=ticket).language, reply_render(reply=reply, ticket=ticket).body) == (
        "en",
        "Hello Olena",
    )


def test_personal_replies_are_their_owners_and_shared_ones_are_kept_by_administrators(manager, shared):
    own = canned_reply_create(actor=manager, title="Mine", bodies={"en": "x"})
    other = ManagerFactory()
    assert list(canned_replies_for(user=manager)) == [shared, own]
    assert list(canned_replies_for(user=other)) == [shared]
    with pytest.raises(PermissionDenied):
        canned_reply_create(actor=manager, title="Everyone's", bodies={"en": "x"}, shared=True)
    with pytest.raises(InvalidInput):
        canned_reply_create(actor=manager, title="Empty", bodies={"en": " "})


def test_the_ticket_page_inserts_a_reply_into_the_message(client, ticket, shared, manager, member):
    client.force_login(manager)
    page = client.get(reverse("tickets:detail", args=[ticket.pk])).content.decode()
    assert 'id="canned-replies"' in page and "Acceptance" in page
    page = client.get(reverse("tickets:detail", args=[ticket.pk]), {"reply": shared.pk}).content.decode()
    form = page[page.find('id="comment-form"') :]
    assert f"Dear Olena of {ticket.partner.name}, {ticket.number} will be accepted by" in form

    client.force_login(member)
    page = client.get(reverse("tickets:detail", args=[ticket.pk]), {"reply": shared.pk}).content.decode()
    assert 'id="canned-replies"' not in page and "Dear Olena" not in page
    assert client.get(reverse("tickets:replies")).status_code == 404


def test_the_replies_page_keeps_personal_replies(client, manager, shared):
    client.force_login(manager)
    answer = client.post(reverse("tickets:replies"), {"title": "Thanks", "body_ru": "Спасибо, {name}!"})
    assert answer.status_code == 302
    reply = CannedReply.objects.get(title="Thanks")
    assert (reply.owner, reply.body_ru) == (manager, "Спасибо, {name}!")
    assert client.post(reverse("tickets:replies"), {"title": "Nothing"}).status_code == 400
    assert client.post(reverse("tickets:reply", args=[shared.pk]), {"title": "Mine now"}).status_code == 404
    edited = client.post(reverse("tickets:reply", args=[reply.pk]), {"title": "Thanks!", "body_en": "Thanks"})
    assert edited.status_code == 302 and CannedReply.objects.get(pk=reply.pk).title == "Thanks!"
    assert client.post(reverse("tickets:reply_delete", args=[reply.pk])).status_code == 302
    assert not CannedReply.objects.filter(pk=reply.pk).exists()
    client.force_login(ManagerFactory())
    assert client.post(reverse("tickets:reply_delete", args=[shared.pk])).status_code == 302
    assert CannedReply.objects.filter(pk=shared.pk).exists()


def test_the_api_keeps_replies_and_renders_one_for_a_ticket(client, ticket, manager, member, shared):
    client.force_login(manager)
    created = client.post(
        "/api/v1/canned-replies/", {"title": "Mine", "body_uk": "Дякуємо, {name}"}, "application/json"
    )
    assert created.status_code == 201 and created.json()["shared"] is False
    listed = client.get("/api/v1/canned-replies/").json()
    assert [item["title"] for item in listed["results"]] == ["Acceptance", "Mine"]

    rendered = client.get(f"/api/v1/canned-replies/{shared.pk}/render/", {"ticket": ticket.pk}).json()
    assert rendered["language"] == "en" and rendered["body"].startswith("Dear Olena")
    comment = client.post(
        f"/api/v1/tickets/{ticket.pk}/comments/", {"body": rendered["body"]}, content_type="application/json"
    )
    assert comment.status_code == 201
    assert client.get(f"/api/v1/canned-replies/{shared.pk}/render/").status_code == 400
    assert (
        client.patch(
            f"/api/v1/canned-replies/{shared.pk}/", {"title": "x", "body_en": "y"}, content_type="application/json"
        ).status_code
        == 403
    )

    other = ManagerFactory()
    client.force_login(other)
    assert client.get(f"/api/v1/canned-replies/{shared.pk}/render/", {"ticket": ticket.pk}).status_code == 404
    mine = created.json()["id"]
    assert client.get(f"/api/v1/canned-replies/{mine}/").status_code == 404

    client.force_login(member)
    assert client.get("/api/v1/canned-replies/").status_code == 403
    assert client.get(f"/api/v1/canned-replies/{shared.pk}/render/", {"ticket": ticket.pk}).status_code == 403
    assert client.post("/api/v1/canned-replies/", {"title": "x", "body_en": "y"}, "application/json").status_code == 403


@pytest.mark.parametrize("chosen", ["²", "abc", "99999999999999999999", "-1", "0"])
def test_a_reply_parameter_that_is_no_reply_inserts_nothing(client, ticket, manager, chosen):
    client.force_login(manager)
    page = client.get(reverse("tickets:detail", args=[ticket.pk]), {"reply": chosen})
    assert page.status_code == 200 and "Dear Olena" not in page.content.decode()
