"""Display shaping for coaching's pages: what the views hand to the templates, in the person's units.

Every weight and volume of water goes through fitjourney.units (the numbers) in the person's unit system;
this module only lays them out: the Today page's cards and week strip, the weekly review's totals and
charts, the Progress charts, a habit's chart, the intake's review, and the rows of the table beside every
chart. Views and templates share it; none of it reads the database.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.template.defaultfilters import pluralize
from django.urls import reverse
from django.utils import dateformat, timezone

from accounts.models import (
    ActivityLevel,
    BodyArea,
    Equipment,
    FitnessLevel,
    Gender,
    Level,
    Severity,
    SleepQuality,
    User,
    WorkoutLocation,
)
from accounts.models import Goal as GoalCategory
from accounts.models import UnitSystem as UnitSystemChoice
from fitjourney import units
from fitjourney.dates import date_from_path
from fitjourney.units import UnitSystem
from nutrition.models import DietType, MealPlan, PrepWillingness, ReminderTone, SkillLevel
from training.models import RestDayPreference

from .models import DailySummary, Frequency, Habit, JournalMood, Step, WeeklySummary
from .selectors.habits import HabitHistory, habit_scheduled_on, week_start
from .selectors.progress import WeeklyTotals
from .selectors.today import DayContext, Review, TodayPage
from .services.intake import step_key

Chart = dict[str, Any]

# The days the Today page and the weekly review show: never a future day, nor one before 1900 (whose week
# arithmetic would come close to date.min).


# ---------------------------------------------------------------------------------------------------
# Quantities as the pages write them


def weight_text(kg: Decimal | float | str | None, who: UnitSystem) -> str:
    """ "80.5 kg" / "180.0 lb": the person's unit to one decimal, as the Today card and Coach write it
    (fitjourney.units does the arithmetic)."""
    shown = units.weight_shown(kg, who)
    return "" if shown is None else f"{shown} {units.weight_unit(who)}"


def water_text(ml: int | Decimal | None, who: UnitSystem) -> str:
    """ "1500 ml" / "51 fl oz": whole millilitres or fluid ounces."""
    shown = units.water_shown(ml, who)
    return "" if shown is None else f"{shown} {units.water_unit(who)}"


def _weight_number(kg: Decimal | float | str | None, who: UnitSystem) -> float:
    """A weight as a chart's number in the person's unit (to 0.1)."""
    return float(units.weight_shown(kg, who) or 0)


# ---------------------------------------------------------------------------------------------------
# Charts (static/js/charts.js draws them; the table beside each is its text)


def chart(unit: str, labels: list[str], series: Sequence[tuple[str, list[Any]]]) -> Chart:
    """A chart's data: {unit, labels, series: [{name, values}], has_data}."""
    return {
        "unit": unit,
        "labels": labels,
        "series": [{"name": name, "values": values} for name, values in series],
        "has_data": any(value for _, values in series for value in values),
    }


def chart_rows(data: Chart | None) -> list[tuple[Any, ...]]:
    """The chart's numbers as table rows (label, value per series): the text fallback of every chart."""
    if not data:
        return []
    return list(zip(data["labels"], *(series["values"] for series in data["series"]), strict=True))


# ---------------------------------------------------------------------------------------------------
# Days of the Today page and the weekly review


def day_from_path(value: str, *, today: dt.date) -> dt.date | None:
    """A YYYY-MM-DD from a URL that is the person's today or a day before it (from 1900), else None."""
    day = date_from_path(value)
    return day if day is not None and day <= today else None


def week_from_query(value: str, *, today: dt.date) -> dt.date | None:
    """Any day of a week up to the current one (the review's ?week=), today when empty; None when malformed
    or later."""
    if not value:
        return today
    day = date_from_path(value)
    if day is None or week_start(day) > week_start(today):
        return None
    return day


def day_url(date: dt.date, anchor: str = "") -> str:
    """The Today page for the person's today, the day page otherwise; `anchor` jumps to a card."""
    if date == timezone.localdate():
        url = reverse("coaching:today")
    else:
        url = reverse("coaching:day", args=[date.isoformat()])
    return url + (f"#{anchor}" if anchor else "")


# ---------------------------------------------------------------------------------------------------
# The Today page


def _percent(value: Decimal | int, target: Decimal | int | None) -> int | None:
    if not target:
        return None
    return int(min(Decimal(100), Decimal(value) * 100 / Decimal(target)))


