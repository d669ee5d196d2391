"""Inbound mail acts as its sender only when it proves the sender: forged mail creates nothing, is logged, and
the person whose address it carries is told once. Real RFC 822 fixtures; the DKIM ones are signed with the test
key in tests/inbound/dkim/ (its public half is served by the fake DNS of tests/conftest.py)."""

import io
import logging
import sys
from datetime import timedelta

import pytest
import time_machine
from django.core.management import call_command
from django.utils import timezone

from billing.models import DepositAccount
from inbound.authentication import aligned
from inbound.models import InboundMessage, InboundStatus
from inbound.services import inbound_email_ingest
from tests.factories import AdminFactory
from tickets.models import Comment, Ticket

from .conftest import eml

pytestmark = pytest.mark.django_db


def ingest(raw: bytes) -> InboundMessage:
    return inbound_email_ingest(raw=raw)


def held(partner) -> str:
    return str(DepositAccount.objects.get(partner=partner).held)


def test_forged_mail_through_the_pipe_files_nothing_holds_nothing_and_is_logged(funded, anna, monkeypatch, caplog):
    """SPF and DMARC fail at our server; a second Authentication-Results header by another host claims a pass."""
    before = held(anna.partner)
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(eml("forged_sender.eml"))))
    out = io.StringIO()
    with caplog.at_level(logging.WARNING, logger="inbound.services"):
        call_command("ingest_email", stdout=out)

    record = InboundMessage.objects.get()
    assert record.status == InboundStatus.UNAUTHENTICATED and record.ticket is None
    assert "alpha.example" in record.reason and "mx.partner-support.local" in record.reason
    assert "unauthenticated" in out.getvalue()
    assert not Ticket.objects.exists() and held(anna.partner) == before
    assert "forged-0b1c2d3e@attacker.example" in caplog.text


