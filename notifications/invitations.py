"""The invitation e-mail of a new colleague (`user.invited`), with a link to choose their password, and the notice
to the holder of an address that another partner invited (`user.invited_elsewhere`).

The link is made when the e-mail is sent and is never stored. The message's id comes from the event, so the
relay handing the event out again sends nothing new once the first message is recorded.
"""

from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.core.mail import EmailMessage
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _
from django.utils.translation import override

from accounts.models import Partner, User
from outbox.models import OutboxEvent

from . import messages
from .models import SentMessage
from .services import message_id_domain


def _invitee(event: OutboxEvent) -> User | None:
    """The account made for the invitation (events stored before invitations were recorded name the user)."""
    if "user" in event.payload:
        user_filter = {"pk": event.payload["user"]["id"]}
    else:
        user_filter = {"invitation__pk": event.payload["invitation"]["id"]}
    return User.objects.filter(is_active=True, **user_filter).select_related("partner").first()


def invitation_email(*, event: OutboxEvent) -> bool:
    """Send the invitation once; False when there is nothing to send (sent already, or the colleague is in)."""
    message_id = f"<invitation-{event.event_id}@{message_id_domain()}>"
    user = _invitee(event)
    if user is None or user.has_usable_password() or SentMessage.objects.filter(message_id=message_id).exists():
        return False
    inviter = User.objects.filter(pk=event.actor_id).first()
    link = settings.SITE_URL + reverse(
        "password_reset_confirm",
        kwargs={
            "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
            "token": default_token_generator.make_token(user),
        },
    )
    with override(user.language):
        subject, body = messages.invitation(
            inviter=inviter.display_name if inviter else _("An owner"),
            partner=user.partner.name,
            email=user.email,
            link=link,
        )
    EmailMessage(subject, body, None, [user.email], headers={"Message-ID": message_id}).send()
    SentMessage.objects.create(message_id=message_id, user=user)
    return True


def invitation_elsewhere_email(*, event: OutboxEvent) -> bool:
    """Tell the holder of an address that another partner invited it: their account stays as it is, and the
    partner learns nothing (accounts.models.Invitation). Sent once per event."""
    message_id = f"<invitation-{event.event_id}@{message_id_domain()}>"
    holder = User.objects.filter(email__iexact=event.payload["invitation"]["email"], is_active=True).first()
    if holder is None or SentMessage.objects.filter(message_id=message_id).exists():
        return False
    partner = Partner.objects.get(pk=event.partner_id)
    with override(holder.language):
        subject, body = messages.invitation_elsewhere(partner=partner.name, email=holder.email)
    EmailMessage(subject, body, None, [holder.email], headers={"Message-ID": message_id}).send()
    SentMessage.objects.create(message_id=message_id, user=holder)
    return True
