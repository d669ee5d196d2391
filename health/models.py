"""When the background machinery last showed it is alive."""

from django.db import models


class Heartbeat(models.Model):
    """`scheduler`: the last run of the periodic heartbeat task, which needs both beat (to send it) and a worker
    (to run it)."""

    name = models.CharField(max_length=40, unique=True)
    at = models.DateTimeField()

    def __str__(self) -> str:
        return f"{self.name} @ {self.at:%Y-%m-%d %H:%M:%S}"
