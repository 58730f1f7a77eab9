"""Units at the edges, in one place: we store SI (kg, m, ml, kcal) and show people their own units.

Every page, form, chart and API field that shows or reads a weight, a volume of water, a distance, a
height or an amount of energy goes through this module. Functions that depend on the person take their
unit system: a `User` (anything with `unit_system`) or the string "metric"/"imperial".

- `<quantity>_unit(system)`: the unit's short name ("kg"/"lb", "ml"/"fl oz", "km"/"mi", "cm"/"in" for
  body lengths).
- `<quantity>_shown(stored, system)`: the stored value as the number the person sees (a Decimal).
- `<quantity>_parse(shown, system)`: what the person typed, as the stored value.
- `<quantity>_display(stored, system)`: the text on a page ("80.5 kg", "16 fl oz", "5.2 km").
- `water_quick_amounts(system)`: the one-tap water buttons, (millilitres, label).

Templates use the filters of `fitjourney/templatetags/units.py` (`{{ kg|weight:user }}`).

Heights are stored to the millimetre (3 decimals of a metre). Centimetres are shown to one decimal,
which is exact; inches to one decimal, which is not (0.1 in is 2.54 mm), so forms keep the stored
value when the person leaves the shown one untouched (see accounts' profile form).

This module knows no app: the Unit reference table (accounts) is seeded from the same factors.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from typing import Any

METRIC, IMPERIAL = "metric", "imperial"

METRE_PER_INCH = Decimal("0.0254")
METRE_PER_MILE = Decimal("1609.344")
METRE_PER_FOOT = Decimal("0.3048")
# The imperial units people enter at the edges; the same factors seed the Unit table (accounts/reference.py).
KG_PER_LB = Decimal("0.45359237")
ML_PER_FL_OZ = Decimal("29.573529563")
MM = Decimal("0.001")
CENT = Decimal("0.01")
TENTH = Decimal("0.1")
ONE = Decimal(1)

UnitSystem = Any  # a User (anything with `unit_system`) or "metric"/"imperial"


def system_of(who: UnitSystem) -> str:
    """ "metric" or "imperial" for a person (their `unit_system`) or a unit-system string."""
    value = getattr(who, "unit_system", who)
    return IMPERIAL if value == IMPERIAL else METRIC


def is_imperial(who: UnitSystem) -> bool:
    return system_of(who) == IMPERIAL


def _round(value: Decimal, step: Decimal) -> Decimal:
    return value.quantize(step, rounding=ROUND_HALF_UP)


def _number(value: Decimal) -> str:
    """As people write numbers: thousands separated, no trailing zeros (1,234.5)."""
    text = f"{value:,f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


# Weight ---------------------------------------------------------------------------------------------


def weight_unit(who: UnitSystem) -> str:
    return "lb" if is_imperial(who) else "kg"


def weight_shown(kg: Decimal | float | str | None, who: UnitSystem, *, step: Decimal = TENTH) -> Decimal | None:
    """Kilograms as the person's number, to 0.1 (or `step`)."""
    if kg in (None, ""):
        return None
    value = Decimal(str(kg))
    return _round(value / KG_PER_LB if is_imperial(who) else value, step)


def weight_parse(shown: Decimal | float | str | None, who: UnitSystem) -> Decimal | None:
    """What the person typed (kg or lb) as kilograms, to 0.01."""
    if shown in (None, ""):
        return None
    value = Decimal(str(shown))
    return _round(value * KG_PER_LB if is_imperial(who) else value, CENT)


def weight_display(kg: Decimal | float | str | None, who: UnitSystem, *, signed: bool = False) -> str:
    """ "80.5 kg" / "177.5 lb"; `signed` writes a change: "+0.4 kg", "−1.2 lb", "±0 kg"."""
    value = weight_shown(kg, who)
    if value is None:
        return ""
    if signed:
        sign = "+" if value > 0 else ("−" if value < 0 else "±")
        return f"{sign}{_number(abs(value))} {weight_unit(who)}"
    return f"{_number(value)} {weight_unit(who)}"


