"""Writes of the notifications app: notifying people, delivering the e-mails, reading and muting."""

from collections import defaultdict
from collections.abc import Callable, Iterable
from email.utils import make_msgid, parseaddr

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from accounts.models import User
from partner_support.errors import InvalidInput, NotFound
from tickets.models import Comment

from .models import EmailPreference, Kind, Notification, SentMessage

# compose(user) -> (title, body), called in the recipient's language and time zone.
Compose = Callable[[User], tuple[str, str]]


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


def notify(*, kind: str, key: str, users: Iterable[User], compose: Compose, ticket=None, url: str = "") -> list:
    """Store a notification for each active user, written in their language and time zone, and e-mail those who
    have not muted `kind` after commit. `key` names the event: the same key notifies each user once."""
    if kind not in Kind.values:
        raise InvalidInput(_("Unknown notification kind."))
    recipients = {user.pk: user for user in users if user is not None and user.is_active}
    created = []
    with transaction.atomic():
        for user in recipients.values():
            if Notification.objects.filter(user=user, key=key).exists():
                continue
            with translation.override(user.language), timezone.override(user.timezone):
                title, body = compose(user)
            try:
                with transaction.atomic():
                    created.append(
                        Notification.objects.create(
                            user=user, kind=kind, key=key, ticket=ticket, title=title[:255], body=body, url=url
                        )
                    )
            except IntegrityError:
                continue  # the same event, notified concurrently by a second run of the task
        muted = muted_user_ids(kind=kind, user_ids=recipients)
        to_mail = [n.pk for n in created if n.user_id not in muted]
        if to_mail:
            from .tasks import notification_emails_send

            transaction.on_commit(lambda: notification_emails_send.delay(to_mail))
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


def _about_internal_notes(notifications: list[Notification]) -> bool:
    comment_ids = [int(n.key.split(":", 1)[1]) for n in notifications if n.key.startswith("comment:")]
    return bool(comment_ids) and Comment.objects.filter(pk__in=comment_ids, internal=True).exists()


def notification_emails_deliver(*, notification_ids: list[int]) -> int:
    """E-mail the notifications not e-mailed yet (each claimed once by a conditional update), one message to all
    recipients who get the same text; each message's Message-ID is recorded for threading replies."""
    claimed = []
    for notification_id in notification_ids:
        if Notification.objects.filter(pk=notification_id, emailed_at__isnull=True).update(emailed_at=timezone.now()):
            claimed.append(notification_id)
    groups: dict[tuple, list[Notification]] = defaultdict(list)
    for notification in Notification.objects.filter(pk__in=claimed).select_related("user", "ticket").order_by("pk"):
        with translation.override(notification.user.language):
            subject, body = _email_text(notification)
        groups[(notification.ticket_id, subject, body)].append(notification)
    domain = message_id_domain()
    for (ticket_id, subject, body), notifications in groups.items():
        message_id = make_msgid(domain=domain)
        recipients = sorted(n.user.email for n in notifications)
        headers = {"Message-ID": message_id, "Auto-Submitted": "auto-generated", "X-Auto-Response-Suppress": "All"}
        EmailMessage(subject, body, None, recipients, headers=headers).send()
        SentMessage.objects.create(
            message_id=message_id,
            ticket_id=ticket_id,
            user=notifications[0].user if len(notifications) == 1 else None,
            internal=_about_internal_notes(notifications),
        )
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