def sessions_count_text(workouts: int, other_activities: int) -> str:
    """ "2 workouts, 1 other activity"; "1 workout" when there is nothing else; "No workouts, 2 other
    activities" on a day of painting and chess (they are logged, but are no workouts: issue 14, point 3)."""
    text = f"{workouts} workout{pluralize(workouts)}" if workouts else "No workouts"
    if other_activities:
        text += f", {other_activities} other activit{pluralize(other_activities, 'y,ies')}"
    return text


def _sessions(summary: DailySummary | None) -> dict[str, Any] | None:
    if summary is None or not (summary.workouts or summary.other_activities):
        return None
    return {
        "workouts": summary.workouts,
        "other_activities": summary.other_activities,
        "count_text": sessions_count_text(summary.workouts, summary.other_activities),
        "active_minutes": summary.active_minutes,
        "calories_burned": summary.calories_burned,
    }


def _energy(summary: DailySummary | None, plan: MealPlan | None) -> dict[str, Any]:
    eaten = summary.calories_eaten if summary else 0
    burned = summary.calories_burned if summary else 0
    energy: dict[str, Any] = {
        "logged": bool(summary and (summary.meals or summary.calories_eaten)),
        "eaten": eaten,
        "burned": burned,
        "net": eaten - burned,
        "plan": plan,
    }
    if plan is not None:
        # The meter's scale leaves room above the range, so "over" is visible as well as "under".
        energy["scale"] = max(int(plan.energy_max_kcal * 1.2), eaten)
        if eaten < plan.energy_min_kcal:
            energy["status"] = "below"
        elif eaten > plan.energy_max_kcal:
            energy["status"] = "above"
        else:
            energy["status"] = "within"
        energy["left"] = plan.energy_target_kcal - eaten
    return energy


def _macros(summary: DailySummary | None, plan: MealPlan | None) -> list[dict[str, Any]]:
    rows = []
    for name, label in (("protein_g", "Protein"), ("carbohydrate_g", "Carbs"), ("fat_g", "Fat")):
        value = getattr(summary, name) if summary else Decimal(0)
        target = getattr(plan, name) if plan else None
        rows.append(
            {
                "name": name,
                "label": label,
                "value": value,
                "target": target,
                "percent": _percent(value, target),
                "over": target is not None and bool(target) and value > target,
            }
        )
    return rows


def water_card(user: User, ml: int, target_ml: int) -> dict[str, Any]:
    """The water card: drunk and target in the person's unit, and two one-tap amounts."""
    return {
        "ml": ml,
        "shown": water_text(ml, user),
        "target_shown": water_text(target_ml, user),
        "percent": _percent(ml, target_ml) or 0,
        "buttons": units.water_quick_amounts(user, count=2),
    }


def today_region(
    user: User,
    *,
    day: dt.date,
    summary: DailySummary | None,
    is_pending: bool,
    context: DayContext,
    water_ml: int | None = None,
) -> dict[str, Any]:
    """The summary region (sessions, energy, macros, water). Water comes from the summary unless it is being
    refreshed (or there is none, or a tap just added some): then the WaterLog sum, so a tap counts at once."""
    if water_ml is None:
        water_ml = summary.water_ml if summary is not None and not is_pending else context.water_logged_ml
    return {
        "date": day,
        "is_today": day == timezone.localdate(),
        "summary": summary,
        "is_pending": is_pending,
        "sessions": _sessions(summary),
        "energy": _energy(summary, context.plan),
        "macros": _macros(summary, context.plan),
        "has_plan": context.plan is not None,
        "water": water_card(user, water_ml, context.water_target_ml),
    }


def _workout(day: dt.date, today: dt.date, summary: DailySummary | None, context: DayContext) -> dict[str, Any]:
    schedule = context.schedule
    workout: dict[str, Any] = {
        "schedule": schedule,
        "is_today": day == today,
        "done": summary.workouts if summary else 0,
        "in_progress_id": context.session_in_progress_id,
        "start_activity_type_id": context.start_activity_type_id,
    }
    if schedule is not None:
        workout["is_workout_day"] = schedule.is_workout_day(day)
        workout["time"] = schedule.preferred_time
        workout["minutes"] = schedule.preferred_duration_minutes
    return workout


def weight_card(
    user: User, *, summary: DailySummary | None = None, is_pending: bool = False, context: DayContext
) -> dict[str, Any]:
    """The day's weight (the summary's, or the rows' while it is refreshed) and the latest one, in the
    person's unit."""
    day_kg = context.day_weight_kg
    if summary is not None and summary.weight_kg is not None and not is_pending:
        day_kg = summary.weight_kg
    return {
        "day_shown": weight_text(day_kg, user),
        "latest_shown": weight_text(context.latest_weight_kg, user),
        "latest_date": context.latest_weight_date,
    }


