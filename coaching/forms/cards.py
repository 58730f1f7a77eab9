"""The client's rating of a session card: validation only; coaching.services.cards decides."""

from __future__ import annotations

from django import forms

RATINGS = [(n, "★" * n) for n in range(5, 0, -1)]


class CardRatingForm(forms.Form):
    rating = forms.TypedChoiceField(choices=RATINGS, coerce=int, widget=forms.RadioSelect, label="Your rating")
    comment = forms.CharField(
        required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3}), label="Comment (optional)"
    )


__all__ = ["CardRatingForm"]
