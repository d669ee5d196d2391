"""Forms of the absences page: a manager's deputy, an absence, its substitute and a handover of open tickets."""

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.models import Absence

WHEN = {"widget": forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")}


def manager_field(label, *, required: bool) -> forms.TypedChoiceField:
    return forms.TypedChoiceField(label=label, coerce=int, required=required, empty_value=None)


class ManagersForm(forms.Form):
    """A form whose manager fields offer `managers` (with "—" for none)."""

    manager_fields: tuple[str, ...] = ()

    def __init__(self, *args, managers=(), **kwargs):
        super().__init__(*args, **kwargs)
        choices = [("", "—"), *((manager.pk, manager.display_name) for manager in managers)]
        for name in self.manager_fields:
            self.fields[name].choices = choices


class DeputyForm(ManagersForm):
    manager_fields = ("deputy",)
    deputy = manager_field(_("Deputy"), required=False)


class AbsenceForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=Absence.Kind.choices)
    starts_at = forms.DateTimeField(label=_("From"), **WHEN)
    ends_at = forms.DateTimeField(label=_("Until"), **WHEN)
    note = forms.CharField(label=_("Note"), max_length=500, required=False)


class SubstituteForm(ManagersForm):
    manager_fields = ("substitute",)
    substitute = manager_field(_("Substitute"), required=False)


class HandoverForm(ManagersForm):
    manager_fields = ("to",)
    to = manager_field(_("Hand over to"), required=True)
    note = forms.CharField(label=_("Handover note"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000)