def _week_strip(page: TodayPage, today: dt.date) -> list[dict[str, Any]]:
    days = []
    for date in page.week:
        summary = page.summaries.get(date)
        marks = []
        if summary is not None:
            if summary.workouts:
                marks.append("trained")
            if summary.habits_total and summary.habits_completed == summary.habits_total:
                marks.append("all habits done")
            if not marks and (
                summary.meals
                or summary.water_ml
                or summary.has_journal_entry
                or summary.weight_kg
                or summary.other_activities
            ):
                marks.append("logged")
        days.append(
            {
                "date": date,
                "url": day_url(date) if date <= today else None,
                "current": date == page.day,
                "is_today": date == today,
                "indicator": "trained" if "trained" in marks else ("logged" if marks else ""),
                "marks": ", ".join(marks),
            }
        )
    return days


def habits_progress(habits: list[Habit]) -> dict[str, Any]:
    """The day's habits and how many of them are done ("2 of 3 done")."""
    return {
        "habits": habits,
        "habits_done": sum(1 for habit in habits if habit.log is not None and habit.log.completed),
        "habits_total": len(habits),
    }


def today_page(user: User, page: TodayPage, *, today: dt.date) -> dict[str, Any]:
    """Everything the Today page shows (its forms are the view's)."""
    day = page.day
    context = page.context
    next_monday = page.week[0] + dt.timedelta(weeks=1)
    mood = context.journal_mood
    return {
        "date": day,
        "today": today,
        "is_today": day == today,
        "week": _week_strip(page, today),
        "previous_week": day_url(day - dt.timedelta(weeks=1)),
        "next_week": day_url(min(day + dt.timedelta(weeks=1), today)) if next_monday <= today else None,
        "workout": _workout(day, today, page.summary, context),
        "weight": weight_card(user, summary=page.summary, is_pending=page.is_pending, context=context),
        "journal": {
            "written": context.journal_written,
            "mood": JournalMood(mood).label if mood in JournalMood.values else "",
        },
        "unread": page.unread,
        **habits_progress(page.habits),
        **today_region(user, day=day, summary=page.summary, is_pending=page.is_pending, context=context),
    }


# ---------------------------------------------------------------------------------------------------
# The weekly review


def review_charts(review: Review, user: User) -> dict[str, Chart]:
    """The week's active minutes and calories per day, and the weight (in the person's unit) and habit
    completion of the last 12 weeks."""
    days = [review.daily.get(day) for day in review.days]
    day_labels = [day.isoformat() for day in review.days]
    minutes = chart("min", day_labels, [("Active minutes", [s.active_minutes if s else 0 for s in days])])
    calories = chart(
        "kcal",
        day_labels,
        [
            ("Eaten", [s.calories_eaten if s else 0 for s in days]),
            ("Burned", [s.calories_burned if s else 0 for s in days]),
        ],
    )
    # Over 12 weeks only the weeks that have a value are points: a week without a weigh-in (or without
    # habits due) is a gap, not a zero.
    weeks = [(w, review.weekly[w]) for w in review.weeks if w in review.weekly]
    weighed = [(w, s) for w, s in weeks if s.end_weight_kg is not None]
    weight = chart(
        units.weight_unit(user),
        [w.isoformat() for w, _ in weighed],
        [("Weight at the end of the week", [_weight_number(s.end_weight_kg, user) for _, s in weighed])],
    )
    rated = [(w, s.habit_completion_rate) for w, s in weeks if s.habit_completion_rate is not None]
    habits = chart(
        "%",
        [w.isoformat() for w, _ in rated],
        [("Habit completion", [float(rate) for _, rate in rated])],
    )
    # A week of habits all missed is still a week with habits: the chart shows its zero.
    habits["has_data"] = bool(rated)
    habits["max"] = 100
    weight["has_data"] = bool(weighed)
    weekdays = [dateformat.format(day, "D") for day in review.days]
    minutes["ticks"] = calories["ticks"] = weekdays
    return {"minutes": minutes, "calories": calories, "weight": weight, "habits": habits}


