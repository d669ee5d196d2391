"""The permission policy: every page, API endpoint and transition asks this module.

Two faces of the same rules: predicates for one object (`rules`, so `user.has_perm("tickets.view_ticket", t)`
works everywhere) and queryset scopes for lists, so that a list never shows what the object rule would refuse.
An object the user may not see is reported as "not found" by the callers, never as "forbidden".
"""

import rules
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from partner_support.errors import PermissionDenied

from .models import Partner, Role


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
def manages_project(user, obj) -> bool:
    """obj is a Project, or anything with a project (ticket)."""
    project = obj if obj.__class__.__name__ == "Project" else getattr(obj, "project", None)
    return project is not None and project.manager_id == user.pk


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
rules.add_perm(
    "accounts.view_project", is_admin | (is_manager & manages_project) | (is_partner_user & belongs_to_partner)
)
rules.add_perm("accounts.view_passport", is_admin | (is_manager & manages_project))
rules.add_perm("accounts.assign_manager", is_admin)

# Tickets: seeing, filing, acting. Staff access follows the project's current manager in every ticket state; the
# ticket's assignee (who handled it) grants nothing, so a former manager loses the project's closed tickets too.
can_see_ticket = is_admin | (is_manager & manages_project) | (is_partner_user & belongs_to_partner)
rules.add_perm("tickets.view_ticket", can_see_ticket)
rules.add_perm("tickets.view_internal", is_admin | (is_manager & manages_project))
rules.add_perm("tickets.file_ticket", is_admin | (is_partner_user & belongs_to_partner))
rules.add_perm("tickets.file_phone_bug", is_admin | (is_manager & manages_project))
rules.add_perm("tickets.act_as_staff", is_admin | (is_manager & manages_project))
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
rules.add_perm("tickets.audit_sla", is_admin)
rules.add_perm("tickets.view_breaches", is_staff)
rules.add_perm("accounts.manage_integrations", is_partner_owner & belongs_to_partner)


def scope_partners(user, queryset: QuerySet) -> QuerySet:
    if not user.is_authenticated:
        return queryset.none()
    if user.role == Role.ADMIN:
        return queryset
    if user.role == Role.MANAGER:
        return queryset.filter(projects__manager=user).distinct()
    return queryset.filter(pk=user.partner_id)


def scope_projects(user, queryset: QuerySet) -> QuerySet:
    if not user.is_authenticated:
        return queryset.none()
    if user.role == Role.ADMIN:
        return queryset
    if user.role == Role.MANAGER:
        return queryset.filter(manager=user)
    return queryset.filter(partner_id=user.partner_id)


def scope_tickets(user, queryset: QuerySet) -> QuerySet:
    if not user.is_authenticated:
        return queryset.none()
    if user.role == Role.ADMIN:
        return queryset
    if user.role == Role.MANAGER:
        return queryset.filter(project__manager=user)
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
