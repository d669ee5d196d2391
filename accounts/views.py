"""Pages for every signed-in user: preferences, the partner's team, project passports for their managers, sessions
and tokens, and the login page."""

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from partner_support.confirm import confirmation_page
from partner_support.errors import ApplicationError, NotFound, PermissionDenied
from partner_support.forms import error_to_form
from partner_support.middleware import session_mark_seen

from .credentials import (
    credentials_revoke_all,
    login_token_list,
    login_token_revoke,
    user_session_end,
    user_session_list,
    user_session_record,
)
from .forms import InviteForm, LanguageForm, PreferencesForm, ResetRequestForm
from .login_guard import LoginGuard, password_reset_allowed, too_many_attempts_message
from .permissions import can
from .selectors import passport_projects, team_invitations, team_list
from .services import team_invitation_withdraw, team_member_invite, team_member_set_active
from .two_factor import two_factor_enabled, two_factor_needed, two_factor_required
from .two_factor_views import pending_login_start


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
                messages.success(
                    request,
                    _("%(email)s is invited. If the address can join your team, an e-mail with a link is on its way.")
                    % {"email": invited.email},
                )
                return redirect("team")
        status = 400
    context = {
        "people": team_list(partner=user.partner),
        "invitations": team_invitations(partner=user.partner),
        "form": form,
    }
    return render(request, "accounts/team.html", context, status=status)


@require_POST
@login_required
def team_invitation_withdraw_view(request: HttpRequest, invitation_id: int) -> HttpResponse:
    try:
        invitation = team_invitation_withdraw(actor=request.user, invitation_id=invitation_id)
    except (NotFound, PermissionDenied):
        raise Http404 from None
    messages.success(request, _("The invitation of %(email)s is withdrawn.") % {"email": invitation.email})
    return redirect("team")


@require_http_methods(["GET", "POST"])
@login_required
def team_access(request: HttpRequest, user_id: int) -> HttpResponse:
    """Switch a colleague's access off or on again; opened by a link, it asks first what switching off breaks."""
    if request.method == "GET":
        user = request.user
        if not (user.partner_id and can(user, "accounts.manage_team", user.partner)):
            raise Http404
        colleague = team_list(partner=user.partner).filter(pk=user_id, is_active=True).exclude(pk=user.pk).first()
        if colleague is None:
            raise Http404
        return confirmation_page(
            request,
            title=_("Switch off %(email)s?") % {"email": colleague.email},
            consequences=[
                _("They can no longer log in; their open browser sessions end at once."),
                _("Their API login tokens are revoked; a CRM logged in as them is refused."),
                _("Their requests and messages stay; you can switch them on again later."),
            ],
            button=_("Switch off"),
            cancel_url=reverse("team"),
            fields={"active": "0"},
        )
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
def security(request: HttpRequest) -> HttpResponse:
    """Where the user is logged in (browser sessions) and their API login tokens, each of which they can end."""
    context = {
        "sessions": user_session_list(user=request.user),
        "tokens": login_token_list(user=request.user),
        "current_session": request.session.session_key,
        "two_factor": {"on": two_factor_enabled(request.user), "required": two_factor_required(request.user)},
    }
    return render(request, "accounts/security.html", context)


@require_POST
@login_required
def security_end(request: HttpRequest, kind: str, item_id: int) -> HttpResponse:
    try:
        if kind == "session":
            user_session_end(actor=request.user, session_id=item_id)
        else:
            login_token_revoke(actor=request.user, token_id=item_id)
    except NotFound:
        raise Http404 from None
    messages.success(request, _("Ended."))
    return redirect("security")


@require_POST
@login_required
def security_end_everywhere_else(request: HttpRequest) -> HttpResponse:
    credentials_revoke_all(user=request.user, keep_session_key=request.session.session_key)
    messages.success(request, _("You are logged out everywhere else, and your API login tokens are revoked."))
    return redirect("security")


@login_required
def passports(request: HttpRequest) -> HttpResponse:
    if not request.user.is_support_staff:
        raise Http404
    return render(request, "accounts/passports.html", {"projects": passport_projects(user=request.user)})


class ThrottledLoginView(auth_views.LoginView):
    """The login page, slowed down per account, per client address and per device (accounts/login_guard.py)."""

    redirect_authenticated_user = True

    def post(self, request, *args, **kwargs):
        self.guard = LoginGuard(request, request.POST.get("username") or "")
        wait = self.guard.retry_after()
        if wait:
            form = self.get_form()
            form.errors.clear()
            form.add_error(None, too_many_attempts_message(wait))
            response = self.render_to_response(self.get_context_data(form=form), status=429)
            response["Retry-After"] = str(wait)
            return response
        return super().post(request, *args, **kwargs)

    def form_invalid(self, form):
        if self.request.method == "POST":
            self.guard.failed()
        return super().form_invalid(form)

    def form_valid(self, form):
        user = form.get_user()
        if two_factor_needed(user):
            return pending_login_start(self.request, user, self.get_success_url())
        response = super().form_valid(form)
        self.guard.succeeded(response)
        session_mark_seen(self.request)
        user_session_record(request=self.request, user=form.get_user())
        return response


class ThrottledPasswordResetView(auth_views.PasswordResetView):
    """The "forgot your password" page: at most PASSWORD_RESET_MAILS_PER_HOUR mails to one address, and the same
    answer whether or not a mail went out (or the address exists)."""

    form_class = ResetRequestForm

    def form_valid(self, form):
        if not password_reset_allowed(form.cleaned_data["email"]):
            return redirect(self.get_success_url())
        return super().form_valid(form)
