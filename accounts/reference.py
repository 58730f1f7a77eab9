"""Reference data owned by accounts: units of measure and body metric types (seeds 000, 002, 004).

Registered from AccountsConfig.ready(); runs first because activity metric templates point at units.
Each loader is one upsert per table, so it is cheap to run at every deploy and once per test session.
"""

from __future__ import annotations

from decimal import Decimal

from fitjourney.hooks import reference
from fitjourney.units import KG_PER_LB, METRE_PER_FOOT, METRE_PER_INCH, METRE_PER_MILE, ML_PER_FL_OZ

from .models import BodyMetricCategory, BodyMetricType, Unit, UnitType

# (code, name, symbol, type, factor to the base unit, is_base)
UNITS: tuple[tuple[str, str, str, str, str, bool], ...] = (
    ("kg", "kilograms", "kg", UnitType.WEIGHT, "1", True),
    ("g", "grams", "g", UnitType.WEIGHT, "0.001", False),
    ("lb", "pounds", "lb", UnitType.WEIGHT, str(KG_PER_LB), False),
    ("m", "metres", "m", UnitType.LENGTH, "1", True),
    ("cm", "centimetres", "cm", UnitType.LENGTH, "0.01", False),
    ("km", "kilometres", "km", UnitType.LENGTH, "1000", False),
    ("mi", "miles", "mi", UnitType.LENGTH, str(METRE_PER_MILE), False),
    ("in", "inches", "in", UnitType.LENGTH, str(METRE_PER_INCH), False),
    ("ft", "feet", "ft", UnitType.LENGTH, str(METRE_PER_FOOT), False),
    ("s", "seconds", "s", UnitType.TIME, "1", True),
    ("min", "minutes", "min", UnitType.TIME, "60", False),
    ("h", "hours", "h", UnitType.TIME, "3600", False),
    ("count", "count", "×", UnitType.COUNT, "1", True),
    ("m-s", "metres per second", "m/s", UnitType.SPEED, "1", True),
    ("km-h", "kilometres per hour", "km/h", UnitType.SPEED, "0.277777778", False),
    ("mph", "miles per hour", "mph", UnitType.SPEED, "0.44704", False),
    ("kcal", "kilocalories", "kcal", UnitType.ENERGY, "1", True),
    ("kj", "kilojoules", "kJ", UnitType.ENERGY, "0.239005736", False),
    ("percent", "percent", "%", UnitType.PERCENTAGE, "1", True),
    ("bpm", "beats per minute", "bpm", UnitType.FREQUENCY, "1", True),
    # Cadences are per minute too, but a runner's is steps, a cyclist's turns and a swimmer's strokes.
    ("spm", "steps per minute", "spm", UnitType.FREQUENCY, "1", False),
    ("rpm", "revolutions per minute", "rpm", UnitType.FREQUENCY, "1", False),
    ("strokes-min", "strokes per minute", "str/min", UnitType.FREQUENCY, "1", False),
    ("ml", "millilitres", "ml", UnitType.VOLUME, "1", True),
    ("l", "litres", "l", UnitType.VOLUME, "1000", False),
    ("fl-oz", "US fluid ounces", "fl oz", UnitType.VOLUME, str(ML_PER_FL_OZ), False),
)

_CIRCUMFERENCE = "Circumference, stored in metres."
# (code, name, category, unit, min, max, description)
BODY_METRIC_TYPES: tuple[tuple[str, str, str, str, str, str, str], ...] = (
    ("weight", "Weight", BodyMetricCategory.WEIGHT, "kg", "1", "499.99", "Body weight."),
    ("body_fat", "Body fat", BodyMetricCategory.COMPOSITION, "percent", "1", "75", "Body fat percentage."),
    ("muscle_mass", "Muscle mass", BodyMetricCategory.COMPOSITION, "kg", "1", "250", "Skeletal muscle mass."),
    ("body_water", "Body water", BodyMetricCategory.COMPOSITION, "percent", "10", "90", "Total body water."),
    ("bone_mass", "Bone mass", BodyMetricCategory.COMPOSITION, "kg", "0.1", "20", "Estimated bone mass."),
    *(
        (code, name, BodyMetricCategory.MEASUREMENT, "m", "0.05", "3", _CIRCUMFERENCE)
        for code, name in (
            ("neck", "Neck"),
            ("chest", "Chest"),
            ("waist", "Waist"),
            ("hips", "Hips"),
            ("thigh", "Thigh"),
            ("calf", "Calf"),
            ("biceps", "Biceps"),
            ("forearm", "Forearm"),
        )
    ),
)


def units_load(progress: reference.Progress | None = None) -> str:
    rows = [
        Unit(code=code, name=name, symbol=symbol, type=kind, factor=Decimal(factor), is_base=is_base)
        for code, name, symbol, kind, factor, is_base in UNITS
    ]
    Unit.objects.bulk_create(
        rows,
        update_conflicts=True,
        unique_fields=["code"],
        update_fields=["name", "symbol", "type", "factor", "is_base"],
    )
    if progress:
        progress(len(rows), len(rows), "Units")
    return f"Units: {len(rows)}"


def body_metric_types_load(progress: reference.Progress | None = None) -> str:
    rows = [
        BodyMetricType(
            code=code,
            name=name,
            category=category,
            unit_id=unit,
            min_value=Decimal(low),
            max_value=Decimal(high),
            description=description,
            display_order=order,
        )
        for order, (code, name, category, unit, low, high, description) in enumerate(BODY_METRIC_TYPES, 1)
    ]
    BodyMetricType.objects.bulk_create(
        rows,
        update_conflicts=True,
        unique_fields=["code"],
        update_fields=["name", "category", "unit", "min_value", "max_value", "description", "display_order"],
    )
    if progress:
        progress(len(rows), len(rows), "Body metric types")
    return f"Body metric types: {len(rows)}"


def register() -> None:
    reference.register_loader("accounts.units", units_load, order=10)
    reference.register_loader("accounts.body_metric_types", body_metric_types_load, order=11)