# Water ----------------------------------------------------------------------------------------------

WATER_QUICK_AMOUNTS = {
    METRIC: ((250, "+250 ml"), (500, "+500 ml"), (750, "+750 ml")),
    IMPERIAL: ((237, "+8 fl oz"), (473, "+16 fl oz"), (710, "+24 fl oz")),
}


def water_unit(who: UnitSystem) -> str:
    return "fl oz" if is_imperial(who) else "ml"


def water_shown(ml: int | Decimal | None, who: UnitSystem) -> Decimal | None:
    """Millilitres as the person's whole number (ml or fl oz)."""
    if ml in (None, ""):
        return None
    value = Decimal(str(ml))
    return _round(value / ML_PER_FL_OZ if is_imperial(who) else value, ONE)


def water_parse(shown: Decimal | float | str | None, who: UnitSystem) -> int | None:
    """What the person typed (ml or fl oz) as whole millilitres."""
    if shown in (None, ""):
        return None
    value = Decimal(str(shown))
    return int(_round(value * ML_PER_FL_OZ if is_imperial(who) else value, ONE))


def water_display(ml: int | Decimal | None, who: UnitSystem) -> str:
    value = water_shown(ml, who)
    return "" if value is None else f"{_number(value)} {water_unit(who)}"


def water_quick_amounts(who: UnitSystem, count: int = 3) -> tuple[tuple[int, str], ...]:
    """The one-tap water buttons: (millilitres stored, label in the person's unit)."""
    return WATER_QUICK_AMOUNTS[system_of(who)][:count]


# Distance -------------------------------------------------------------------------------------------


def distance_unit(who: UnitSystem) -> str:
    return "mi" if is_imperial(who) else "km"


def distance_shown(metres: Decimal | float | str | None, who: UnitSystem, *, step: Decimal = MM) -> Decimal | None:
    """Metres as the person's km or miles, to 0.001 (or `step`)."""
    if metres in (None, ""):
        return None
    value = Decimal(str(metres)) / (METRE_PER_MILE if is_imperial(who) else 1000)
    return _round(value, step)


def distance_parse(shown: Decimal | float | str | None, who: UnitSystem) -> Decimal | None:
    """What the person typed (km or mi) as metres, to 0.01."""
    if shown in (None, ""):
        return None
    return _round(Decimal(str(shown)) * (METRE_PER_MILE if is_imperial(who) else 1000), CENT)


def distance_display(metres: Decimal | float | str | None, who: UnitSystem) -> str:
    value = distance_shown(metres, who, step=CENT)
    return "" if value is None else f"{_number(value)} {distance_unit(who)}"


# Short lengths in metres (an elevation gain, a pool's length): m or ft ------------------------------------


def metres_unit(who: UnitSystem) -> str:
    return "ft" if is_imperial(who) else "m"


def metres_shown(metres: Decimal | float | str | None, who: UnitSystem, *, step: Decimal = TENTH) -> Decimal | None:
    if metres in (None, ""):
        return None
    value = Decimal(str(metres))
    return _round(value / METRE_PER_FOOT if is_imperial(who) else value, step)


def metres_parse(shown: Decimal | float | str | None, who: UnitSystem) -> Decimal | None:
    """What the person typed (m or ft) as metres, to 0.001."""
    if shown in (None, ""):
        return None
    value = Decimal(str(shown))
    return _round(value * METRE_PER_FOOT if is_imperial(who) else value, MM)


# Body lengths (circumferences: waist, chest…) ------------------------------------------------------


def length_unit(who: UnitSystem) -> str:
    return "in" if is_imperial(who) else "cm"


def length_shown(metres: Decimal | float | str | None, who: UnitSystem, *, step: Decimal = TENTH) -> Decimal | None:
    """Metres as the person's centimetres or inches, to 0.1 (or `step`)."""
    if metres in (None, ""):
        return None
    value = Decimal(str(metres))
    return _round(value / METRE_PER_INCH if is_imperial(who) else value * 100, step)


