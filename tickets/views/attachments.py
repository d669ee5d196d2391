"""Attachments of tickets are served only here, after the policy has been asked, never from a public URL."""

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest

from partner_support.errors import NotFound

from ..selectors import attachment_get


@login_required
def attachment_download(request: HttpRequest, ticket_id: int, attachment_id: int) -> FileResponse:
    try:
        attachment = attachment_get(user=request.user, ticket_id=ticket_id, attachment_id=attachment_id)
    except NotFound as error:
        raise Http404(error.message) from None
    response = FileResponse(
        attachment.file.open("rb"),
        as_attachment=True,
        filename=attachment.original_name,
        content_type=attachment.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response
