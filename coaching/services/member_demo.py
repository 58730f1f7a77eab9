"""Eight weeks of history for the demo member (`load_reference_data --demo`; never in production), so a
newcomer's first look at Today, Progress, the weekly review and History shows a living account.

The member completes the intake (a plausible profile, a fat-loss goal with a strength side, a locked meal
plan), dated to the first day of the history. Then, for the last 56 days up to today in the member's time
zone: three strength sessions a week (two alternating workouts with progressive overload and RPE), one or
two runs, a yoga class, food on most days (three or four meals of USDA foods scaled to the plan's
calories), weigh-ins most mornings trending down towards the goal, four habits ticked most days, water,
a journal entry or two a week with moods, and a weekly check-in. Everything goes through the apps'
services, so volumes, calories, personal records and streaks are what the product computes; the daily and
weekly summaries are then refreshed from the markers the writes left, and the goals evaluated.

Deterministic (a seeded random, dates relative to today) and idempotent: once the member has logged a
session of their own, it does nothing. Skipping rather than deleting and rebuilding never destroys what a
developer entered while trying the app as the demo member, and keeps a second `make run` instant.
"""

from __future__ import annotations

import datetime as dt
import random
import time
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone

from accounts.models import User
from accounts.services.body import body_metric_record
from accounts.services.lifestyle import lifestyle_checkin_record
from fitjourney import scales
from fitjourney.hooks.changes import days_changed_announce
from nutrition.models import Food, Meal, MealItem, MealPlan, QuantityUnit
from nutrition.services.diary import MEAL_SOURCE, item_values, meal_get_or_create, water_log_add
from training.models import ActivityType, Exercise, Session
from training.services.sessions import session_create_whole

from ..models import DailySummary, Goal, GoalMilestone, Habit, HabitTemplate, OnboardingState, Step
from .goals import goals_evaluate, milestones_plan
from .habits import habit_create, habit_log_set
from .intake import intake_confirm, intake_step_save
from .journal import journal_entry_save
from .summaries import summaries_refresh_pending

DAYS = 56
SEED = 17
START_WEIGHT_KG = Decimal("72.4")
END_WEIGHT_KG = Decimal("69.6")  # today's trend: about 0.35 kg a week down towards the goal
TARGET_WEIGHT_KG = Decimal("66")
CENT = Decimal("0.01")

INTAKE: dict[int, dict[str, Any]] = {
    Step.FITNESS_LEVEL: {"fitness_level": "intermediate", "activity_level": "moderately_active"},
    Step.GOALS: {
        "primary_goal": "fat_loss",
        "secondary_goal": "strength",
        "target_weight_kg": TARGET_WEIGHT_KG,
        "target_body_fat_pct": None,
        "target_timeline_weeks": 20,
        "explanation": "Lose the lockdown kilos and get strong enough to enjoy lifting.",
    },
    Step.BODY: {
        "birth_date": dt.date(1992, 4, 18),
        "gender": "female",
        "height_m": Decimal("1.68"),
        "weight_kg": START_WEIGHT_KG,
    },
    Step.CONSTRAINTS: {
        "injuries": [],
        "limitations": "",
        "equipment": ["barbell", "dumbbell"],
        "workout_location": "gym",
        "max_workout_minutes": 75,
    },
    Step.DIET: {"diet_type": "omnivore", "allergies": [], "dislikes": "olives"},
    Step.MEAL_PLAN: {},
    Step.MEAL_SCHEDULE: {
        "meals": [
            {
                "meal_number": number,
                "name": name,
                "scheduled_time": dt.time(hour, 30),
                "earliest_time": dt.time(hour, 0),
                "latest_time": dt.time(hour + 1, 30),
            }
            for number, name, hour in ((1, "Breakfast", 7), (2, "Lunch", 12), (3, "Dinner", 19))
        ]
    },
    Step.WORKOUT_SCHEDULE: {
        "days": ["monday", "wednesday", "friday"],
        "preferred_time": dt.time(18, 0),
        "preferred_duration_minutes": 60,
        "reminder_enabled": False,
        "reminder_offset_minutes": -30,
        "rest_day_preference": "flexible",
    },
    Step.HYDRATION: {
        "daily_target_ml": 2000,
        "reminder_enabled": False,
        "reminder_every_minutes": 120,
        "reminder_start": dt.time(9, 0),
        "reminder_end": dt.time(20, 0),
        "tone": "gentle",
        "remind_with_meals": False,
    },
    Step.LIFESTYLE: {
        "energy_level": "medium",
        "stress_level": "medium",
        "sleep_quality": "good",
        "sleep_hours": Decimal("7.5"),
        "notes": "",
    },
}

