"""Enrol in a program: a start date and, when following another, an explicit "replace it"."""

from __future__ import annotations

from django import forms


class EnrolForm(forms.Form):
    start_date = forms.DateField(required=False, widget=forms.DateInput(attrs={"type": "date"}))
    replace = forms.BooleanField(required=False, label="Leave my current program and follow this one")
