"""The confirmation page of a destructive action: opening the action's URL (GET) asks, saying what the action
breaks; only the POST of its form acts. Works without JavaScript, and a link to an action never acts by itself."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.functional import Promise


def confirmation_page(
    request: HttpRequest,
    *,
    title: str | Promise,
    consequences: list[str | Promise],
    button: str | Promise,
    cancel_url: str,
    fields: dict[str, str] | None = None,
) -> HttpResponse:
    """Ask before acting: `consequences` say what stops working; the form POSTs `fields` back to the same URL."""
    context = {
        "title": title,
        "consequences": consequences,
        "button": button,
        "cancel_url": cancel_url,
        "fields": (fields or {}).items(),
    }
    return render(request, "confirm.html", context)
