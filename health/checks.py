"""What /healthz checks, each answering (ok, detail): the database, the cache, the broker, the scheduler's
heartbeat (beat and a worker both running) and the outbox's lag (the oldest event not yet delivered)."""

from datetime import timedelta

from celery import current_app
from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.utils import timezone

from outbox.models import OutboxEvent

from .models import Heartbeat

SCHEDULER = "scheduler"
HEARTBEAT_SECONDS = 30


def database() -> tuple[bool, str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return True, connection.vendor


def cache_check() -> tuple[bool, str]:
    backend = settings.CACHES["default"]["BACKEND"].rsplit(".", 1)[-1]
    if hasattr(cache, "ping"):  # Redis behind a fallback: the fallback must not hide an outage here
        return cache.ping(), f"{backend}: Redis answers"
    cache.set("healthz", "1", 10)
    return cache.get("healthz") == "1", backend


def broker() -> tuple[bool, str]:
    if settings.CELERY_TASK_ALWAYS_EAGER:
        return True, "tasks run in-process"
    with current_app.connection_for_write(connect_timeout=2) as conn:
        conn.ensure_connection(max_retries=1, timeout=2)
        return True, f"{conn.transport.driver_type} answers"


def scheduler() -> tuple[bool, str]:
    if settings.CELERY_TASK_ALWAYS_EAGER:
        return True, "tasks run in-process"
    beat = Heartbeat.objects.filter(name=SCHEDULER).values_list("at", flat=True).first()
    if beat is None:
        return False, "no periodic task has run yet: are beat and a worker running?"
    age = (timezone.now() - beat).total_seconds()
    return age < 3 * HEARTBEAT_SECONDS, f"last periodic task {age:.0f} s ago"


def outbox_lag() -> tuple[bool, str]:
    oldest = OutboxEvent.objects.filter(delivered_at__isnull=True).order_by("id").values_list("occurred_at", flat=True)
    first = oldest.first()
    if first is None:
        return True, "nothing waiting"
    lag = timezone.now() - first
    detail = f"oldest undelivered event {lag.total_seconds():.0f} s old"
    return lag < timedelta(seconds=settings.OUTBOX_LAG_LIMIT_SECONDS), detail


CHECKS = {
    "database": database,
    "cache": cache_check,
    "broker": broker,
    "scheduler": scheduler,
    "outbox": outbox_lag,
}


def run_checks() -> dict[str, dict]:
    results = {}
    for name, check in CHECKS.items():
        try:
            ok, detail = check()
        except Exception as error:
            ok, detail = False, f"{error.__class__.__name__}: {error}"[:300]
        results[name] = {"ok": ok, "detail": detail}
        if name == "database" and not ok:  # nothing else can be read
            break
    return results
