"""Project passports edited in the application by the project's manager and administrators, with the history of
who changed what; shown beside every ticket of the project to staff, never to partner people by any path."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.absences import absence_add, deputy_set
from accounts.models import PassportRevision, Project
from accounts.passports import passport_edit, passport_get, revision_diff
from outbox.models import OutboxEvent
from partner_support.errors import InvalidInput, NotFound, PermissionDenied
from tests.factories import ManagerFactory

pytestmark = pytest.mark.django_db

SECRET = "Admin login: crm-admin / hunter2"


def edit(client, project, text, revision=""):
    return client.post(reverse("passport", args=[project.pk]), {"passport": text, "revision": revision})


def test_the_history_shows_each_change_with_its_author(client, project, manager, admin_user):
    client.force_login(manager)
    assert edit(client, project, "Server: crm.example.com\nBackups nightly").status_code == 302
    first = PassportRevision.objects.get()
    client.force_login(admin_user)
    assert edit(client, project, "Server: crm2.example.com\nBackups nightly", first.pk).status_code == 302

    second, first = PassportRevision.objects.order_by("-created_at", "-id")
    assert (first.author, first.text_before, first.text_after) == (
        manager,
        "",
        "Server: crm.example.com\nBackups nightly",
    )
    assert (second.author, second.text_before) == (admin_user, first.text_after)
    assert revision_diff(second) == [
        ("-", "Server: crm.example.com"),
        ("+", "Server: crm2.example.com"),
        (" ", "Backups nightly"),
    ]
    assert Project.objects.get(pk=project.pk).passport == "Server: crm2.example.com\nBackups nightly"

    page = client.get(reverse("passport", args=[project.pk])).content.decode()
    history = page[page.find('id="passport-history"') :]
    assert history.index(admin_user.display_name) < history.index(manager.display_name)
    assert "+ Server: crm2.example.com" in history and "- Server: crm.example.com" in history


def test_an_edit_over_someone_elses_newer_one_is_refused(project, manager, admin_user):
    passport_edit(actor=manager, project_id=project.pk, text="one", base_revision=None)
    with pytest.raises(InvalidInput):
        passport_edit(actor=admin_user, project_id=project.pk, text="two", base_revision=None)
    assert Project.objects.get(pk=project.pk).passport == "one"


def test_saving_the_same_text_records_nothing(project, manager):
    revision = passport_edit(actor=manager, project_id=project.pk, text="same", base_revision=None)
    assert passport_edit(actor=manager, project_id=project.pk, text="same\r\n", base_revision=revision.pk) is None
    assert PassportRevision.objects.count() == 1


def test_only_the_projects_manager_and_administrators_edit(client, project, member, other_partner_project):
    with pytest.raises(NotFound):
        passport_edit(actor=ManagerFactory(), project_id=project.pk, text="x", base_revision=None)
    with pytest.raises(NotFound):
        passport_edit(actor=member, project_id=project.pk, text="x", base_revision=None)
    client.force_login(other_partner_project.manager)
    assert client.get(reverse("passport", args=[project.pk])).status_code == 404
    assert edit(client, project, "x").status_code == 404
    client.force_login(member)
    assert client.get(reverse("passport", args=[project.pk])).status_code == 404
    assert edit(client, project, "x").status_code == 404
    assert not PassportRevision.objects.exists()


def test_a_cover_reads_but_does_not_edit(project, manager, admin_user):
    deputy = ManagerFactory()
    deputy_set(actor=admin_user, manager=manager, deputy=deputy)
    now = timezone.now()
    absence_add(actor=manager, manager=manager, kind="leave", starts_at=now, ends_at=now + timedelta(days=1))
    with pytest.raises(PermissionDenied):
        passport_edit(actor=deputy, project_id=project.pk, text="x", base_revision=None)
    assert passport_get(user=deputy, project_id=project.pk) == project


def test_the_passport_is_beside_every_ticket_for_staff_only(client, file_ticket, project, manager, admin_user, member):
    passport_edit(actor=manager, project_id=project.pk, text=SECRET, base_revision=None)
    ticket = file_ticket()
    for user in (manager, admin_user):
        client.force_login(user)
        page = client.get(reverse("tickets:detail", args=[ticket.pk])).content.decode()
        assert 'id="ticket-passport"' in page and "hunter2" in page

    client.force_login(member)
    page = client.get(reverse("tickets:detail", args=[ticket.pk])).content.decode()
    assert 'id="ticket-passport"' not in page and "hunter2" not in page
    for path in ("/api/v1/projects/", f"/api/v1/tickets/{ticket.pk}/", f"/api/v1/tickets/{ticket.pk}/history/"):
        assert "hunter2" not in client.get(path).content.decode(), path
    assert "hunter2" not in client.get("/api/v1/events/").content.decode()
    assert not any("hunter2" in str(event.payload) for event in OutboxEvent.objects.all())


def test_the_admin_shows_the_passport_read_only(client, project, admin_user):
    client.force_login(admin_user)
    page = client.get(reverse("admin:accounts_project_change", args=[project.pk])).content.decode()
    assert 'name="passport"' not in page
