"""The home page: a partner's dashboard (open requests, the deposit); a manager's is the queue; administrators see
the projects and the managers' workload."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from accounts.permissions import can
from accounts.selectors import manager_workload, project_list
from billing.selectors import account_summary

from ..selectors import open_ticket_list

DASHBOARD_TICKETS = 20


@login_required
def home(request: HttpRequest) -> HttpResponse:
    user = request.user
    if user.is_manager:
        return redirect("tickets:queue")
    context = {"projects": project_list(user=user), "now": timezone.now()}
    if user.is_partner:
        open_tickets = open_ticket_list(user=user)
        context["open_tickets"] = open_tickets[:DASHBOARD_TICKETS]
        context["open_count"] = open_tickets.count()
        context["shown_max"] = DASHBOARD_TICKETS
        if can(user, "billing.view_account", user.partner):
            context["summary"] = account_summary(partner=user.partner)
    if user.is_admin:
        context["managers"] = manager_workload()
    return render(request, "accounts/home.html", context)