def review_totals(week: WeeklySummary | None, user: User) -> dict[str, Any] | None:
    """The week in numbers; the weight change signed in the person's unit ("−0.7 kg", "+2.2 lb")."""
    if week is None:
        return None
    return {
        "workouts": week.workouts,
        "other_activities": week.other_activities,
        "workout_days": week.workout_days,
        "active_minutes": week.active_minutes,
        "avg_calories_eaten": week.avg_calories_eaten,
        "weight_change": units.weight_display(week.weight_change_kg, user, signed=True),
        "habit_rate": week.habit_completion_rate,
        "habits_completed": week.habits_completed,
        "habits_total": week.habits_total,
        "journal_days": week.journal_days,
    }


# ---------------------------------------------------------------------------------------------------
# Progress


def progress_weight_chart(points: Iterable[tuple[dt.date, Decimal, Decimal]], user: User) -> Chart:
    """The weigh-ins and their 7-day average in the person's unit."""
    rows = list(points)
    return {
        "unit": units.weight_unit(user),
        "labels": [day.isoformat() for day, _, _ in rows],
        "series": [
            {"name": "Weight", "values": [_weight_number(kg, user) for _, kg, _ in rows]},
            {"name": "7-day average", "values": [_weight_number(kg, user) for _, _, kg in rows]},
        ],
    }


def progress_weekly_charts(totals: WeeklyTotals, user: User) -> tuple[Chart, Chart]:
    """Weekly volume lifted (in the person's unit) and weekly active minutes."""
    labels = [week.isoformat() for week in totals.weeks]
    volume = chart(units.weight_unit(user), labels, [("Volume", [_weight_number(kg, user) for kg in totals.volume_kg])])
    minutes = chart("min", labels, [("Active minutes", list(totals.minutes))])
    return volume, minutes


def progress_one_rm_chart(points: Iterable[tuple[dt.date, Decimal]], user: User) -> Chart:
    """The best estimated 1RM of each day, in the person's unit."""
    rows = list(points)
    return {
        "unit": units.weight_unit(user),
        "labels": [day.isoformat() for day, _ in rows],
        "series": [{"name": "Estimated 1RM", "values": [_weight_number(kg, user) for _, kg in rows]}],
    }


# ---------------------------------------------------------------------------------------------------
# Habits


def habit_rows(habits: Iterable[Habit], *, errors: dict[Any, str], submitted: str) -> None:
    """Each habit row's refusal (`.error`) and, beside it, the number it refused (`.submitted_value`), so
    it stays in its field."""
    for habit in habits:
        habit.error = errors.get(habit.pk)
        habit.submitted_value = submitted if habit.error else None


def _days(start: dt.date, end: dt.date) -> Iterable[dt.date]:
    day = start
    while day <= end:
        yield day
        day += dt.timedelta(days=1)


