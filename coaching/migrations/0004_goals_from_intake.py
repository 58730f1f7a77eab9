"""Goals, step 2: the intake's goals become measured goals.

- Statuses: 'completed' becomes 'achieved' (its completed_at, renamed achieved_at, is kept); 'paused' has
  no counterpart and becomes 'abandoned' (a paused goal was one the person had set aside).
- Every goal gets a kind from its category (fat loss and muscle gain: body composition; strength:
  performance; endurance: time based; flexibility: habit; general fitness: frequency) and a start date
  (the day it was created, in the person's time zone).
- A goal with a target weight becomes a body-weight goal (kg): the start value is the person's latest
  weight on or before the day the goal was created (else their first one), the direction follows from it
  (or from the category when there is no weight), the target date is start + the timeline in weeks.
  Without a target weight, a target body fat does the same with the latest body-fat reading (%).
  Milestones at 25/50/75/100 % of the way, rounded to whole kg / %. Goals with neither stay unmeasured.
Counts are printed.
"""

import datetime as dt
import zoneinfo
from decimal import ROUND_HALF_UP, Decimal

from django.db import migrations

CATEGORY_KIND = {
    "fat_loss": "body_composition",
    "muscle_gain": "body_composition",
    "general_fitness": "frequency",
    "strength": "performance",
    "endurance": "time_based",
    "flexibility": "habit",
}
GOING_UP = {"muscle_gain", "strength", "endurance"}


def _zone(name):
    try:
        return zoneinfo.ZoneInfo(name or "UTC")
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return dt.UTC


def _latest(BodyMetric, user_id, metric_type, day):
    rows = BodyMetric.objects.filter(user_id=user_id, metric_type_id=metric_type)
    row = rows.filter(local_date__lte=day).order_by("-measured_at").first() or rows.order_by("measured_at").first()
    return row.value if row else None


def forwards(apps, schema_editor):
    Goal = apps.get_model("coaching", "Goal")
    GoalMilestone = apps.get_model("coaching", "GoalMilestone")
    BodyMetric = apps.get_model("accounts", "BodyMetric")
    achieved = Goal.objects.filter(status="completed").update(status="achieved")
    abandoned = Goal.objects.filter(status="paused").update(status="abandoned")
    measured = 0
    for goal in Goal.objects.select_related("user").iterator():
        goal.kind = CATEGORY_KIND.get(goal.category, "frequency")
        goal.start_date = goal.created_at.astimezone(_zone(goal.user.timezone)).date()
        if goal.target_weight_kg is not None:
            metric, unit, target, step = "body_weight", "kg", goal.target_weight_kg, Decimal(1)
            start = _latest(BodyMetric, goal.user_id, "weight", goal.start_date)
        elif goal.target_body_fat_pct is not None:
            metric, unit, target, step = "body_fat", "%", goal.target_body_fat_pct, Decimal(1)
            start = _latest(BodyMetric, goal.user_id, "body_fat", goal.start_date)
        else:
            metric = ""
        if metric:
            goal.metric, goal.unit, goal.target_value, goal.start_value = metric, unit, target, start
            if start is not None and start != target:
                goal.direction = "down" if target < start else "up"
            else:
                goal.direction = "up" if goal.category in GOING_UP else "down"
            goal.title = f"Reach {target.normalize():f} {unit}"
            if goal.target_timeline_weeks:
                goal.target_date = goal.start_date + dt.timedelta(weeks=goal.target_timeline_weeks)
            measured += 1
        goal.save()
        if metric:
            values = {}
            for percent in (25, 50, 75, 100):
                if percent < 100 and start is None:
                    continue
                value = target if percent == 100 else start + (target - start) * percent / 100
                value = (value / step).quantize(Decimal(1), rounding=ROUND_HALF_UP) * step if percent < 100 else value
                if percent < 100 and value in (start, target):
                    continue
                due = None
                if goal.target_date:
                    span = (goal.target_date - goal.start_date).days
                    due = goal.start_date + dt.timedelta(days=max(1, round(span * percent / 100)))
                values.setdefault(value, (percent, due))
            GoalMilestone.objects.bulk_create(
                GoalMilestone(goal=goal, value=value, percent=percent, target_date=due)
                for value, (percent, due) in values.items()
            )
    if achieved or abandoned or measured:
        print(
            f"\n  coaching.Goal: {achieved} completed -> achieved, {abandoned} paused -> abandoned, {measured} measured"
        )


def backwards(apps, schema_editor):
    Goal = apps.get_model("coaching", "Goal")
    Goal.objects.filter(status="achieved").update(status="completed")
    Goal.objects.filter(status="expired").update(status="abandoned")
    apps.get_model("coaching", "GoalMilestone").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [
        ("coaching", "0003_goals_schema"),
        ("accounts", "0010_notification_mail_sweep_index"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
