"""Canned replies: the page where staff keep theirs (administrators the shared ones too), and inserting one into
a comment on the ticket page (a plain GET with `?reply=<id>`, so that it works without JavaScript)."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from accounts.permissions import can
from partner_support.errors import ApplicationError, NotFound
from partner_support.forms import error_to_form

from ..models import Ticket
from ..replies import (
    MAX_BODY,
    MAX_TITLE,
    canned_replies_for,
    canned_reply_create,
    canned_reply_delete,
    canned_reply_get,
    canned_reply_update,
    reply_render,
)

PLACEHOLDER_HELP = gettext_lazy("Placeholders: {partner}, {name}, {number}, {deadline}.")


class ReplyForm(forms.Form):
    title = forms.CharField(label=gettext_lazy("Title"), max_length=MAX_TITLE)
    body_en = forms.CharField(
        label=gettext_lazy("English"), required=False, max_length=MAX_BODY, widget=forms.Textarea(attrs={"rows": 4})
    )
    body_uk = forms.CharField(
        label=gettext_lazy("Ukrainian"), required=False, max_length=MAX_BODY, widget=forms.Textarea(attrs={"rows": 4})
    )
    body_ru = forms.CharField(
        label=gettext_lazy("Russian"),
        required=False,
        max_length=MAX_BODY,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=PLACEHOLDER_HELP,
    )
    shared = forms.BooleanField(label=gettext_lazy("Shared with all staff"), required=False)

    def __init__(self, *args, may_share: bool, **kwargs):
        super().__init__(*args, **kwargs)
        if not may_share:
            del self.fields["shared"]

    def bodies(self) -> dict[str, str]:
        return {code: self.cleaned_data[f"body_{code}"] for code in ("en", "uk", "ru")}


def _staff_only(request: HttpRequest) -> None:
    if not request.user.is_support_staff:
        raise Http404


@login_required
def replies(request: HttpRequest) -> HttpResponse:
    _staff_only(request)
    user = request.user
    form = ReplyForm(may_share=user.is_admin)
    status = 200
    if request.method == "POST":
        form = ReplyForm(request.POST, may_share=user.is_admin)
        if form.is_valid():
            try:
                canned_reply_create(
                    actor=user,
                    title=form.cleaned_data["title"],
                    bodies=form.bodies(),
                    shared=form.cleaned_data.get("shared", False),
                )
            except ApplicationError as error:
                error_to_form(form, error)
            else:
                messages.success(request, _("The reply is saved."))
                return redirect("tickets:replies")
        status = 400
    context = {"replies": canned_replies_for(user=user), "form": form}
    return render(request, "tickets/replies.html", context, status=status)


@login_required
def reply_edit(request: HttpRequest, reply_id: int) -> HttpResponse:
    _staff_only(request)
    user = request.user
    try:
        reply = canned_reply_get(user=user, reply_id=reply_id)
    except NotFound:
        raise Http404 from None
    if reply.is_shared and not user.is_admin:
        raise Http404
    initial = {"title": reply.title, **{f"body_{code}": getattr(reply, f"body_{code}") for code in ("en", "uk", "ru")}}
    form = ReplyForm(initial=initial, may_share=False)
    status = 200
    if request.method == "POST":
        form = ReplyForm(request.POST, may_share=False)
        if form.is_valid():
            try:
                canned_reply_update(
                    actor=user, reply_id=reply.pk, title=form.cleaned_data["title"], bodies=form.bodies()
                )
            except ApplicationError as error:
                error_to_form(form, error)
            else:
                messages.success(request, _("The reply is saved."))
                return redirect("tickets:replies")
        status = 400
    return render(request, "tickets/reply_edit.html", {"reply": reply, "form": form}, status=status)


@require_POST
@login_required
def reply_delete(request: HttpRequest, reply_id: int) -> HttpResponse:
    _staff_only(request)
    try:
        canned_reply_delete(actor=request.user, reply_id=reply_id)
    except NotFound:
        raise Http404 from None
    except ApplicationError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("The reply is deleted."))
    return redirect("tickets:replies")


def reply_initial(request: HttpRequest, ticket: Ticket) -> dict:
    """The comment form's initial text when the ticket page was asked to insert a reply (`?reply=<id>`): the reply
    rendered for the ticket's reader; nothing for anyone who is not staff on the ticket."""
    chosen = request.GET.get("reply", "")
    if not chosen or not can(request.user, "tickets.act_as_staff", ticket):
        return {}
    try:
        reply = canned_reply_get(user=request.user, reply_id=chosen)
    except NotFound:
        return {}
    return {"body": reply_render(reply=reply, ticket=ticket).body}
