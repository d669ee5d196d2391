"""Pages for every signed-in user: preferences, the partner's team, project passports for their managers, and the
health check."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from partner_support.errors import ApplicationError, NotFound
from partner_support.forms import error_to_form

from .forms import InviteForm, LanguageForm, PreferencesForm
from .permissions import can
from .selectors import passport_projects, team_list
from .services import team_member_invite, team_member_set_active


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
    form = InviteForm()
    status = 200
    if request.method == "POST":
        form = InviteForm(request.POST)
        if form.is_valid():
            try:
                invited = team_member_invite(actor=user, **form.cleaned_data)
            except ApplicationError as error:
                error_to_form(form, error)
            else:
                messages.success(request, _("%(email)s is invited by e-mail.") % {"email": invited.email})
                return redirect("team")
        status = 400
    context = {"people": team_list(partner=user.partner), "form": form}
    return render(request, "accounts/team.html", context, status=status)


@require_POST
@login_required
def team_access(request: HttpRequest, user_id: int) -> HttpResponse:
    """Switch a colleague's access off or on again."""
    try:
        colleague = team_member_set_active(
            actor=request.user, user_id=user_id, active=request.POST.get("active") == "1"
        )
    except NotFound:
        raise Http404 from None
    except ApplicationError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            (_("%(email)s can log in.") if colleague.is_active else _("%(email)s can no longer log in."))
            % {"email": colleague.email},
        )
    return redirect("team")


@login_required
def passports(request: HttpRequest) -> HttpResponse:
    if not request.user.is_support_staff:
        raise Http404
    return render(request, "accounts/passports.html", {"projects": passport_projects(user=request.user)})


class ThrottledLoginView(auth_views.LoginView):
    """The login page, refusing an address from one client after LOGIN_FAILURE_LIMIT failures in a window."""

    redirect_authenticated_user = True

    def _key(self) -> str:
        email = (self.request.POST.get("username") or "").strip().lower()
        return f"login-failures:{self.request.META.get('REMOTE_ADDR', '')}:{email}"

    def post(self, request, *args, **kwargs):
        if cache.get(self._key(), 0) >= settings.LOGIN_FAILURE_LIMIT:
            form = self.get_form()
            form.errors.clear()
            form.add_error(None, _("Too many failed attempts. Try again in 15 minutes."))
            return self.render_to_response(self.get_context_data(form=form), status=429)
        return super().post(request, *args, **kwargs)

    def form_invalid(self, form):
        key = self._key()
        cache.add(key, 0, settings.LOGIN_FAILURE_WINDOW)
        cache.incr(key)
        return super().form_invalid(form)

    def form_valid(self, form):
        cache.delete(self._key())
        return super().form_valid(form)
