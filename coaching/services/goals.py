"""Goals: set, changed, abandoned and deleted by the person; evaluated against their logs.

A goal starts from the person's current value of its metric (coaching.selectors.goals), so "lose 5 kg"
(`change=-5`) is stored as the target weight current − 5 with the direction down. Milestones are laid at
25/50/75/100 % of the way, rounded to numbers people use (whole kg of body weight, 2.5 kg on a lift, whole
sessions), with target dates in proportion. `goals_evaluate` marks what the logs have reached and tells
the person once per milestone; `goals_expire` closes goals whose date has passed.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import logging
from collections.abc import Mapping
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from functools import partial
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from accounts.models import Goal as GoalCategory
from accounts.models import NotificationType, User
from accounts.services.notifications import notify
from fitjourney.errors import NotFound
from training.models import ActivityType
from training.selectors.library import exercise_get_visible

from ..models import (
    KIND_CATEGORY,
    METRICS,
    Direction,
    Goal,
    GoalKindSlug,
    GoalMetric,
    GoalMilestone,
    GoalStatus,
)
from ..selectors.goals import goals_progress, metric_current_value
from ..selectors.habits import habit_get_for_user

logger = logging.getLogger(__name__)

# What the goal form and the API's serializer send.
GOAL_FIELDS = (
    "metric",
    "target_value",
    "change",
    "direction",
    "exercise",
    "habit",
    "activity_type",
    "target_date",
    "title",
    "priority",
    "explanation",
)
GOAL_UPDATE_FIELDS = ("title", "target_value", "target_date", "priority", "explanation")
MILESTONE_PERCENTS = (25, 50, 75, 100)
LONGEST_GOAL = dt.timedelta(days=5 * 366)


# ---------------------------------------------------------------------------------------------------
# Helpers


def _number(value: Any, name: str) -> Decimal | None:
    if value in (None, ""):
        return None
    if isinstance(value, bool):
        raise ValidationError({name: "Enter a number."})
    try:
        number = Decimal(str(value))
    except InvalidOperation as error:
        raise ValidationError({name: "Enter a number."}) from error
    if not number.is_finite():
        raise ValidationError({name: "Enter a number."})
    return number.quantize(Decimal("0.001"), rounding=ROUND_HALF_UP)


def _round_to(value: Decimal, step: Decimal) -> Decimal:
    return (value / step).quantize(Decimal(1), rounding=ROUND_HALF_UP) * step


def milestones_plan(goal: Goal) -> list[tuple[int, Decimal, dt.date | None]]:
    """(percent, value, due date) of each milestone: strictly between start and target, rounded, unique."""
    spec = METRICS[goal.metric]
    target, start = goal.target_value, goal.start_value
    assert target is not None
    plan: list[tuple[int, Decimal, dt.date | None]] = []
    seen: set[Decimal] = set()
    for percent in MILESTONE_PERCENTS:
        if percent < 100:
            if start is None:
                continue
            value = _round_to(start + (target - start) * percent / 100, spec.step)
            lower, upper = sorted((start, target))
            if not lower < value < upper:
                continue
        else:
            value = target
        if value in seen:
            continue
        seen.add(value)
        due = None
        if goal.target_date:
            span = (goal.target_date - goal.start_date).days
            due = goal.start_date + dt.timedelta(days=max(1, round(span * percent / 100)))
        plan.append((percent, value, due))
    return plan


def _milestones_generate(goal: Goal) -> list[GoalMilestone]:
    """Lays the milestones not yet achieved again (achieved ones stay, with their dates)."""
    kept = {m.value for m in GoalMilestone.objects.filter(goal=goal, achieved_at__isnull=False)}
    GoalMilestone.objects.filter(goal=goal, achieved_at__isnull=True).delete()
    rows = [
        GoalMilestone(goal=goal, value=value, percent=percent, target_date=due)
        for percent, value, due in milestones_plan(goal)
        if value not in kept
    ]
    return GoalMilestone.objects.bulk_create(rows)


def _check_target_date(target_date: dt.date | None, *, start: dt.date) -> None:
    if target_date is None:
        return
    if target_date <= start:
        raise ValidationError({"target_date": "Choose a target date in the future."})
    if target_date - start > LONGEST_GOAL:
        raise ValidationError({"target_date": "Choose a target date within five years."})


def _check_range(metric: str, value: Decimal, name: str) -> None:
    spec = METRICS[metric]
    if not spec.lowest <= value <= spec.highest:
        raise ValidationError({name: f"Choose a value from {spec.lowest} to {spec.highest} {spec.unit}."})


def _subjects(*, user: User, metric: str, exercise: Any, habit: Any, activity_type: Any) -> dict[str, Any]:
    """The goal's subject, checked against what the person may use: unknown ones are a field error."""
    spec = METRICS[metric]
    found: dict[str, Any] = {"exercise": None, "habit": None, "activity_type": None}
    if spec.subject == "exercise":
        if exercise in (None, ""):
            raise ValidationError({"exercise": "Choose the exercise."})
        try:
            found["exercise"] = exercise_get_visible(user=user, exercise_id=getattr(exercise, "pk", exercise))
        except NotFound as error:
            raise ValidationError({"exercise": "No such exercise."}) from error
    elif spec.subject == "habit":
        if habit in (None, ""):
            raise ValidationError({"habit": "Choose the habit."})
        try:
            found["habit"] = habit_get_for_user(user=user, habit_id=getattr(habit, "pk", habit))
        except (NotFound, ValueError, ValidationError) as error:
            raise ValidationError({"habit": "No such habit."}) from error
    elif spec.subject == "activity_type" and activity_type not in (None, ""):
        pk = getattr(activity_type, "pk", activity_type)
        chosen = ActivityType.all_types.visible_to(user).filter(pk=pk).first()
        if chosen is None:
            raise ValidationError({"activity_type": "No such activity."})
        found["activity_type"] = chosen
    for name, value in (("exercise", exercise), ("habit", habit), ("activity_type", activity_type)):
        if value not in (None, "") and found[name] is None:
            raise ValidationError({name: f"A {GoalMetric(metric).label.lower()} goal has no {name.replace('_', ' ')}."})
    return found


