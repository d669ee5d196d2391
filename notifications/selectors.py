"""Reads of the notifications app: lists, counts, preferences and who is concerned by what."""

from django.db.models import QuerySet

from accounts.models import Role, User

from .models import EmailPreference, Kind, Notification


def notification_list(*, user: User) -> QuerySet[Notification]:
    return Notification.objects.filter(user=user).select_related("ticket").order_by("-created_at", "-id")


def unread_count(*, user: User) -> int:
    return Notification.objects.filter(user=user, read_at__isnull=True).count()


def email_preferences(*, user: User) -> list[tuple[str, str, bool]]:
    """(kind, label, muted) for every kind, muted or not."""
    muted = set(EmailPreference.objects.filter(user=user, muted=True).values_list("kind", flat=True))
    return [(kind, label, kind in muted) for kind, label in Kind.choices]


def partner_owners(*, partner_id: int) -> QuerySet[User]:
    return User.objects.filter(partner_id=partner_id, role=Role.PARTNER_OWNER, is_active=True)


def administrators() -> QuerySet[User]:
    return User.objects.filter(role=Role.ADMIN, is_active=True)


def ticket_partner_side(*, ticket) -> list[User]:
    """The partner people a ticket concerns: its author (when a partner user filed it) and the partner's owners."""
    people = list(partner_owners(partner_id=ticket.partner_id))
    author = ticket.author
    if author.is_partner and author.is_active and author.pk not in {p.pk for p in people}:
        people.insert(0, author)
    return people
