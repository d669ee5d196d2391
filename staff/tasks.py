"""Periodic work of the administrators' console. Safe to repeat."""

from celery import shared_task
from django.utils import timezone

from partner_support.retry import OUTAGE_RETRY

from .services import audit_figures_refresh


@shared_task(**OUTAGE_RETRY)
def audit_figures_refresh_task() -> int:
    return audit_figures_refresh(now=timezone.now())
