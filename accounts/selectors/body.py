from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from django.db.models import Q, QuerySet

from ..models import BodyMetric, BodyMetricType, Unit, UnitType, User
from ..models.user import UnitSystem


def body_weight_latest_kg(*, user: User, at: datetime | None = None) -> Decimal | None:
    """The person's most recent weight (at or before `at`), or None. Training uses it for calories
    (MET × weight × hours) and nutrition for BMR; one indexed query."""
    rows = BodyMetric.objects.filter(user=user, metric_type_id="weight")
    if at is not None:
        rows = rows.filter(measured_at__lte=at)
    return rows.order_by("-measured_at").values_list("value", flat=True).first()


def body_metric_types() -> list[BodyMetricType]:
    # Every type with its base unit: the entry form and the API list show both.
    return list(BodyMetricType.objects.select_related("unit").order_by("display_order", "name"))


def body_metrics_for_user(*, user: User, metric_type: str | None = None) -> QuerySet[BodyMetric]:
    """The person's measurements, newest first (index accounts_bodymetric_series when filtered)."""
    rows = BodyMetric.objects.filter(user=user).select_related("metric_type__unit")
    if metric_type:
        rows = rows.filter(metric_type_id=metric_type)
    return rows.order_by("-measured_at")


def body_metric_get_for_user(*, user: User, metric_id) -> BodyMetric | None:
    """Only the owner's own measurement; anyone else gets None (a 404)."""
    return BodyMetric.objects.filter(user=user, pk=metric_id).first()


def body_weight_series(*, user: User, since: date | None = None) -> list[tuple[date, Decimal]]:
    """(day, kg) oldest first: one weight a day, so one point a day."""
    rows = BodyMetric.objects.filter(user=user, metric_type_id="weight")
    if since is not None:
        rows = rows.filter(local_date__gte=since)
    return list(rows.order_by("local_date").values_list("local_date", "value"))


# The symbols people see for each unit system; stored values stay in each type's base unit.
DISPLAY_SYMBOLS = {
    UnitSystem.METRIC: {UnitType.WEIGHT: "kg", UnitType.LENGTH: "cm"},
    UnitSystem.IMPERIAL: {UnitType.WEIGHT: "lb", UnitType.LENGTH: "in"},
}


def display_units_for(*, user: User) -> dict[str, Unit]:
    """The person's unit per unit type (weight: kg or lb, length: cm or in), one query. Types without
    an entry (percentages) are shown in their base unit."""
    symbols = DISPLAY_SYMBOLS.get(user.unit_system, DISPLAY_SYMBOLS[UnitSystem.METRIC])
    units = Unit.objects.filter(
        Q(type=UnitType.WEIGHT, symbol=symbols[UnitType.WEIGHT])
        | Q(type=UnitType.LENGTH, symbol=symbols[UnitType.LENGTH])
    )
    return {unit.type: unit for unit in units}


def value_in_unit(*, value: Decimal, base: Unit, unit: Unit) -> Decimal:
    """A value stored in `base` expressed in `unit` (base = value × factor)."""
    return Decimal(value) * base.factor / unit.factor
