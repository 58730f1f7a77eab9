"""Valid answers for every intake step (as the service takes them) and a helper to answer a run of steps."""

from __future__ import annotations

import copy
import datetime as dt
from decimal import Decimal
from typing import Any

from coaching.models import Step
from coaching.services.intake import intake_step_save

ANSWERS: dict[int, dict[str, Any]] = {
    Step.WELCOME: {"unit_system": "metric", "timezone": "Europe/Berlin"},
    Step.FITNESS_LEVEL: {"fitness_level": "beginner", "activity_level": "moderately_active"},
    Step.GOALS: {
        "primary_goal": "fat_loss",
        "secondary_goal": "strength",
        "target_weight_kg": Decimal("72"),
        "target_body_fat_pct": Decimal("22"),
        "target_timeline_weeks": 16,
        "explanation": "To feel fitter",
    },
    Step.BODY: {
        "birth_date": dt.date(1990, 5, 17),
        "gender": "female",
        "height_m": Decimal("1.70"),
        "weight_kg": Decimal("78.5"),
    },
    Step.CONSTRAINTS: {
        "injuries": [{"area": "knee", "severity": "mild", "description": "Old ski injury"}],
        "limitations": "No jumping",
        "equipment": ["dumbbell", "bands"],
        "workout_location": "home",
        "max_workout_minutes": 45,
    },
    Step.DIET: {"diet_type": "vegetarian", "allergies": ["peanuts"], "dislikes": "olives, mushrooms"},
    Step.MEAL_PLAN: {},
    Step.MEAL_SCHEDULE: {
        "meals": [
            {
                "meal_number": 1,
                "name": "Breakfast",
                "scheduled_time": dt.time(7, 30),
                "earliest_time": dt.time(7, 0),
                "latest_time": dt.time(8, 30),
            },
            {
                "meal_number": 2,
                "name": "Lunch",
                "scheduled_time": dt.time(12, 30),
                "earliest_time": dt.time(12, 0),
                "latest_time": dt.time(13, 30),
            },
            {
                "meal_number": 3,
                "name": "Dinner",
                "scheduled_time": dt.time(19, 0),
                "earliest_time": dt.time(18, 30),
                "latest_time": dt.time(20, 0),
            },
        ]
    },
    Step.WORKOUT_SCHEDULE: {
        "days": ["monday", "wednesday", "friday"],
        "preferred_time": dt.time(18, 0),
        "preferred_duration_minutes": 45,
        "reminder_enabled": True,
        "reminder_offset_minutes": -30,
        "rest_day_preference": "flexible",
    },
    Step.HYDRATION: {
        "daily_target_ml": 2500,
        "reminder_enabled": True,
        "reminder_every_minutes": 90,
        "reminder_start": dt.time(9, 0),
        "reminder_end": dt.time(21, 0),
        "tone": "gentle",
        "remind_with_meals": True,
    },
    Step.LIFESTYLE: {
        "energy_level": "medium",
        "stress_level": "high",
        "sleep_quality": "fair",
        "sleep_hours": Decimal("6.5"),
        "notes": "",
    },
}


def answers(step: int, **changes) -> dict:
    return {**copy.deepcopy(ANSWERS[step]), **changes}


def answer_steps(user, upto: int = Step.LIFESTYLE, *, start: int = Step.WELCOME):
    """Saves the valid answers of steps start..upto (inclusive); returns the state."""
    state = None
    for step in range(start, upto + 1):
        state = intake_step_save(user=user, step=step, data=answers(step))
    return state
