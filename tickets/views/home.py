"""The home page: a partner's dashboard (open requests, the deposit), the projects and workload for staff."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from accounts.permissions import can
from accounts.selectors import manager_workload, project_list
from billing.selectors import account_summary

from ..selectors import open_ticket_list

DASHBOARD_TICKETS = 20


@login_required
def home(request: HttpRequest) -> HttpResponse:
    user = request.user
    context = {"projects": project_list(user=user), "now": timezone.now()}
    if user.is_partner:
        context["open_tickets"] = open_ticket_list(user=user)[:DASHBOARD_TICKETS]
        if can(user, "billing.view_account", user.partner):
            context["summary"] = account_summary(partner=user.partner)
    if user.is_admin:
        context["managers"] = manager_workload()
    return render(request, "accounts/home.html", context)
