"""The pure parts of reading mail: quoted text, HTML, automatic mail, threading headers."""

# ruff: noqa: RUF001 -- Ukrainian and Russian mail text, Cyrillic on purpose

import pytest

from inbound import mailparse

from .conftest import eml


@pytest.mark.parametrize(
    "reply",
    [
        "Thanks!\n\nOn Mon, 23 Nov 2026 at 10:00, Support <s@x.local> wrote:\n> old\n",
        "Thanks!\n\nOn Mon, 23 Nov 2026 at 10:00, Support <\ns@x.local> wrote:\n\n> old\n",
        "Thanks!\n\n-----Original Message-----\nFrom: Support\nSent: Monday\n\nold\n",
        "Thanks!\n\n________________________________\nFrom: Support <s@x.local>\nSent: Monday\nold\n",
        "Thanks!\n\nFrom: Support <s@x.local>\nSent: Monday, November 23, 2026 10:00\nold\n",
        "Thanks!\n\n23.11.2026 10:00, Support написав(ла):\n> old\n",
        "Thanks!\n\nпн, 23 лист. 2026 р. о 10:00 Support <s@x.local> пише:\n\n> old\n",
        "Thanks!\n> old\n> older\n",
    ],
)
def test_the_quoted_previous_message_is_removed(reply):
    assert mailparse.strip_quoted(reply) == "Thanks!"


def test_a_sentence_ending_in_wrote_is_kept_when_nothing_quoted_follows():
    text = "Here is what the client wrote:\n\nthe export is slow."
    assert mailparse.strip_quoted(text) == text


def test_gmail_html_drops_the_quoted_blockquote():
    html = mailparse.parse(eml("reply_gmail.eml")).get_body(preferencelist=("html",)).get_content()
    text = mailparse.strip_quoted(mailparse.html_to_text(html))
    assert text == "It happens in Chrome 131 and in Firefox too."


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("Auto-Submitted: auto-replied", "Auto-Submitted: auto-replied"),
        ("Auto-Submitted: no", ""),
        ("Precedence: bulk", "Precedence: bulk"),
        ("Precedence: auto_reply", "Precedence: auto_reply"),
        ("X-Autoreply: yes", "X-Autoreply"),
        ("X-Mailer: Outlook", ""),
    ],
)
def test_automatic_mail_is_recognised_by_its_headers(header, expected):
    message = mailparse.parse(f"From: a@b.example\r\n{header}\r\nSubject: x\r\n\r\nbody\r\n".encode())
    assert mailparse.automatic_reason(message) == expected


@pytest.mark.parametrize("sender", ["MAILER-DAEMON@mx.example", "postmaster@mx.example"])
def test_mail_from_the_mail_system_is_automatic(sender):
    message = mailparse.parse(f"From: {sender}\r\nSubject: x\r\n\r\nbody\r\n".encode())
    assert mailparse.automatic_reason(message).startswith("From:")


def test_threading_headers_and_ticket_numbers():
    message = mailparse.parse(
        b"From: a@b.example\r\nIn-Reply-To: <c@x>\r\nReferences: <a@x> <b@x>\r\n"
        b"Subject: Re: Fwd: [PS-000042] Export\r\n\r\nbody\r\n"
    )
    assert mailparse.referenced_ids(message) == ["<c@x>", "<b@x>", "<a@x>"]
    assert mailparse.ticket_numbers(mailparse.subject_of(message)) == [42]
    assert mailparse.clean_subject("Re: Fwd: RE: Відп: Export") == "Export"
