"""No English is left on a page shown in Ukrainian or Russian: every message id of our catalog that a page shows
must come out translated (the administrators' audit log of changes is left out: it shows field names and values as
they were recorded). The pages are rendered for each role over tickets in every state, with history the
system wrote (time logged, parts settled, a resume by reply, a rating) and a statement with debits."""

# ruff: noqa: RUF001 -- Ukrainian test data, Cyrillic on purpose

import re
from datetime import timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone, translation

from billing.services import invoice_issue
from tests.factories import AdminFactory
from tickets import services
from tickets.models import Kind

pytestmark = pytest.mark.django_db

PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|%[sd]|\{\{[^}]*\}\}|\{[^}]*\}|<[^>]+>")
# Words that read the same in every language of the UI (names of standards and of the product's technical parts).
SAME_IN_EVERY_LANGUAGE = {"API", "SLA", "CSV", "URL", "PDF", "E-mail", "OK"}
# The language switcher names each language in that language ("English" on a Ukrainian page, by design).
LANGUAGE_NAMES = {"English"}


def _msgids(language: str) -> dict[str, str]:
    """msgid -> msgstr of our catalog (the .po file, so that untranslated ids are there too), plurals' singular."""
    text = (Path(settings.BASE_DIR) / "locale" / language / "LC_MESSAGES" / "django.po").read_text(encoding="utf-8")
    entries = {}
    for block in text.split("\n\n"):
        fields, current = {}, None
        for line in block.splitlines():
            match = re.match(r'^(msgid|msgid_plural|msgstr(?:\[0\])?|msgctxt) "(.*)"$', line)
            if match:
                current = match.group(1).replace("[0]", "")
                fields[current] = match.group(2)
            elif line.startswith('"') and current:
                fields[current] += line[1:-1]
        if fields.get("msgid"):
            entries[fields["msgid"].encode().decode("unicode_escape").encode("latin-1").decode("utf-8")] = fields.get(
                "msgstr", ""
            )
    return entries


def _fragments(msgid: str) -> list[str]:
    """The literal pieces of a message id a page would show verbatim: whole for a plain id, and the parts of at
    least three words between its placeholders otherwise."""
    pieces = [piece.strip(" .,:;·()“”\"'") for piece in PLACEHOLDER.split(msgid)]
    if len(pieces) == 1:
        keep = re.search(r"[A-Za-z]{3}", pieces[0]) and pieces[0] not in SAME_IN_EVERY_LANGUAGE | LANGUAGE_NAMES
        return pieces if keep else []
    return [piece for piece in pieces if len(piece.split()) >= 3]


def _visible_text(html: str) -> str:
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S)
    attributes = " ".join(re.findall(r'\b(?:aria-label|title|placeholder|alt)="([^"]*)"', html))
    text = re.sub(r"<[^>]+>", "\n", html) + "\n" + attributes
    return re.sub(r"[ \t\xa0]+", " ", text)


def _untranslated(text: str, catalog: dict[str, str]) -> set[str]:
    found = set()
    for msgid, msgstr in catalog.items():
        if msgstr == msgid:
            continue
        for fragment in _fragments(msgid):
            # Whole words only, and not inside an identifier such as ticket.created.
            if fragment and re.search(r"(?<![\w-])(?<!\w\.)" + re.escape(fragment) + r"(?![\w-])(?!\.\w)", text):
                found.add(fragment)
    return found


