from celery import shared_task
from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.core.mail import send_mail
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _
from django.utils.translation import override

from .models import User


@shared_task
def invitation_send(user_id: int, inviter_id: int) -> bool:
    """E-mail a new colleague the link where they choose their password (valid for PASSWORD_RESET_TIMEOUT)."""
    user = User.objects.filter(pk=user_id, is_active=True).select_related("partner").first()
    inviter = User.objects.filter(pk=inviter_id).first()
    if user is None or user.has_usable_password():
        return False
    link = settings.SITE_URL + reverse(
        "password_reset_confirm",
        kwargs={
            "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
            "token": default_token_generator.make_token(user),
        },
    )
    with override(user.language):
        send_mail(
            _("You are invited to Partner Support"),
            _(
                "%(inviter)s added you to %(partner)s in Partner Support.\n"
                "Choose your password here: %(link)s\nThen log in with %(email)s."
            )
            % {
                "inviter": inviter.display_name if inviter else _("An owner"),
                "partner": user.partner.name,
                "link": link,
                "email": user.email,
            },
            None,
            [user.email],
        )
    return True
