from celery import shared_task
from django.utils import timezone

from partner_support.retry import OUTAGE_RETRY

from .checks import SCHEDULER
from .models import Heartbeat


@shared_task(ignore_result=True, **OUTAGE_RETRY)
def heartbeat() -> None:
    """Sent by beat, run by a worker: its time in the database shows /healthz that both are alive."""
    Heartbeat.objects.update_or_create(name=SCHEDULER, defaults={"at": timezone.now()})