def length_display(metres: Decimal | float | str | None, who: UnitSystem) -> str:
    """ "82.5 cm" / "32.5 in"."""
    value = length_shown(metres, who)
    return "" if value is None else f"{_number(value)} {length_unit(who)}"


# Energy (kcal for everybody) ------------------------------------------------------------------------


def energy_display(kcal: Decimal | float | int | None) -> str:
    if kcal in (None, ""):
        return ""
    return f"{_number(_round(Decimal(str(kcal)), ONE))} kcal"


def metres_from_cm(cm: Decimal) -> Decimal:
    return (Decimal(cm) / 100).quantize(MM, rounding=ROUND_HALF_UP)


def cm_from_metres(metres: Decimal) -> Decimal:
    return (Decimal(metres) * 100).quantize(TENTH, rounding=ROUND_HALF_UP)


def metres_from_inches(inches: Decimal) -> Decimal:
    return (Decimal(inches) * METRE_PER_INCH).quantize(MM, rounding=ROUND_HALF_UP)


def metres_from_feet_inches(feet: int, inches: Decimal) -> Decimal:
    return metres_from_inches(Decimal(feet) * 12 + Decimal(inches))


def feet_inches_from_metres(metres: Decimal) -> tuple[int, Decimal]:
    """(feet, inches to 0.1); 5 ft 11.96 in becomes 6 ft 0.0 in, never 5 ft 12.0 in."""
    total = (Decimal(metres) / METRE_PER_INCH).quantize(TENTH, rounding=ROUND_HALF_UP)
    feet = int(total // 12)
    return feet, total - feet * 12


def measure_display(value: Decimal | float | str | None, unit: str, who: UnitSystem) -> str:
    """A stored value of a measured quantity in the person's units: kg and m convert (weight, distance),
    anything else (kcal, g, %, sessions) shows as it is with its unit. "—" when there is none."""
    if value is None:
        return "—"
    if unit == "kg":
        return weight_display(value, who)
    if unit == "m":
        return distance_display(value, who)
    number = plain_number(Decimal(value).quantize(Decimal("0.1")))
    return f"{number} %" if unit == "%" else f"{number} {unit}"


def plain_number(value: Decimal) -> str:
    """175.0 -> "175", 175.5 -> "175.5"."""
    text = format(value, "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


def height_display(metres: Decimal | str | None, unit_system: str) -> str:
    if metres in (None, ""):
        return ""
    metres = Decimal(metres)
    if unit_system == "imperial":
        feet, inches = feet_inches_from_metres(metres)
        return f"{feet} ft {plain_number(inches)} in"
    return f"{plain_number(cm_from_metres(metres))} cm"


# General conversion -------------------------------------------------------------------------------
# Every measured value is stored in the base unit of its type (kg, m, s, m/s, kcal, ml…); a unit's
# factor converts: base = value × factor (accounts.models.Unit). These helpers take anything with a
# `factor` (a Unit row) or the factor itself, so callers that already hold the rows run no query.


def _factor(unit) -> Decimal:
    factor = getattr(unit, "factor", unit)
    return Decimal(str(factor)) if not isinstance(factor, Decimal) else factor


def to_base(value: Decimal | int | str, unit) -> Decimal:
    """A value in `unit` as the base unit of its type (5 km -> 5000 m)."""
    return Decimal(str(value)) * _factor(unit)


def from_base(value: Decimal | int | str, unit) -> Decimal:
    """A base-unit value shown in `unit` (5000 m -> 5 km)."""
    return Decimal(str(value)) / _factor(unit)


def convert(value: Decimal | int | str, from_unit, to_unit, *, places: int | None = None) -> Decimal:
    """From one unit to another of the same type; both must share a base (the caller checks `type`).
    `places` rounds half up, e.g. places=2 for display."""
    if getattr(from_unit, "type", None) and getattr(to_unit, "type", None) and from_unit.type != to_unit.type:
        raise ValueError(f"Cannot convert {from_unit.type} to {to_unit.type}.")
    result = from_base(to_base(value, from_unit), to_unit)
    if places is not None:
        result = result.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    return result
