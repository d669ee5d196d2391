"""Login tokens expire and rotate, die with a password change or reset and with deactivation; a user sees and
ends their browser sessions and tokens. Partners' integration tokens are not login tokens and stay as they are."""

import re
from datetime import timedelta

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from rest_framework.authtoken.models import Token

from accounts.models import LoginToken
from tests.factories import PASSWORD, PartnerOwnerFactory

pytestmark = pytest.mark.django_db


def login(client, user, password=PASSWORD) -> dict:
    response = client.post(
        "/api/v1/auth/token/", {"email": user.email, "password": password}, content_type="application/json"
    )
    assert response.status_code == 200, response.content
    return response.json()


def me(client, token: str) -> int:
    return client.get("/api/v1/me/", HTTP_AUTHORIZATION=f"Token {token}").status_code


def test_a_login_token_expires(client, member, settings):
    issued = login(client, member)
    assert issued["token"].startswith("lt_") and issued["expires_at"]
    assert me(client, issued["token"]) == 200
    assert LoginToken.objects.get().key_hash != issued["token"]  # only the hash is kept
    with time_machine.travel(timezone.now() + settings.LOGIN_TOKEN_TTL + timedelta(seconds=1)):
        assert me(client, issued["token"]) == 401


def test_a_refresh_rotates_the_token(client, member, settings):
    first = login(client, member)["token"]
    with time_machine.travel(timezone.now() + settings.LOGIN_TOKEN_TTL - timedelta(minutes=5)):
        refreshed = client.post("/api/v1/auth/token/refresh/", HTTP_AUTHORIZATION=f"Token {first}")
        assert refreshed.status_code == 200
        second = refreshed.json()["token"]
        assert me(client, first) == 401 and me(client, second) == 200
        again = client.post("/api/v1/auth/token/refresh/", HTTP_AUTHORIZATION=f"Token {first}")
        assert again.status_code == 401  # each token refreshes once
    with time_machine.travel(timezone.now() + settings.LOGIN_TOKEN_TTL + timedelta(minutes=30)):
        assert me(client, second) == 200  # the new one runs from its own issue


def test_an_expired_token_cannot_be_refreshed(client, member, settings):
    token = login(client, member)["token"]
    with time_machine.travel(timezone.now() + settings.LOGIN_TOKEN_TTL + timedelta(seconds=1)):
        assert client.post("/api/v1/auth/token/refresh/", HTTP_AUTHORIZATION=f"Token {token}").status_code == 401


def test_a_password_reset_revokes_login_tokens_and_sessions(client, member, mailoutbox):
    token = login(client, member)["token"]
    browser = Client()
    assert browser.post(reverse("login"), {"username": member.email, "password": PASSWORD}).status_code == 302

    client.post(reverse("password_reset"), {"email": member.email})
    link = re.search(r"http://\S+/reset/\S+/", mailoutbox[0].body).group(0)
    form = client.get(link, follow=True)
    response = client.post(
        form.redirect_chain[-1][0], {"new_password1": "An0ther-secret-phrase", "new_password2": "An0ther-secret-phrase"}
    )
    assert response.status_code == 302

    assert me(client, token) == 401
    assert browser.get(reverse("home")).status_code == 302  # the other browser is logged out
    assert me(client, login(client, member, "An0ther-secret-phrase")["token"]) == 200


def test_a_password_change_anywhere_revokes_login_tokens(client, member):
    token = login(client, member)["token"]
    member.set_password("changed-by-the-admin-42")
    member.save()
    assert me(client, token) == 401


def test_switching_a_colleague_off_revokes_their_tokens_and_sessions(client, member, owner):
    token = login(client, member)["token"]
    browser = Client()
    browser.post(reverse("login"), {"username": member.email, "password": PASSWORD})
    client.force_login(owner)
    assert client.post(reverse("team_access", args=[member.pk]), {"active": "0"}).status_code == 302
    assert me(Client(), token) == 401
    assert browser.get(reverse("home")).status_code == 302
    assert LoginToken.objects.get().revoked_at is not None