def _title(goal: Goal) -> str:
    label = GoalMetric(goal.metric).label
    subject = goal.exercise or goal.habit or goal.activity_type
    return f"{label}{f' — {subject}' if subject else ''}"


# ---------------------------------------------------------------------------------------------------
# Writes


@transaction.atomic
def goal_create(
    *,
    user: User,
    metric: str,
    target_value: Any = None,
    change: Any = None,
    direction: str = "",
    exercise: Any = None,
    habit: Any = None,
    activity_type: Any = None,
    target_date: dt.date | None = None,
    title: str = "",
    priority: int | None = None,
    explanation: str = "",
    role: str = "",
    category: str = "",
    today: dt.date | None = None,
) -> Goal:
    """A new active goal from the person's current value of `metric`: either an absolute `target_value`
    or a signed `change` from the current value ("lose 5 kg" is change −5). Refuses a target date not in
    the future, a target equal to the current value, a change with nothing to change from, a target that
    contradicts `direction`, an unknown subject, and a second active goal for the same measure."""
    today = today or user.local_today()
    if metric not in METRICS:
        raise ValidationError({"metric": "Choose what the goal measures."})
    spec = METRICS[metric]
    subjects = _subjects(user=user, metric=metric, exercise=exercise, habit=habit, activity_type=activity_type)
    _check_target_date(target_date, start=today)
    target, delta = _number(target_value, "target_value"), _number(change, "change")
    if (target is None) == (delta is None):
        raise ValidationError({"target_value": "Give a target, or how much to change."})
    if direction and direction not in Direction.values:
        raise ValidationError({"direction": "Choose up or down."})
    current = metric_current_value(
        user=user,
        metric=metric,
        exercise_id=subjects["exercise"] and subjects["exercise"].pk,
        habit_id=subjects["habit"] and subjects["habit"].pk,
        activity_type_id=subjects["activity_type"] and subjects["activity_type"].pk,
        today=today,
    )
    if delta is not None:
        if current is None:
            raise ValidationError({"change": "There is no current value to change from yet: give a target instead."})
        if delta == 0:
            raise ValidationError({"change": "A change of nothing is not a goal."})
        target = current + delta
    assert target is not None
    _check_range(metric, target, "change" if delta is not None else "target_value")
    if current is not None and target == current:
        raise ValidationError({"target_value": "That is already your current value: choose another target."})
    if current is not None:
        implied = Direction.DOWN if target < current else Direction.UP
        if direction and direction != implied:
            word = "above" if implied == Direction.UP else "below"
            raise ValidationError({"target_value": f"That target is {word} your current value."})
        direction = implied
    elif not direction:
        direction = Direction.DOWN if metric == GoalMetric.ENERGY_DAY else Direction.UP
    if Goal.objects.filter(
        user=user,
        status=GoalStatus.ACTIVE,
        metric=metric,
        exercise=subjects["exercise"],
        habit=subjects["habit"],
        activity_type=subjects["activity_type"],
    ).exists():
        raise ValidationError({"metric": "You already have an active goal for this; change that one instead."})
    kind = spec.kind
    if not category:
        category = KIND_CATEGORY[GoalKindSlug(kind)]
        if kind == GoalKindSlug.BODY_COMPOSITION and direction == Direction.UP:
            category = GoalCategory.MUSCLE_GAIN
    goal = Goal(
        user=user,
        role=role,
        category=category,
        kind=kind,
        metric=metric,
        direction=direction,
        target_value=target,
        unit=spec.unit,
        start_value=current,
        current_value=current,
        start_date=today,
        target_date=target_date,
        frequency_per_week=int(target) if metric == GoalMetric.SESSIONS_PER_WEEK and target >= 1 else None,
        priority=priority or 1,
        explanation=(explanation or "").strip(),
        **subjects,
    )
    goal.title = (title or "").strip()[:200] or _title(goal)
    goal.full_clean(exclude=["user"])
    goal.save()
    _milestones_generate(goal)
    return goal


