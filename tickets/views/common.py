"""What every ticket page shares: finding a visible ticket (or 404) and the actions the user may take now."""

from django.http import Http404
from django_fsm import can_proceed

from accounts.permissions import can
from partner_support.errors import NotFound

from .. import selectors
from ..models import Ticket

PAGE_SIZE = 25


def visible_ticket(user, ticket_id: int) -> Ticket:
    """The ticket if the policy lets the user see it; 404 otherwise, whether it exists or not."""
    try:
        return selectors.ticket_get(user=user, ticket_id=ticket_id)
    except NotFound as error:
        raise Http404(error.message) from None


def allowed_now(user, ticket: Ticket, name: str, perm: str) -> bool:
    """The lifecycle allows transition `name` now and the policy lets the user perform it."""
    return can_proceed(getattr(ticket, name), check_conditions=True) and can(user, perm, ticket)


def query_without_page(request) -> str:
    """The current filters as a query string, for pagination links."""
    params = request.GET.copy()
    params.pop("page", None)
    params.pop("cursor", None)
    return params.urlencode()
