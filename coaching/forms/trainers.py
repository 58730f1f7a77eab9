"""Forms of the trainee's trainer pages: validation only; coaching.services.clients decides."""

from __future__ import annotations

from typing import Any

from django import forms

from ..models import Grant, Location
from ..services.clients import DEFAULT_GRANTS, MESSAGE_MAX

GRANT_CHOICES = [*Grant.choices, ("write", "Record sessions and body metrics for me")]


class GrantsForm(forms.Form):
    """The member's grants as checkboxes (training and body metrics ticked for a new link)."""

    grants = forms.MultipleChoiceField(
        choices=GRANT_CHOICES,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="What this trainer may see",
        help_text="You can change this at any time; ending the link ends all access.",
    )

    def __init__(self, *args: Any, current: dict[str, bool] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        chosen = current if current is not None else DEFAULT_GRANTS
        self.fields["grants"].initial = [name for name, on in chosen.items() if on]

    def grant_values(self) -> dict[str, bool]:
        chosen = set(self.cleaned_data.get("grants") or [])
        return {name: name in chosen for name, _ in GRANT_CHOICES}


class InviteTrainerForm(GrantsForm):
    message = forms.CharField(
        required=False, max_length=MESSAGE_MAX, widget=forms.Textarea(attrs={"rows": 3}), label="Message"
    )


class DirectoryFilterForm(forms.Form):
    speciality = forms.CharField(required=False, max_length=60)
    language = forms.CharField(required=False, max_length=40)
    location = forms.ModelChoiceField(
        queryset=Location.objects.filter(is_active=True), required=False, empty_label="Any location"
    )
