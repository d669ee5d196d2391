"""Pages for every signed-in user: the home page and the health check."""

from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render

from .selectors import manager_workload, project_list


@login_required
def home(request: HttpRequest) -> HttpResponse:
    user = request.user
    context = {"projects": project_list(user=user)}
    if user.is_admin:
        context["managers"] = manager_workload()
    return render(request, "accounts/home.html", context)


def healthz(request: HttpRequest) -> JsonResponse:
    """For load balancers and docker-compose: answers 200 when the database answers."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})
