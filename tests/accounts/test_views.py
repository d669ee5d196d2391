"""Login, home page, administration site and health check."""

import pytest
from django.core.management import call_command
from django.urls import reverse

from accounts.models import Partner, Project, User
from staff.demo import DEMO_PASSWORD
from tests.factories import PASSWORD, ProjectFactory

pytestmark = pytest.mark.django_db


def test_login_page_renders(client):
    response = client.get(reverse("login"))
    assert response.status_code == 200
    assert b'name="username"' in response.content


def test_home_requires_login(client):
    response = client.get(reverse("home"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_login_with_email_and_password(client, member):
    response = client.post(reverse("login"), {"username": member.email, "password": PASSWORD})
    assert response.status_code == 302
    assert response.url == reverse("home")


def test_login_wrong_password_shows_error(client, member):
    response = client.post(reverse("login"), {"username": member.email, "password": "wrong"})
    assert response.status_code == 200
    assert b'role="alert"' in response.content


def test_home_lists_only_own_partners_projects(client, member, project, other_partner_project):
    client.force_login(member)
    response = client.get(reverse("home"))
    assert project.name in response.text
    assert other_partner_project.name not in response.text
    assert project.manager.email in response.text


def test_home_query_count_is_constant(client, admin_user, django_assert_max_num_queries):
    client.force_login(admin_user)
    ProjectFactory.create_batch(3)
    with django_assert_max_num_queries(6):
        client.get(reverse("home"))
    ProjectFactory.create_batch(30)
    with django_assert_max_num_queries(6):
        response = client.get(reverse("home"))
    assert response.status_code == 200


def test_admin_site_for_administrators_only(client, admin_user, manager):
    client.force_login(manager)
    assert client.get(reverse("admin:index")).status_code == 302
    client.force_login(admin_user)
    assert client.get(reverse("admin:index")).status_code == 200
    assert client.get(reverse("admin:accounts_project_changelist")).status_code == 200


def test_admin_add_project_goes_through_the_cap_and_a_change_cannot_swap_the_manager(client, admin_user, partner):
    from tests.factories import ManagerFactory

    full = ManagerFactory(profile__max_projects=1)
    ProjectFactory(manager=full)
    client.force_login(admin_user)
    data = {"partner": partner.pk, "name": "New CRM", "client_name": "", "crm_url": "", "passport": ""}
    response = client.post(reverse("admin:accounts_project_add"), {**data, "manager": full.pk}, follow=True)
    assert "already serves 1 of 1" in response.text
    project = Project.objects.get(name="New CRM")
    assert project.manager is None

    other = ManagerFactory()
    url = reverse("admin:accounts_project_change", args=[project.pk])
    client.post(url, {**data, "manager": other.pk, "is_active": "on"}, follow=True)
    project.refresh_from_db()
    assert project.manager is None  # managers change on /staff/workload/, where open tickets follow


def test_seed_demo_is_idempotent():
    call_command("seed_demo")
    call_command("seed_demo")
    assert User.objects.count() == 6
    assert Partner.objects.count() == 2
    assert Project.objects.filter(partner__name="Alpha Integrations", manager__email="manager1@demo.local").count() == 2
    assert Project.objects.filter(partner__name="Beta Solutions", manager__email="manager2@demo.local").count() == 1
    roles = dict(User.objects.values_list("email", "role"))
    assert roles["owner@beta.demo.local"] == "partner_owner"
    assert User.objects.get(email="member@alpha.demo.local").check_password(DEMO_PASSWORD)


def test_a_projects_partner_cannot_be_changed_in_the_admin(client, admin_user, project, other_partner_project):
    client.force_login(admin_user)
    page = client.get(f"/admin/accounts/project/{project.pk}/change/")
    assert page.status_code == 200 and "partner" not in page.context["adminform"].form.fields
