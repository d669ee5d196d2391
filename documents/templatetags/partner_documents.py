"""The documents section of the deposit page: the partner's invoices and acts with their PDF links (owners and
administrators; members see none, as with invoices)."""

from django import template

from accounts.permissions import can

from ..selectors import document_rows

register = template.Library()
RECENT = 12


@register.inclusion_tag("documents/deposit_section.html", takes_context=True)
def documents_section(context, partner):
    user = context["request"].user
    allowed = can(user, "billing.view_documents", partner)
    rows = document_rows(user=user, partner=partner) if allowed else []
    return {
        "allowed": allowed,
        "rows": rows[:RECENT],
        "more": len(rows) > RECENT,
        "partner": partner,
        "partner_query": "" if user.partner_id else f"?partner={partner.pk}",
        "may_edit_requisites": can(user, "accounts.edit_requisites", partner),
        "may_view_report": can(user, "documents.view_report", partner),
    }