def test_logout_revokes_the_token_presented(client, member):
    token = login(client, member)["token"]
    assert client.post("/api/v1/auth/logout/", HTTP_AUTHORIZATION=f"Token {token}").status_code == 204
    assert me(client, token) == 401


def test_a_user_lists_and_revokes_their_own_tokens_by_api(client, member, owner):
    mine = login(client, member)["token"]
    other = login(client, member)["token"]
    theirs = login(client, owner)["token"]
    listed = client.get("/api/v1/auth/tokens/", HTTP_AUTHORIZATION=f"Token {mine}").json()
    assert len(listed) == 2 and [t["current"] for t in listed].count(True) == 1
    assert {t["prefix"] for t in listed} == {mine[:10], other[:10]}
    owners = LoginToken.objects.get(user=owner)
    refused = client.delete(f"/api/v1/auth/tokens/{owners.pk}/", HTTP_AUTHORIZATION=f"Token {mine}")
    assert refused.status_code == 404 and me(client, theirs) == 200
    second = LoginToken.objects.get(prefix=other[:10])
    assert client.delete(f"/api/v1/auth/tokens/{second.pk}/", HTTP_AUTHORIZATION=f"Token {mine}").status_code == 204
    assert me(client, other) == 401 and me(client, mine) == 200


def test_the_security_page_shows_and_ends_sessions_and_tokens(member):
    laptop, phone = Client(HTTP_USER_AGENT="Laptop"), Client(HTTP_USER_AGENT="Phone")
    for browser in (laptop, phone):
        assert browser.post(reverse("login"), {"username": member.email, "password": PASSWORD}).status_code == 302
    token = login(Client(), member)["token"]

    page = laptop.get(reverse("security")).content.decode()
    assert "Laptop" in page and "Phone" in page and token[:10] in page
    phone_session = member.browser_sessions.get(user_agent="Phone")
    assert laptop.post(reverse("security_end", args=["session", phone_session.pk])).status_code == 302
    assert phone.get(reverse("home")).status_code == 302  # logged out
    token_row = LoginToken.objects.get()
    assert laptop.post(reverse("security_end", args=["token", token_row.pk])).status_code == 302
    assert me(Client(), token) == 401
    assert laptop.get(reverse("home")).status_code == 200


def test_log_out_everywhere_else(member):
    laptop, phone = Client(), Client()
    for browser in (laptop, phone):
        browser.post(reverse("login"), {"username": member.email, "password": PASSWORD})
    token = login(Client(), member)["token"]
    assert laptop.post(reverse("security_everywhere_else")).status_code == 302
    assert phone.get(reverse("home")).status_code == 302 and laptop.get(reverse("home")).status_code == 200
    assert me(Client(), token) == 401


def test_nobody_ends_someone_elses_session(member, partner):
    other = PartnerOwnerFactory(partner=partner)
    browser = Client()
    browser.post(reverse("login"), {"username": other.email, "password": PASSWORD})
    session = other.browser_sessions.get()
    mine = Client()
    mine.force_login(member)
    assert mine.post(reverse("security_end", args=["session", session.pk])).status_code == 404
    assert browser.get(reverse("home")).status_code == 200


def test_integration_tokens_stay_as_they_are(client, partner):
    owner = PartnerOwnerFactory(partner=partner)
    client.force_login(owner)
    key = client.post("/api/v1/integrations/tokens/", {"name": "CRM"}, content_type="application/json").json()["key"]
    owner.set_password("a-new-password-77")
    owner.save()
    assert me(Client(), key) == 200


def test_the_old_never_expiring_tokens_are_no_longer_accepted(client, member):
    legacy = Token.objects.create(user=member)
    assert me(client, legacy.key) == 401