# Two alternating workouts: (exercise names, first found wins), sets × reps, first weight, step, every n-th
# session the weight goes up. Weights are for the member's working sets in kg.
WORKOUT_A = [
    (("Barbell Squat", "Squats"), 3, 5, Decimal("50"), Decimal("2.5"), 1),
    (("Barbell Bench Press - Medium Grip", "Bench Press"), 3, 5, Decimal("35"), Decimal("2.5"), 2),
    (("Bent Over Barbell Row",), 3, 8, Decimal("32.5"), Decimal("2.5"), 3),
    (("Dumbbell Lunges",), 3, 10, Decimal("10"), Decimal("2"), 4),
]
WORKOUT_B = [
    (("Barbell Deadlift", "Deadlift"), 3, 5, Decimal("65"), Decimal("2.5"), 1),
    (("Standing Military Press",), 3, 5, Decimal("25"), Decimal("2.5"), 3),
    (("Wide-Grip Lat Pulldown",), 3, 10, Decimal("32.5"), Decimal("2.5"), 3),
    (("Barbell Hip Thrust",), 3, 10, Decimal("50"), Decimal("5"), 2),
]

# Meals by type: (USDA SR28 name, grams) — what a plain omnivore week of eating looks like.
BREAKFASTS = [
    [
        ("Oats", 60),
        ("Milk, reduced fat, fluid, 2% milkfat, with added vitamin A and vitamin D", 250),
        ("Bananas, raw", 120),
    ],
    [("Yogurt, Greek, plain, lowfat", 200), ("Blueberries, raw", 100), ("Nuts, almonds", 20)],
    [
        ("Egg, whole, cooked, scrambled", 120),
        ("Bread, whole-wheat, commercially prepared", 70),
        ("Tomatoes, red, ripe, raw, year round average", 100),
    ],
]
LUNCHES = [
    [
        ("Chicken, broilers or fryers, breast, meat only, cooked, roasted", 130),
        ("Quinoa, cooked", 180),
        ("Spinach, raw", 60),
        ("Oil, olive, salad or cooking", 10),
    ],
    [
        ("Lentils, mature seeds, cooked, boiled, without salt", 200),
        ("Bread, whole-wheat, commercially prepared", 50),
        ("Carrots, raw", 100),
    ],
    [
        ("Hummus, commercial", 60),
        ("Bread, whole-wheat, commercially prepared", 70),
        ("Cheese, cheddar", 30),
        ("Apples, raw, with skin", 180),
    ],
]
DINNERS = [
    [
        ("Fish, salmon, Atlantic, farmed, cooked, dry heat", 140),
        ("Potatoes, boiled, cooked without skin, flesh, without salt", 250),
        ("Broccoli, cooked, boiled, drained, without salt", 150),
    ],
    [
        ("Beef, ground, 90% lean meat / 10% fat, patty, cooked, broiled", 120),
        ("Pasta, cooked, enriched, without added salt", 200),
        ("Tomatoes, red, ripe, raw, year round average", 150),
    ],
    [
        ("Tofu, raw, firm, prepared with calcium sulfate", 180),
        ("Quinoa, cooked", 150),
        ("Broccoli, cooked, boiled, drained, without salt", 150),
        ("Oil, olive, salad or cooking", 10),
    ],
    [
        ("Chicken, broilers or fryers, breast, meat only, cooked, roasted", 140),
        ("Sweet potato, cooked, baked in skin, flesh, without salt", 250),
        ("Spinach, raw", 80),
    ],
]
SNACKS = [
    [("Apples, raw, with skin", 180), ("Peanut butter, smooth style, without salt", 20)],
    [("Oranges, raw, all commercial varieties", 150)],
    [("Yogurt, Greek, plain, lowfat", 150)],
]

# Each habit's range of daily values (in its unit, with the step they are written in).
HABITS = {"Sleep": (6.0, 8.5, 0.5), "Steps": (5000, 12500, 100), "Meditation": (5, 20, 1), "Vegetables": (2, 7, 1)}
JOURNAL = [
    ("Heavy squats", "Squats felt heavy but moved. Slept badly, so I kept the RPE honest.", "neutral", ["training"]),
    ("New PR!", "Bench moved fast today. Small plates, big grin.", "excellent", ["training", "pr"]),
    ("Long week", "Work was a lot. Got my walk in anyway and cooked at home.", "bad", ["work", "stress"]),
    ("Easy run", "Kept it conversational. The pace is coming down without trying.", "good", ["running"]),
    ("Meal prep Sunday", "Cooked lentils and chicken for the week. Lunches sorted.", "good", ["food"]),
    ("Yoga reset", "The class undid the week's tight hips. Will keep going.", "excellent", ["yoga", "recovery"]),
    ("Tired", "Skipped meditation, went to bed early instead.", "neutral", ["sleep"]),
]
MOOD_ENERGY = {"excellent": 9, "good": 7, "neutral": 6, "bad": 4, "terrible": 3}


