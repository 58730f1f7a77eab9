"""Training's display filters, the template side of training/presenters.py (`{% load training %}`):
`{{ s.weight_kg|training_weight:user }}` → "61.25 kg" / "135 lb" (to what training stores, written
plainly), `{{ s.distance_m|training_distance:user }}`, `{{ record|record_value:user }}`.
"""

from __future__ import annotations

from django import template

from fitjourney.units import UnitSystem

from .. import presenters
from ..models import PersonalRecord

register = template.Library()


@register.filter
def training_weight(kg: presenters.Number, who: UnitSystem) -> str:
    return presenters.weight_text(kg, who)


@register.filter
def training_volume(kg: presenters.Number, who: UnitSystem) -> str:
    return presenters.volume_text(kg, who)


@register.filter
def session_duration(seconds: int | None) -> str:
    """The one way a session's length is written (presenters.duration_text)."""
    return presenters.duration_text(seconds)


@register.filter
def training_distance(metres: presenters.Number, who: UnitSystem) -> str:
    return presenters.distance_text(metres, who)


@register.filter
def record_value(record: PersonalRecord, who: UnitSystem) -> str:
    return presenters.record_value_text(record.record_type, record.value, who)


@register.filter
def record_previous_value(record: PersonalRecord, who: UnitSystem) -> str:
    return presenters.record_value_text(record.record_type, record.previous_value, who)
