"""What the forms of coaching share: the date and time widgets, and a service's refusal put on a form."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
TIME = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")


def errors_to_form(form: forms.Form, error: ValidationError) -> None:
    """A service's ValidationError onto the form: field messages on their field, the rest on top."""
    if hasattr(error, "error_dict"):
        for name, messages in error.message_dict.items():
            form.add_error(name if name in form.fields else None, messages)
    else:
        form.add_error(None, error.messages)


__all__ = ["DATE", "TIME", "errors_to_form"]
