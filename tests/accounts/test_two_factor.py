"""Two-factor authentication: required for managers and administrators, optional for partner people, for the login
page and the API's token login alike; recovery codes; replay, guessing, expiry; resets by administrators."""

from datetime import timedelta

import pytest
import time_machine
from django.core.cache import cache
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.credentials import login_token_issue
from accounts.two_factor import totp_setup_confirm, totp_setup_start
from audit.models import AuditEvent
from tests.factories import PASSWORD, AdminFactory, ManagerFactory
from tests.factories import UserFactory as PartnerMemberFactory

pytestmark = pytest.mark.django_db

TOKEN_URL = "/api/v1/auth/token/"


def code(user) -> str:
    """What the user's newest authenticator (or the one being set up) shows now."""
    device = TOTPDevice.objects.filter(user=user).latest("pk")
    return shown(device)


def shown(device) -> str:
    return f"{TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift).token():06d}"


@pytest.fixture
def clock():
    """A stopped clock that a test moves on: an authenticator shows a new code every 30 s and a code is taken once;
    after a wrong code django-otp makes the device wait a second or more."""
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        yield lambda seconds=31: traveller.shift(timedelta(seconds=seconds))


def enrolled(user) -> list[str]:
    device = totp_setup_start(user=user)
    return totp_setup_confirm(user=user, device_id=device.pk, code=shown(device))[1]


def password_step(client: Client, user):
    return client.post(reverse("login"), {"username": user.email, "password": PASSWORD})


def is_logged_in(client: Client) -> bool:
    return client.get(reverse("preferences")).status_code == 200


def test_a_manager_sets_up_an_authenticator_at_the_first_login_before_anything_else():
    manager, client = ManagerFactory(), Client()
    response = password_step(client, manager)
    assert response.status_code == 302 and response.url == reverse("two_factor_setup")
    assert not is_logged_in(client)  # the password alone opened nothing

    page = client.get(reverse("two_factor_setup"))
    key = page.context["key"].replace(" ", "")
    assert page.status_code == 200 and len(key) == 32
    qr = client.get(reverse("two_factor_qr"))
    assert qr["Content-Type"] == "image/svg+xml" and b"<svg" in qr.content

    wrong = client.post(reverse("two_factor_setup"), {"code": "000000"})
    assert wrong.status_code == 400 and "not right" in wrong.content.decode()
    assert not is_logged_in(client)

    done = client.post(reverse("two_factor_setup"), {"code": code(manager)})
    codes = done.context["codes"]
    assert done.status_code == 200 and len(codes) == 10 and all(c in done.content.decode() for c in codes)
    assert "no-store" in done["Cache-Control"]
    assert is_logged_in(client)
    assert AuditEvent.objects.filter(object_id=str(manager.pk), note="Two-factor authentication on").exists()


def test_a_login_with_an_authenticator_asks_for_its_code_and_takes_each_code_once(clock):
    manager = ManagerFactory()
    enrolled(manager)
    clock()
    client = Client()
    assert password_step(client, manager).url == reverse("login_code")
    assert not is_logged_in(client)
    assert client.post(reverse("login_code"), {"code": "123456"}).status_code == 400
    clock(5)
    current = code(manager)
    response = client.post(reverse("login_code"), {"code": current})
    assert response.status_code == 302 and is_logged_in(client)

    replay = Client()
    password_step(replay, manager)
    assert replay.post(reverse("login_code"), {"code": current}).status_code == 400
    assert not is_logged_in(replay)


def test_a_recovery_code_logs_in_once():
    manager = ManagerFactory()
    recovery = enrolled(manager)[0]
    first = Client()
    password_step(first, manager)
    assert first.post(reverse("login_code"), {"code": recovery.upper()}).status_code == 302
    assert is_logged_in(first)
    assert StaticToken.objects.filter(device__user=manager).count() == 9

    second = Client()
    password_step(second, manager)
    assert second.post(reverse("login_code"), {"code": recovery}).status_code == 400


def test_a_pending_login_expires_and_dies_with_a_password_change(settings, clock):
    manager = ManagerFactory()
    enrolled(manager)
    late = Client()
    password_step(late, manager)
    clock(settings.TWO_FACTOR_PENDING_SECONDS + 1)
    response = late.post(reverse("login_code"), {"code": code(manager)})
    assert response.status_code == 302 and response.url == reverse("login")
    assert not is_logged_in(late)

    changed = Client()
    password_step(changed, manager)
    manager.set_password("another-long-password-2026")
    manager.save()
    clock()
    assert changed.post(reverse("login_code"), {"code": code(manager)}).url == reverse("login")
    assert not is_logged_in(changed)