def _at(user: User, day: dt.date, time: dt.time, *, now: dt.datetime) -> dt.datetime | None:
    """The local moment, or None when it has not come yet (today's evening is still ahead)."""
    moment = dt.datetime.combine(day, time, tzinfo=user.zone)
    return moment if moment <= now else None


def _exercise(names: tuple[str, ...]) -> Exercise | None:
    for name in names:
        found = Exercise.objects.filter(owner__isnull=True, name=name, deleted_at__isnull=True).first()
        if found is not None:
            return found
    return None


def _kg(value: Decimal) -> Decimal:
    """Rounded to the 1.25 kg a pair of the smallest plates adds."""
    return ((value / Decimal("1.25")).quantize(Decimal(1), rounding=ROUND_HALF_UP) * Decimal("1.25")).quantize(CENT)


def _intake(user: User, start: dt.datetime) -> None:
    """The intake through its own services, then dated back to the first day of the history: the goal
    starts there, so Progress measures eight weeks of it."""
    if user.intake_completed_at is not None:
        return
    OnboardingState.objects.filter(user=user, completed_at__isnull=True).delete()  # a half-walked demo intake
    intake_step_save(user=user, step=Step.WELCOME, data={"unit_system": user.unit_system, "timezone": user.timezone})
    for step, data in INTAKE.items():
        intake_step_save(user=user, step=step, data=data)
    intake_confirm(user=user)
    OnboardingState.objects.filter(user=user).update(started_at=start, completed_at=start, last_activity_at=start)
    User.objects.filter(pk=user.pk).update(intake_completed_at=start)
    user.intake_completed_at = start
    first_day = timezone.localdate(start, user.zone)
    for goal in Goal.objects.filter(user=user, status="active"):
        goal.start_date = first_day
        if goal.target_timeline_weeks:
            goal.target_date = first_day + dt.timedelta(weeks=goal.target_timeline_weeks)
        goal.save(update_fields=["start_date", "target_date", "updated_at"])
        if goal.metric and goal.target_value is not None:
            GoalMilestone.objects.filter(goal=goal).delete()
            GoalMilestone.objects.bulk_create(
                GoalMilestone(goal=goal, value=value, percent=percent, target_date=due)
                for percent, value, due in milestones_plan(goal)
            )