def habit_chart(*, habit: Habit, history: HabitHistory, today: dt.date, weeks: int = 8) -> Chart:
    """Done-or-not and weekly habits: the share of due days done per week; number and duration habits:
    their daily value over the last four weeks."""
    if habit.tracking_type == "boolean" or habit.frequency == Frequency.WEEKLY:
        labels, values = [], []
        # From the week the habit started (at most `weeks` back): weeks before it would read as failures.
        first = max(week_start(today) - dt.timedelta(weeks=weeks - 1), week_start(min(habit.start_date, today)))
        for n in range((week_start(today) - first).days // 7 + 1):
            start = first + dt.timedelta(weeks=n)
            days = list(_days(start, min(start + dt.timedelta(days=6), today)))
            done_days = [d for d in days if (log := history.logs.get(d)) is not None and log.completed]
            if habit.frequency == Frequency.WEEKLY:
                active = any(habit.start_date <= d and not (habit.end_date and d > habit.end_date) for d in days)
                due = 1 if active else 0
                done = 1 if done_days else 0
            else:
                due_days = [d for d in days if habit_scheduled_on(habit, d)]
                due = len(due_days)
                done = sum(1 for d in due_days if d in done_days)
            labels.append(f"{start:%-d %b}")
            values.append(round(100 * done / due) if due else 0)
        return {"unit": "%", "labels": labels, "series": [{"name": "Done (%)", "values": values}], "kind": "bar"}
    start = today - dt.timedelta(days=27)
    labels, numbers = [], []
    for day in _days(start, today):
        log = history.logs.get(day)
        labels.append(f"{day:%-d %b}")
        numbers.append(float(log.value) if log is not None and log.value is not None else 0)
    return {
        "unit": habit.unit,
        "labels": labels,
        "series": [{"name": habit.unit or "Value", "values": numbers}],
        "kind": "bar",
    }


# ---------------------------------------------------------------------------------------------------
# The intake's review: every answer in words and the person's units


def _label(choices: Iterable[tuple[Any, Any]], value: Any) -> Any:
    return dict(choices).get(value, value or "—") if value not in (None, "") else "—"


def _weight(kg: Any, user: User) -> str:
    return units.weight_display(kg, user) or "—"


def _words(values: Iterable[str] | None) -> str:
    values = list(values or [])
    return ", ".join(values) if values else "—"


def _section(step: Step, items: list[tuple[str, Any]]) -> dict[str, Any]:
    return {
        "number": step.value,
        "name": step.label,
        "edit_url": reverse("coaching:intake-step", args=[step.value]),
        "items": [(label, "—" if value in (None, "", []) else value) for label, value in items],
    }


def intake_problems(error: ValidationError | None) -> list[str]:
    """Why confirming was refused, one line each; a step's problems name the step."""
    if error is None:
        return []
    if not hasattr(error, "error_dict"):
        return list(error.messages)
    problems: list[str] = []
    for key, found in error.message_dict.items():
        step = int(key.removeprefix("step_")) if key.startswith("step_") else None
        problems += [f"{Step(step).label}: {message}" if step is not None else message for message in found]
    return problems


def intake_review_sections(user: User, answers: dict[str, Any]) -> list[dict[str, Any]]:
    """The intake's answers by step, as the review page lists them (weights and water in the person's units)."""

    def get(step: Step) -> dict[str, Any]:
        found: dict[str, Any] = answers.get(step_key(step)) or {}
        return found

    welcome, fitness, goals, body = get(Step.WELCOME), get(Step.FITNESS_LEVEL), get(Step.GOALS), get(Step.BODY)
    limits, diet, plan, schedule = get(Step.CONSTRAINTS), get(Step.DIET), get(Step.MEAL_PLAN), get(Step.MEAL_SCHEDULE)
    workout, water, life = get(Step.WORKOUT_SCHEDULE), get(Step.HYDRATION), get(Step.LIFESTYLE)
    injuries = [
        f"{_label(BodyArea.choices, row.get('area'))} ({_label(Severity.choices, row.get('severity')).lower()})"
        + (f": {row['description']}" if row.get("description") else "")
        for row in limits.get("injuries") or []
    ]
    meals = [
        f"{row['name']} at {row['scheduled_time']} ({row['earliest_time']}–{row['latest_time']})"
        + ("" if row.get("is_active", True) else ", paused")
        for row in schedule.get("meals") or []
    ]
    reminder = "No"
    if workout.get("reminder_enabled"):
        offset = -int(workout.get("reminder_offset_minutes") or 0)
        reminder = f"{offset} minutes before" if offset else "At the time"
    water_reminders = "No"
    if water.get("reminder_enabled"):
        water_reminders = (
            f"Every {water.get('reminder_every_minutes')} minutes, {water.get('reminder_start')}–"
            f"{water.get('reminder_end')}, {_label(ReminderTone.choices, water.get('tone')).lower()}"
        )
    return [
        _section(
            Step.WELCOME,
            [
                ("Units", _label(UnitSystemChoice.choices, welcome.get("unit_system"))),
                ("Time zone", welcome.get("timezone")),
            ],
        ),
        _section(
            Step.FITNESS_LEVEL,
            [
                ("Fitness level", _label(FitnessLevel.choices, fitness.get("fitness_level"))),
                ("Activity", _label(ActivityLevel.choices, fitness.get("activity_level"))),
            ],
        ),
        _section(
            Step.GOALS,
            [
                ("Main goal", _label(GoalCategory.choices, goals.get("primary_goal"))),
                ("Second goal", _label(GoalCategory.choices, goals.get("secondary_goal"))),
                ("Target weight", _weight(goals.get("target_weight_kg"), user)),
                (
                    "Target body fat",
                    f"{units.plain_number(Decimal(goals['target_body_fat_pct']))} %"
                    if goals.get("target_body_fat_pct")
                    else None,
                ),
                (
                    "Timeline",
                    f"{goals['target_timeline_weeks']} weeks" if goals.get("target_timeline_weeks") else None,
                ),
                ("Why", goals.get("explanation")),
            ],
        ),
        _section(
            Step.BODY,
            [
                ("Birth date", body.get("birth_date")),
                ("Sex", _label(Gender.choices, body.get("gender"))),
                ("Height", units.height_display(body.get("height_m"), units.system_of(user))),
                ("Weight", _weight(body.get("weight_kg"), user)),
            ],
        ),
        _section(
            Step.CONSTRAINTS,
            [
                ("Where", _label(WorkoutLocation.choices, limits.get("workout_location"))),
                ("Equipment", _words([_label(Equipment.choices, item) for item in limits.get("equipment") or []])),
                (
                    "Longest workout",
                    f"{limits['max_workout_minutes']} minutes" if limits.get("max_workout_minutes") else None,
                ),
                ("Injuries", _words(injuries) if injuries else "None"),
                ("Other limitations", limits.get("limitations")),
            ],
        ),
        _section(
            Step.DIET,
            [
                (
                    "Diet",
                    diet.get("diet_type_other")
                    if diet.get("diet_type") == DietType.OTHER
                    else _label(DietType.choices, diet.get("diet_type")),
                ),
                ("Allergies", _words(diet.get("allergies"))),
                ("Intolerances", _words(diet.get("intolerances"))),
                ("Religious or ethical restrictions", _words(diet.get("religious_restrictions"))),
                ("Dislikes", _words(diet.get("dislikes"))),
                ("Cuisines", _words(diet.get("preferred_cuisines"))),
                ("Cooking skill", _label(SkillLevel.choices, diet.get("cooking_skill"))),
                ("Meal prep", _label(PrepWillingness.choices, diet.get("meal_prep_willingness"))),
                (
                    "Longest prep time",
                    f"{diet['max_prep_minutes']} minutes" if diet.get("max_prep_minutes") else None,
                ),
                ("Budget a day", f"{diet['budget_per_day']} USD" if diet.get("budget_per_day") else None),
                ("Notes", diet.get("notes")),
            ],
        ),
        _section(
            Step.MEAL_PLAN,
            [
                ("Meals a day", plan.get("meals_per_day")),
                (
                    "Energy",
                    f"{plan['energy_target_kcal']} kcal ({plan['energy_min_kcal']}–{plan['energy_max_kcal']})"
                    if plan.get("energy_target_kcal")
                    else None,
                ),
                ("Protein", f"{plan['protein_g']} g ({plan.get('protein_pct')} %)" if plan.get("protein_g") else None),
                (
                    "Carbohydrate",
                    f"{plan['carbohydrate_g']} g ({plan.get('carbohydrate_pct')} %)"
                    if plan.get("carbohydrate_g")
                    else None,
                ),
                ("Fat", f"{plan['fat_g']} g ({plan.get('fat_pct')} %)" if plan.get("fat_g") else None),
                ("Fiber", f"{plan['fiber_g']} g" if plan.get("fiber_g") else None),
            ],
        ),
        _section(Step.MEAL_SCHEDULE, [("Meals", _words(meals))]),
        _section(
            Step.WORKOUT_SCHEDULE,
            [
                ("Days", _words([day.title() for day in workout.get("days") or []])),
                ("Time", workout.get("preferred_time")),
                (
                    "Length",
                    f"{workout['preferred_duration_minutes']} minutes"
                    if workout.get("preferred_duration_minutes")
                    else None,
                ),
                ("Reminder", reminder),
                ("Rest days", _label(RestDayPreference.choices, workout.get("rest_day_preference"))),
            ],
        ),
        _section(
            Step.HYDRATION,
            [
                ("Daily water", water_text(water.get("daily_target_ml"), user) or None),
                ("Reminders", water_reminders),
                ("With each meal", "Yes" if water.get("remind_with_meals") else "No"),
            ],
        ),
        _section(
            Step.LIFESTYLE,
            [
                ("Energy", _label(Level.choices, life.get("energy_level"))),
                ("Stress", _label(Level.choices, life.get("stress_level"))),
                ("Sleep quality", _label(SleepQuality.choices, life.get("sleep_quality"))),
                ("Sleep last night", f"{life['sleep_hours']} hours" if life.get("sleep_hours") else None),
                ("Notes", life.get("notes")),
            ],
        ),
    ]


# ---------------------------------------------------------------------------------------------------
# Today's program workout

PROGRAM_EXERCISES_SHOWN = 3


def program_workout_card(user: User, workout: Any) -> dict[str, Any] | None:
    """The card of today's program workout (training/enrollments/workout_card.html): its first
    exercises with their targets in the person's units."""
    if workout is None:
        return None
    from training.presenters import target_rows

    return {"workout": workout, "targets": target_rows(workout.targets, user), "limit": PROGRAM_EXERCISES_SHOWN}
