"""The data step of the goals migration (0004) on today's tables: an intake goal with a target weight
becomes a body-weight goal from the latest weight, dated by its timeline, with milestones."""

from __future__ import annotations

import datetime as dt
import importlib
from decimal import Decimal

import pytest
from django.apps import apps

from coaching.models import Goal, GoalRole

from .goals_kit import weigh

pytestmark = pytest.mark.django_db

step = importlib.import_module("coaching.migrations.0004_goals_from_intake")


def test_intake_goals_become_measured_goals(member):
    weigh(member, "84.6", days_ago=1)
    weighted = Goal.objects.create(
        user=member, role=GoalRole.PRIMARY, category="fat_loss", target_weight_kg=Decimal(76), target_timeline_weeks=16
    )
    plain = Goal.objects.create(user=member, role=GoalRole.SECONDARY, category="strength")
    step.forwards(apps, None)
    weighted.refresh_from_db()
    plain.refresh_from_db()
    assert (weighted.metric, weighted.unit, weighted.direction) == ("body_weight", "kg", "down")
    assert weighted.start_value == Decimal("84.6") and weighted.target_value == 76
    assert weighted.target_date == weighted.start_date + dt.timedelta(weeks=16)
    assert list(weighted.milestones.values_list("percent", "value")) == [
        (25, Decimal(82)),
        (50, Decimal(80)),
        (75, Decimal(78)),
        (100, Decimal(76)),
    ]
    assert plain.metric == "" and plain.kind == "performance"
