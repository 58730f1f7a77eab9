"""Writes for body measurements: weight, composition and circumferences.

Values arrive in any unit of the type's kind (kg or lb, %, cm or in) and are stored in the type's base
unit. Weight is one per person per day (a database rule): recording another weight on a day that has
one *replaces* that day's value, so a corrected morning weigh-in never needs a delete first.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from fitjourney.dates import check_entry_datetime
from fitjourney.hooks.changes import days_changed_announce
from fitjourney.units import plain_number

from ..models import BodyMetric, BodyMetricType, Unit, User

STORED = Decimal("0.0001")
WEIGHT = "weight"
# Daily summaries (coaching) show the day's weight: recording or deleting one announces its local date.
SUMMARY_SOURCE = "accounts.body_metric"


def _resolve_unit(*, metric_type: BodyMetricType, unit: Unit | str | None) -> Unit:
    if unit is None or unit == "":
        return metric_type.unit
    if isinstance(unit, str):
        found = (
            Unit.objects.filter(code=unit).first()
            or Unit.objects.filter(symbol=unit, type=metric_type.unit.type).first()
        )
        if found is None:
            raise ValidationError({"unit": f"Unknown unit “{unit}”."})
        unit = found
    if unit.type != metric_type.unit.type:
        raise ValidationError(
            {"unit": f"{metric_type.name} is measured in {metric_type.unit.get_type_display().lower()}, not {unit}."}
        )
    return unit


def _resolve_type(metric_type: BodyMetricType | str) -> BodyMetricType:
    if isinstance(metric_type, BodyMetricType):
        return metric_type
    found = BodyMetricType.objects.select_related("unit").filter(code=metric_type).first()
    if found is None:
        raise ValidationError({"metric_type": f"Unknown measurement “{metric_type}”."})
    return found


def body_metric_value_to_base(*, metric_type: BodyMetricType, value: Decimal, unit: Unit) -> Decimal:
    """Converts and checks the type's range; the message quotes the range in the unit given."""
    try:
        value = Decimal(value)
    except (InvalidOperation, TypeError, ValueError):
        raise ValidationError({"value": "Enter a number."}) from None
    if not value.is_finite():
        raise ValidationError({"value": "Enter a number."})
    base = metric_type.unit
    stored = (value * unit.factor / base.factor).quantize(STORED, rounding=ROUND_HALF_UP)
    low, high = metric_type.min_value, metric_type.max_value
    # Weight's database rule is exclusive at 0 and 500 kg; others are inclusive.
    too_low = stored <= low if metric_type.code == WEIGHT and low == 0 else stored < low
    if too_low or stored > high:
        shown_low = (low * base.factor / unit.factor).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
        shown_high = (high * base.factor / unit.factor).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
        raise ValidationError(
            {
                "value": f"{metric_type.name} must be between {plain_number(shown_low)} and "
                f"{plain_number(shown_high)} {unit.symbol}."
            }
        )
    return stored


@transaction.atomic
def body_metric_record(
    *,
    user: User,
    metric_type: BodyMetricType | str,
    value: Decimal,
    unit: Unit | str | None = None,
    measured_at: datetime | None = None,
    recorded_by: User | None = None,
    notes: str = "",
) -> BodyMetric:
    """Stores one measurement in the type's base unit, dated in the person's time zone. A second weight on
    the same local day replaces the first (value, time, notes and who recorded it)."""
    metric_type = _resolve_type(metric_type)
    unit = _resolve_unit(metric_type=metric_type, unit=unit)
    stored = body_metric_value_to_base(metric_type=metric_type, value=value, unit=unit)
    measured_at = measured_at or timezone.now()
    if timezone.is_naive(measured_at):
        measured_at = timezone.make_aware(measured_at, user.zone)
    if measured_at > timezone.now() + timedelta(minutes=5):
        raise ValidationError({"measured_at": "A measurement cannot be in the future."})
    check_entry_datetime(measured_at, zone=user.zone, field="measured_at")
    local_date = timezone.localdate(measured_at, user.zone)

    if metric_type.code == WEIGHT:
        existing = (
            BodyMetric.objects.select_for_update()
            .filter(user=user, metric_type_id=WEIGHT, local_date=local_date)
            .first()
        )
        if existing is not None:
            existing.value = stored
            existing.measured_at = measured_at
            existing.recorded_by = recorded_by
            existing.notes = notes
            existing.full_clean(validate_constraints=False)
            existing.save(update_fields=["value", "measured_at", "recorded_by", "notes", "updated_at"])
            days_changed_announce(user_id=user.pk, dates=[local_date], source=SUMMARY_SOURCE)
            return existing
    metric = BodyMetric(
        user=user,
        metric_type=metric_type,
        value=stored,
        measured_at=measured_at,
        local_date=local_date,
        recorded_by=recorded_by,
        notes=notes,
    )
    metric.full_clean(validate_constraints=False)
    try:
        with transaction.atomic():
            metric.save()
    except IntegrityError:
        # Another request stored that day's weight between our read and our write.
        raise ValidationError({"value": "There is already a weight for that day; try again."}) from None
    if metric_type.code == WEIGHT:
        days_changed_announce(user_id=user.pk, dates=[local_date], source=SUMMARY_SOURCE)
    return metric


@transaction.atomic
def body_metrics_record_entry(
    *,
    user: User,
    values: dict[str, tuple[Decimal, Unit | str | None]],
    measured_at: datetime | None = None,
    recorded_by: User | None = None,
) -> list[BodyMetric]:
    """Several measurements taken together (the quick-entry form): all are stored or none. Errors are keyed
    by type code so the form can show each beside its field."""
    if not values:
        raise ValidationError("Enter at least one measurement.")
    metrics: list[BodyMetric] = []
    errors: dict[str, list[str]] = {}
    for code, (value, unit) in values.items():
        try:
            metrics.append(
                body_metric_record(
                    user=user,
                    metric_type=code,
                    value=value,
                    unit=unit,
                    measured_at=measured_at,
                    recorded_by=recorded_by,
                )
            )
        except ValidationError as exc:
            for field, field_messages in exc.message_dict.items():
                # A bad moment is the entry's, not one value's: it is said once, on the date.
                key = "measured_at" if field == "measured_at" else code
                errors.setdefault(key, [])
                errors[key].extend(m for m in field_messages if m not in errors[key])
    if errors:
        raise ValidationError(errors)
    return metrics


@transaction.atomic
def body_metric_delete(*, metric: BodyMetric) -> None:
    metric.delete()
    if metric.metric_type_id == WEIGHT:
        days_changed_announce(user_id=metric.user_id, dates=[metric.local_date], source=SUMMARY_SOURCE)
