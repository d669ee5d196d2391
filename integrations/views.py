"""The owners' integrations page: API tokens for their CRM, webhook endpoints and their delivery log."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import F, Prefetch, Window
from django.db.models.functions import RowNumber
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from accounts.permissions import can
from partner_support.confirm import confirmation_page
from partner_support.errors import ApplicationError, NotFound
from partner_support.forms import error_to_form

from .models import WEBHOOK_EVENTS, ApiToken, WebhookDelivery, WebhookEndpoint
from .services import api_token_create, api_token_revoke, webhook_create, webhook_delete, webhook_update

DELIVERIES_SHOWN = 10


class TokenForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("Name"), max_length=100)


class WebhookForm(forms.Form):
    url = forms.URLField(label=gettext_lazy("URL"), max_length=500, assume_scheme="https")
    events = forms.MultipleChoiceField(
        label=gettext_lazy("Events"),
        choices=[(event, event) for event in WEBHOOK_EVENTS],
        initial=WEBHOOK_EVENTS,
        widget=forms.CheckboxSelectMultiple,
    )


def _owner_partner(request: HttpRequest):
    partner = request.user.partner
    if partner is None or not can(request.user, "accounts.manage_integrations", partner):
        raise Http404
    return partner


SHOWN_ONCE_KEY = "integrations:shown-once"


def _show_once(request: HttpRequest, text: str) -> None:
    """A new key or secret for the next page only, kept in the server-side session (never in the messages cookie,
    which the browser stores and sends back with every request) and removed when shown."""
    request.session[SHOWN_ONCE_KEY] = text


@login_required
def index(request: HttpRequest) -> HttpResponse:
    partner = _owner_partner(request)
    token_form, webhook_form, status = TokenForm(), WebhookForm(), 200
    if request.method == "POST":
        try:
            if "url" in request.POST:
                webhook_form = WebhookForm(request.POST)
                if webhook_form.is_valid():
                    endpoint = webhook_create(actor=request.user, **webhook_form.cleaned_data)
                    _show_once(
                        request,
                        _("Webhook added. Its secret, for checking X-Signature, is shown only now: %(secret)s")
                        % {"secret": endpoint.secret},
                    )
                    return redirect("integrations:index")
            else:
                token_form = TokenForm(request.POST)
                if token_form.is_valid():
                    _token, key = api_token_create(actor=request.user, name=token_form.cleaned_data["name"])
                    _show_once(request, _("Token created. Copy it now, it is not shown again: %(key)s") % {"key": key})
                    return redirect("integrations:index")
        except ApplicationError as error:
            error_to_form(webhook_form if "url" in request.POST else token_form, error)
        status = 400
    # The last few attempts of each endpoint, in one query however long the log has grown.
    newest_first = Window(RowNumber(), partition_by=F("endpoint_id"), order_by=[F("created_at").desc(), F("id").desc()])
    recent = (
        WebhookDelivery.objects.annotate(position=newest_first)
        .filter(position__lte=DELIVERIES_SHOWN)
        .order_by("-created_at", "-id")
    )
    endpoints = WebhookEndpoint.objects.filter(partner=partner).prefetch_related(
        Prefetch("deliveries", queryset=recent, to_attr="recent_deliveries")
    )
    context = {
        "tokens": ApiToken.objects.filter(partner=partner).select_related("user"),
        "endpoints": endpoints,
        "token_form": token_form,
        "webhook_form": webhook_form,
        "shown_once": request.session.pop(SHOWN_ONCE_KEY, None),
    }
    return render(request, "integrations/index.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def token_revoke(request: HttpRequest, token_id: int) -> HttpResponse:
    partner = _owner_partner(request)
    if request.method == "GET":
        token = get_object_or_404(ApiToken, partner=partner, pk=token_id, revoked_at__isnull=True)
        return confirmation_page(
            request,
            title=_("Revoke the token “%(name)s”?") % {"name": token.name},
            consequences=[
                _("Whatever sends this token (your CRM, a script) is refused with 401 from now on."),
                _("A revoked token cannot be switched on again: you would create a new one and put it in your CRM."),
            ],
            button=_("Revoke the token"),
            cancel_url=reverse("integrations:index"),
        )
    try:
        token = api_token_revoke(actor=request.user, token_id=token_id)
    except NotFound:
        raise Http404 from None
    messages.success(request, _("Token %(name)s revoked.") % {"name": token.name})
    return redirect("integrations:index")


@login_required
@require_POST
def webhook_change(request: HttpRequest, endpoint_id: int) -> HttpResponse:
    _owner_partner(request)
    try:
        endpoint = webhook_update(
            actor=request.user, endpoint_id=endpoint_id, is_active=request.POST.get("active") == "1"
        )
    except NotFound:
        raise Http404 from None
    messages.success(request, _("Webhook switched on.") if endpoint.is_active else _("Webhook switched off."))
    return redirect("integrations:index")


@login_required
@require_http_methods(["GET", "POST"])
def webhook_remove(request: HttpRequest, endpoint_id: int) -> HttpResponse:
    partner = _owner_partner(request)
    endpoint = get_object_or_404(WebhookEndpoint, partner=partner, pk=endpoint_id)
    if request.method == "GET":
        return confirmation_page(
            request,
            title=_("Remove the webhook %(url)s?") % {"url": endpoint.url},
            consequences=[
                _("Your CRM no longer hears of changes at this address; events from now on are not sent to it."),
                _("Its delivery log goes, and nothing it missed can be sent again to it later."),
                _("To pause deliveries instead, switch it off: what it misses is sent when it is switched on."),
            ],
            button=_("Remove the webhook"),
            cancel_url=reverse("integrations:index"),
        )
    try:
        webhook_delete(actor=request.user, endpoint_id=endpoint.pk)
    except NotFound:
        raise Http404 from None
    messages.success(request, _("Webhook %(url)s removed.") % {"url": endpoint.url})
    return redirect("integrations:index")
