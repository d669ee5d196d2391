from celery import shared_task
from django.utils import timezone

from partner_support.retry import OUTAGE_RETRY

from .middleware import idempotency_prune


@shared_task(ignore_result=True, **OUTAGE_RETRY)
def idempotency_prune_task() -> int:
    return idempotency_prune(now=timezone.now())
