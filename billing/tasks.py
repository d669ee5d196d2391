"""Background work of the billing app: e-mails sent after the transaction that decided them has committed."""

from celery import shared_task
from django.conf import settings
from django.core.mail import send_mail
from django.urls import reverse
from django.utils.translation import gettext as _

from accounts.models import Role, User

from .models import DepositAccount


@shared_task
def low_balance_alert(account_id: int) -> int:
    """Tell the partner's owners that the available deposit fell below three requests; returns e-mails sent.

    Skipped when the balance has recovered by the time the task runs (the flag was cleared meanwhile).
    """
    account = DepositAccount.objects.select_related("partner").filter(pk=account_id).first()
    if account is None or not account.low_balance_alerted:
        return 0
    recipients = list(
        User.objects.filter(partner_id=account.partner_id, role=Role.PARTNER_OWNER, is_active=True).values_list(
            "email", flat=True
        )
    )
    if not recipients:
        return 0
    link = settings.SITE_URL + reverse("billing:account")
    body = _(
        "Hello,\n\n"
        "the available deposit of %(partner)s is %(available)s %(currency)s, less than three requests.\n"
        "New requests cannot be filed once it no longer covers one request. Order consultations here:\n"
        "%(link)s\n\n"
        "Partner Support"
    ) % {"partner": account.partner.name, "available": account.available, "currency": account.currency, "link": link}
    send_mail(_("Low deposit balance"), body, None, recipients)
    return len(recipients)
