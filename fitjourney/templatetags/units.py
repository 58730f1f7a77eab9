"""Template filters for the one units module (fitjourney/units.py), built into every template
(settings TEMPLATES "builtins"): `{{ session.total_volume_kg|weight:user }}` → "1,234.5 kg" or "2,721.6 lb".

Each takes the stored (SI) value and the person (or "metric"/"imperial").
"""

from __future__ import annotations

from django import template

from fitjourney import units

register = template.Library()


@register.filter
def weight(kg, who) -> str:
    return units.weight_display(kg, who)


@register.filter
def weight_change(kg, who) -> str:
    return units.weight_display(kg, who, signed=True)


@register.filter
def weight_number(kg, who):
    """The number alone (for an input's value, a chart)."""
    return units.weight_shown(kg, who)


@register.filter
def weight_unit(who) -> str:
    return units.weight_unit(who)


@register.filter
def water(ml, who) -> str:
    return units.water_display(ml, who)


@register.filter
def water_number(ml, who):
    return units.water_shown(ml, who)


@register.filter
def water_unit(who) -> str:
    return units.water_unit(who)


@register.filter
def distance(metres, who) -> str:
    return units.distance_display(metres, who)


@register.filter
def distance_number(metres, who):
    return units.distance_shown(metres, who)


@register.filter
def distance_unit(who) -> str:
    return units.distance_unit(who)


@register.filter
def height(metres, who) -> str:
    return units.height_display(metres, units.system_of(who))


@register.filter
def energy(kcal) -> str:
    return units.energy_display(kcal)


@register.simple_tag
def measure(value, unit: str, who) -> str:
    """`{% measure milestone.value goal.unit user %}`: a goal's value in the person's units."""
    return units.measure_display(value, unit, who)
