"""Canned replies: texts a manager reuses, personal or shared by the administrators, in English, Ukrainian and
Russian, with placeholders filled for each ticket (tickets/replies.py)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class CannedReply(models.Model):
    """A reply text; `owner` empty: shared with every member of staff (administrators keep those)."""

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, null=True, blank=True, related_name="canned_replies"
    )
    title = models.CharField(_("title"), max_length=200)
    body_en = models.TextField(_("text in English"), blank=True)
    body_uk = models.TextField(_("text in Ukrainian"), blank=True)
    body_ru = models.TextField(_("text in Russian"), blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["title", "id"]
        indexes = [models.Index(fields=["owner", "title"], name="canned_reply_owner")]
        constraints = [
            models.CheckConstraint(name="canned_reply_has_text", condition=~Q(body_en="", body_uk="", body_ru=""))
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_shared(self) -> bool:
        return self.owner_id is None
