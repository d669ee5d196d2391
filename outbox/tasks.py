"""The relay's tasks: one enqueued after each commit that emitted events, and the same every few seconds (beat),
which also delivers whatever was stored while the broker or the worker was down."""

from celery import shared_task
from django.utils import timezone

from partner_support.retry import OUTAGE_RETRY

from .relay import outbox_prune, relay_run


@shared_task(ignore_result=True, **OUTAGE_RETRY)
def outbox_relay() -> int:
    return relay_run()


@shared_task(ignore_result=True, **OUTAGE_RETRY)
def outbox_prune_task() -> int:
    return outbox_prune(now=timezone.now())