def test_guessing_codes_closes_the_door(settings, clock):
    manager = ManagerFactory()
    enrolled(manager)
    client = Client()
    password_step(client, manager)
    statuses = []
    for guess in range(settings.LOGIN_FAILURE_LIMIT + 2):
        clock(5)
        statuses.append(client.post(reverse("login_code"), {"code": f"{guess:06d}"}).status_code)
    assert statuses[: settings.LOGIN_FAILURE_LIMIT] == [400] * settings.LOGIN_FAILURE_LIMIT
    assert statuses[-1] == 429, statuses
    clock(5)
    assert client.post(reverse("login_code"), {"code": code(manager)}).status_code == 429  # even the right one


def test_a_staff_session_without_the_second_factor_is_logged_out():
    """E.g. a session opened before two-factor authentication was required."""
    manager, client = ManagerFactory(), Client()
    client.force_login(manager)
    assert is_logged_in(client)
    session = client.session
    del session["two_factor_for"]
    session.save()
    response = client.get(reverse("preferences"))
    assert response.status_code == 302 and response.url.startswith(reverse("login"))
    assert not is_logged_in(client)


def test_a_partner_member_chooses_two_factor_authentication_and_can_switch_it_off(client, clock):
    member = PartnerMemberFactory()
    assert password_step(client, member).url == "/"  # optional: the password alone, until they choose
    other_browser = Client()
    password_step(other_browser, member)

    page = client.get(reverse("security"))
    assert "Set up two-factor authentication" in page.content.decode()
    client.get(reverse("two_factor_setup"))
    wrong_password = client.post(reverse("two_factor_setup"), {"code": code(member), "password": "not-it"})
    assert wrong_password.status_code == 400 and "not your password" in wrong_password.content.decode()
    clock(5)
    done = client.post(reverse("two_factor_setup"), {"code": code(member), "password": PASSWORD})
    assert done.status_code == 200 and len(done.context["codes"]) == 10
    assert is_logged_in(client) and not is_logged_in(other_browser)  # other sessions end

    assert password_step(Client(), member).url == reverse("login_code")
    clock()
    assert client.post(reverse("two_factor_off"), {"code": "000000"}).status_code == 302
    assert TOTPDevice.objects.filter(user=member, confirmed=True).exists()
    clock()
    client.post(reverse("two_factor_off"), {"code": code(member)})
    assert not TOTPDevice.objects.filter(user=member).exists()
    assert password_step(Client(), member).url == "/"


def test_moving_to_a_new_phone_takes_a_code_from_the_old_one(client, clock):
    member = PartnerMemberFactory()
    client.force_login(member)
    enrolled(member)
    old = TOTPDevice.objects.get(user=member)
    clock()
    client.get(reverse("two_factor_setup"))
    new = TOTPDevice.objects.get(user=member, confirmed=False)
    refused = client.post(reverse("two_factor_setup"), {"code": shown(new), "current": "000000"})
    assert refused.status_code == 400
    clock()
    moved = client.post(reverse("two_factor_setup"), {"code": shown(new), "current": shown(old)})
    assert moved.status_code == 200
    assert list(TOTPDevice.objects.filter(user=member).values_list("key", "confirmed")) == [(new.key, True)]


def test_new_recovery_codes_replace_the_old_ones(client, clock):
    member = PartnerMemberFactory()
    client.force_login(member)
    old = enrolled(member)
    clock()
    assert client.post(reverse("recovery_codes_new"), {"code": "000000"}).status_code == 302
    clock()
    renewed = client.post(reverse("recovery_codes_new"), {"code": code(member)})
    new = renewed.context["codes"]
    assert len(new) == 10 and not set(new) & set(old)
    assert set(StaticToken.objects.filter(device__user=member).values_list("token", flat=True)) == set(new)


def test_a_manager_cannot_switch_it_off_but_an_administrator_resets_it(client, clock):
    manager, admin = ManagerFactory(), AdminFactory()
    enrolled(manager)
    client.force_login(manager)
    clock()
    client.post(reverse("two_factor_off"), {"code": code(manager)})
    assert TOTPDevice.objects.filter(user=manager).exists()

    admin_client = Client()
    admin_client.force_login(admin)
    response = admin_client.post(
        reverse("admin:accounts_user_changelist"), {"action": "reset_two_factor", "_selected_action": [manager.pk]}
    )
    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user=manager).exists()
    assert AuditEvent.objects.filter(actor=admin, object_id=str(manager.pk)).exists()
    assert password_step(Client(), manager).url == reverse("two_factor_setup")
    assert admin_client.get("/admin/otp_totp/totpdevice/").status_code == 404  # keys are never shown


def test_api_token_login_asks_for_the_code(clock):
    manager, api = ManagerFactory(), Client()

    def token_login(**extra):
        body = {"email": manager.email, "password": PASSWORD, **extra}
        return api.post(TOKEN_URL, body, content_type="application/json")

    not_set_up = token_login()
    assert not_set_up.status_code == 403 and "two-factor" in not_set_up.json()["detail"]
    enrolled(manager)
    missing = token_login()
    assert missing.status_code == 400 and "otp" in missing.json()
    assert token_login(otp="000000").status_code == 400
    clock()
    issued = token_login(otp=code(manager))
    assert issued.status_code == 200 and issued.json()["token"].startswith("lt_")
    assert token_login(otp=code(manager)).status_code == 400  # the same code twice


