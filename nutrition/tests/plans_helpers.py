"""Shared set-up for the plan tests: a complete profile and a weight."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from accounts.models import Profile
from accounts.services.body import body_metric_record


def complete_profile(user, *, weight=Decimal(80), gender="male", goal="general_fitness"):
    Profile.objects.filter(user=user).update(
        birth_date=dt.date(1990, 1, 1),
        gender=gender,
        height_m=Decimal("1.800"),
        activity_level="moderately_active",
        primary_goal=goal,
    )
    user.refresh_from_db()
    if weight is not None:
        body_metric_record(user=user, metric_type="weight", value=Decimal(weight))
    return user
