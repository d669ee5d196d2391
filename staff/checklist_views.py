"""Checklist compliance per manager and week, beside the SLA audit (administrators)."""

from datetime import datetime, time, timedelta

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from accounts.permissions import can
from tickets.checklists import checklist_compliance

from .selectors import default_period


class PeriodForm(forms.Form):
    since = forms.DateField(label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    until = forms.DateField(label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def period(self) -> tuple:
        data = self.cleaned_data if self.is_valid() else {}
        default_since, today = default_period()
        since = data.get("since") or default_since
        until = data.get("until") or today
        return (since, until) if since <= until else (until, since)


@login_required
def checklists(request: HttpRequest) -> HttpResponse:
    if not can(request.user, "tickets.audit_sla"):
        raise Http404
    form = PeriodForm(request.GET)
    since, until = form.period()
    rows = checklist_compliance(
        since=timezone.make_aware(datetime.combine(since, time.min)),
        until=timezone.make_aware(datetime.combine(until + timedelta(days=1), time.min)),
    )
    people = User.objects.in_bulk({row.manager_id for row in rows if row.manager_id})
    for row in rows:
        row.manager = people.get(row.manager_id)
    return render(request, "staff/checklists.html", {"form": form, "rows": rows, "since": since, "until": until})
