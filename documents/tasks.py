"""Background work of the documents app. Safe to run twice: an act is issued once per partner and month."""

from celery import shared_task
from django.utils import timezone

from partner_support.retry import OUTAGE_RETRY

from .services import acts_issue_due


@shared_task(ignore_result=True, **OUTAGE_RETRY)
def acts_issue_due_task() -> int:
    return len(acts_issue_due(now=timezone.now()))
