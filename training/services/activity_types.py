"""People's own activity types (issue 14, point 1): "Bouldering" with a grade and problems sent, "Guitar" with
songs practised — private to their author, logged with the same shape-aware logger (no sets: a time and
the type's metrics), until staff make a good one public.

A type is written whole — its fields and its metrics — in one transaction; every rule is checked here and
the database holds the uniqueness (a public name once; each person's names once)."""

from __future__ import annotations

import re
import uuid
from collections.abc import Mapping, Sequence
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.text import slugify

from accounts.models import Unit, User

from ..models import ActivityCategory, ActivityType, InputType, MetricTemplate

MAX_OWN_TYPES = 50
MAX_METRICS = 12
METRIC_NAME = re.compile(r"^[a-z][a-z0-9_]{0,49}$")


def _decimal(value: Any, field: str) -> Decimal | None:
    if value in (None, ""):
        return None
    try:
        number = Decimal(str(value))
    except (InvalidOperation, ValueError):
        raise ValidationError({field: ["Enter a number."]}) from None
    if not number.is_finite() or abs(number) >= Decimal("1e9"):
        raise ValidationError({field: ["Enter a number."]})
    return number


def _metric(index: int, spec: Mapping[str, Any], units: dict[str, Unit]) -> MetricTemplate:
    path = f"metrics[{index}]"
    label = str(spec.get("label") or "").strip()
    if not label or len(label) > 80:
        raise ValidationError({f"{path}.label": ["Name the metric (at most 80 characters)."]})
    name = slugify(label).replace("-", "_")[:50] or f"metric_{index + 1}"
    if not METRIC_NAME.match(name):
        name = f"m_{name}"[:50]
    input_type = spec.get("input_type") or InputType.NUMBER
    if input_type not in InputType.values:
        raise ValidationError({f"{path}.input_type": ["Choose number, duration or text."]})
    unit = None
    code = spec.get("unit") or ""
    if code:
        unit = units.get(code)
        if unit is None:
            raise ValidationError({f"{path}.unit": [f"Unknown unit “{code}”."]})
        if input_type == InputType.TEXT:
            raise ValidationError({f"{path}.unit": ["A text metric has no unit."]})
    low, high = (
        _decimal(spec.get("min_value"), f"{path}.min_value"),
        _decimal(spec.get("max_value"), f"{path}.max_value"),
    )
    if low is not None and high is not None and low > high:
        raise ValidationError({f"{path}.max_value": ["The highest value is at least the lowest."]})
    return MetricTemplate(
        name=name,
        label=label,
        unit=unit,
        input_type=input_type,
        is_required=bool(spec.get("is_required")),
        display_order=index + 1,
        min_value=low if input_type != InputType.TEXT else None,
        max_value=high if input_type != InputType.TEXT else None,
        help_text=str(spec.get("help_text") or "")[:200],
    )


@transaction.atomic
def activity_type_create(
    *,
    user: User,
    name: str,
    category: ActivityCategory,
    is_physical: bool,
    met: Decimal | None = None,
    description: str = "",
    metrics: Sequence[Mapping[str, Any]] = (),
) -> ActivityType:
    """A private activity type of `user`, with its metrics (label, unit code, input type, range)."""
    name = " ".join((name or "").split())
    if not name or len(name) > 100:
        raise ValidationError({"name": ["Name it (at most 100 characters)."]})
    if not is_physical and met is not None:
        raise ValidationError({"met": ["Only a physical activity burns energy: leave the MET empty."]})
    if met is not None and not Decimal("0.5") <= Decimal(met) <= Decimal("23"):
        raise ValidationError({"met": ["A MET lies between 0.5 (lying still) and 23 (the hardest sprint)."]})
    if len(metrics) > MAX_METRICS:
        raise ValidationError({"metrics": [f"At most {MAX_METRICS} metrics."]})
    if ActivityType.all_types.filter(owner=user).count() >= MAX_OWN_TYPES:
        raise ValidationError({"name": [f"You have {MAX_OWN_TYPES} activity types already."]})
    units = {unit.code: unit for unit in Unit.objects.all()}
    templates = [_metric(index, spec, units) for index, spec in enumerate(metrics)]
    names = [t.name for t in templates]
    if len(set(names)) != len(names):
        raise ValidationError({"metrics": ["Give each metric its own name."]})
    activity_type = ActivityType(
        category=category,
        slug=f"{slugify(name)[:80] or 'activity'}-{uuid.uuid4().hex[:8]}",
        name=name,
        description=description.strip()[:2000],
        owner=user,
        is_public=False,
        is_physical=is_physical,
        has_duration=True,
        uses_exercises=False,  # a person's type is logged as a time and its metrics
        met=met,
        display_order=1000,
    )
    try:
        with transaction.atomic():
            activity_type.save(force_insert=True)
    except IntegrityError:
        raise ValidationError({"name": ["You have an activity type of that name already."]}) from None
    for template in templates:
        template.activity_type = activity_type
    MetricTemplate.objects.bulk_create(templates)
    return activity_type


@transaction.atomic
def activity_type_make_public(*, activity_type: ActivityType) -> ActivityType:
    """Staff offer a person's good type to everyone (its author stays credited)."""
    locked = ActivityType.all_types.select_for_update().get(pk=activity_type.pk)
    if locked.is_public:
        return locked
    locked.is_public = True
    try:
        with transaction.atomic():
            locked.save(update_fields=["is_public"])
    except IntegrityError:
        raise ValidationError({"name": [f"There is a public activity type called {locked.name} already."]}) from None
    return locked


__all__ = ["activity_type_create", "activity_type_make_public"]
