"""The answers of API writes sent with an `Idempotency-Key`, so that a client retrying one gets the first answer."""

from django.db import models
from django.utils import timezone


class IdempotentRequest(models.Model):
    """One key of one caller: the request it was first used with (its fingerprint) and the answer it got.

    `scope` names the caller (a hash of the credentials), so that two callers never share a key. `status_code` is
    null while the first request is still being answered.
    """

    scope = models.CharField(max_length=64)
    key = models.CharField(max_length=255)
    fingerprint = models.CharField(max_length=64)
    status_code = models.PositiveSmallIntegerField(null=True, blank=True)
    content_type = models.CharField(max_length=100, blank=True)
    body = models.BinaryField(default=b"")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["scope", "key"], name="idempotency_key_once_per_caller")]
        indexes = [models.Index(fields=["created_at"], name="idempotency_created")]

    def __str__(self) -> str:
        return f"{self.key} -> {self.status_code}"
