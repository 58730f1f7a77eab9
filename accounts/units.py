"""Length units at the edges: we store SI (metres) and show people their own units.

Heights are stored to the millimetre (3 decimals of a metre). Centimetres are shown to one decimal,
which is exact; inches to one decimal, which is not (0.1 in is 2.54 mm), so forms keep the stored
value when the person leaves the shown one untouched (see accounts.profile_forms).
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

METRE_PER_INCH = Decimal("0.0254")
# The imperial units people enter at the edges; the same factors seed the Unit table (accounts/reference.py).
KG_PER_LB = Decimal("0.45359237")
ML_PER_FL_OZ = Decimal("29.573529563")
MM = Decimal("0.001")
TENTH = Decimal("0.1")


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