@pytest.fixture
def scene(file_ticket, manager, member, owner, project, partner, language):
    """Tickets of every kind and state, written in Ukrainian as their people would (part titles are created in the
    accepting manager's language); history the system wrote; invoices; a statement."""
    for person, name in ((manager, "Олена Менеджер"), (member, "Іван Партнер"), (owner, "Марія Власниця")):
        person.name, person.phone = name, "+380441234567"
        person.save(update_fields=["name", "phone"])
    partner.name = "ТОВ Інтегратор"
    partner.save(update_fields=["name"])
    project.name, project.client_name = "Роздріб", "ТОВ Клієнт"
    project.save(update_fields=["name", "client_name"])
    texts = {"title": "Експорт зупиняється", "description": "Звіт не вивантажується."}
    tid = lambda kind=Kind.SIMPLE: file_ticket(kind, **texts).pk  # noqa: E731
    with translation.override(language):
        tickets = [tid()]
        accepted = tid()
        services.ticket_accept(ticket_id=accepted, actor=manager)
        waiting = tid()
        services.ticket_accept(ticket_id=waiting, actor=manager)
        services.ticket_request_info(ticket_id=waiting, actor=manager, message="Яка версія?")
        resumed = tid()
        services.ticket_accept(ticket_id=resumed, actor=manager)
        services.ticket_request_info(ticket_id=resumed, actor=manager, message="Яка версія?")
        services.comment_add(ticket_id=resumed, actor=member, body="Остання")
        escalated = tid()
        services.ticket_accept(ticket_id=escalated, actor=manager)
        services.ticket_escalate(ticket_id=escalated, actor=manager, note="Потрібне виправлення ядра")
        rejected = tid()
        services.ticket_reject(ticket_id=rejected, actor=manager, reason="Дублікат")
        cancelled = tid()
        services.ticket_cancel(ticket_id=cancelled, actor=member, reason="Вже не треба")
        composite = tid(Kind.COMPOSITE)
        services.ticket_accept(ticket_id=composite, actor=manager, parts=3)
        services.time_entry_add(ticket_id=composite, actor=manager, minutes=45, note="відтворено")
        services.ticket_resolve(ticket_id=composite, actor=manager, resolution="Готово", done_parts=[1, 2])
        services.rating_add(ticket_id=composite, actor=member, score=4, comment="Дякую")
        closed = tid()
        services.ticket_accept(ticket_id=closed, actor=manager)
        services.ticket_resolve(ticket_id=closed, actor=manager, resolution="Виправлено")
        services.ticket_confirm(ticket_id=closed, actor=member)
        quoted = tid(Kind.ENHANCEMENT)
        services.ticket_quote(
            ticket_id=quoted, actor=manager, estimate_hours="2", due_at=timezone.now() + timedelta(days=7)
        )
        invoice_issue(partner=partner, requests=2, actor=owner)
    return [*tickets, accepted, waiting, resumed, escalated, rejected, cancelled, composite, closed, quoted]


def _pages(scene, member, owner, manager, admin) -> list[tuple]:
    ticket_pages = [f"/tickets/{ticket_id}/" for ticket_id in scene]
    return [
        *((owner, url) for url in ticket_pages),
        *((manager, url) for url in ticket_pages),
        (owner, "/"),
        (owner, "/tickets/"),
        (owner, "/tickets/?status=open&ordering=resolve_due_at"),
        (owner, "/tickets/new/"),
        (owner, "/billing/"),
        (owner, "/billing/invoices/"),
        (owner, "/team/"),
        (owner, "/integrations/"),
        (owner, "/notifications/"),
        (owner, "/notifications/preferences/"),
        (owner, "/preferences/"),
        (owner, "/security/"),
        (owner, "/tickets/404404/"),
        (member, "/"),
        (manager, "/tickets/queue/"),
        (manager, "/tickets/queue/?status=new"),
        (manager, "/tickets/phone/"),
        (manager, "/passports/"),
        (admin, "/"),
        (admin, "/staff/sla/"),
        (admin, "/staff/workload/"),
        (admin, "/billing/"),
        (admin, "/billing/invoices/"),
    ]


@pytest.fixture(params=["uk", "ru"])
def language(request):
    return request.param


def test_no_page_shows_an_untranslated_message(client, scene, member, owner, manager, language):
    admin = AdminFactory()
    catalog = _msgids(language)
    people = (member, owner, manager, admin)
    for person in people:
        person.language = language
        person.save(update_fields=["language"])
    leaks = {}
    for person, url in _pages(scene, member, owner, manager, admin):
        client.force_login(person)
        response = client.get(url)
        assert response.status_code in (200, 404), url
        found = _untranslated(_visible_text(response.content.decode()), catalog)
        if found:
            leaks[url] = sorted(found)
    client.logout()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    for url in (reverse("login"), reverse("password_reset")):
        found = _untranslated(_visible_text(client.get(url).content.decode()), catalog)
        if found:
            leaks[url] = sorted(found)
    assert leaks == {}


def test_the_check_would_catch_an_untranslated_message():
    catalog = {
        "Waiting for your reply": "",
        "Resolve by": "Вирішити до",
        "The deposit (%(available)s) does not cover this quote: %(short)s more is needed.": "",
    }
    assert _untranslated("\n".join(["Waiting for your reply", "Вирішити до"]), catalog) == {"Waiting for your reply"}
    hryvnias = "грн"
    shown = f"The deposit (1 800,00 {hryvnias}) does not cover this quote: 1 200,00 {hryvnias} more is needed."
    assert _untranslated(shown, catalog) == {"does not cover this quote", "more is needed"}
