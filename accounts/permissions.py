"""The permission policy: every page, API endpoint and transition asks this module.

Two faces of the same rules: predicates for one object (`rules`, so `user.has_perm("tickets.view_ticket", t)`
works everywhere) and queryset scopes for lists, so that a list never shows what the object rule would refuse.
An object the user may not see is reported as "not found" by the callers, never as "forbidden".
"""

import rules
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from partner_support.errors import PermissionDenied

from .cover import covered_manager_ids
from .models import Partner, Project, Role

# The statuses of an open ticket (tickets.models.OPEN_STATUSES, which a test holds equal to these): whoever holds
# an open ticket may work on it, so that a ticket handed over before an absence starts is in reach of its holder.
OPEN_TICKET_STATUSES = ("new", "quoted", "accepted", "waiting_partner", "waiting_production")


def can(user, perm: str, obj=None) -> bool:
    """Ask the rules themselves. Unlike `user.has_perm`, no superuser shortcut: administrators are superusers for
    the Django admin, yet decisions that belong to the partner (approve a quote, confirm, reopen) stay theirs."""
    return user.is_authenticated and user.is_active and rules.has_perm(perm, user, obj)


@rules.predicate
def is_admin(user) -> bool:
    return user.is_authenticated and user.role == Role.ADMIN


@rules.predicate
def is_manager(user) -> bool:
    return user.is_authenticated and user.role == Role.MANAGER


@rules.predicate
def is_partner_user(user) -> bool:
    return user.is_authenticated and user.role in (Role.PARTNER_OWNER, Role.PARTNER_MEMBER)


@rules.predicate
def is_partner_owner(user) -> bool:
    return user.is_authenticated and user.role == Role.PARTNER_OWNER


@rules.predicate
def filed_by_user(user, obj) -> bool:
    """obj is a ticket the user filed."""
    return getattr(obj, "author_id", None) == user.pk


@rules.predicate
def is_staff(user) -> bool:
    return user.is_authenticated and user.role in (Role.MANAGER, Role.ADMIN)


@rules.predicate
def belongs_to_partner(user, obj) -> bool:
    """obj is a Partner, or anything with a partner_id (project, ticket, account, invoice)."""
    partner_id = obj.pk if obj.__class__.__name__ == "Partner" else getattr(obj, "partner_id", None)
    return user.partner_id is not None and partner_id == user.partner_id


@rules.predicate
def is_self(user, obj) -> bool:
    """obj is the user themselves (a manager's own absences and deputy)."""
    return obj is not None and getattr(obj, "pk", None) == user.pk


@rules.predicate
def manages_project(user, obj) -> bool:
    """obj is a Project, or anything with a project (ticket)."""
    project = obj if obj.__class__.__name__ == "Project" else getattr(obj, "project", None)
    return project is not None and project.manager_id == user.pk


@rules.predicate
def covers_project(user, obj) -> bool:
    """obj is a Project, or anything with a project: its manager is absent now and `user` covers them."""
    project = obj if obj.__class__.__name__ == "Project" else getattr(obj, "project", None)
    if project is None or project.manager_id is None:
        return False
    return project.manager_id in covered_manager_ids(user=user, at=timezone.now())


@rules.predicate
def holds_ticket(user, obj) -> bool:
    """obj is an open ticket assigned to `user` (handed over to them, or filed while they covered)."""
    return obj.__class__.__name__ == "Ticket" and obj.assignee_id == user.pk and obj.status in OPEN_TICKET_STATUSES


serves_project = manages_project | covers_project
serves_ticket = manages_project | covers_project | holds_ticket


def partner_may_order(partner) -> None:
    """A suspended partner files no requests (by any channel) and orders no consultations: refused with a reason
    its people understand. What it has already (tickets, invoices, statement) stays visible."""
    if partner is not None and partner.status == Partner.Status.SUSPENDED:
        raise PermissionDenied(
            _("%(partner)s is suspended: new requests and orders are closed.") % {"partner": partner}
        )


# Partners, projects, people
rules.add_perm("accounts.view_partner", is_admin | (is_partner_user & belongs_to_partner))
rules.add_perm("accounts.manage_team", is_admin | (is_partner_owner & belongs_to_partner))
rules.add_perm("accounts.edit_requisites", is_admin | (is_partner_owner & belongs_to_partner))
rules.add_perm(
    "accounts.view_project", is_admin | (is_manager & serves_project) | (is_partner_user & belongs_to_partner)
)
rules.add_perm("accounts.view_passport", is_admin | (is_manager & serves_project))
rules.add_perm("accounts.edit_passport", is_admin | (is_manager & manages_project))
rules.add_perm("accounts.assign_manager", is_admin)
rules.add_perm("accounts.reset_two_factor", is_admin)

