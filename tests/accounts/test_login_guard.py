"""Password guessing is slowed per account, per real client address and per device, on the login page and on
POST /api/v1/auth/token/ alike, with a back-off that ends; password-reset mails are limited per address."""

from datetime import timedelta

import pytest
import time_machine
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from accounts.login_guard import DEVICE_COOKIE
from partner_support.clientaddress import client_address
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db
TOKEN_URL = "/api/v1/auth/token/"


@pytest.fixture(autouse=True)
def _limits(settings):
    settings.LOGIN_FAILURE_LIMIT = 3
    settings.LOGIN_CLIENT_FAILURE_LIMIT = 6
    settings.LOGIN_BACKOFF_BASE = 30
    settings.LOGIN_BACKOFF_MAX = 900
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"user": "1000/min", "auth": "1000/min"},
    }


def page_login(client, email, password, **extra):
    return client.post(reverse("login"), {"username": email, "password": password}, **extra)


def api_login(client, email, password, **extra):
    return client.post(TOKEN_URL, {"email": email, "password": password}, content_type="application/json", **extra)


def test_forged_forwarded_addresses_do_not_reset_the_count(client, member):
    """The audit's case: 60 guesses with 60 X-Forwarded-For addresses were never refused."""
    answers = [
        api_login(client, member.email, f"guess-{n}", HTTP_X_FORWARDED_FOR=f"198.51.100.{n}").status_code
        for n in range(60)
    ]
    assert answers[:3] == [400, 400, 400]
    assert set(answers[3:]) == {429}
    refused = api_login(client, member.email, PASSWORD, HTTP_X_FORWARDED_FOR="198.51.100.200")
    assert refused.status_code == 429 and "Too many failed attempts" in refused.json()["detail"]
    assert int(refused["Retry-After"]) > 0


def test_the_page_and_the_api_count_the_same_failures(client, member):
    for _ in range(2):
        assert page_login(client, member.email, "wrong").status_code == 200
    assert api_login(client, member.email, "wrong").status_code == 400
    page = page_login(client, member.email, PASSWORD)
    assert page.status_code == 429 and "Too many failed attempts" in page.content.decode()
    assert api_login(client, member.email, PASSWORD).status_code == 429


def test_the_back_off_doubles_and_ends(client, member):
    start = timezone.now()
    for _ in range(3):
        page_login(client, member.email, "wrong")
    assert page_login(client, member.email, PASSWORD).status_code == 429
    with time_machine.travel(start + timedelta(seconds=31)):
        assert page_login(client, member.email, "wrong again").status_code == 200  # the 4th failure: 60 s now
        assert page_login(client, member.email, PASSWORD).status_code == 429
    with time_machine.travel(start + timedelta(seconds=95)):
        response = page_login(client, member.email, PASSWORD)
        assert response.status_code == 302 and response.url == reverse("home")


def test_the_back_off_never_exceeds_its_maximum(client, member, settings):
    now = timezone.now()
    for step in range(12):
        now += timedelta(seconds=settings.LOGIN_BACKOFF_MAX + 1)
        with time_machine.travel(now):
            assert api_login(client, member.email, "wrong").status_code == 400, step
    with time_machine.travel(now + timedelta(seconds=settings.LOGIN_BACKOFF_MAX + 1)):
        assert api_login(client, member.email, PASSWORD).status_code == 200


def test_one_client_guessing_many_accounts_is_slowed(client, partner):
    people = [UserFactory(partner=partner) for _ in range(7)]
    answers = [api_login(client, person.email, "Summer2026!").status_code for person in people]
    assert answers == [400] * 6 + [429]
    other_client = api_login(client, people[0].email, PASSWORD, REMOTE_ADDR="203.0.113.9")
    assert other_client.status_code == 200


def test_a_browser_that_logged_in_before_is_not_locked_out_by_someone_elses_guessing(client, member):
    assert page_login(client, member.email, PASSWORD).status_code == 302
    assert DEVICE_COOKIE in client.cookies
    client.post(reverse("logout"))
    for n in range(5):  # an attacker elsewhere keeps the account's back-off closed
        api_login(client.__class__(), member.email, "wrong", REMOTE_ADDR=f"203.0.113.{n}")
    stranger = client.__class__()
    assert page_login(stranger, member.email, PASSWORD, REMOTE_ADDR="203.0.113.77").status_code == 429
    assert page_login(client, member.email, PASSWORD).status_code == 302  # the owner's browser gets in


def test_a_device_cookie_counts_for_its_own_account_only(client, member, partner):
    other = UserFactory(partner=partner)
    page_login(client, member.email, PASSWORD)
    client.post(reverse("logout"))
    for _ in range(3):
        page_login(client, other.email, "wrong")
    assert page_login(client, other.email, PASSWORD).status_code == 429


def test_a_forged_device_cookie_is_ignored(client, member):
    for _ in range(3):
        page_login(client, member.email, "wrong")
    client.cookies[DEVICE_COOKIE] = "forged:value"
    assert page_login(client, member.email, PASSWORD).status_code == 429


@pytest.mark.parametrize(
    ("proxies", "forwarded", "remote", "expected"),
    [
        (0, "198.51.100.1", "10.0.0.5", "10.0.0.5"),  # no proxy of ours: the header is the client's own claim
        (1, "198.51.100.1, 203.0.113.7", "10.0.0.5", "203.0.113.7"),  # our proxy appended the real peer
        (2, "198.51.100.1, 203.0.113.7, 10.0.0.9", "10.0.0.5", "203.0.113.7"),
        (2, "203.0.113.7", "10.0.0.5", "10.0.0.5"),  # fewer entries than proxies: not through them all
        (1, "not-an-address", "10.0.0.5", "10.0.0.5"),
    ],
)
def test_the_client_address_trusts_only_our_proxies(settings, proxies, forwarded, remote, expected):
    settings.TRUSTED_PROXY_COUNT = proxies
    request = RequestFactory().get("/", HTTP_X_FORWARDED_FOR=forwarded, REMOTE_ADDR=remote)
    assert client_address(request) == expected


def test_behind_a_proxy_each_real_client_has_its_own_count(client, settings, partner):
    settings.TRUSTED_PROXY_COUNT = 1
    people = [UserFactory(partner=partner) for _ in range(7)]
    forged_then_real = [
        api_login(client, p.email, "x", HTTP_X_FORWARDED_FOR=f"198.51.100.{n}, 203.0.113.7").status_code
        for n, p in enumerate(people)
    ]
    assert forged_then_real[-1] == 429  # the forged left-hand entries changed nothing
    assert api_login(client, people[0].email, PASSWORD, HTTP_X_FORWARDED_FOR="203.0.113.8").status_code == 200


def test_the_admin_login_form_is_not_a_way_around(client):
    response = client.get("/admin/login/?next=/admin/")
    assert response.status_code == 302 and response.url == "/login/?next=/admin/"


def test_password_reset_mails_are_limited_per_address(client, member, mailoutbox, settings):
    settings.PASSWORD_RESET_MAILS_PER_HOUR = 2
    for _ in range(5):
        response = client.post(reverse("password_reset"), {"email": member.email.upper()})
        assert response.status_code == 302 and response.url == reverse("password_reset_done")
    assert len(mailoutbox) == 2
    with time_machine.travel(timezone.now() + timedelta(hours=1, minutes=1)):
        client.post(reverse("password_reset"), {"email": member.email})
    assert len(mailoutbox) == 3
