"""The user's own preferences: language and time zone."""

import zoneinfo
from functools import lru_cache
from importlib import resources
from pathlib import Path

from django import forms
from django.conf import settings
from django.contrib.auth.forms import PasswordResetForm
from django.utils.translation import gettext_lazy as _

from .models import User


def _zone_table() -> str | None:
    """The tz database's table of zones (zone1970.tab), from the system's zoneinfo or the `tzdata` package."""
    for directory in zoneinfo.TZPATH:
        table = Path(directory) / "zone1970.tab"
        if table.is_file():
            return table.read_text(encoding="utf-8")
    try:
        return resources.files("tzdata").joinpath("zoneinfo", "zone1970.tab").read_text(encoding="utf-8")
    except (ModuleNotFoundError, FileNotFoundError):
        return None


@lru_cache(maxsize=1)
def time_zone_names() -> list[str]:
    """The zones people choose from: the tz database's own list, without the old names it keeps only as links to
    them (Europe/Kiev beside Europe/Kyiv, US/Eastern, ...). Where no table is installed, every zone with a region."""
    table = _zone_table()
    if table is None:
        return sorted(name for name in zoneinfo.available_timezones() if "/" in name and "Etc/" not in name)
    names = {line.split("\t")[2] for line in table.splitlines() if line and not line.startswith("#")}
    return sorted((names & zoneinfo.available_timezones()) | {"UTC"})


def _time_zones() -> list[tuple[str, str]]:
    return [(name, name) for name in time_zone_names()]


class PreferencesForm(forms.ModelForm):
    language = forms.ChoiceField(label=_("Language"), choices=settings.LANGUAGES)
    timezone = forms.ChoiceField(label=_("Time zone"), choices=_time_zones)

    class Meta:
        model = User
        fields = ["language", "timezone"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        current = self.instance.timezone if self.instance else ""
        if current and current not in time_zone_names():  # an old name chosen before: still shown, still valid
            self.fields["timezone"].choices = [(current, current), *_time_zones()]


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


class ResetRequestForm(PasswordResetForm):
    """Django's form with the label our pages use (its own "Email" is left untranslated in Ukrainian)."""

    email = forms.EmailField(
        label=_("E-mail"), max_length=254, widget=forms.EmailInput(attrs={"autocomplete": "email"})
    )