def _strength(
    user: User,
    rng: random.Random,
    day: dt.date,
    count: int,
    *,
    now: dt.datetime,
    strength: ActivityType,
    exercises: dict[tuple[str, ...], Exercise | None],
) -> bool:
    start = _at(user, day, dt.time(18, rng.choice([0, 5, 10, 20])), now=now)
    if start is None:
        return False
    plan = WORKOUT_A if count % 2 == 0 else WORKOUT_B
    exposure = count // 2  # how many times this workout was done before
    logged = []
    hardest = 0
    for names, sets, reps, first, step, every in plan:
        exercise = exercises.get(names)
        if exercise is None:
            continue
        # Linear progression with one stall in week five (a poor night's sleep), weights never go down.
        bumps = exposure // every - (1 if exposure >= 8 and every == 1 else 0)
        weight = _kg(first + step * bumps)
        rpe = min(9, 6 + (exposure % every == 0) + exposure // 4 + rng.choice([0, 0, 1]))
        hardest = max(hardest, rpe)
        working = [
            {"reps": reps if n < sets - 1 or rng.random() > 0.15 else reps - 1, "weight_kg": weight, "rpe": rpe}
            for n in range(sets)
        ]
        warmup = [{"reps": 8, "weight_kg": _kg(weight / 2), "is_warmup": True}] if every == 1 else []
        logged.append({"exercise": exercise, "sets": warmup + working})
    if not logged:
        return False
    minutes = 55 + rng.randint(0, 15)
    session_create_whole(
        user=user,
        data={
            "activity_type": strength,
            "name": "Strength A — squat & bench" if count % 2 == 0 else "Strength B — deadlift & press",
            "started_at": start,
            "ended_at": start + dt.timedelta(minutes=minutes),
            "perceived_exertion": hardest,
            "mood_after": rng.choice([scales.Mood.GOOD, scales.Mood.GOOD, scales.Mood.EXCELLENT]),
            "rating": rng.randint(7, 9),
            "location": "FitJourney Central",
            "exercises": logged,
            "finished": True,
        },
    )
    return True


def _run(user: User, rng: random.Random, day: dt.date, index: int, *, now: dt.datetime, running: ActivityType) -> bool:
    start = _at(user, day, dt.time(7, 0) if day.weekday() >= 5 else dt.time(6, 40), now=now)
    if start is None:
        return False
    km = Decimal(rng.choice(["4.2", "5.0", "5.0", "6.1", "7.4"])) + (Decimal("1.5") if day.weekday() == 6 else 0)
    # Easy pace improves from about 6:45 to 6:05 per km over the weeks.
    pace_seconds = 405 - min(index, 16) * 2.5 + rng.uniform(-8, 8)
    seconds = int(float(km) * pace_seconds)
    session_create_whole(
        user=user,
        data={
            "activity_type": running,
            "name": "Long run" if day.weekday() == 6 else "Easy run",
            "started_at": start,
            "ended_at": start + dt.timedelta(seconds=seconds),
            "perceived_exertion": rng.choice([4, 5, 5, 6]),
            "avg_heart_rate": rng.randint(142, 156),
            "max_heart_rate": rng.randint(165, 176),
            "mood_after": scales.Mood.GOOD,
            "metrics": {"distance": km * 1000, "elevation_gain": rng.randint(20, 90)},
            "finished": True,
        },
    )
    return True


def _yoga(user: User, day: dt.date, *, now: dt.datetime, yoga: ActivityType) -> bool:
    start = _at(user, day, dt.time(19, 0), now=now)
    if start is None:
        return False
    session_create_whole(
        user=user,
        data={
            "activity_type": yoga,
            "name": "Vinyasa class",
            "started_at": start,
            "ended_at": start + dt.timedelta(minutes=60),
            "perceived_exertion": 3,
            "mood_after": scales.Mood.EXCELLENT,
            "location": "FitJourney Central",
            "metrics": {"style": "Vinyasa"},
            "finished": True,
        },
    )
    return True


def _food(
    user: User, rng: random.Random, day: dt.date, *, foods: dict[str, Food], target_kcal: Decimal, today: bool
) -> list[MealItem]:
    """The day's meals (through the diary service) and their items, built with the diary's own
    `item_values` and returned for one bulk insert: 500 items one by one were a third of the run."""
    menu = [("breakfast", rng.choice(BREAKFASTS)), ("lunch", rng.choice(LUNCHES))]
    if not today:
        menu.append(("dinner", rng.choice(DINNERS)))
        if rng.random() < 0.5:
            menu.append(("snack", rng.choice(SNACKS)))
    planned = [(meal, name, grams) for meal, items in menu for name, grams in items if name in foods]
    kcal = sum((foods[name].energy_kcal or 0) * grams / 100 for _, name, grams in planned)
    # The day lands within a few per cent of the plan (some days over, most a little under).
    aim = float(target_kcal) * rng.uniform(0.9, 1.06) * (0.6 if today else 1)
    scale = min(1.5, max(0.7, aim / float(kcal))) if kcal else 1.0
    items = []
    meals: dict[str, Meal] = {}
    for meal_type, name, grams in planned:
        meal = meals.get(meal_type) or meal_get_or_create(user=user, date=day, meal_type=meal_type)
        meals[meal_type] = meal
        quantity = Decimal(round(grams * scale / 5) * 5 or 5)
        values = item_values(food=foods[name], quantity=quantity, unit=QuantityUnit.GRAM)
        items.append(MealItem(meal=meal, food=foods[name], **values))
    return items


def _habits(user: User, first_day: dt.date) -> dict[str, Habit]:
    habits = {}
    for template in HabitTemplate.objects.filter(is_system=True, name__in=HABITS):
        existing = Habit.objects.filter(user=user, template=template).first()
        habits[template.name] = existing or habit_create(user=user, template=template, start_date=first_day)
    return habits


@transaction.atomic
def member_demo_ensure(*, member: User) -> str:
    """Builds the demo member's eight weeks (see the module's docstring); returns a summary line."""
    if Session.objects.for_user(member).performed().filter(recorded_by__isnull=True).exists():
        return "demo member: history already there"
    started = time.perf_counter()
    rng = random.Random(SEED)
    now = timezone.now()
    today = member.local_today()
    first_day = today - dt.timedelta(days=DAYS - 1)
    _intake(member, dt.datetime.combine(first_day, dt.time(8, 0), tzinfo=member.zone))
    types = {t.slug: t for t in ActivityType.objects.filter(slug__in=["weight-training", "running", "yoga"])}
    names = {name for meals in (BREAKFASTS, LUNCHES, DINNERS, SNACKS) for menu in meals for name, _ in menu}
    foods = {food.name: food for food in Food.objects.filter(owner__isnull=True, name__in=names)}
    plan = MealPlan.objects.filter(user=member).first()
    target_kcal = Decimal(plan.energy_target_kcal) if plan is not None else Decimal(1800)
    habits = _habits(member, first_day)
    exercises = {names: _exercise(names) for names, *_ in WORKOUT_A + WORKOUT_B}

    counts = dict.fromkeys(("strength", "runs", "yoga", "food items", "weigh-ins", "journal", "check-ins"), 0)
    runs_done = 0
    meal_items: list[MealItem] = []
    food_days: list[dt.date] = []
    for offset in range(DAYS):
        day = first_day + dt.timedelta(days=offset)
        week = offset // 7
        weekday = day.weekday()
        is_today = day == today
        # Weigh-ins most mornings: a straight trend plus the day-to-day water swing.
        if rng.random() < 0.85 or offset == 0 or is_today:
            trend = START_WEIGHT_KG + (END_WEIGHT_KG - START_WEIGHT_KG) * Decimal(offset) / Decimal(DAYS - 1)
            noise = Decimal(str(round(rng.uniform(-0.35, 0.35), 1))) if offset > 0 and not is_today else 0
            moment = _at(member, day, dt.time(7, rng.randint(0, 25)), now=now)
            if moment is None:  # today before 7: weighed a minute ago
                moment = max(now - dt.timedelta(minutes=1), dt.datetime.combine(day, dt.time(0), tzinfo=member.zone))
            body_metric_record(
                user=member, metric_type="weight", value=(trend + noise).quantize(Decimal("0.1")), measured_at=moment
            )
            counts["weigh-ins"] += 1
        if weekday in (0, 2, 4) and "weight-training" in types:
            counts["strength"] += _strength(
                member, rng, day, counts["strength"], now=now, strength=types["weight-training"], exercises=exercises
            )
        run_day = weekday == 1 or (weekday == 6 and week % 2 == 1)
        if run_day and "running" in types and _run(member, rng, day, runs_done, now=now, running=types["running"]):
            runs_done += 1
            counts["runs"] += 1
        if weekday == 3 and "yoga" in types:
            counts["yoga"] += _yoga(member, day, now=now, yoga=types["yoga"])
        if foods and (is_today or rng.random() < 0.9):
            items = _food(member, rng, day, foods=foods, target_kcal=target_kcal, today=is_today)
            meal_items.extend(items)
            food_days.append(day)
            counts["food items"] += len(items)
            for _ in range(2 if is_today else rng.randint(4, 7)):
                water_log_add(user=member, amount_ml=rng.choice([250, 330, 500]), date=day)
        for name, habit in habits.items():
            if rng.random() > 0.8:
                continue  # a missed day
            low, high, step = HABITS[name]
            value = (Decimal(round(rng.uniform(low, high) / step)) * Decimal(str(step))).quantize(CENT)
            habit_log_set(user=member, habit=habit, log_date=day, value=value)
        if rng.random() < 0.3 or is_today:
            title, content, mood, tags = JOURNAL[offset % len(JOURNAL)]
            journal_entry_save(
                user=member,
                entry_date=day,
                title=title,
                content=content,
                mood=mood,
                energy_level=MOOD_ENERGY[mood],
                stress_level=rng.randint(3, 7) if mood != "bad" else 8,
                tags=tags,
            )
            counts["journal"] += 1
        if weekday == 6 and not is_today:
            lifestyle_checkin_record(
                user=member,
                energy_level=rng.choice(["medium", "high", "high"]),
                stress_level=rng.choice(["low", "medium", "medium", "high"]),
                sleep_quality=rng.choice(["fair", "good", "good", "excellent"]),
                sleep_hours=Decimal(str(round(rng.uniform(6.5, 8.0) * 2) / 2)),
                recorded_at=dt.datetime.combine(day, dt.time(21, 0), tzinfo=member.zone),
            )
            counts["check-ins"] += 1
    MealItem.objects.bulk_create(meal_items)
    days_changed_announce(user_id=member.pk, dates=food_days, source=MEAL_SOURCE)
    # Every write above marked its days; refresh them now rather than after the worker's debounce.
    summaries_refresh_pending(user_id=member.pk)
    goals_evaluate(user=member)
    made = ", ".join(f"{count} {label}" for label, count in counts.items())
    days = DailySummary.objects.filter(user=member, date__gte=first_day).count()
    return f"demo member: {made}; {days} daily summaries; in {time.perf_counter() - started:.1f} s"


__all__ = ["member_demo_ensure"]
