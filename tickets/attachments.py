"""Checking uploaded files by their content, not only by their name, before a ticket keeps them."""

from dataclasses import dataclass
from pathlib import PurePath

import filetype
from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from partner_support.errors import InvalidInput

# Detected content type -> the file name extensions that may carry it.
BINARY_TYPES = {
    "image/png": {".png"},
    "image/jpeg": {".jpg", ".jpeg"},
    "image/gif": {".gif"},
    "image/webp": {".webp"},
    "application/pdf": {".pdf"},
    "application/zip": {".zip"},
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": {".docx"},
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": {".xlsx"},
    "application/vnd.openxmlformats-officedocument.presentationml.presentation": {".pptx"},
    "application/vnd.oasis.opendocument.text": {".odt"},
    "application/vnd.oasis.opendocument.spreadsheet": {".ods"},
}
# Text has no signature: it must decode as UTF-8 and hold no NUL byte.
TEXT_EXTENSIONS = {".txt": "text/plain", ".log": "text/plain", ".csv": "text/csv", ".json": "application/json"}
MAX_FILES = 10
SNIFF_BYTES = 8192


@dataclass(frozen=True)
class CheckedUpload:
    upload: UploadedFile
    name: str
    content_type: str
    size: int


def _invalid(message: str) -> InvalidInput:
    return InvalidInput(message, extra={"files": [message]})


def _looks_like_text(upload: UploadedFile) -> bool:
    upload.seek(0)
    data = upload.read()
    upload.seek(0)
    if b"\x00" in data:
        return False
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def upload_check(upload: UploadedFile) -> CheckedUpload:
    """Return the upload with its detected content type, or raise InvalidInput saying what is wrong with it."""
    name = PurePath(upload.name or "file").name[:255]
    extension = PurePath(name).suffix.lower()
    limit = settings.ATTACHMENT_MAX_BYTES
    if upload.size > limit:
        raise _invalid(
            _("%(name)s is larger than the limit of %(limit)s.") % {"name": name, "limit": filesizeformat(limit)}
        )
    if upload.size == 0:
        raise _invalid(_("%(name)s is empty.") % {"name": name})
    upload.seek(0)
    kind = filetype.guess(upload.read(SNIFF_BYTES))
    upload.seek(0)
    if kind is not None and kind.mime in BINARY_TYPES:
        if extension not in BINARY_TYPES[kind.mime]:
            raise _invalid(
                _("%(name)s is named like %(extension)s but its content is %(type)s.")
                % {"name": name, "extension": extension or _("no type"), "type": kind.extension.upper()}
            )
        return CheckedUpload(upload=upload, name=name, content_type=kind.mime, size=upload.size)
    if kind is None and extension in TEXT_EXTENSIONS and _looks_like_text(upload):
        return CheckedUpload(upload=upload, name=name, content_type=TEXT_EXTENSIONS[extension], size=upload.size)
    allowed = sorted({ext for exts in BINARY_TYPES.values() for ext in exts} | set(TEXT_EXTENSIONS))
    raise _invalid(
        _("%(name)s is not an accepted file. Accepted: %(allowed)s.") % {"name": name, "allowed": ", ".join(allowed)}
    )


def uploads_check(uploads) -> list[CheckedUpload]:
    """Check every file before any is stored, so that one bad file stores none."""
    uploads = list(uploads or [])
    if len(uploads) > MAX_FILES:
        raise _invalid(_("At most %(count)d files at once.") % {"count": MAX_FILES})
    return [upload_check(upload) for upload in uploads]
