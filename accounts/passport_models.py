"""The history of project passports: every edit, with who made it, when, and the text before and after."""

from django.conf import settings
from django.db import models
from django.utils import timezone


class PassportRevision(models.Model):
    """One edit of a project's passport (staff-only notes on the client's installation). Never changed afterwards."""

    project = models.ForeignKey("accounts.Project", on_delete=models.CASCADE, related_name="passport_revisions")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    text_before = models.TextField(blank=True)
    text_after = models.TextField(blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["project", "-created_at", "-id"], name="passport_revision_project")]

    def __str__(self) -> str:
        return f"{self.project_id} by {self.author_id} at {self.created_at:%Y-%m-%d %H:%M}"
