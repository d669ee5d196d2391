"""Pages for every signed-in user: the home page (the partner's dashboard), preferences, the partner's team,
project passports for their managers, and the health check."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from billing.selectors import account_summary
from tickets.selectors import open_ticket_list

from .forms import LanguageForm, PreferencesForm
from .permissions import can
from .selectors import manager_workload, passport_projects, project_list, team_list

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


@login_required
def preferences(request: HttpRequest) -> HttpResponse:
    form = PreferencesForm(request.POST or None, instance=request.user)
    if request.method == "POST":
        if form.is_valid():
            form.save()
            messages.success(request, _("Your preferences are saved."))
            return redirect("preferences")
        return render(request, "accounts/preferences.html", {"form": form}, status=400)
    return render(request, "accounts/preferences.html", {"form": form})


@require_POST
@login_required
def language(request: HttpRequest) -> HttpResponse:
    """The header's language switcher: stores the choice on the user and goes back to the page."""
    form = LanguageForm(request.POST, instance=request.user)
    if form.is_valid():
        form.save()
    back = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        back = "/"
    return redirect(back)


@login_required
def team(request: HttpRequest) -> HttpResponse:
    user = request.user
    if not (user.partner_id and can(user, "accounts.manage_team", user.partner)):
        raise Http404
    return render(request, "accounts/team.html", {"people": team_list(partner=user.partner)})


@login_required
def passports(request: HttpRequest) -> HttpResponse:
    if not request.user.is_support_staff:
        raise Http404
    return render(request, "accounts/passports.html", {"projects": passport_projects(user=request.user)})


def healthz(request: HttpRequest) -> JsonResponse:
    """For load balancers and docker-compose: answers 200 when the database answers."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})
