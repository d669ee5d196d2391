"""Comments (internal privacy, automatic resume), attachments, time log, parts, ratings."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse

from partner_support.errors import InvalidInput, NotFound, PermissionDenied, TransitionNotAllowed
from tests.factories import UserFactory
from tickets import selectors, services
from tickets.models import Attachment, Kind, Status, Ticket

from .conftest import drive

pytestmark = pytest.mark.django_db

PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture(autouse=True)
def media_root(tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path


def upload(name: str, content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/octet-stream")


# Comments


def test_internal_notes_are_never_shown_to_partners(file_ticket, manager, member):
    ticket = file_ticket()
    services.comment_add(ticket_id=ticket.pk, actor=manager, body="Partner's config is odd", internal=True)
    services.comment_add(ticket_id=ticket.pk, actor=manager, body="Looking into it")

    assert [c.body for c in selectors.comments_for(user=member, ticket=ticket)] == ["Looking into it"]
    assert len(selectors.comments_for(user=manager, ticket=ticket)) == 2
    assert all(not e.internal for e in selectors.events_for(user=member, ticket=ticket))
    assert any(e.internal for e in selectors.events_for(user=manager, ticket=ticket))


def test_partners_cannot_write_internal_notes(file_ticket, member):
    with pytest.raises(PermissionDenied):
        services.comment_add(ticket_id=file_ticket().pk, actor=member, body="psst", internal=True)


def test_empty_comment_is_refused(file_ticket, member):
    with pytest.raises(InvalidInput) as refused:
        services.comment_add(ticket_id=file_ticket().pk, actor=member, body="   ")
    assert "body" in refused.value.extra


def test_another_partner_cannot_comment(file_ticket, outsider):
    with pytest.raises(NotFound):
        services.comment_add(ticket_id=file_ticket().pk, actor=outsider, body="hello")


def test_a_partners_reply_resumes_a_ticket_waiting_for_the_partner(file_ticket, manager, member):
    ticket = drive(file_ticket(), Status.WAITING_PARTNER, manager=manager, partner_user=member)
    assert ticket.paused_at is not None

    services.comment_add(ticket_id=ticket.pk, actor=member, body="It is Firefox 140")

    stored = Ticket.objects.get(pk=ticket.pk)
    assert stored.status == Status.ACCEPTED and stored.paused_at is None
    resume = stored.events.filter(transition="resume").get()
    assert (resume.actor, resume.text) == (member, "Resumed by the partner's reply.")


def test_staff_notes_do_not_resume_and_production_waits_for_production(file_ticket, manager, member):
    waiting = drive(file_ticket(), Status.WAITING_PARTNER, manager=manager, partner_user=member)
    services.comment_add(ticket_id=waiting.pk, actor=manager, body="Reminder sent")
    assert Ticket.objects.get(pk=waiting.pk).status == Status.WAITING_PARTNER

    production = drive(file_ticket(), Status.WAITING_PRODUCTION, manager=manager, partner_user=member)
    services.comment_add(ticket_id=production.pk, actor=member, body="Any news?")
    assert Ticket.objects.get(pk=production.pk).status == Status.WAITING_PRODUCTION


# Attachments


def test_files_are_checked_by_content_and_stored_under_a_random_name(file_ticket, member):
    ticket = file_ticket(files=[upload("screen.png", PNG), upload("spec.pdf", PDF), upload("log.txt", b"line 1\n")])
    stored = {a.original_name: a for a in Attachment.objects.filter(ticket=ticket)}
    assert {name: a.content_type for name, a in stored.items()} == {
        "screen.png": "image/png",
        "spec.pdf": "application/pdf",
        "log.txt": "text/plain",
    }
    assert "screen" not in stored["screen.png"].file.name


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("invoice.pdf", PNG, "its content is PNG"),
        ("run.exe", b"MZ\x90\x00\x03\x00\x00\x00", "not an accepted file"),
        ("notes.txt", b"\x00\x01binary", "not an accepted file"),
        ("empty.txt", b"", "empty"),
        ("page.html", b"<script>alert(1)</script>", "not an accepted file"),
    ],
)
def test_bad_files_are_refused_and_nothing_is_filed(file_ticket, name, content, message):
    with pytest.raises(InvalidInput, match=message):
        file_ticket(files=[upload("ok.png", PNG), upload(name, content)])
    assert not Ticket.objects.exists() and not Attachment.objects.exists()


@override_settings(ATTACHMENT_MAX_BYTES=1024)
def test_files_over_the_size_limit_are_refused(file_ticket):
    with pytest.raises(InvalidInput, match="larger than the limit"):
        file_ticket(files=[upload("big.txt", b"a" * 2048)])


def test_attachments_are_served_only_to_those_who_see_the_ticket(client, file_ticket, member, manager, outsider):
    ticket = file_ticket(files=[upload("screen.png", PNG)])
    attachment = Attachment.objects.get(ticket=ticket)
    url = reverse("tickets:attachment", args=[ticket.pk, attachment.pk])

    client.force_login(member)
    response = client.get(url)
    assert response.status_code == 200 and b"".join(response.streaming_content) == PNG
    assert response["Content-Disposition"].startswith("attachment")

    client.force_login(manager)
    assert client.get(url).status_code == 200
    client.force_login(outsider)
    assert client.get(url).status_code == 404
    client.logout()
    assert client.get(url).status_code == 302


def test_an_attachment_of_an_internal_note_is_hidden_from_the_partner(client, file_ticket, manager, member):
    ticket = file_ticket()
    services.comment_add(ticket_id=ticket.pk, actor=manager, body="Trace", internal=True, files=[upload("t.txt", b"x")])
    attachment = Attachment.objects.get(ticket=ticket)
    client.force_login(member)
    assert client.get(reverse("tickets:attachment", args=[ticket.pk, attachment.pk])).status_code == 404
    assert list(selectors.attachments_for(user=member, ticket=ticket)) == []


def test_an_attachment_url_with_another_tickets_id_is_not_found(client, file_ticket, member):
    first = file_ticket(files=[upload("a.png", PNG)])
    second = file_ticket()
    attachment = Attachment.objects.get(ticket=first)
    client.force_login(member)
    assert client.get(reverse("tickets:attachment", args=[second.pk, attachment.pk])).status_code == 404


# Time log and parts


def test_time_is_logged_by_staff_and_visible_to_the_partner(file_ticket, manager, member):
    ticket = file_ticket()
    services.time_entry_add(ticket_id=ticket.pk, actor=manager, minutes=30, note="Reproduced")
    assert [(e.minutes, e.note) for e in selectors.time_entries_for(ticket=ticket)] == [(30, "Reproduced")]
    with pytest.raises(PermissionDenied):
        services.time_entry_add(ticket_id=ticket.pk, actor=member, minutes=5)


@pytest.mark.parametrize("minutes", [0, -5, 1441, "30", 2.5, None])
def test_time_entries_refuse_nonsense(file_ticket, manager, minutes):
    with pytest.raises(InvalidInput):
        services.time_entry_add(ticket_id=file_ticket().pk, actor=manager, minutes=minutes)


def test_no_time_on_a_cancelled_ticket(file_ticket, manager, member):
    ticket = drive(file_ticket(), Status.CANCELLED, manager=manager, partner_user=member)
    with pytest.raises(TransitionNotAllowed):
        services.time_entry_add(ticket_id=ticket.pk, actor=manager, minutes=5)


def test_parts_show_progress_and_flag_work_over_an_hour(file_ticket, manager, member):
    ticket = services.ticket_accept(ticket_id=file_ticket(Kind.COMPOSITE).pk, actor=manager, parts=2)
    first, second = ticket.part_rows.all()
    services.part_update(part_id=first.pk, actor=manager, title="Fix the report", done=True)
    services.time_entry_add(ticket_id=ticket.pk, actor=manager, minutes=45, part_id=first.pk)
    services.time_entry_add(ticket_id=ticket.pk, actor=manager, minutes=20, part_id=first.pk)
    services.time_entry_add(ticket_id=ticket.pk, actor=manager, minutes=60, part_id=second.pk)

    parts = selectors.parts_for(ticket=ticket)
    assert [(p.label, p.is_done, p.logged_minutes, p.over_limit) for p in parts] == [
        ("Fix the report", True, 65, True),
        ("Part 2", False, 60, False),
    ]
    with pytest.raises(PermissionDenied):
        services.part_update(part_id=second.pk, actor=member, done=True)


def test_a_part_of_another_ticket_is_refused(file_ticket, manager):
    composite = services.ticket_accept(ticket_id=file_ticket(Kind.COMPOSITE).pk, actor=manager, parts=2)
    other = file_ticket()
    with pytest.raises(InvalidInput):
        services.time_entry_add(ticket_id=other.pk, actor=manager, minutes=5, part_id=composite.part_rows.first().pk)


# Ratings


def test_a_resolution_is_rated_once_and_again_after_a_reopen(file_ticket, manager, member):
    ticket = drive(file_ticket(), Status.RESOLVED, manager=manager, partner_user=member)
    services.rating_add(ticket_id=ticket.pk, actor=member, score=4, comment="Good")
    with pytest.raises(TransitionNotAllowed, match="already been rated"):
        services.rating_add(ticket_id=ticket.pk, actor=UserFactory(partner=member.partner), score=1)

    services.ticket_reopen(ticket_id=ticket.pk, actor=member, reason="Broke again")
    services.ticket_resolve(ticket_id=ticket.pk, actor=manager, resolution="Fixed properly")
    services.rating_add(ticket_id=ticket.pk, actor=member, score=5)
    assert [(r.resolution_round, r.score) for r in ticket.ratings.order_by("resolution_round")] == [(1, 4), (2, 5)]


@pytest.mark.parametrize("score", [0, 6, "5", None, True])
def test_rating_scores_are_1_to_5(file_ticket, manager, member, score):
    ticket = drive(file_ticket(), Status.RESOLVED, manager=manager, partner_user=member)
    with pytest.raises(InvalidInput):
        services.rating_add(ticket_id=ticket.pk, actor=member, score=score)


def test_open_tickets_are_not_rated_and_staff_do_not_rate(file_ticket, manager, member):
    ticket = file_ticket()
    with pytest.raises(TransitionNotAllowed):
        services.rating_add(ticket_id=ticket.pk, actor=member, score=5)
    resolved = drive(file_ticket(), Status.RESOLVED, manager=manager, partner_user=member)
    with pytest.raises(PermissionDenied):
        services.rating_add(ticket_id=resolved.pk, actor=manager, score=5)
