"""Filing a ticket: who may, on which project, through which channel, with which input."""

import pytest

from partner_support.errors import InvalidInput, PermissionDenied
from tests.factories import ManagerFactory, ProjectFactory
from tickets import services
from tickets.models import Channel, Kind, Status, TicketEvent

pytestmark = pytest.mark.django_db


def test_a_partner_user_files_on_a_project_and_the_manager_is_assigned(file_ticket, member, project):
    ticket = file_ticket()
    assert (ticket.status, ticket.partner, ticket.assignee, ticket.author) == (
        Status.NEW,
        project.partner,
        project.manager,
        member,
    )
    assert ticket.number == f"PS-{ticket.pk:06d}"
    assert ticket.accept_due_at is not None and ticket.accept_due_at > ticket.created_at
    assert TicketEvent.objects.get(ticket=ticket).kind == "filed"


def test_another_partners_project_is_no_such_project(funded, member, other_partner_project):
    with pytest.raises(InvalidInput) as refused:
        services.ticket_file(
            actor=member, project_id=other_partner_project.pk, kind=Kind.SIMPLE, title="x", description="y"
        )
    assert refused.value.extra == {"project": ["No such project."]}


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"title": ""}, "title"),
        ({"title": "x" * 201}, "title"),
        ({"description": "   "}, "description"),
        ({"kind": "urgent"}, "kind"),
        ({"channel": "fax"}, "channel"),
    ],
)
def test_bad_input_names_the_field(file_ticket, fields, field):
    kind = fields.pop("kind", Kind.SIMPLE)
    with pytest.raises(InvalidInput) as refused:
        file_ticket(kind, **fields)
    assert field in refused.value.extra


def test_inactive_project_takes_no_requests(file_ticket, project):
    project.is_active = False
    project.save()
    with pytest.raises(InvalidInput, match="closed"):
        file_ticket()


def test_the_manager_registers_a_phone_bug_on_the_partners_behalf(funded, project, manager):
    ticket = services.ticket_file(
        actor=manager, project_id=project.pk, kind=Kind.BUG, title="CRM down", description="500", channel=Channel.PHONE
    )
    assert (ticket.channel, ticket.kind, ticket.partner, ticket.author) == ("phone", "bug", project.partner, manager)


@pytest.mark.parametrize("kind", [Kind.SIMPLE, Kind.COMPOSITE, Kind.ENHANCEMENT])
def test_the_phone_channel_takes_bugs_only(funded, project, manager, kind):
    with pytest.raises(InvalidInput, match="critical bugs only"):
        services.ticket_file(
            actor=manager, project_id=project.pk, kind=kind, title="t", description="d", channel=Channel.PHONE
        )


def test_partners_cannot_use_the_phone_channel_and_managers_only_use_it(funded, project, manager, member):
    with pytest.raises(PermissionDenied):
        services.ticket_file(
            actor=member, project_id=project.pk, kind=Kind.BUG, title="t", description="d", channel=Channel.PHONE
        )
    with pytest.raises(PermissionDenied):
        services.ticket_file(actor=manager, project_id=project.pk, kind=Kind.BUG, title="t", description="d")


def test_a_manager_registers_phone_bugs_only_for_projects_they_serve(funded, project):
    other_manager = ManagerFactory()
    ProjectFactory(manager=other_manager)
    with pytest.raises(InvalidInput, match="No such project"):
        services.ticket_file(
            actor=other_manager, project_id=project.pk, kind=Kind.BUG, title="t", description="d", channel="phone"
        )
