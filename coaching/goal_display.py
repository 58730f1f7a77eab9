"""Display of goals: values in the person's units and a small SVG line for the chart (pages only)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from fitjourney import units

from .selectors.goals import GoalProgress, goals_card

CHART_W, CHART_H = 160, 40


def value_text(value: Decimal | None, unit: str, who: Any) -> str:
    return units.measure_display(value, unit, who)


def target_shown(value: Decimal | None, unit: str, who: Any) -> Decimal | None:
    if unit == "kg":
        return units.weight_shown(value, who)
    if unit == "m":
        return units.distance_shown(value, who)
    return value


def target_parse(value: Decimal | None, unit: str, who: Any) -> Decimal | None:
    if value is None:
        return None
    if unit == "kg":
        return units.weight_parse(value, who)
    if unit == "m":
        return units.distance_parse(value, who)
    return value


def chart_points(progress: GoalProgress) -> str:
    """The weekly series as SVG polyline points, scaled to the box (empty with fewer than two points)."""
    series = progress.series
    if len(series) < 2:
        return ""
    values = [float(v) for _, v in series]
    target = progress.goal.target_value
    values_all = [*values, float(target)] if target is not None else values
    low, high = min(values_all), max(values_all)
    span = (high - low) or 1.0
    step = CHART_W / (len(values) - 1)
    return " ".join(f"{i * step:.1f},{CHART_H - (value - low) / span * CHART_H:.1f}" for i, value in enumerate(values))


def decorate(progress: GoalProgress, who: Any) -> GoalProgress:
    """Adds the texts the templates show (current, target, projection, chart) onto the progress row."""
    goal = progress.goal
    row: Any = progress
    row.current_text = value_text(progress.current, goal.unit, who)
    row.target_text = value_text(goal.target_value, goal.unit, who)
    row.start_text = value_text(goal.start_value, goal.unit, who)
    if progress.reached:
        row.projection_text = "Reached."
    elif goal.spec and goal.spec.is_rate:
        row.projection_text = f"Measured over {progress.period}."
    elif progress.projection:
        row.projection_text = f"At your 4-week rate you reach it around {progress.projection:%-d %b %Y}."
    else:
        row.projection_text = "Not at this rate."
    row.chart_points = chart_points(progress)
    return progress


def goal_card_rows(who: Any) -> list[GoalProgress]:
    """The goals card of Today and the review (coaching/goals/card.html)."""
    return [decorate(progress, who) for progress in goals_card(user=who)]


__all__ = ["goal_card_rows", "chart_points", "decorate", "target_parse", "target_shown", "value_text"]
