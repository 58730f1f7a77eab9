"""Scales the apps share, so a person rates the same thing the same way everywhere (issue 14, point 4):
a session's mood before and after and the journal's mood of the day use one five-step scale (seed 000's
journal scale)."""

from __future__ import annotations

from django.db import models


class Mood(models.TextChoices):
    EXCELLENT = "excellent", "Excellent"
    GOOD = "good", "Good"
    NEUTRAL = "neutral", "Neutral"
    BAD = "bad", "Bad"
    TERRIBLE = "terrible", "Terrible"


__all__ = ["Mood"]
