"""Headers and sessions: a CSP on every page with no inline code in our pages, no caching of private answers,
an idle session timeout, one-time secrets kept out of cookies, and a total size per request."""

import re
from datetime import timedelta

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from tests.factories import PASSWORD, PartnerOwnerFactory, TicketFactory

pytestmark = pytest.mark.django_db
INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.I)
INLINE_HANDLER = re.compile(r"\son[a-z]+\s*=", re.I)
STYLE_ATTRIBUTE = re.compile(r"\sstyle\s*=", re.I)


def directives(response) -> dict[str, str]:
    policy = response["Content-Security-Policy"]
    return {part.split()[0]: part for part in (p.strip() for p in policy.split(";")) if part}


def test_every_page_has_a_policy_without_inline_code(client, project, owner, manager, admin_user):
    ticket = TicketFactory(project=project, author=owner)
    pages = {
        None: [reverse("login"), reverse("password_reset")],
        owner: ["/", "/tickets/", f"/tickets/{ticket.pk}/", "/tickets/new/", "/billing/", "/integrations/", "/team/"],
        manager: ["/tickets/queue/", f"/tickets/{ticket.pk}/", "/passports/", "/security/"],
        admin_user: ["/", "/staff/sla/", "/staff/workload/", "/billing/invoices/", "/admin/"],
    }
    for user, urls in pages.items():
        client.logout()
        if user is not None:
            client.force_login(user)
        for url in urls:
            response = client.get(url)
            assert response.status_code == 200, url
            policy = directives(response)
            assert policy["script-src"] == "script-src 'self'", url
            assert policy["style-src"] == "style-src 'self'", url
            assert "frame-ancestors 'none'" in response["Content-Security-Policy"]
            if not url.startswith("/admin/"):  # Django's own admin templates are not ours to rewrite
                html = response.content.decode()
                assert not INLINE_SCRIPT.search(html), url
                assert not INLINE_HANDLER.search(html), url
                assert not STYLE_ATTRIBUTE.search(html), url


def test_the_api_docs_load_their_script_from_a_file(client, member):
    client.force_login(member)
    page = client.get("/api/v1/docs/")
    assert page.status_code == 200 and not INLINE_SCRIPT.search(page.content.decode())
    assert directives(page)["script-src"] == "script-src 'self'"
    script = client.get("/api/v1/docs/?script=")
    assert script.status_code == 200 and "SwaggerUIBundle" in script.content.decode()


@pytest.mark.parametrize("url", ["/api/v1/me/", "/billing/", "/integrations/", "/api/v1/billing/account/"])
def test_money_integration_and_api_answers_are_not_stored(client, funded, partner, url):
    client.force_login(PartnerOwnerFactory(partner=partner))
    response = client.get(url)
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]


def test_a_session_ends_after_idling(client, member, settings):
    start = timezone.now()
    assert client.post(reverse("login"), {"username": member.email, "password": PASSWORD}).status_code == 302
    idle = timedelta(seconds=settings.SESSION_COOKIE_AGE)
    with time_machine.travel(start + idle - timedelta(minutes=10)):
        assert client.get("/").status_code == 200  # activity pushes the end on
    with time_machine.travel(start + 2 * idle - timedelta(minutes=20)):
        assert client.get("/").status_code == 200
    with time_machine.travel(start + 3 * idle):
        response = client.get("/")
        assert response.status_code == 302 and response.url.startswith(reverse("login"))


def test_a_new_integration_key_never_goes_into_a_cookie(client, partner):
    client.force_login(PartnerOwnerFactory(partner=partner))
    created = client.post("/integrations/", {"name": "Our CRM"})
    assert created.status_code == 302
    key = re.search(r"ps_[\w-]+", client.get("/integrations/").content.decode()).group(0)
    assert all(key not in morsel.value for morsel in created.cookies.values())
    assert all(key not in morsel.value for morsel in client.cookies.values())
    assert key not in client.get("/integrations/").content.decode()  # shown once


def test_a_new_webhook_secret_is_shown_once_and_not_in_a_cookie(client, partner):
    client.force_login(PartnerOwnerFactory(partner=partner))
    created = client.post("/integrations/", {"url": "https://crm.example.com/hook", "events": ["ticket.created"]})
    assert created.status_code == 302
    page = client.get("/integrations/").content.decode()
    secret = re.search(r"shown only now: ([0-9a-f]{64})", page).group(1)
    assert all(secret not in morsel.value for morsel in client.cookies.values())
    assert secret not in client.get("/integrations/").content.decode()


def test_one_request_carries_at_most_the_total_upload_size(client, project, owner, settings):
    settings.REQUEST_MAX_BYTES = 64 * 1024
    ticket = TicketFactory(project=project, author=owner)
    client.force_login(owner)

    def files(count: int) -> list[SimpleUploadedFile]:
        return [SimpleUploadedFile(f"log{n}.txt", b"x" * 30 * 1024) for n in range(count)]

    page = client.post(reverse("tickets:comment", args=[ticket.pk]), {"body": "logs", "files": files(3)})
    assert page.status_code == 413
    api = client.post(f"/api/v1/tickets/{ticket.pk}/attachments/", {"files": files(3)})
    assert api.status_code == 413 and "at most" in api.json()["detail"]
    small = client.post(reverse("tickets:comment", args=[ticket.pk]), {"body": "one log", "files": files(1)})
    assert small.status_code in (200, 302)
