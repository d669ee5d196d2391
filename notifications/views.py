"""The notification list and the e-mail preferences. Each user sees only their own; anything else answers 404."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from partner_support.errors import InvalidInput, NotFound

from .selectors import email_preferences, notification_list, unread_count
from .services import email_preferences_set, notification_mark_read

PAGE_SIZE = 50


@login_required
def notification_list_page(request: HttpRequest) -> HttpResponse:
    page = Paginator(notification_list(user=request.user), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "notifications/list.html", {"page": page, "unread": unread_count(user=request.user)})


@login_required
@require_POST
def notification_read(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    try:
        notification_mark_read(user=request.user, notification_id=pk)
    except NotFound:
        raise Http404 from None
    return redirect("notifications:list")


@login_required
def preferences(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        try:
            email_preferences_set(user=request.user, muted_kinds=set(request.POST.getlist("muted")))
        except InvalidInput as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("Your e-mail settings are saved."))
        return redirect("notifications:preferences")
    return render(request, "notifications/preferences.html", {"preferences": email_preferences(user=request.user)})