# Tickets: seeing, filing, acting. Staff access follows the project's current manager and whoever covers them, in
# every ticket state; having handled a ticket grants nothing once it is closed, so a former manager loses the
# project's closed tickets too. Holding an open ticket (handed over) is enough to work on it.
can_see_ticket = is_admin | (is_manager & serves_ticket) | (is_partner_user & belongs_to_partner)
rules.add_perm("tickets.view_ticket", can_see_ticket)
rules.add_perm("tickets.view_internal", is_admin | (is_manager & serves_ticket))
rules.add_perm("tickets.file_ticket", is_admin | (is_partner_user & belongs_to_partner))
rules.add_perm("tickets.file_phone_bug", is_admin | (is_manager & serves_project))
rules.add_perm("tickets.act_as_staff", is_admin | (is_manager & serves_ticket))
rules.add_perm("tickets.act_as_partner", is_partner_user & belongs_to_partner)
# A member withdraws the requests they filed; an owner any of the partner's (DESIGN.md section 9).
rules.add_perm(
    "tickets.cancel_ticket",
    is_admin | (is_partner_owner & belongs_to_partner) | (is_partner_user & belongs_to_partner & filed_by_user),
)
rules.add_perm("tickets.comment", can_see_ticket)

# Money and SLA
rules.add_perm("billing.view_account", is_admin | (is_partner_user & belongs_to_partner))
rules.add_perm("billing.order_consultations", is_admin | (is_partner_owner & belongs_to_partner))
rules.add_perm("billing.record_payment", is_admin)
# Invoices and acts are the owners' documents, as ordering is (DESIGN.md section 2): members see neither.
rules.add_perm("billing.view_documents", is_admin | (is_partner_owner & belongs_to_partner))
# The monthly service report: everyone of the partner (members see the deposit and the time log anyway).
rules.add_perm("documents.view_report", is_admin | (is_partner_user & belongs_to_partner))
rules.add_perm("tickets.audit_sla", is_admin)
rules.add_perm("tickets.view_breaches", is_staff)
rules.add_perm("accounts.manage_integrations", is_partner_owner & belongs_to_partner)
rules.add_perm("accounts.manage_absences", is_admin | (is_manager & is_self))


def _served_manager_ids(user) -> list[int]:
    """The manager themselves and the absent managers they cover now."""
    return [user.pk, *sorted(covered_manager_ids(user=user, at=timezone.now()))]


def scope_partners(user, queryset: QuerySet) -> QuerySet:
    if not user.is_authenticated:
        return queryset.none()
    if user.role == Role.ADMIN:
        return queryset
    if user.role == Role.MANAGER:
        return queryset.filter(projects__manager_id__in=_served_manager_ids(user)).distinct()
    return queryset.filter(pk=user.partner_id)


def scope_projects(user, queryset: QuerySet) -> QuerySet:
    if not user.is_authenticated:
        return queryset.none()
    if user.role == Role.ADMIN:
        return queryset
    if user.role == Role.MANAGER:
        return queryset.filter(manager_id__in=_served_manager_ids(user))
    return queryset.filter(partner_id=user.partner_id)


def scope_tickets(user, queryset: QuerySet) -> QuerySet:
    if not user.is_authenticated:
        return queryset.none()
    if user.role == Role.ADMIN:
        return queryset
    if user.role == Role.MANAGER:
        # The projects' ids as values, not a join: each side of the OR is then a condition on the ticket's own
        # indexed columns, which PostgreSQL combines with a search's or an ordering's index instead of reading
        # every ticket that matches a common word.
        managers = {user.pk, *covered_manager_ids(user=user, at=timezone.now())}
        projects = list(Project.objects.filter(manager_id__in=managers).values_list("pk", flat=True))
        return queryset.filter(Q(project_id__in=projects) | Q(assignee=user, status__in=OPEN_TICKET_STATUSES))
    return queryset.filter(partner_id=user.partner_id)


def scope_by_partner(user, queryset: QuerySet, field: str = "partner") -> QuerySet:
    """Rows owned by a partner (accounts, entries, invoices): administrators see all, partner users their own."""
    if not user.is_authenticated:
        return queryset.none()
    if user.role == Role.ADMIN:
        return queryset
    if user.role in (Role.PARTNER_OWNER, Role.PARTNER_MEMBER):
        return queryset.filter(**{f"{field}_id": user.partner_id})
    return queryset.none()