def _check_active(goal: Goal) -> None:
    if goal.status != GoalStatus.ACTIVE:
        raise ValidationError({"status": f"This goal is {goal.get_status_display().lower()}; it can no longer change."})


@transaction.atomic
def goal_update(*, goal: Goal, changes: Mapping[str, Any], today: dt.date | None = None) -> Goal:
    """Changes the title, target, date, priority or explanation of an active goal; a new target or date
    lays the milestones not yet reached again."""
    unknown = sorted(set(changes) - set(GOAL_UPDATE_FIELDS))
    if unknown:
        raise ValidationError(dict.fromkeys(unknown, "This field cannot be changed."))
    _check_active(goal)
    today = today or goal.user.local_today()
    relaid = False
    if "target_date" in changes and changes["target_date"] != goal.target_date:
        _check_target_date(changes["target_date"], start=max(today, goal.start_date))
        goal.target_date = changes["target_date"]
        relaid = True
    if "target_value" in changes and goal.metric:
        target = _number(changes["target_value"], "target_value")
        if target is None:
            raise ValidationError({"target_value": "Give a target."})
        if target != goal.target_value:
            _check_range(goal.metric, target, "target_value")
            reference = goal.current_value if goal.current_value is not None else goal.start_value
            if reference is not None:
                if target == reference:
                    raise ValidationError({"target_value": "That is already your current value."})
                implied = Direction.DOWN if target < reference else Direction.UP
                if implied != goal.direction:
                    raise ValidationError({"target_value": "A new target keeps the goal's direction."})
            goal.target_value = target
            relaid = True
    if "title" in changes:
        goal.title = (changes["title"] or "").strip()[:200] or _title(goal)
    if "priority" in changes and changes["priority"]:
        goal.priority = int(changes["priority"])
    if "explanation" in changes:
        goal.explanation = (changes["explanation"] or "").strip()
    goal.full_clean(exclude=["user"])
    goal.save()
    if relaid and goal.metric:
        _milestones_generate(goal)
    return goal


@transaction.atomic
def goal_abandon(*, goal: Goal) -> Goal:
    """The person sets an active goal aside; it stays in their history."""
    _check_active(goal)
    goal.status = GoalStatus.ABANDONED
    goal.save(update_fields=["status", "updated_at"])
    return goal


@transaction.atomic
def goal_delete(*, goal: Goal) -> None:
    """Removes a goal and its milestones for good."""
    goal.delete()


# ---------------------------------------------------------------------------------------------------
# Evaluation


def _notify_milestone(goal: Goal, milestone: GoalMilestone, *, done: bool) -> None:
    unit = goal.unit
    value = f"{milestone.value.normalize():f} {unit}".strip()
    title = f"Goal reached: {goal.title}" if done else f"Milestone reached: {milestone.percent}% of {goal.title}"
    notify(
        user=goal.user,
        type=NotificationType.ACHIEVEMENT,
        title=title[:200],
        message=f"You reached {value}." if not done else f"You reached your target of {value}.",
        data={"goal": str(goal.pk), "milestone": str(milestone.pk), "percent": milestone.percent},
        related=goal,
        action_url=reverse("coaching:goal", args=[goal.pk]),
    )


