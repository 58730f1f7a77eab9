from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from uuid import UUID

from django.db.models import Q, QuerySet

from fitjourney import units

from ..models import BodyMetric, BodyMetricType, Unit, UnitType, User


def body_weight_latest_kg(*, user: User, at: datetime | None = None) -> Decimal | None:
    """The person's most recent weight (at or before `at`), or None. Training uses it for calories
    (MET × weight × hours) and nutrition for BMR; one indexed query."""
    rows = BodyMetric.objects.filter(user=user, metric_type_id="weight")
    if at is not None:
        rows = rows.filter(measured_at__lte=at)
    return rows.order_by("-measured_at").values_list("value", flat=True).first()


def body_weight_nearest_kg(*, user: User, day: date) -> Decimal | None:
    """The weight nearest the person's local `day`: the latest weigh-in on or before it, else the first
    after it, else None. Training counts a session's calories with it (MET × weight × hours): a run logged
    in the morning, or back-dated, before that day's weigh-in still uses that day's weight, and a session
    before the very first weigh-in (the intake records one when it is confirmed) uses that first one.
    One indexed query (accounts_bodymetric_one_weight_per_day), a second only when nothing is on or before."""
    rows = BodyMetric.objects.filter(user=user, metric_type_id="weight").values_list("value", flat=True)
    before = rows.filter(local_date__lte=day).order_by("-local_date").first()
    if before is not None:
        return before
    return rows.filter(local_date__gt=day).order_by("local_date").first()


def body_metric_types() -> list[BodyMetricType]:
    # Every type with its base unit: the entry form and the API list show both.
    return list(BodyMetricType.objects.select_related("unit").order_by("display_order", "name"))


def body_metrics_for_user(*, user: User, metric_type: str | None = None) -> QuerySet[BodyMetric]:
    """The person's measurements, newest first (index accounts_bodymetric_series when filtered)."""
    rows = BodyMetric.objects.filter(user=user).select_related("metric_type__unit")
    if metric_type:
        rows = rows.filter(metric_type_id=metric_type)
    return rows.order_by("-measured_at")


def body_metric_get_for_user(*, user: User, metric_id: UUID | str) -> BodyMetric | None:
    """Only the owner's own measurement; anyone else gets None (a 404)."""
    return BodyMetric.objects.filter(user=user, pk=metric_id).first()


def body_weight_series(*, user: User, since: date | None = None) -> list[tuple[date, Decimal]]:
    """(day, kg) oldest first: one weight a day, so one point a day."""
    rows = BodyMetric.objects.filter(user=user, metric_type_id="weight")
    if since is not None:
        rows = rows.filter(local_date__gte=since)
    return list(rows.order_by("local_date").values_list("local_date", "value"))


def display_units_for(*, user: User) -> dict[str, Unit]:
    """The person's unit per unit type (weight: kg or lb, length: cm or in, as fitjourney.units says), one
    query. Types without an entry (percentages) are shown in their base unit."""
    codes = {UnitType.WEIGHT: units.weight_unit(user), UnitType.LENGTH: units.length_unit(user)}
    rows = Unit.objects.filter(
        Q(type=UnitType.WEIGHT, code=codes[UnitType.WEIGHT]) | Q(type=UnitType.LENGTH, code=codes[UnitType.LENGTH])
    )
    return {unit.type: unit for unit in rows}
