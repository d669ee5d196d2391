"""The pages added for cover, passports, canned replies and invitations cost the same queries for 2 rows as for 20."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.absences import absence_add
from accounts.passports import passport_edit
from accounts.services import team_member_invite
from tests.factories import AdminFactory, ManagerFactory, PartnerOwnerFactory, ProjectFactory
from tickets.replies import canned_reply_create

pytestmark = pytest.mark.django_db


def _budget(client, url, grow, django_assert_max_num_queries, *, first=2, then=20):
    grow(first)
    with django_assert_max_num_queries(30) as small:
        assert client.get(url).status_code == 200
    grow(then - first)
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert client.get(url).status_code == 200


def test_the_absences_page(client, django_assert_max_num_queries):
    admin = AdminFactory()
    client.force_login(admin)
    start = timezone.now() + timedelta(days=1)

    def grow(count):
        for _ in range(count):
            manager = ManagerFactory()
            absence_add(actor=admin, manager=manager, kind="leave", starts_at=start, ends_at=start + timedelta(days=2))

    _budget(client, reverse("tickets:absences"), grow, django_assert_max_num_queries)


def test_the_passports_page_and_a_passports_history(client, django_assert_max_num_queries):
    admin = AdminFactory()
    client.force_login(admin)
    project = ProjectFactory()

    def grow(count):
        for _ in range(count):
            other = ProjectFactory()
            latest = project.passport_revisions.order_by("-pk").values_list("pk", flat=True).first()
            passport_edit(actor=admin, project_id=project.pk, text=f"line {other.pk}", base_revision=latest)

    _budget(client, reverse("passports"), grow, django_assert_max_num_queries)
    _budget(client, reverse("passport", args=[project.pk]), grow, django_assert_max_num_queries)


def test_the_canned_replies_page(client, django_assert_max_num_queries):
    manager = ManagerFactory()
    client.force_login(manager)

    def grow(count):
        for index in range(count):
            canned_reply_create(actor=manager, title=f"Reply {index}", bodies={"en": "Hello {name}"})

    _budget(client, reverse("tickets:replies"), grow, django_assert_max_num_queries)


def test_the_team_page_with_invitations(client, django_assert_max_num_queries):
    owner = PartnerOwnerFactory()
    client.force_login(owner)
    counter = iter(range(1000))

    def grow(count):
        for _ in range(count):
            team_member_invite(actor=owner, email=f"invited{next(counter)}@example.com", name="", role="partner_member")

    _budget(client, reverse("team"), grow, django_assert_max_num_queries)
