"""Reads of the intake: a person's state and progress, and the staff's funnel."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db import connection
from django.db.models import Count, Q, QuerySet
from django.urls import reverse

from accounts.models import User

from ..models import FLOW_VERSION, OnboardingState, Step
from ..services.intake import first_incomplete_step


def intake_state_for(*, user: User) -> OnboardingState | None:
    """The person's own intake state (None before their first saved step); one query."""
    return OnboardingState.objects.filter(user=user).first()


def intake_next_step(*, user: User, state: OnboardingState | None) -> int | None:
    """Where the person continues: None once the intake is complete."""
    if user.intake_completed_at is not None:
        return None
    return state.current_step if state is not None else Step.WELCOME


def intake_progress(user: User) -> dict[str, Any]:
    """/api/v1/me/'s "intake" section: no query for someone who completed it, one otherwise."""
    if user.intake_completed_at is not None:
        return {"complete": True, "next_step": None, "next_url": None}
    step = OnboardingState.objects.filter(user=user).values_list("current_step", flat=True).first()
    step = Step.WELCOME if step is None else step
    return {"complete": False, "next_step": step, "next_url": reverse("coaching:intake-step", args=[step])}


@dataclass(frozen=True)
class IntakeOverview:
    """Where a person is in the intake and what they answered so far (the API's intake state)."""

    current_step: int
    next_step: int | None
    completed_steps: list[int]
    is_complete: bool
    steps: list[dict[str, Any]]
    step_data: dict[str, Any]
    flow_version: str
    started_at: dt.datetime | None
    last_activity_at: dt.datetime | None
    completed_at: dt.datetime | None


def intake_overview(*, user: User) -> IntakeOverview:
    """The person's intake as a whole; one query."""
    state = intake_state_for(user=user)
    return IntakeOverview(
        current_step=state.current_step if state is not None else Step.WELCOME,
        next_step=intake_next_step(user=user, state=state),
        completed_steps=list(state.completed_steps) if state is not None else [],
        is_complete=user.intake_completed_at is not None,
        steps=intake_steps(user=user, state=state),
        step_data=state.step_data if state is not None else {},
        flow_version=state.flow_version if state is not None else FLOW_VERSION,
        started_at=state.started_at if state is not None else None,
        last_activity_at=state.last_activity_at if state is not None else None,
        completed_at=state.completed_at if state is not None else user.intake_completed_at,
    )


def intake_steps(*, user: User, state: OnboardingState | None) -> list[dict[str, Any]]:
    """Every step with its name, whether it is answered and whether it can be opened now."""
    completed = set(state.completed_steps) if state is not None else set()
    complete = user.intake_completed_at is not None
    first_open = first_incomplete_step(completed)
    return [
        {
            "number": step.value,
            "name": step.label,
            "completed": step in completed or complete,
            "available": not complete and (step in completed or step <= first_open),
        }
        for step in Step
    ]


def intake_funnel(*, states: QuerySet[OnboardingState] | None = None) -> dict[str, Any]:
    """Started, completed and, for each step, how many reached it, completed it and stopped there (incomplete
    intakes whose current step it is), with the median seconds spent on it. Two queries whatever the
    number of people: one of conditional counts, one of percentile_cont over every step_seconds entry."""
    states = OnboardingState.objects.all() if states is None else states
    counts: dict[str, Any] = {
        "started": Count("pk"),
        "completed": Count("pk", filter=Q(completed_at__isnull=False)),
    }
    for step in Step:
        counts[f"reached_{step}"] = Count(
            "pk",
            filter=Q(completed_at__isnull=False) | Q(current_step__gte=step) | Q(completed_steps__contains=[step]),
        )
        counts[f"completed_{step}"] = Count(
            "pk", filter=Q(completed_at__isnull=False) | Q(completed_steps__contains=[step])
        )
        counts[f"dropped_{step}"] = Count("pk", filter=Q(completed_at__isnull=True, current_step=step))
    totals = states.aggregate(**counts)

    # The scoped states as a subquery, so the medians cover exactly the people counted above.
    ids_sql, params = states.values("pk").query.sql_with_params()
    table = OnboardingState._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            SELECT spent.key::int AS step,
                   percentile_cont(0.5) WITHIN GROUP (ORDER BY spent.value::double precision) AS median,
                   count(*) AS people
              FROM {table} AS state
             CROSS JOIN LATERAL jsonb_each_text(state.step_seconds) AS spent
             WHERE state.id IN ({ids_sql}) AND spent.key ~ '^[0-9]+$'
             GROUP BY spent.key
            """,
            params,
        )
        medians = {step: (median, people) for step, median, people in cursor.fetchall()}

    started = totals["started"]
    rows = []
    for step in Step:
        reached = totals[f"reached_{step}"]
        median, timed = medians.get(step.value, (None, 0))
        rows.append(
            {
                "number": step.value,
                "name": step.label,
                "reached": reached,
                "completed": totals[f"completed_{step}"],
                "dropped": totals[f"dropped_{step}"],
                "reached_pct": round(100 * reached / started, 1) if started else None,
                "median_seconds": round(median, 1) if median is not None else None,
                "timed": timed,
            }
        )
    return {
        "started": started,
        "completed": totals["completed"],
        "completion_rate": round(100 * totals["completed"] / started, 1) if started else None,
        "steps": rows,
    }


__all__ = [
    "IntakeOverview",
    "intake_funnel",
    "intake_next_step",
    "intake_overview",
    "intake_progress",
    "intake_state_for",
    "intake_steps",
]