@transaction.atomic
def goals_evaluate(*, user: User, now: dt.datetime | None = None) -> list[GoalMilestone]:
    """Measures the person's active goals, marks each milestone the logs have reached (once: the goal rows
    are locked, so two runs at once do not both notify) and the goal achieved when its target is; one
    notification per newly reached milestone. Returns those milestones."""
    now = now or timezone.now()
    goals = list(
        Goal.objects.select_for_update(of=("self",))
        .filter(user=user, status=GoalStatus.ACTIVE)
        .exclude(metric="")
        .select_related("user", "exercise", "habit", "activity_type")
        .order_by("pk")
    )
    if not goals:
        return []
    progress = goals_progress(user=user, goals=goals, today=timezone.localdate(now, user.zone))
    open_milestones: dict[Any, list[GoalMilestone]] = {}
    for milestone in GoalMilestone.objects.filter(goal__in=goals, achieved_at__isnull=True).order_by("percent"):
        open_milestones.setdefault(milestone.goal_id, []).append(milestone)
    reached: list[GoalMilestone] = []
    for goal in goals:
        measured = progress[goal.pk]
        current = measured.current
        goal.current_value = current
        goal.evaluated_at = now
        fields = ["current_value", "evaluated_at", "updated_at"]
        done = measured.reached
        for milestone in open_milestones.get(goal.pk, []):
            hit = current is not None and (
                current <= milestone.value if goal.direction == Direction.DOWN else current >= milestone.value
            )
            if hit or (done and milestone.percent == 100):
                milestone.achieved_at = now
                milestone.save(update_fields=["achieved_at"])
                reached.append(milestone)
                _notify_milestone(goal, milestone, done=milestone.percent == 100)
        if done:
            goal.status = GoalStatus.ACHIEVED
            goal.achieved_at = now
            fields += ["status", "achieved_at"]
        goal.save(update_fields=fields)
    return reached


def _evaluate_cache_key(user_id: Any) -> str:
    return f"coaching:goals-evaluate:{user_id}"


def _schedule_evaluation(user_id: Any) -> None:
    """After the commit: one evaluation per person per window (GOAL_EVALUATION_DELAY_SECONDS); changes in
    the window join it. A lost task only delays the milestones until the person's next change or the
    daily expiry run, which evaluates first."""
    from ..tasks.goals import goals_evaluate_task

    delay = settings.GOAL_EVALUATION_DELAY_SECONDS
    key = _evaluate_cache_key(user_id)
    added = False
    try:
        added = cache.add(key, 1, timeout=max(delay, 1))
        if added:
            goals_evaluate_task.apply_async(args=[str(user_id)], countdown=delay)  # type: ignore[arg-type]
    except Exception:
        logger.warning("Could not schedule the goal evaluation of %s.", user_id, exc_info=True)
        if added:
            with contextlib.suppress(Exception):
                cache.delete(key)


def goals_evaluate_schedule(*, user_id: Any) -> None:
    """Queues the evaluation of the person's goals once the caller's transaction commits. No query here:
    every logged set, meal and weigh-in passes through, and the task finds out itself whether the person
    has goals."""
    transaction.on_commit(partial(_schedule_evaluation, user_id))


def goals_expire(*, now: dt.datetime | None = None) -> int:
    """Daily: active goals whose target date has passed in the person's time zone are evaluated a last time
    and, unless reached, expire. One transaction per person; a failure for one is logged and the others
    go on. Returns how many goals expired."""
    now = now or timezone.now()
    # The latest local date anywhere is at most a day ahead of UTC: candidates first, each person's date after.
    horizon = (now + dt.timedelta(days=1)).date()
    people = (
        Goal.objects.filter(status=GoalStatus.ACTIVE, target_date__lt=horizon)
        .values_list("user_id", flat=True)
        .distinct()
    )
    expired = 0
    for user_id in list(people):
        try:
            with transaction.atomic():
                user = User.objects.get(pk=user_id)
                today = timezone.localdate(now, user.zone)
                goals_evaluate(user=user, now=now)
                expired += Goal.objects.filter(user=user, status=GoalStatus.ACTIVE, target_date__lt=today).update(
                    status=GoalStatus.EXPIRED, updated_at=now
                )
        except Exception:
            logger.exception("Could not expire the goals of %s", user_id)
    return expired


__all__ = [
    "GOAL_FIELDS",
    "GOAL_UPDATE_FIELDS",
    "goal_abandon",
    "goal_create",
    "goal_delete",
    "goal_update",
    "goals_evaluate",
    "goals_evaluate_schedule",
    "goals_expire",
    "milestones_plan",
]
