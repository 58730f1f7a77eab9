"""The lifestyle check-in form (the data and its rules are accounts.services.lifestyle's)."""

from __future__ import annotations

from django import forms

from accounts.models.profile import Level, SleepQuality


class CheckinForm(forms.Form):
    energy_level = forms.ChoiceField(label="Energy", choices=Level.choices, widget=forms.RadioSelect)
    stress_level = forms.ChoiceField(label="Stress", choices=Level.choices, widget=forms.RadioSelect)
    sleep_quality = forms.ChoiceField(label="Sleep quality", choices=SleepQuality.choices, widget=forms.RadioSelect)
    sleep_hours = forms.DecimalField(
        label="Sleep last night (hours)",
        required=False,
        max_digits=3,
        decimal_places=1,
        min_value=0,
        max_value=24,
        widget=forms.NumberInput(attrs={"step": "0.5", "inputmode": "decimal"}),
    )
    notes = forms.CharField(required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))
