"""Writes of the notifications app: notifying people, delivering the e-mails, reading and muting."""

from collections import defaultdict
from collections.abc import Callable, Iterable
from datetime import timedelta
from email.utils import parseaddr

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from accounts.models import User
from partner_support.errors import InvalidInput, NotFound

from .models import EmailPreference, Kind, Notification, SentMessage
from .reply_tokens import reply_address

# compose(user) -> (title, body), called in the recipient's language and time zone.
Compose = Callable[[User], tuple[str, str]]


def email_claim() -> timedelta:
    """How long a sender may take over an e-mail before another one may send it (a sender that died)."""
    return timedelta(seconds=settings.EMAIL_CLAIM_SECONDS)


def message_id_domain() -> str:
    """The domain of our Message-IDs: the one of the address we send from."""
    address = parseaddr(settings.DEFAULT_FROM_EMAIL)[1]
    return address.rpartition("@")[2] or "partner-support.local"


def muted_user_ids(*, kind: str, user_ids: Iterable[int]) -> set[int]:
    return set(
        EmailPreference.objects.filter(kind=kind, muted=True, user_id__in=list(user_ids)).values_list(
            "user_id", flat=True
        )
    )


def notify(
    *,
    kind: str,
    key: str,
    users: Iterable[User],
    compose: Compose,
    ticket_id: int | None = None,
    url: str = "",
    internal: bool = False,
) -> list:
    """Store a notification for each active user, written in their language and time zone, owing an e-mail to
    those who have not muted `kind`. `key` names the event: the same key notifies each user once. Runs inside
    the caller's transaction (the outbox relay's); the e-mails are sent by `notification_emails_deliver`."""
    if kind not in Kind.values:
        raise InvalidInput(_("Unknown notification kind."))
    recipients = {user.pk: user for user in users if user is not None and user.is_active}
    already = set(Notification.objects.filter(key=key, user_id__in=list(recipients)).values_list("user_id", flat=True))
    muted = muted_user_ids(kind=kind, user_ids=recipients)
    created = []
    for user in recipients.values():
        if user.pk in already:
            continue
        with translation.override(user.language), timezone.override(user.timezone):
            title, body = compose(user)
        created.append(
            Notification(
                user=user,
                kind=kind,
                key=key,
                ticket_id=ticket_id,
                title=title[:255],
                body=body,
                url=url,
                email_wanted=user.pk not in muted,
                internal=internal,
            )
        )
    Notification.objects.bulk_create(created)
    return created


def _email_text(notification: Notification) -> tuple[str, str]:
    """Subject and body of a notification's e-mail, in the current (the recipient's) language."""
    subject = notification.title
    if notification.ticket_id:
        subject = f"[{notification.ticket.number}] {subject}"
    parts = [notification.body]
    if notification.url:
        parts.append(_("Open: %(url)s") % {"url": notification.url})
    preferences = settings.SITE_URL + reverse("notifications:preferences")
    parts.append("-- \n" + _("Partner Support. E-mail settings: %(url)s") % {"url": preferences})
    return subject, "\n\n".join(parts)


def emails_owed(*, limit: int = 500) -> list[int]:
    """Notifications whose e-mail is owed and not being sent by someone else now, oldest first."""
    free = Q(email_claimed_until__isnull=True) | Q(email_claimed_until__lt=timezone.now())
    owed = Notification.objects.filter(free, email_wanted=True, emailed_at__isnull=True)
    return list(owed.order_by("pk").values_list("pk", flat=True)[:limit])


def _message_id(notifications: list[Notification]) -> str:
    """The same Message-ID for the same message sent again after a crash, so that mail clients show it once."""
    return f"<notification-{notifications[0].pk}-{len(notifications)}@{message_id_domain()}>"


def notification_emails_deliver(*, notification_ids: list[int]) -> int:
    """E-mail the notifications still owed: each is claimed for a while, sent (one message to all recipients who
    get the same text), and marked e-mailed only once the mail server took it. A failure leaves it owed: the
    claim runs out and the periodic sender tries again. Returns the messages sent."""
    claim = timezone.now() + email_claim()
    free = Q(email_claimed_until__isnull=True) | Q(email_claimed_until__lt=timezone.now())
    claimed = [
        notification_id
        for notification_id in notification_ids
        if Notification.objects.filter(free, pk=notification_id, email_wanted=True, emailed_at__isnull=True).update(
            email_claimed_until=claim
        )
    ]
    groups: dict[tuple, list[Notification]] = defaultdict(list)
    for notification in Notification.objects.filter(pk__in=claimed).select_related("user", "ticket").order_by("pk"):
        with translation.override(notification.user.language):
            subject, body = _email_text(notification)
        # One message for the people of one ticket who read the same text; otherwise one message each, so that
        # no address is shown to someone of another partner.
        # With reply addresses, each person's e-mail about a ticket carries their own.
        group = notification.ticket_id or f"user:{notification.user_id}"
        if notification.ticket_id and settings.INBOUND_REPLY_ADDRESS:
            group = f"{notification.ticket_id}:{notification.user_id}"
        groups[(group, subject, body)].append(notification)
    for (_group, subject, body), notifications in groups.items():
        message_id = _message_id(notifications)
        recipients = sorted(n.user.email for n in notifications)
        headers = {"Message-ID": message_id, "Auto-Submitted": "auto-generated", "X-Auto-Response-Suppress": "All"}
        reply_to = notifications[0].ticket_id and reply_address(
            ticket_id=notifications[0].ticket_id, user_id=notifications[0].user_id
        )
        if reply_to and len(notifications) == 1:
            headers["Reply-To"] = reply_to
        EmailMessage(subject, body, None, recipients, headers=headers).send()
        with transaction.atomic():
            SentMessage.objects.get_or_create(
                message_id=message_id,
                defaults={
                    "ticket_id": notifications[0].ticket_id,
                    "user": notifications[0].user if len(notifications) == 1 else None,
                    "internal": any(n.internal for n in notifications),
                },
            )
            Notification.objects.filter(pk__in=[n.pk for n in notifications]).update(emailed_at=timezone.now())
    return len(groups)


def notification_mark_read(*, user: User, notification_id: int | None = None) -> int:
    """Mark one of the user's notifications read, or all of them (`notification_id=None`); returns rows changed."""
    notifications = Notification.objects.filter(user=user, read_at__isnull=True)
    if notification_id is not None:
        if not Notification.objects.filter(user=user, pk=notification_id).exists():
            raise NotFound(_("Notification not found."))
        notifications = notifications.filter(pk=notification_id)
    return notifications.update(read_at=timezone.now())


def email_mute(*, user: User, kind: str, muted: bool = True) -> EmailPreference:
    """Stop (or resume) the user's e-mails of one kind; the in-app notifications are stored either way."""
    if kind not in Kind.values:
        raise InvalidInput(_("Unknown notification kind."))
    preference, _created = EmailPreference.objects.update_or_create(user=user, kind=kind, defaults={"muted": muted})
    return preference


def email_preferences_set(*, user: User, muted_kinds: set[str]) -> None:
    """Save the whole preferences form at once: the kinds listed are muted, every other kind is not."""
    unknown = muted_kinds - set(Kind.values)
    if unknown:
        raise InvalidInput(_("Unknown notification kind."))
    with transaction.atomic():
        for kind in Kind.values:
            email_mute(user=user, kind=kind, muted=kind in muted_kinds)
