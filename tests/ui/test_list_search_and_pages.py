"""The request list: search with highlighted, escaped excerpts; First/Previous/Next/Last pages by cursor."""

import re

import pytest
from django.urls import reverse

from tests.factories import TicketFactory
from tests.helpers import postgres_only

pytestmark = pytest.mark.django_db


def test_search_highlights_the_words_and_escapes_the_text(client, member, project):
    TicketFactory(
        project=project,
        author=member,
        title="<script>alert(1)</script> Export fails",
        description="Since Monday the export to Excel stops at 50% <b>always</b>.",
    )
    TicketFactory(project=project, author=member, title="Unrelated", description="Nothing here.")
    client.force_login(member)
    page = client.get(reverse("tickets:list"), {"search": "export"}).text
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt; <mark>Export</mark> fails" in page
    assert "the <mark>export</mark> to Excel stops at 50% &lt;b&gt;always&lt;/b&gt;." in page
    assert "Unrelated" not in page


def test_search_by_ticket_number(client, member, project):
    wanted, other = TicketFactory.create_batch(2, project=project, author=member)
    client.force_login(member)
    page = client.get(reverse("tickets:list"), {"search": wanted.number}).text
    assert wanted.number in page
    assert other.number not in page


def test_pages_by_cursor_first_next_last(client, member, project):
    tickets = TicketFactory.create_batch(30, project=project, author=member)
    newest, oldest = tickets[-1], tickets[0]
    client.force_login(member)
    first = client.get(reverse("tickets:list")).text
    assert "30 requests" in first
    assert "Page 1 of 2" in first
    assert newest.number in first and oldest.number not in first
    last_link = re.search(r'href="(\?[^"]*)" rel="last"', first).group(1).replace("&amp;", "&")
    last = client.get(reverse("tickets:list") + last_link).text
    assert oldest.number in last and newest.number not in last
    assert "Page 2 of 2" in last
    previous_link = re.search(r'href="(\?[^"]*)" rel="prev"', last).group(1).replace("&amp;", "&")
    assert newest.number in client.get(reverse("tickets:list") + previous_link).text


def test_a_mangled_cursor_shows_the_first_page(client, member, project):
    TicketFactory.create_batch(3, project=project, author=member)
    client.force_login(member)
    assert client.get(reverse("tickets:list"), {"cursor": "%%%"}).status_code == 200


@postgres_only
def test_every_page_of_a_search_and_its_count(client, member, project):
    """Equal ranks page on by the cursor: the rank it carries back is the very number the query compares."""
    matches = TicketFactory.create_batch(30, project=project, author=member, title="Export stops")
    TicketFactory(project=project, author=member, title="Unrelated")
    client.force_login(member)
    first = client.get(reverse("tickets:list"), {"search": "export"})
    assert first.context["count"].value == 30 and first.context["count"].exact
    assert "Page 1 of 2" in first.text
    next_link = re.search(r'href="(\?[^"]*)" rel="next"', first.text).group(1).replace("&amp;", "&")
    second = client.get(reverse("tickets:list") + next_link)
    shown = [ticket.pk for ticket in first.context["page"]] + [ticket.pk for ticket in second.context["page"]]
    assert sorted(shown) == sorted(ticket.pk for ticket in matches)
    assert "Page 2 of 2" in second.text
