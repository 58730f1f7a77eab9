from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from ..models import BodyMetric, User


def body_weight_latest_kg(*, user: User, at: datetime | None = None) -> Decimal | None:
    """The person's most recent weight (at or before `at`), or None. Training uses it for calories
    (MET × weight × hours) and nutrition for BMR; one indexed query."""
    rows = BodyMetric.objects.filter(user=user, metric_type_id="weight")
    if at is not None:
        rows = rows.filter(measured_at__lte=at)
    return rows.order_by("-measured_at").values_list("value", flat=True).first()
