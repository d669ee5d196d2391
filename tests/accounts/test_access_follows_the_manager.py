"""Access to a project's tickets follows its current manager, in every ticket state: after a reassignment the
former manager (still the assignee of the closed tickets) reaches none of them by any page or API endpoint."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tests.factories import ManagerFactory
from tickets import services
from tickets.models import Attachment, Status, Ticket
from tickets.services import project_assign_manager

pytestmark = pytest.mark.django_db


@pytest.fixture
def closed_ticket(file_ticket, member, manager):
    """A request with a public attachment, an internal note with its own file and logged time, resolved and closed
    by its manager."""
    ticket = file_ticket()
    services.comment_add(
        ticket_id=ticket.pk, actor=member, body="The log", files=[SimpleUploadedFile("log.txt", b"trace")]
    )
    services.ticket_accept(ticket_id=ticket.pk, actor=manager)
    services.comment_add(
        ticket_id=ticket.pk,
        actor=manager,
        body="The client's admin password is in the passport",
        internal=True,
        files=[SimpleUploadedFile("secret.txt", b"internal")],
    )
    services.time_entry_add(ticket_id=ticket.pk, actor=manager, minutes=30, note="Looked at it")
    services.ticket_resolve(ticket_id=ticket.pk, actor=manager, resolution="Fixed the export")
    services.ticket_confirm(ticket_id=ticket.pk, actor=member)
    return Ticket.objects.get(pk=ticket.pk)


@pytest.fixture
def new_manager(closed_ticket, project, admin_user):
    successor = ManagerFactory()
    project_assign_manager(project=project, manager=successor, actor=admin_user)
    return successor


def test_a_former_manager_reaches_none_of_the_projects_closed_tickets(closed_ticket, new_manager, manager, client):
    ticket = Ticket.objects.get(pk=closed_ticket.pk)
    assert (ticket.status, ticket.assignee) == (Status.CLOSED, manager)  # who handled it stays on record
    files = list(Attachment.objects.filter(ticket=ticket))
    client.force_login(manager)

    assert str(ticket.number) not in client.get(reverse("tickets:list")).content.decode()
    assert client.get(reverse("tickets:detail", args=[ticket.pk])).status_code == 404
    for attachment in files:
        assert client.get(reverse("tickets:attachment", args=[ticket.pk, attachment.pk])).status_code == 404
    note = client.post(reverse("tickets:comment", args=[ticket.pk]), {"body": "still here", "internal": "on"})
    assert note.status_code == 404
    assert client.post(reverse("tickets:time", args=[ticket.pk]), {"minutes": "5"}).status_code == 404

    api = f"/api/v1/tickets/{ticket.pk}"
    assert client.get("/api/v1/tickets/").json()["count"] == 0
    for path in ("/", "/comments/", "/time-entries/", "/history/", "/attachments/"):
        assert client.get(api + path).status_code == 404, path
    internal = client.post(api + "/comments/", {"body": "x", "internal": True}, content_type="application/json")
    assert internal.status_code == 404
    assert client.post(api + "/time-entries/", {"minutes": 5}, content_type="application/json").status_code == 404
    assert ticket.comments.count() == 2 and ticket.time_entries.count() == 1


def test_the_new_manager_sees_the_closed_tickets_with_their_internal_notes(closed_ticket, new_manager, client):
    client.force_login(new_manager)
    page = client.get(reverse("tickets:detail", args=[closed_ticket.pk]))
    assert page.status_code == 200 and "The client&#x27;s admin password" in page.content.decode()
    comments = client.get(f"/api/v1/tickets/{closed_ticket.pk}/comments/").json()
    bodies = [c["body"] for c in (comments["results"] if isinstance(comments, dict) else comments)]
    assert "The client's admin password is in the passport" in bodies
    secret = Attachment.objects.get(original_name="secret.txt")
    assert client.get(reverse("tickets:attachment", args=[closed_ticket.pk, secret.pk])).status_code == 200
    assert client.get("/api/v1/tickets/").json()["count"] == 1


def test_a_reopened_ticket_goes_to_the_current_manager(closed_ticket, new_manager, manager, member, client):
    services.ticket_reopen(ticket_id=closed_ticket.pk, actor=member, reason="It broke again")
    assert Ticket.objects.get(pk=closed_ticket.pk).assignee == new_manager
    client.force_login(manager)
    assert client.get(f"/api/v1/tickets/{closed_ticket.pk}/").status_code == 404
