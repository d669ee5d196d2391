"""Forms of the billing pages and the administrators' console; they validate input, the services decide."""

import uuid
from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.models import Partner

from .services.invoices import MAX_REQUESTS_PER_INVOICE


class OrderConsultationsForm(forms.Form):
    """Order N consultations; administrators also choose the partner the invoice is for."""

    requests = forms.IntegerField(label=_("Number of requests"), min_value=1, max_value=MAX_REQUESTS_PER_INVOICE)
    partner = forms.ModelChoiceField(label=_("Partner"), queryset=Partner.objects.order_by("name"))

    def __init__(self, *args, choose_partner: bool, **kwargs):
        super().__init__(*args, **kwargs)
        if not choose_partner:
            del self.fields["partner"]


class TopUpForm(forms.Form):
    """A payment received, recorded by an administrator. The hidden token makes a double submit credit once."""

    amount = forms.DecimalField(label=_("Amount"), max_digits=12, decimal_places=2, min_value=Decimal("0.01"))
    memo = forms.CharField(label=_("Memo"), max_length=255, initial=_("Payment received"))
    token = forms.UUIDField(widget=forms.HiddenInput, initial=uuid.uuid4)
