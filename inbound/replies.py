"""The answer to a refused inbound message: the person whose address it carried is told, by plain e-mail."""

from datetime import timedelta

from celery import shared_task
from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from accounts.models import User

from .models import InboundMessage, InboundStatus

SENDER_TOLD_INTERVAL = timedelta(days=1)


def active_user_by_address(address: str) -> User | None:
    if not address:
        return None
    return User.objects.filter(email__iexact=address, is_active=True).select_related("partner").first()


def unauthenticated_sender_tell(*, record_id: int) -> bool:
    """Tell the person whose address an unauthenticated message carried that it was refused; returns whether a
    mail went out. Once per message, and once a day per address, so that forged mail cannot flood anyone."""
    with transaction.atomic(durable=True):
        record = InboundMessage.objects.filter(pk=record_id).first()
        if record is None or record.status != InboundStatus.UNAUTHENTICATED:
            return False
        # The person's row first, then the message's: two refused messages for one address are told in turn.
        user = User.objects.select_for_update().filter(email__iexact=record.sender, is_active=True).first()
        record = InboundMessage.objects.select_for_update().get(pk=record_id)
        if record.sender_told_at is not None:
            return False
        told_recently = InboundMessage.objects.filter(
            sender=record.sender, sender_told_at__gte=timezone.now() - SENDER_TOLD_INTERVAL
        ).exists()
        if user is None or told_recently:
            return False
        record.sender_told_at = timezone.now()
        record.save(update_fields=["sender_told_at"])
        with translation.override(user.language):
            mail = EmailMessage(
                subject=_("Your e-mail to Partner Support was not accepted"),
                body=_(
                    'We received an e-mail with your address as the sender (subject: "%(subject)s"), but your mail '
                    "server did not prove that it came from you, so nothing was done with it.\n\n"
                    "If you sent it, file the request or the comment in your cabinet at %(url)s, and ask your mail "
                    "administrator to set up SPF, DKIM and DMARC for your domain. If you did not send it, someone "
                    "may be using your address; nothing is needed from you.\n\n"
                    "You receive this notice at most once a day."
                )
                % {"subject": record.subject, "url": settings.SITE_URL},
                to=[user.email],
                headers={"Auto-Submitted": "auto-replied", "X-Auto-Response-Suppress": "All"},
            )
        transaction.on_commit(lambda: mail.send())
    return True


@shared_task
def unauthenticated_sender_tell_task(record_id: int) -> bool:
    """Tell the owner of the address in From: that an unauthenticated message was refused (once; safe to repeat)."""
    return unauthenticated_sender_tell(record_id=record_id)
