"""Form helpers shared by every app's pages."""

from django import forms

from .errors import ApplicationError


def error_to_form(form: forms.Form, error: ApplicationError) -> None:
    """Show a service's error on the form: each message under its field, the rest (and `.message`) above it."""
    placed = False
    for field, field_messages in error.extra.items():
        target = field if field in form.fields else None
        for message in field_messages if isinstance(field_messages, list | tuple) else [field_messages]:
            form.add_error(target, str(message))
            placed = True
    if not placed:
        form.add_error(None, error.message)
