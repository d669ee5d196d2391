"""Forms of the ticket pages. They shape the input for the services, which decide; a service's ApplicationError
is put back onto the form (`partner_support.forms.error_to_form`) so that its messages show next to their fields."""

from django import forms
from django.utils.translation import gettext_lazy as _

from partner_support.forms import QuickSelect

from .models import OPEN_STATUSES, RATING_SCALE, Kind, Status
from .selectors import OPEN


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input; the services check each file's content."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        kwargs.setdefault("required", False)
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single_clean = super().clean
        items = data if isinstance(data, list | tuple) else [data]
        return [upload for upload in (single_clean(item, initial) for item in items) if upload]


class TicketFileForm(forms.Form):
    project = forms.TypedChoiceField(label=_("Project"), coerce=int)
    kind = forms.ChoiceField(label=_("Kind"), choices=Kind.choices, widget=forms.RadioSelect)
    title = forms.CharField(label=_("Title"), max_length=200)
    description = forms.CharField(label=_("Description"), widget=forms.Textarea(attrs={"rows": 6}))
    files = MultipleFileField(label=_("Attachments"))

    def __init__(self, *args, projects, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["project"].choices = [(project.pk, project.name) for project in projects]


class PhoneBugForm(forms.Form):
    project = forms.TypedChoiceField(label=_("Project"), coerce=int)
    title = forms.CharField(label=_("Title"), max_length=200)
    description = forms.CharField(
        label=_("What the caller reported"), widget=forms.Textarea(attrs={"rows": 6}), max_length=50_000
    )

    def __init__(self, *args, projects, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["project"].choices = [
            (project.pk, f"{project.partner.name}: {project.name}") for project in projects
        ]


# The list's sort orders: each one an index range (tickets.selectors.ORDERINGS); the first is the default.
ORDERING_CHOICES = [
    ("-created_at", _("Newest first")),
    ("created_at", _("Oldest first")),
    ("resolve_due_at", _("Resolution deadline, nearest first")),
    ("-resolve_due_at", _("Resolution deadline, latest first")),
    ("accept_due_at", _("Acceptance deadline, nearest first")),
]


class TicketFilterForm(forms.Form):
    search = forms.CharField(label=_("Search"), required=False)
    status = forms.ChoiceField(label=_("Status"), required=False, widget=QuickSelect)
    kind = forms.ChoiceField(label=_("Kind"), required=False, widget=QuickSelect)
    project = forms.TypedChoiceField(
        label=_("Project"), required=False, coerce=int, empty_value=None, widget=QuickSelect
    )
    ordering = forms.ChoiceField(label=_("Sort by"), required=False, choices=ORDERING_CHOICES, widget=QuickSelect)

    def __init__(self, *args, projects, sortable: bool = True, open_only: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        statuses = [(value, label) for value, label in Status.choices if not open_only or value in OPEN_STATUSES]
        self.fields["status"].choices = [
            ("", _("Any status")),
            *([] if open_only else [(OPEN, _("Open (any open status)"))]),
            *statuses,
        ]
        self.fields["kind"].choices = [("", _("Any kind")), *Kind.choices]
        self.fields["project"].choices = [("", _("Any project")), *((p.pk, p.name) for p in projects)]
        if not sortable:
            del self.fields["ordering"]


class CommentForm(forms.Form):
    body = forms.CharField(label=_("Message"), widget=forms.Textarea(attrs={"rows": 4}))
    internal = forms.BooleanField(label=_("Internal note (staff only)"), required=False)
    files = MultipleFileField(label=_("Attachments"))

    def __init__(self, *args, may_write_internal: bool, **kwargs):
        super().__init__(*args, **kwargs)
        if not may_write_internal:
            del self.fields["internal"]


class NoInputForm(forms.Form):
    """An action without input (approve, decline, confirm, resume)."""


class AcceptForm(forms.Form):
    parts = forms.IntegerField(
        label=_("Number of parts"),
        min_value=2,
        max_value=50,
        help_text=_("Each part is at most one hour of specialist work and costs one request."),
    )

    def __init__(self, *args, composite: bool, **kwargs):
        super().__init__(*args, **kwargs)
        if not composite:
            del self.fields["parts"]


class QuoteForm(forms.Form):
    estimate_hours = forms.DecimalField(label=_("Estimate, programmer hours"), max_digits=7, decimal_places=2)
    due_at = forms.DateTimeField(
        label=_("Due date"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
    )


class RejectForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}))


class ReopenForm(RejectForm):
    pass


class CancelForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class RequestInfoForm(forms.Form):
    message = forms.CharField(label=_("Question to the partner"), widget=forms.Textarea(attrs={"rows": 3}))


class EscalateForm(forms.Form):
    note = forms.CharField(
        label=_("Note for the production team"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class ResolveForm(forms.Form):
    resolution = forms.CharField(label=_("Resolution"), widget=forms.Textarea(attrs={"rows": 4}))
    done_parts = forms.TypedMultipleChoiceField(
        label=_("Parts done"),
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("A part not ticked is dropped: its share of the hold goes back to the deposit, unpaid."),
    )

    def __init__(self, *args, parts=None, **kwargs):
        super().__init__(*args, **kwargs)
        if parts:
            self.fields["done_parts"].choices = [(part.position, f"{part.position}. {part.label}") for part in parts]
            self.fields["done_parts"].initial = [part.position for part in parts if part.is_done]
        else:
            del self.fields["done_parts"]


class TimeEntryForm(forms.Form):
    minutes = forms.IntegerField(label=_("Minutes"), min_value=1, max_value=24 * 60)
    note = forms.CharField(label=_("Note"), required=False, max_length=500)
    part = forms.TypedChoiceField(label=_("Part"), required=False, coerce=int, empty_value=None)

    def __init__(self, *args, parts, **kwargs):
        super().__init__(*args, **kwargs)
        if parts:
            self.fields["part"].choices = [
                ("", _("The whole ticket")),
                *((p.pk, f"{p.position}. {p.label}") for p in parts),
            ]
        else:
            del self.fields["part"]


class PartForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    done = forms.BooleanField(label=_("Done"), required=False)


class RatingForm(forms.Form):
    score = forms.TypedChoiceField(
        label=_("How well was your request resolved?"),
        coerce=int,
        choices=lambda: [(score, f"{score} · {label}") for score, label in RATING_SCALE.items()],
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(label=_("Comment"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
