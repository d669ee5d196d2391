"""The audit log of administrative changes (who, when, before, after), append-only and searched by
administrators; a suspended partner files no requests and orders no consultations."""

import json
from decimal import Decimal

import pytest
from django.db import DatabaseError, transaction
from django.urls import reverse

from accounts.models import Partner, Role
from audit.models import AuditAction, AuditEvent
from billing.models import Tariff
from tests.factories import ManagerFactory, PartnerOwnerFactory, TicketFactory
from tests.helpers import postgres_only

pytestmark = pytest.mark.django_db


def admin_form_data(response) -> dict:
    """What the admin change page would post back unchanged: its form's values and its inlines' forms."""
    data = {}
    form = response.context["adminform"].form
    for name in form.fields:
        value = form[name].value()
        if value is None:
            continue
        if isinstance(value, list | tuple):
            data[name] = [str(item) for item in value]
        elif isinstance(value, bool):
            if value:
                data[name] = "on"
        else:
            data[name] = str(value)
    for inline in response.context["inline_admin_formsets"]:
        formset = inline.formset
        for name, value in formset.management_form.initial.items():
            data[f"{formset.prefix}-{name}"] = str(value)
        for item in formset.forms:
            for name in item.fields:
                value = item[name].value()
                if value is None or value is False:
                    continue
                data[item.add_prefix(name)] = "on" if value is True else str(value)
    return data


def change(client, url: str, **values):
    page = client.get(url)
    assert page.status_code == 200
    data = {**admin_form_data(page), **values}
    response = client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors if response.context else response
    return response


def test_a_tariff_change_in_the_admin_is_logged_with_before_and_after(client, admin_user, partner):
    tariff = Tariff.objects.create(partner=partner)
    client.force_login(admin_user)
    change(client, reverse("admin:billing_tariff_change", args=[tariff.pk]), price_per_request="200.00")
    [event] = AuditEvent.objects.filter(object_type="billing.tariff")
    assert (event.actor, event.action, event.object_id) == (admin_user, AuditAction.CHANGED, str(tariff.pk))
    assert (event.before["price_per_request"], event.after["price_per_request"]) == ("180.00", "200.00")
    assert event.changed_fields == ["price_per_request"]


def test_partner_status_and_roles_are_logged(client, admin_user, partner, member):
    client.force_login(admin_user)
    change(client, reverse("admin:accounts_partner_change", args=[partner.pk]), status=Partner.Status.SUSPENDED)
    change(client, reverse("admin:accounts_user_change", args=[member.pk]), role=Role.PARTNER_OWNER)
    status = AuditEvent.objects.get(object_type="accounts.partner")
    assert (status.before["status"], status.after["status"]) == ("active", "suspended")
    role = AuditEvent.objects.get(object_type="accounts.user")
    assert (role.before["role"], role.after["role"]) == ("partner_member", "partner_owner")
    assert "password" not in role.after


def test_a_managers_cap_is_logged(client, admin_user):
    manager = ManagerFactory()
    client.force_login(admin_user)
    change(client, reverse("admin:accounts_user_change", args=[manager.pk]), **{"manager_profile-0-max_projects": "7"})
    cap = AuditEvent.objects.get(object_type="accounts.managerprofile")
    assert (cap.before["max_projects"], cap.after["max_projects"]) == (5, 7)


def test_an_assignment_on_the_workload_page_is_logged(client, admin_user, project, manager):
    successor = ManagerFactory()
    client.force_login(admin_user)
    assert client.post(reverse("staff:assign", args=[project.pk]), {"manager": successor.pk}).status_code == 302
    event = AuditEvent.objects.get(object_type="accounts.project")
    assert (event.before, event.after) == ({"manager_id": manager.pk}, {"manager_id": successor.pk})
    assert event.actor == admin_user


def test_a_top_up_in_the_admin_is_logged(client, admin_user, partner, funded):
    from billing.models import DepositAccount

    account = DepositAccount.objects.get(partner=partner)
    client.force_login(admin_user)
    url = reverse("admin:billing_depositaccount_top_up", args=[account.pk])
    token = client.get(url).context["form"]["token"].value()
    assert client.post(url, {"amount": "360.00", "memo": "Payment 42", "token": token}).status_code == 302
    events = AuditEvent.objects.filter(object_type="billing.ledgerentry").order_by("id")
    top_up = events.last()
    assert (top_up.before["balance"], top_up.after["balance"]) == ("1800.00", "2160.00")
    assert Decimal(top_up.after["amount"]) == Decimal("360.00") and "Payment 42" in top_up.note


def test_administrators_search_the_log_and_nobody_else_sees_it(client, admin_user, partner, manager):
    tariff = Tariff.objects.create(partner=partner)
    client.force_login(admin_user)
    change(client, reverse("admin:billing_tariff_change", args=[tariff.pk]), hourly_rate="650.00")
    change(client, reverse("admin:accounts_partner_change", args=[partner.pk]), status=Partner.Status.SUSPENDED)
    page = client.get(reverse("staff:changes"), {"type": "billing.tariff"})
    assert page.status_code == 200
    text = page.content.decode()
    assert "650.00" in text and "600.00" in text and "suspended" not in text
    found = client.get(reverse("staff:changes"), {"q": partner.name}).content.decode()
    assert "suspended" in found
    client.force_login(manager)
    assert client.get(reverse("staff:changes")).status_code == 404


@postgres_only
def test_the_log_is_append_only_in_the_database(client, admin_user, partner):
    tariff = Tariff.objects.create(partner=partner)
    client.force_login(admin_user)
    change(client, reverse("admin:billing_tariff_change", args=[tariff.pk]), price_per_request="190.00")
    event = AuditEvent.objects.get()
    for attempt in (lambda: AuditEvent.objects.filter(pk=event.pk).update(note="x"), event.delete):
        with pytest.raises(DatabaseError), transaction.atomic():
            attempt()


def test_a_suspended_partner_files_nothing_and_orders_nothing(client, funded, project, owner):
    ticket = TicketFactory(project=project, author=owner)
    Partner.objects.filter(pk=funded.pk).update(status=Partner.Status.SUSPENDED)
    client.force_login(owner)
    filed = client.post(
        "/api/v1/tickets/",
        json.dumps({"project": project.pk, "kind": "simple", "title": "Export", "description": "Fails"}),
        content_type="application/json",
    )
    assert filed.status_code == 403 and "suspended" in filed.json()["detail"]
    ordered = client.post("/api/v1/billing/invoices/", {"requests": 3}, content_type="application/json")
    assert ordered.status_code == 403 and "suspended" in ordered.json()["detail"]
    page = client.post(
        reverse("tickets:new"), {"project": project.pk, "kind": "simple", "title": "Export", "description": "Fails"}
    )
    assert "suspended" in page.content.decode()
    assert client.get(f"/api/v1/tickets/{ticket.pk}/").status_code == 200  # what it has stays visible
    PartnerOwnerFactory(partner=funded)
    Partner.objects.filter(pk=funded.pk).update(status=Partner.Status.ACTIVE)
    again = client.post("/api/v1/billing/invoices/", {"requests": 3}, content_type="application/json")
    assert again.status_code == 201
