from datetime import date, timedelta

from django import forms
from django.core.validators import MaxValueValidator, MinValueValidator
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Partner, Role, User
from partner_support.forms import QuickSelect
from tickets.models import SlaBreach

from .selectors import default_period

# The audit's period spans at most five years (its charts have a bar per week) and ends at most a year ahead.
YEAR = timedelta(days=366)
# Dates a period may name: the service keeps nothing older, and a date at the ends of the calendar cannot be
# turned into the instants of its day in every time zone.
PERIOD_DATES = [MinValueValidator(date(2000, 1, 1)), MaxValueValidator(date(2999, 12, 31))]


class AuditFilterForm(forms.Form):
    manager = forms.ModelChoiceField(
        label=_("Manager"),
        queryset=User.objects.filter(role=Role.MANAGER).order_by("email").only("email", "name"),
        required=False,
        widget=QuickSelect,
    )
    partner = forms.ModelChoiceField(
        label=_("Partner"), queryset=Partner.objects.order_by("name").only("name"), required=False, widget=QuickSelect
    )
    kind = forms.ChoiceField(
        label=_("Clock"), choices=[("", _("Any")), *SlaBreach.Clock.choices], required=False, widget=QuickSelect
    )
    review = forms.ChoiceField(
        label=_("Review"), choices=[("", _("Any")), *SlaBreach.Review.choices], required=False, widget=QuickSelect
    )
    since = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"}), validators=PERIOD_DATES
    )
    until = forms.DateField(
        label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"}), validators=PERIOD_DATES
    )

    def clean(self):
        data = super().clean()
        today = timezone.localdate()
        if data.get("since") and data["since"] > today:
            self.add_error("since", _("The start of the period is in the future: nothing has happened there yet."))
        elif data.get("since") and data.get("until") and data["since"] > data["until"]:
            self.add_error("until", _("The end of the period is before its start."))
        elif data.get("until") and data["until"] > today + YEAR:
            self.add_error("until", _("The end of the period is more than a year ahead."))
        elif (data.get("until") or today) - (data.get("since") or today) > YEAR * 5:
            self.add_error("since", _("Choose a period of at most five years."))
        default_since, default_until = default_period()
        data["since"] = data.get("since") or default_since
        data["until"] = data.get("until") or default_until
        return data

    def filters(self) -> dict:
        """What to show. A period in error shows the default period (the last 8 weeks), but the other choices
        (manager, partner, clock, review) still apply: never everything unfiltered."""
        data = self.cleaned_data
        if "since" in self.errors or "until" in self.errors:
            since, until = default_period()
            data = {**data, "since": since, "until": until}
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
    since = forms.DateField(required=False, validators=PERIOD_DATES)
    until = forms.DateField(required=False, validators=PERIOD_DATES)
