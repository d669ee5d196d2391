from datetime import timedelta

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Partner, Role, User
from tickets.models import SlaBreach


class AuditFilterForm(forms.Form):
    manager = forms.ModelChoiceField(
        label=_("Manager"), queryset=User.objects.filter(role=Role.MANAGER).order_by("email"), required=False
    )
    partner = forms.ModelChoiceField(label=_("Partner"), queryset=Partner.objects.order_by("name"), required=False)
    kind = forms.ChoiceField(label=_("Clock"), choices=[("", _("Any")), *SlaBreach.Clock.choices], required=False)
    review = forms.ChoiceField(label=_("Review"), choices=[("", _("Any")), *SlaBreach.Review.choices], required=False)
    since = forms.DateField(label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    until = forms.DateField(label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def clean(self):
        data = super().clean()
        today = timezone.localdate()
        data["since"] = data.get("since") or today - timedelta(weeks=8)
        data["until"] = data.get("until") or today
        if data["since"] > data["until"]:
            self.add_error("until", _("The end of the period is before its start."))
        return data

    def filters(self) -> dict:
        data = self.cleaned_data
        return {
            "manager": data["manager"].pk if data.get("manager") else None,
            "partner": data["partner"].pk if data.get("partner") else None,
            "kind": data.get("kind") or None,
            "review": data.get("review") or None,
            "since": data["since"],
            "until": data["until"],
        }


class BreachReviewForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[(SlaBreach.Review.ACKNOWLEDGED, _("Acknowledge")), (SlaBreach.Review.EXCUSED, _("Excuse"))],
    )
    note = forms.CharField(label=_("Note"), required=False, max_length=2000)


class AssignForm(forms.Form):
    manager = forms.ModelChoiceField(
        label=_("Manager"), queryset=User.objects.filter(role=Role.MANAGER, is_active=True).order_by("email")
    )


class ChangesFilterForm(forms.Form):
    q = forms.CharField(required=False, max_length=200)
    type = forms.CharField(required=False, max_length=100)
    since = forms.DateField(required=False)
    until = forms.DateField(required=False)
