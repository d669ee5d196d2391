"""How every Celery task meets an outage: retried with growing pauses while the database or the broker is away,
then failing loudly (logged by Celery with the task's name) rather than being swallowed."""

from django.db import InterfaceError
from django.db import OperationalError as DatabaseUnavailable
from kombu.exceptions import OperationalError as BrokerUnavailable

OUTAGE_RETRY = {
    "autoretry_for": (DatabaseUnavailable, InterfaceError, BrokerUnavailable),
    "retry_backoff": 5,
    "retry_backoff_max": 300,
    "retry_jitter": True,
    "max_retries": 12,
}