def test_api_token_login_of_a_partner_without_two_factor_needs_no_code():
    member = PartnerMemberFactory()
    response = Client().post(TOKEN_URL, {"email": member.email, "password": PASSWORD}, content_type="application/json")
    assert response.status_code == 200


def test_the_development_server_prints_the_code_for_the_demo(settings, capsys):
    manager = ManagerFactory()
    with pytest.raises(CommandError):
        call_command("two_factor_code", manager.email)  # no authenticator yet
    device = totp_setup_start(user=manager)
    settings.DEBUG = False
    with pytest.raises(CommandError):
        call_command("two_factor_code", manager.email)
    settings.DEBUG = True
    call_command("two_factor_code", manager.email)
    printed = capsys.readouterr().out.strip()
    assert totp_setup_confirm(user=manager, device_id=device.pk, code=printed)[0].confirmed


def test_a_key_is_shown_to_one_browser_only(clock):
    """Someone who knows a new manager's password opens the set-up page first: the manager, logging in, gets a key
    of their own, and the first key is worth nothing."""
    manager = ManagerFactory()
    intruder, owner = Client(), Client()
    password_step(intruder, manager)
    intruders_key = intruder.get(reverse("two_factor_setup")).context["key"]
    intruders_device = TOTPDevice.objects.get(user=manager)

    password_step(owner, manager)
    owners_key = owner.get(reverse("two_factor_setup")).context["key"]
    assert owners_key != intruders_key
    assert intruder.get(reverse("two_factor_qr")).status_code == 404  # the intruder's set-up is over
    refused = intruder.post(reverse("two_factor_setup"), {"code": shown(intruders_device)})
    assert refused.status_code == 302 and not is_logged_in(intruder)
    assert "Start the set-up again" in str(list(refused.wsgi_request._messages))

    assert owner.post(reverse("two_factor_setup"), {"code": code(manager)}).status_code == 200
    assert is_logged_in(owner)
    clock()
    later = Client()
    password_step(later, manager)
    assert later.post(reverse("login_code"), {"code": shown(intruders_device)}).status_code == 400


def test_a_set_up_key_expires(settings, clock):
    manager, client = ManagerFactory(), Client()
    password_step(client, manager)
    client.get(reverse("two_factor_setup"))
    clock(settings.TWO_FACTOR_PENDING_SECONDS - 60)
    password_step(client, manager)  # the pending login renewed, but not the key
    clock(120)
    response = client.post(reverse("two_factor_setup"), {"code": code(manager)}, follow=True)
    assert "Start the set-up again" in response.content.decode() and not is_logged_in(client)


def test_the_session_gets_a_new_id_at_the_password_step():
    manager, client = ManagerFactory(), Client()
    client.get(reverse("login"))
    client.session.save()
    planted = client.cookies["sessionid"].value
    password_step(client, manager)
    assert client.cookies["sessionid"].value != planted


def test_wrong_authenticator_codes_do_not_block_recovery_codes(clock):
    manager = ManagerFactory()
    recovery = enrolled(manager)
    for guess in range(5):
        clock(5)
        attacker = Client()
        password_step(attacker, manager)
        assert attacker.post(reverse("login_code"), {"code": f"{guess:06d}"}).status_code == 400
    cache.clear()  # the login guard's counts: the owner's browser has counters of its own in real life
    owner = Client()
    password_step(owner, manager)
    assert owner.post(reverse("login_code"), {"code": recovery[0]}).status_code == 302
    clock()
    second = Client()
    password_step(second, manager)
    assert second.post(reverse("login_code"), {"code": code(manager)}).status_code == 302


def test_switching_on_and_an_administrators_reset_end_the_users_login_tokens():
    manager, admin = ManagerFactory(), AdminFactory()
    before = login_token_issue(user=manager).key
    enrolled(manager)
    assert Client().get("/api/v1/me/", HTTP_AUTHORIZATION=f"Token {before}").status_code == 401

    after = login_token_issue(user=manager).key
    admin_client = Client()
    admin_client.force_login(admin)
    admin_client.post(
        reverse("admin:accounts_user_changelist"),
        {"action": "reset_two_factor", "_selected_action": [manager.pk, admin.pk]},
    )
    assert Client().get("/api/v1/me/", HTTP_AUTHORIZATION=f"Token {after}").status_code == 401
    page = admin_client.get(reverse("admin:accounts_user_changelist")).content.decode()
    assert "Your own is not reset here" in page and "Reset for 1 people" in page
