"""The user's own preferences: language and time zone."""

import zoneinfo

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from .models import User


def _time_zones() -> list[tuple[str, str]]:
    return [(name, name) for name in sorted(zoneinfo.available_timezones()) if "/" in name and "Etc/" not in name]


class PreferencesForm(forms.ModelForm):
    language = forms.ChoiceField(label=_("Language"), choices=settings.LANGUAGES)
    timezone = forms.ChoiceField(label=_("Time zone"), choices=_time_zones)

    class Meta:
        model = User
        fields = ["language", "timezone"]


class LanguageForm(forms.ModelForm):
    """The switcher in the page header: the language only."""

    language = forms.ChoiceField(choices=settings.LANGUAGES)

    class Meta:
        model = User
        fields = ["language"]


class InviteForm(forms.Form):
    """A partner owner adds a colleague."""

    email = forms.EmailField(label=_("E-mail"))
    name = forms.CharField(label=_("Name"), max_length=150, required=False)
    role = forms.ChoiceField(
        label=_("Role"), choices=[("partner_member", _("Partner member")), ("partner_owner", _("Partner owner"))]
    )