def test_the_sender_is_told_once_and_at_most_once_a_day(funded, anna, mailoutbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        ingest(eml("forged_sender.eml"))
    [told] = mailoutbox
    assert told.to == [anna.email] and "not accepted" in told.subject
    assert told.extra_headers["Auto-Submitted"] == "auto-replied"
    assert "Urgent: delete all deals in the CRM" in told.body
    assert InboundMessage.objects.get().sender_told_at is not None

    with django_capture_on_commit_callbacks(execute=True):
        ingest(eml("forged_sender.eml"))  # the same message again: stored once, nobody told again
        ingest(eml("forged_sender.eml").replace(b"forged-0b1c2d3e", b"forged-second"))  # another one today
    assert len(mailoutbox) == 1 and InboundMessage.objects.count() == 2

    tomorrow = timezone.now() + timedelta(days=1, minutes=1)
    with time_machine.travel(tomorrow), django_capture_on_commit_callbacks(execute=True):
        ingest(eml("forged_sender.eml").replace(b"forged-0b1c2d3e", b"forged-next-day"))
    assert len(mailoutbox) == 2


def test_forged_mail_from_the_administrator_posts_nothing_on_a_ticket(ticket_123, anna):
    """The audit's case: "From: admin" on a reply to a partner's ticket became a public comment."""
    admin = AdminFactory(email="admin@demo.local")
    raw = eml("reply_gmail.eml").split(b"\r\n", 4)[4]  # without our server's Authentication-Results
    raw = raw.replace(b"Anna Koval <anna@alpha.example>", b"Administrator <admin@demo.local>")
    record = ingest(raw)
    assert (record.status, record.sender) == (InboundStatus.UNAUTHENTICATED, admin.email)
    assert not Comment.objects.exists()


def test_an_authentication_result_by_another_host_proves_nothing(funded, anna):
    raw = eml("forged_sender.eml")
    raw = raw[raw.index(b"Authentication-Results: mx.attacker.example") :]  # only the attacker's own header
    assert ingest(raw).status == InboundStatus.UNAUTHENTICATED


@pytest.mark.parametrize(
    ("results", "processed"),
    [
        ("dmarc=pass header.from=alpha.example", True),
        ("spf=pass smtp.mailfrom=bounces@mail.alpha.example", True),
        ("dkim=pass header.d=alpha.example header.s=mail", True),
        ("dkim=pass header.i=@news.alpha.example", True),
        ("dmarc=pass header.from=beta.example", False),
        ("spf=pass smtp.mailfrom=someone@attacker.example", False),
        ("dkim=pass header.d=attacker.example", False),
        ("dkim=pass header.d=example", False),  # a bare top-level domain aligns with nothing
        ("spf=softfail smtp.mailfrom=alpha.example; dmarc=fail header.from=alpha.example", False),
        ("dmarc=pass", False),  # a pass for no stated domain
        ("this is not an authentication result", False),
    ],
)
def test_only_a_pass_aligned_with_the_from_domain_counts(funded, anna, results, processed):
    raw = eml("forged_sender.eml")
    body = raw[raw.index(b"Received:") :]
    record = ingest(f"Authentication-Results: mx.partner-support.local; {results}\r\n".encode() + body)
    assert (record.status == InboundStatus.PROCESSED) is processed, record.reason


def test_with_no_authserv_id_configured_headers_prove_nothing(funded, anna, settings):
    settings.INBOUND_AUTHSERV_ID = ""
    record = ingest(eml("new_request_alternative.eml"))
    assert record.status == InboundStatus.UNAUTHENTICATED and "INBOUND_AUTHSERV_ID" in record.reason


def test_a_message_signed_by_the_senders_domain_is_verified_here(funded, anna, settings, _dkim_dns):
    settings.INBOUND_AUTHSERV_ID = ""  # no receiving server to trust: our own DKIM check alone decides
    record = ingest(eml("dkim_signed.eml"))
    assert record.status == InboundStatus.PROCESSED, record.reason
    assert record.ticket.title == "Deals import skips the last row" and record.ticket.author == anna
    assert _dkim_dns == ["test2026._domainkey.alpha.example."]


def test_a_signed_message_changed_on_the_way_is_refused(funded, anna):
    raw = eml("dkim_signed.eml").replace(b"skips the last row of every file", b"deletes every file")
    assert ingest(raw).status == InboundStatus.UNAUTHENTICATED
    assert not Ticket.objects.exists()


def test_a_valid_signature_of_another_domain_proves_nothing(funded, anna, _dkim_dns):
    record = ingest(eml("dkim_signed_by_another_domain.eml"))
    assert record.status == InboundStatus.UNAUTHENTICATED
    assert _dkim_dns == []  # an unaligned signature is not even checked


def test_a_signature_whose_key_is_not_published_is_refused(funded, anna, monkeypatch):
    from inbound import authentication

    monkeypatch.setattr(authentication, "dns_txt", lambda name, timeout=5: None)
    assert ingest(eml("dkim_signed.eml")).status == InboundStatus.UNAUTHENTICATED


def test_dkim_checking_can_be_switched_off(funded, anna, settings, _dkim_dns):
    settings.INBOUND_DKIM_VERIFY = False
    assert ingest(eml("dkim_signed.eml")).status == InboundStatus.UNAUTHENTICATED
    assert _dkim_dns == []


def test_an_unknown_sender_is_not_answered(db, mailoutbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        record = ingest(eml("unknown_sender.eml"))
    assert record.status == InboundStatus.UNKNOWN_SENDER and mailoutbox == []


@pytest.mark.parametrize(
    ("domain", "from_domain", "expected"),
    [
        ("alpha.example", "alpha.example", True),
        ("mail.alpha.example", "alpha.example", True),
        ("alpha.example", "eu.alpha.example", True),
        ("ALPHA.example.", "alpha.example", True),
        ("xalpha.example", "alpha.example", False),
        ("example", "alpha.example", False),
        ("", "alpha.example", False),
    ],
)
def test_alignment(domain, from_domain, expected):
    assert aligned(domain, from_domain) is expected
