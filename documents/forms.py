"""The form of the partner's requisites; the ЄДРПОУ/ІПН check is the model's (accounts.taxcodes), the service
decides."""

from django import forms

from accounts.models import PartnerRequisites
from accounts.requisites import REQUISITES_FIELDS


class RequisitesForm(forms.ModelForm):
    class Meta:
        model = PartnerRequisites
        fields = list(REQUISITES_FIELDS)
        widgets = {"tax_code": forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"})}

    def _post_clean(self):
        """The service checks and saves (with the audit row); the form only reads the fields."""
