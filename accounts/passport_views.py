"""A project's passport page: the text, its editor for the project's manager and administrators, and its history."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from partner_support.errors import ApplicationError, NotFound
from partner_support.forms import error_to_form

from .passports import MAX_PASSPORT, passport_edit, passport_get, passport_history, revision_diff
from .permissions import can

HISTORY_SHOWN = 50


class PassportForm(forms.Form):
    passport = forms.CharField(
        label=gettext_lazy("Passport"),
        required=False,
        max_length=MAX_PASSPORT,
        widget=forms.Textarea(attrs={"rows": 16}),
        strip=False,
    )
    revision = forms.IntegerField(required=False, widget=forms.HiddenInput)


@login_required
def passport(request: HttpRequest, project_id: int) -> HttpResponse:
    user = request.user
    try:
        project = passport_get(user=user, project_id=project_id)
    except NotFound:
        raise Http404 from None
    history = list(passport_history(project=project)[:HISTORY_SHOWN])
    may_edit = can(user, "accounts.edit_passport", project)
    status = 200
    form = PassportForm(initial={"passport": project.passport, "revision": history[0].pk if history else None})
    if request.method == "POST":
        form = PassportForm(request.POST)
        status = 400
        if form.is_valid():
            try:
                passport_edit(
                    actor=user,
                    project_id=project.pk,
                    text=form.cleaned_data["passport"],
                    base_revision=form.cleaned_data["revision"],
                )
            except ApplicationError as error:
                error_to_form(form, error)
                status = error.http_status
            else:
                messages.success(request, _("The passport is saved."))
                return redirect("passport", project_id=project.pk)
    for revision in history:
        revision.lines = revision_diff(revision)
    context = {"project": project, "form": form if may_edit or status != 200 else None, "history": history}
    return render(request, "accounts/passport.html", context, status=status)
