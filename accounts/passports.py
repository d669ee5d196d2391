"""Project passports: edited by the project's manager or an administrator, every edit kept with its author."""

import difflib

from django.db import transaction
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from partner_support.errors import InvalidInput, NotFound, PermissionDenied

from .models import PassportRevision, Project, User
from .permissions import can

MAX_PASSPORT = 50_000


def passport_get(*, user: User, project_id) -> Project:
    """The project whose passport `user` may read; NotFound otherwise (whether it exists or not)."""
    project = Project.objects.select_related("partner", "manager").filter(pk=project_id).first()
    if project is None or not can(user, "accounts.view_passport", project):
        raise NotFound(_("No such project."))
    return project


def passport_history(*, project: Project) -> QuerySet[PassportRevision]:
    return project.passport_revisions.select_related("author").order_by("-created_at", "-id")


def passport_edit(*, actor: User, project_id: int, text: str, base_revision: int | None) -> PassportRevision | None:
    """Save a new passport text. `base_revision` is the latest revision the editor saw (None: none yet): when
    someone saved another since, the edit is refused rather than overwriting theirs. Nothing changed: no revision."""
    text = (text or "").replace("\r\n", "\n").strip()
    if len(text) > MAX_PASSPORT:
        message = _("The passport is limited to %(max)d characters.") % {"max": MAX_PASSPORT}
        raise InvalidInput(message, extra={"passport": [message]})
    with transaction.atomic(durable=True):
        project = Project.objects.select_for_update().filter(pk=project_id).first()
        if project is None or not can(actor, "accounts.view_passport", project):
            raise NotFound(_("No such project."))
        if not can(actor, "accounts.edit_passport", project):
            raise PermissionDenied(_("Only the project's manager or an administrator edits its passport."))
        latest = project.passport_revisions.order_by("-created_at", "-id").values_list("pk", flat=True).first()
        if latest != base_revision:
            message = _("Someone saved the passport meanwhile: reload the page to see their changes, then edit.")
            raise InvalidInput(message, extra={"passport": [message]})
        if text == project.passport:
            return None
        revision = PassportRevision.objects.create(
            project=project, author=actor, text_before=project.passport, text_after=text
        )
        project.passport = text
        project.save(update_fields=["passport"])
    return revision


def revision_diff(revision: PassportRevision) -> list[tuple[str, str]]:
    """The lines an edit removed ("-") and added ("+"), with unchanged ones around them (" ")."""
    lines = difflib.unified_diff(revision.text_before.splitlines(), revision.text_after.splitlines(), lineterm="", n=1)
    shown = [line for line in lines if line[:1] in ("+", "-", " ") and not line.startswith(("---", "+++"))]
    return [(line[0], line[1:]) for line in shown]
