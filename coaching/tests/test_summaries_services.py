"""Daily and weekly summaries: every value equals the sums of its sources after the sources change through
their services, and the refresh machinery (markers, debounce, sweep, repair, rebuild) keeps it so."""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal

import pytest
from django.conf import settings
from django.db import transaction
from django.utils import timezone

from accounts.models import BodyMetric
from accounts.services import body as body_services
from accounts.tests.factories import UserFactory
from coaching.models import DailySummary, Frequency, Habit, HabitLog, JournalEntry, PendingSummary, WeeklySummary
from coaching.selectors import summaries as selectors
from coaching.services import summaries as services
from coaching.tasks import summaries as tasks
from coaching.tests.factories import HabitFactory, HabitLogFactory, JournalEntryFactory
from fitjourney.testing.queries import assert_max_queries
from nutrition.models import MealItem, WaterLog
from nutrition.services import diary
from nutrition.tests.factories import FoodFactory
from training.models import Session, SessionStatus
from training.services import sessions as training
from training.tests.factories import ActivityTypeFactory, SessionFactory

pytestmark = pytest.mark.django_db

CENT = Decimal("0.01")


def _whole(value) -> int:
    return int(Decimal(value).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def _at(user, day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=user.zone)


def _monday(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=day.weekday())


def _refresh(user) -> int:
    """What the debounced task does once the window closes."""
    return services.summaries_refresh_pending(user_id=user.pk)


def _expected(user, day: dt.date) -> dict | None:
    """The day's values straight from the source rows, summed in Python (not the service's SQL)."""
    sessions = [
        s
        for s in Session.objects.filter(user=user, local_date=day)
        if s.status == SessionStatus.FINISHED and not s.is_template and s.deleted_at is None
    ]
    items = list(MealItem.objects.filter(meal__user=user, meal__date=day, meal__deleted_at__isnull=True))
    water = [w.amount_ml for w in WaterLog.objects.filter(user=user, date=day)]
    weights = sorted(
        BodyMetric.objects.filter(user=user, metric_type_id="weight", local_date=day), key=lambda m: m.measured_at
    )
    logs = {log.habit_id: log for log in HabitLog.objects.filter(habit__user=user, log_date=day)}

    def due_that_day(habit) -> bool:
        if habit.deleted_at and day >= timezone.localdate(habit.deleted_at, user.zone):
            return False
        if habit.frequency == Frequency.WEEKLY:  # counts on the day it is done
            started = habit.is_active and habit.start_date <= day and (not habit.end_date or day <= habit.end_date)
            return started and habit.pk in logs and logs[habit.pk].completed
        return habit.is_due_on(day)

    due = [h for h in Habit.all_objects.filter(user=user) if due_that_day(h)]
    journal = JournalEntry.objects.filter(user=user, entry_date=day).exists()
    if not (sessions or items or water or weights or journal or any(h.pk in logs for h in due)):
        return None
    others = [s for s in sessions if not s.activity_type.is_physical]  # painting, chess: no workouts
    sessions = [s for s in sessions if s.activity_type.is_physical]
    return {
        "workouts": len(sessions),
        "other_activities": len(others),
        "active_minutes": _whole(Decimal(sum(s.duration_seconds for s in sessions)) / 60),
        "calories_burned": _whole(sum((s.calories_kcal or 0) for s in sessions)),
        "meals": len({i.meal_id for i in items}),
        "calories_eaten": _whole(sum((i.energy_kcal or 0) for i in items)),
        "protein_g": sum((i.protein_g or 0) for i in items) + Decimal("0.00"),
        "carbohydrate_g": sum((i.carbohydrate_g or 0) for i in items) + Decimal("0.00"),
        "fat_g": sum((i.fat_g or 0) for i in items) + Decimal("0.00"),
        "net_calories": _whole(sum((i.energy_kcal or 0) for i in items))
        - _whole(sum((s.calories_kcal or 0) for s in sessions)),
        "water_ml": sum(water),
        "weight_kg": weights[-1].value.quantize(CENT) if weights else None,
        "habits_completed": sum(1 for h in due if h.pk in logs and logs[h.pk].completed),
        "habits_total": len(due),
        "has_journal_entry": journal,
    }


def _stored(user, day: dt.date) -> dict | None:
    row = DailySummary.objects.filter(user=user, date=day).first()
    if row is None:
        return None
    return {field: getattr(row, field) for field in _FIELDS}


_FIELDS = (
    "workouts",
    "other_activities",
    "active_minutes",
    "calories_burned",
    "meals",
    "calories_eaten",
    "protein_g",
    "carbohydrate_g",
    "fat_g",
    "net_calories",
    "water_ml",
    "weight_kg",
    "habits_completed",
    "habits_total",
    "has_journal_entry",
)


def assert_matches_sources(user, *days: dt.date) -> None:
    for day in days:
        assert _stored(user, day) == _expected(user, day), day


@pytest.fixture
def person():
    return UserFactory(timezone="Europe/Amsterdam")


@pytest.fixture
def day(person):
    return person.local_today() - dt.timedelta(days=3)


@pytest.fixture
def running():
    return ActivityTypeFactory(slug="summary-running", name="Summary running", met=8)


@pytest.fixture
def oats():
    return FoodFactory(name="Oats", energy_kcal=389, protein_g=16.9, carbohydrate_g=66.27, fat_g=6.9)


def _weight(person, day, kg, hour=7):
    return body_services.body_metric_record(
        user=person, metric_type="weight", value=Decimal(kg), unit="kg", measured_at=_at(person, day, hour)
    )


def _workout(person, activity_type, start: dt.datetime, minutes: int) -> Session:
    session = training.session_start(user=person, activity_type=activity_type, started_at=start)
    return training.session_finish(user=person, session=session, ended_at=start + dt.timedelta(minutes=minutes))


def _eat(person, day, food, grams, meal_type="breakfast"):
    meal = diary.meal_get_or_create(user=person, date=day, meal_type=meal_type)
    return diary.item_add(user=person, meal=meal, food=food, quantity=grams)


# ---------------------------------------------------------------------------------------------------
# Every field equals the sums of its sources


def test_a_day_sums_sessions_food_water_weight_habits_and_journal(person, day, running, oats):
    _weight(person, day, "80")
    _workout(person, running, _at(person, day, 7), 45)
    _workout(person, running, _at(person, day, 18), 30)
    _eat(person, day, oats, 80)
    _eat(person, day, oats, 120, "lunch")
    diary.water_log_add(user=person, amount_ml=250, date=day)
    diary.water_log_add(user=person, amount_ml=500, date=day)
    habit, other = HabitFactory(user=person), HabitFactory(user=person)
    HabitLogFactory(habit=habit, log_date=day)
    HabitLogFactory(habit=other, log_date=day, completed=False)
    JournalEntryFactory(user=person, entry_date=day)
    # Habit logs and journal entries are written by the habits helper's services, which announce the day.
    services.summaries_mark_pending(user_id=person.pk, dates=[day])

    assert _refresh(person) == 1

    row = DailySummary.objects.get(user=person, date=day)
    # 8 MET × 80 kg × 0.75 h + 8 × 80 × 0.5 h; 389 kcal/100 g × 200 g.
    assert (row.workouts, row.active_minutes, row.calories_burned) == (2, 75, 800)
    assert (row.meals, row.calories_eaten, row.net_calories) == (2, 778, -22)
    assert (row.protein_g, row.carbohydrate_g, row.fat_g) == (Decimal("33.80"), Decimal("132.54"), Decimal("13.80"))
    assert (row.water_ml, row.weight_kg) == (750, Decimal("80.00"))
    assert (row.habits_completed, row.habits_total, row.has_journal_entry) == (1, 2, True)
    assert_matches_sources(person, day)
    assert not PendingSummary.objects.exists()


def test_edits_and_deletes_through_the_services_follow(person, day, running, oats):
    _weight(person, day, "70")
    session = _workout(person, running, _at(person, day, 7), 60)
    item = _eat(person, day, oats, 100)
    _eat(person, day, oats, 50, "dinner")
    water = diary.water_log_add(user=person, amount_ml=300, date=day)
    _refresh(person)
    assert_matches_sources(person, day)

    diary.item_update(user=person, item=item, quantity=250)
    training.session_update(user=person, session=session, ended_at=_at(person, day, 7, 30))
    diary.water_log_delete(user=person, water_log=water)
    _weight(person, day, "69.5", hour=20)  # replaces the morning weight
    _refresh(person)
    row = DailySummary.objects.get(user=person, date=day)
    assert (row.active_minutes, row.water_ml, row.weight_kg, row.calories_eaten) == (30, 0, Decimal("69.50"), 1167)
    assert_matches_sources(person, day)

    diary.item_delete(user=person, item=item)
    training.session_delete(user=person, session=session)
    _refresh(person)
    row = DailySummary.objects.get(user=person, date=day)
    assert (row.workouts, row.calories_burned, row.calories_eaten) == (0, 0, 195)
    assert_matches_sources(person, day)


def test_moving_a_session_or_a_meal_to_another_day_refreshes_both_days(person, day, running, oats):
    session = _workout(person, running, _at(person, day, 9), 40)
    meal = _eat(person, day, oats, 100).meal
    _refresh(person)
    assert DailySummary.objects.get(user=person, date=day).workouts == 1

    later = day + dt.timedelta(days=1)
    training.session_update(
        user=person, session=session, started_at=_at(person, later, 9), ended_at=_at(person, later, 9, 40)
    )
    diary.meal_update(user=person, meal=meal, date=later)
    assert set(PendingSummary.objects.values_list("date", flat=True)) == {day, later}
    _refresh(person)

    assert not DailySummary.objects.filter(user=person, date=day).exists()  # nothing left that day
    row = DailySummary.objects.get(user=person, date=later)
    assert (row.workouts, row.active_minutes, row.meals, row.calories_eaten) == (1, 40, 1, 389)
    assert_matches_sources(person, day, later)


def test_copies_deleted_meals_and_weights(person, day, oats):
    meal = _eat(person, day, oats, 100).meal
    later = day + dt.timedelta(days=1)
    diary.meal_copy(user=person, meal=meal, to_date=later)
    diary.day_copy(user=person, from_date=day, to_date=day + dt.timedelta(days=2))
    weight = _weight(person, later, "81.234")
    _refresh(person)
    assert DailySummary.objects.get(user=person, date=later).weight_kg == Decimal("81.23")
    assert_matches_sources(person, day, later, day + dt.timedelta(days=2))

    diary.meal_delete(user=person, meal=meal)
    body_services.body_metric_delete(metric=weight)
    _refresh(person)
    assert not DailySummary.objects.filter(user=person, date=day).exists()
    assert DailySummary.objects.get(user=person, date=later).weight_kg is None
    assert_matches_sources(person, day, later)


def test_what_does_not_count(person, day, running, oats):
    """An unfinished session, a template, a deleted session, a meal without items, other body metrics."""
    training.session_start(user=person, activity_type=running, started_at=_at(person, day, 6))
    SessionFactory(
        user=person, activity_type=running, started_at=_at(person, day, 8), is_template=True, template_name="T"
    )
    SessionFactory(user=person, activity_type=running, started_at=_at(person, day, 9), deleted_at=timezone.now())
    diary.meal_create(user=person, date=day, meal_type="snack")
    body_services.body_metric_record(user=person, metric_type="body_fat", value=20, measured_at=_at(person, day, 7))
    services.daily_summaries_refresh(pairs=[(person.pk, day)])
    assert not DailySummary.objects.filter(user=person).exists()


def test_minutes_and_calories_round_half_up(person, day, running):
    SessionFactory(
        user=person,
        activity_type=running,
        started_at=_at(person, day, 8),
        ended_at=_at(person, day, 8) + dt.timedelta(seconds=90),
        calories_kcal=Decimal("10.50"),
    )
    services.daily_summaries_refresh(pairs=[(person.pk, day)])
    row = DailySummary.objects.get(user=person, date=day)
    assert (row.active_minutes, row.calories_burned) == (2, 11)


def test_a_session_late_in_the_evening_in_tokyo_counts_on_the_tokyo_date(running):
    tokyo = UserFactory(timezone="Asia/Tokyo")
    day = tokyo.local_today() - dt.timedelta(days=2)
    late = _at(tokyo, day, 23, 15)  # 14:15 UTC: still `day` in UTC too
    after_midnight = _at(tokyo, day + dt.timedelta(days=1), 0, 30)  # 15:30 UTC on `day`
    _workout(tokyo, running, late, 30)
    _workout(tokyo, running, after_midnight, 20)
    diary.water_log_add(user=tokyo, amount_ml=200, date=day)
    _refresh(tokyo)
    assert after_midnight.astimezone(dt.UTC).date() == day
    assert DailySummary.objects.get(user=tokyo, date=day).active_minutes == 30
    assert DailySummary.objects.get(user=tokyo, date=day + dt.timedelta(days=1)).active_minutes == 20
    assert_matches_sources(tokyo, day, day + dt.timedelta(days=1))


# ---------------------------------------------------------------------------------------------------
# Habits and journal


def test_habits_follow_is_due_on(person, day):
    start = day - dt.timedelta(days=10)
    daily = HabitFactory(user=person, start_date=start)
    on_this_weekday = HabitFactory(
        user=person, start_date=start, frequency=Frequency.CUSTOM, weekdays=[day.isoweekday()]
    )
    other_weekday = HabitFactory(
        user=person, start_date=start, frequency=Frequency.CUSTOM, weekdays=[(day.isoweekday() % 7) + 1]
    )
    weekly_done = HabitFactory(user=person, start_date=start, frequency=Frequency.WEEKLY)
    weekly_not_done = HabitFactory(user=person, start_date=start, frequency=Frequency.WEEKLY)
    HabitFactory(user=person, start_date=start, is_active=False)  # paused: never due
    HabitFactory(user=person, start_date=day + dt.timedelta(days=1))  # not started yet
    HabitFactory(user=person, start_date=start, end_date=day - dt.timedelta(days=1))  # ended
    for habit in (daily, on_this_weekday, other_weekday, weekly_done):
        HabitLogFactory(habit=habit, log_date=day)
    services.daily_summaries_refresh(pairs=[(person.pk, day)])

    row = DailySummary.objects.get(user=person, date=day)
    # daily + custom on its weekday + the weekly one done that day; the log of the habit not due is ignored.
    assert (row.habits_completed, row.habits_total) == (3, 3)
    assert weekly_not_done.is_due_on(day) is False
    assert_matches_sources(person, day)


def test_a_deleted_habit_keeps_counting_before_its_deletion(person, day):
    habit = HabitFactory(user=person, start_date=day - dt.timedelta(days=5))
    HabitLogFactory(habit=habit, log_date=day)
    habit.deleted_at = _at(person, day + dt.timedelta(days=1), 9)
    habit.save()
    later = day + dt.timedelta(days=2)
    JournalEntryFactory(user=person, entry_date=later)
    services.daily_summaries_refresh(pairs=[(person.pk, day), (person.pk, later)])
    assert DailySummary.objects.get(user=person, date=day).habits_total == 1
    assert DailySummary.objects.get(user=person, date=later).habits_total == 0


def test_a_day_with_only_a_check_in_or_a_journal_entry_has_a_row_until_they_go(person, day):
    habit = HabitFactory(user=person, start_date=day, tracking_type="numeric", target_value=8, unit="glasses")
    log = HabitLogFactory(habit=habit, log_date=day, completed=False, value=3)
    entry = JournalEntryFactory(user=person, entry_date=day + dt.timedelta(days=1))
    pairs = [(person.pk, day), (person.pk, day + dt.timedelta(days=1))]
    services.daily_summaries_refresh(pairs=pairs)
    assert (DailySummary.objects.get(user=person, date=day).habits_total, DailySummary.objects.count()) == (1, 2)
    assert DailySummary.objects.get(user=person, date=entry.entry_date).has_journal_entry

    log.delete()
    entry.deleted_at = timezone.now()
    entry.save()
    services.daily_summaries_refresh(pairs=pairs)
    assert not DailySummary.objects.exists()


# ---------------------------------------------------------------------------------------------------
# Weeks


def test_a_week_sums_its_days_and_averages_over_days_with_food(person, running, oats):
    monday = _monday(person.local_today()) - dt.timedelta(weeks=2)
    tuesday, wednesday, friday = (monday + dt.timedelta(days=n) for n in (1, 2, 4))
    _weight(person, tuesday, "80.4")
    _weight(person, friday, "79.6")
    _workout(person, running, _at(person, monday, 7), 30)
    _workout(person, running, _at(person, monday, 18), 30)
    _workout(person, running, _at(person, friday, 7), 45)
    _eat(person, monday, oats, 100)  # 389 kcal
    _eat(person, wednesday, oats, 200)  # 778 kcal
    diary.water_log_add(user=person, amount_ml=1000, date=tuesday)
    diary.water_log_add(user=person, amount_ml=1501, date=friday)
    JournalEntryFactory(user=person, entry_date=wednesday)
    # A daily habit over the whole week (7 due days), done on 3 of them; one day has no other data.
    habit = HabitFactory(user=person, start_date=monday - dt.timedelta(days=7))
    for day in (monday, wednesday, monday + dt.timedelta(days=6)):
        HabitLogFactory(habit=habit, log_date=day)
    services.summaries_mark_pending(user_id=person.pk, dates=[monday, wednesday, monday + dt.timedelta(days=6)])
    _refresh(person)

    week = WeeklySummary.objects.get(user=person, week_start=monday)
    assert week.week_end == monday + dt.timedelta(days=6)
    assert (week.workouts, week.workout_days, week.active_minutes) == (3, 2, 105)
    assert week.calories_burned == sum(d.calories_burned for d in DailySummary.objects.filter(user=person))
    assert (week.calories_eaten, week.avg_calories_eaten) == (1167, 584)  # 1167 / 2 days with food
    assert week.avg_protein_g == Decimal("25.35")  # (16.90 + 33.80) / 2
    assert week.avg_water_ml == 1251  # 2501 / 2 days with water, half up
    assert (week.start_weight_kg, week.end_weight_kg, week.weight_change_kg) == (
        Decimal("80.40"),
        Decimal("79.60"),
        Decimal("-0.80"),
    )
    assert week.journal_days == 1
    assert (week.habits_completed, week.habits_total, week.habit_completion_rate) == (3, 7, Decimal("42.86"))
    assert WeeklySummary.objects.count() == 1


def test_a_week_without_habits_has_no_rate_and_a_week_without_days_goes(person, oats):
    monday = _monday(person.local_today()) - dt.timedelta(weeks=3)
    item = _eat(person, monday + dt.timedelta(days=2), oats, 100)
    _refresh(person)
    week = WeeklySummary.objects.get(user=person, week_start=monday)
    assert (week.habits_total, week.habit_completion_rate, week.start_weight_kg, week.weight_change_kg) == (
        0,
        None,
        None,
        None,
    )
    diary.item_delete(user=person, item=item)
    _refresh(person)
    assert not WeeklySummary.objects.exists()


# ---------------------------------------------------------------------------------------------------
# Markers, debounce, sweep


def test_a_refresh_is_idempotent(person, day, running, oats):
    _workout(person, running, _at(person, day, 7), 45)
    _eat(person, day, oats, 100)
    services.daily_summaries_refresh(user_ids=[person.pk])
    first = list(DailySummary.objects.values(*_FIELDS))
    weekly = list(WeeklySummary.objects.values("workouts", "avg_calories_eaten"))
    assert services.daily_summaries_refresh(user_ids=[person.pk]) == 1
    assert list(DailySummary.objects.values(*_FIELDS)) == first
    assert list(WeeklySummary.objects.values("workouts", "avg_calories_eaten")) == weekly


def test_a_rolled_back_change_leaves_no_marker(person, day, oats):
    with pytest.raises(RuntimeError), transaction.atomic():
        _eat(person, day, oats, 100)
        assert PendingSummary.objects.filter(user=person, date=day).exists()
        raise RuntimeError("the request failed")
    assert not PendingSummary.objects.exists()


def test_the_refresh_deletes_exactly_the_markers_it_took(person, day, oats, monkeypatch):
    _eat(person, day, oats, 100)
    later = day + dt.timedelta(days=1)
    real_refresh = services._refresh

    def refresh_while_another_change_lands(scope):
        # A change committed while the refresh runs marks another day (and, in real life, the same day
        # again after the refresh commits): that marker is not one the refresh took.
        PendingSummary.objects.create(user=person, date=later)
        return real_refresh(scope)

    monkeypatch.setattr(services, "_refresh", refresh_while_another_change_lands)
    assert _refresh(person) == 1
    assert list(PendingSummary.objects.values_list("date", flat=True)) == [later]
    assert DailySummary.objects.filter(user=person, date=day).exists()


def test_marking_a_day_again_adds_a_marker_and_locks_nothing(person, day):
    """Markers are append-only: marking a day again inserts a fresh marker instead of updating (and so
    locking) the existing one, which a refresh or another write of the same person may hold."""
    services.summaries_mark_pending(user_id=person.pk, dates=[day])
    PendingSummary.objects.update(queued_at=timezone.now() - dt.timedelta(hours=1))
    services.summaries_mark_pending(user_id=person.pk, dates=[day, day])
    newest = PendingSummary.objects.order_by("-queued_at").first()
    assert PendingSummary.objects.count() == 2
    assert timezone.now() - newest.queued_at < dt.timedelta(minutes=1)
    assert _refresh(person) == 1  # one day, however many markers
    assert not PendingSummary.objects.exists()


@pytest.fixture
def published(monkeypatch):
    """The refresh tasks a change would send to the broker (args, countdown)."""
    sent = []
    monkeypatch.setattr(
        tasks.refresh_pending_summaries,
        "apply_async",
        lambda args=None, countdown=None, **kw: sent.append((args, countdown)),
    )
    return sent


def test_many_changes_within_the_window_enqueue_one_task_and_one_refresh(
    person, day, oats, published, django_capture_on_commit_callbacks
):
    for grams in (50, 60, 70, 80, 90):
        with django_capture_on_commit_callbacks(execute=True):
            _eat(person, day, oats, grams)
    with django_capture_on_commit_callbacks(execute=True):
        diary.water_log_add(user=person, amount_ml=250, date=day + dt.timedelta(days=1))

    assert published == [([str(person.pk)], settings.SUMMARY_REFRESH_DELAY_SECONDS)]
    assert set(PendingSummary.objects.values_list("date", flat=True)) == {day, day + dt.timedelta(days=1)}
    assert tasks.refresh_pending_summaries(str(person.pk)) == 2  # the one task refreshes both days
    assert DailySummary.objects.get(user=person, date=day).calories_eaten == _whole(Decimal("3.89") * 350)
    assert_matches_sources(person, day, day + dt.timedelta(days=1))
    assert tasks.refresh_pending_summaries(str(person.pk)) == 0  # a second run finds nothing to do

    # Once the window has passed (the key expired), the next change queues the next task.
    from django.core.cache import cache

    cache.delete(f"coaching:summary-refresh:{person.pk}")
    with django_capture_on_commit_callbacks(execute=True):
        diary.water_log_add(user=person, amount_ml=100, date=day)
    assert len(published) == 2


def test_each_person_gets_their_own_task(person, day, oats, published, django_capture_on_commit_callbacks):
    other = UserFactory()
    with django_capture_on_commit_callbacks(execute=True):
        _eat(person, day, oats, 50)
        _eat(other, day, oats, 50)
    assert sorted(args[0] for args, _ in published) == sorted([str(person.pk), str(other.pk)])


def test_a_broker_outage_never_fails_the_write(
    person, day, oats, monkeypatch, django_capture_on_commit_callbacks, caplog
):
    def broker_down(*args, **kwargs):
        raise ConnectionError("broker unreachable")

    monkeypatch.setattr(tasks.refresh_pending_summaries, "apply_async", broker_down)
    with django_capture_on_commit_callbacks(execute=True):
        item = _eat(person, day, oats, 50)
    assert MealItem.objects.filter(pk=item.pk).exists()
    assert PendingSummary.objects.filter(user=person, date=day).exists()  # the sweep will pick it up
    assert "sweep" in caplog.text

    def cache_down(*args, **kwargs):
        raise ConnectionError("redis unreachable")

    from django.core.cache import cache

    monkeypatch.setattr(cache, "add", cache_down)
    with django_capture_on_commit_callbacks(execute=True):
        diary.water_log_add(user=person, amount_ml=100, date=day)
    assert WaterLog.objects.filter(user=person).count() == 1


def test_the_sweep_catches_a_lost_task(person, day, oats):
    _eat(person, day, oats, 100)  # its task was lost: the on-commit callback never ran
    fresh = UserFactory()
    _eat(fresh, day, oats, 100)
    PendingSummary.objects.filter(user=person).update(queued_at=timezone.now() - dt.timedelta(minutes=10))

    assert tasks.sweep_pending_summaries() == 1
    assert DailySummary.objects.get(user=person, date=day).calories_eaten == 389
    # A marker younger than twice the delay is still waiting for its own task.
    assert list(PendingSummary.objects.values_list("user_id", flat=True)) == [fresh.pk]


def test_summaries_pending_says_whether_a_day_waits_for_a_refresh(person, day, oats):
    assert selectors.summaries_pending(user=person, dates=[day]) is False
    _eat(person, day, oats, 100)
    assert selectors.summaries_pending(user=person, dates=[day, day + dt.timedelta(days=1)]) is True
    assert selectors.summaries_pending(user=UserFactory(), dates=[day]) is False
    assert selectors.summaries_pending(user=person, dates=[]) is False
    _refresh(person)
    assert selectors.summaries_pending(user=person, dates=[day]) is False


# ---------------------------------------------------------------------------------------------------
# Repair and rebuild


def test_the_nightly_repair_fixes_a_drifted_row(person, day, running, oats):
    _workout(person, running, _at(person, day, 7), 45)
    _eat(person, day, oats, 100)
    other_day = day - dt.timedelta(days=1)
    diary.water_log_add(user=person, amount_ml=500, date=other_day)
    _refresh(person)
    assert tasks.repair_summaries() == 0

    DailySummary.objects.filter(user=person, date=day).update(calories_eaten=1)
    assert tasks.repair_summaries() == 1
    assert_matches_sources(person, day)
    assert services.summaries_repair() == 0

    # A row that went missing comes back; a row without any source goes.
    DailySummary.objects.filter(user=person, date=other_day).delete()
    stray = day - dt.timedelta(days=5)
    DailySummary.objects.create(user=person, date=stray, water_ml=5, refreshed_at=timezone.now())
    assert services.summaries_repair() == 2
    assert_matches_sources(person, other_day, stray)


def test_the_repair_fixes_weeks_and_leaves_older_days_alone(person, day, oats):
    _eat(person, day, oats, 100)
    old = person.local_today() - dt.timedelta(days=60)
    _eat(person, old, oats, 100)
    _refresh(person)
    WeeklySummary.objects.filter(week_start=_monday(day)).update(workouts=9)
    DailySummary.objects.filter(date=old).update(calories_eaten=2)
    assert services.summaries_repair(days=14) == 1
    assert WeeklySummary.objects.get(week_start=_monday(day)).workouts == 0
    assert DailySummary.objects.get(date=old).calories_eaten == 2  # outside the window


def test_a_rebuild_recomputes_everybody_from_their_sources(person, day, running, oats):
    _workout(person, running, _at(person, day, 7), 45)
    _eat(person, day, oats, 100)
    other = UserFactory()
    _eat(other, day - dt.timedelta(days=20), oats, 50)
    PendingSummary.objects.all().delete()
    DailySummary.objects.create(user=other, date=day - dt.timedelta(days=40), water_ml=1, refreshed_at=timezone.now())
    calls = []

    rows = services.summaries_rebuild(progress=lambda done, total, label: calls.append((done, total, label)))

    assert rows == DailySummary.objects.count() + WeeklySummary.objects.count() == 4
    assert_matches_sources(person, day)
    assert_matches_sources(other, day - dt.timedelta(days=20), day - dt.timedelta(days=40))
    assert calls[-1][0] == calls[-1][1] and calls[-1][2] == "people"
    # Only from a date on: earlier rows are left as they are.
    DailySummary.objects.filter(user=other).update(calories_eaten=7)
    assert services.summaries_rebuild(user_ids=[other.pk], since=day - dt.timedelta(days=1)) == 0
    assert DailySummary.objects.get(user=other).calories_eaten == 7


# ---------------------------------------------------------------------------------------------------
# Query counts


def _month_of_data(people: list, running, oats, today: dt.date) -> None:
    """A month of sessions, meals, water, weights, habit logs and journal for each person, in bulk."""
    for person in people:
        habit = HabitFactory(user=person, start_date=today - dt.timedelta(days=40))
        for n in range(30):
            day = today - dt.timedelta(days=n)
            SessionFactory(user=person, activity_type=running, started_at=_at(person, day, 7), calories_kcal=300)
            diary.water_log_add(user=person, amount_ml=250, date=day)
            HabitLogFactory(habit=habit, log_date=day, completed=n % 2 == 0)
            if n % 3 == 0:
                _eat(person, day, oats, 100)
                JournalEntryFactory(user=person, entry_date=day)
                BodyMetric.objects.create(
                    user=person, metric_type_id="weight", value=80, measured_at=_at(person, day, 6), local_date=day
                )


@pytest.mark.parametrize("people", [1, 20])
def test_the_refresh_costs_the_same_queries_for_one_person_or_twenty(people, running, oats):
    everybody = [UserFactory() for _ in range(people)]
    today = everybody[0].local_today()
    _month_of_data(everybody, running, oats, today)
    with assert_max_queries(18):
        services.summaries_refresh_pending()
    assert DailySummary.objects.count() == 30 * people
    assert WeeklySummary.objects.filter(user=everybody[-1]).count() in (5, 6)
    assert_matches_sources(everybody[-1], today, today - dt.timedelta(days=29))
    with assert_max_queries(18):
        services.daily_summaries_refresh(user_ids=[p.pk for p in everybody], start=today - dt.timedelta(days=29))


def test_weekly_refresh_recomputes_a_week_from_its_stored_days(person, oats):
    monday = _monday(person.local_today()) - dt.timedelta(weeks=1)
    _eat(person, monday + dt.timedelta(days=3), oats, 100)
    _refresh(person)
    WeeklySummary.objects.update(calories_eaten=1, avg_calories_eaten=1)
    assert services.weekly_summaries_refresh(weeks=[(str(person.pk), monday + dt.timedelta(days=5))]) == 1
    week = WeeklySummary.objects.get()
    assert (week.week_start, week.calories_eaten, week.avg_calories_eaten) == (monday, 389, 389)
    assert services.weekly_summaries_refresh(user_ids=[person.pk], start=monday, end=monday) == 1
    assert services.weekly_summaries_refresh(weeks=[]) == 0


def test_the_week_in_progress_counts_only_the_days_due_so_far(person):
    """A daily habit done every day so far this week is 100 %, not "3 of 7" on a Wednesday (issue 14,
    point 10): days still to come are not due yet. The person lives where today is not a Sunday (on a
    Sunday every day of the week is due and the test would prove nothing)."""
    for zone in ("UTC", "Pacific/Kiritimati", "Pacific/Pago_Pago"):
        person.timezone = zone
        if person.local_today().weekday() != 6:
            break
    person.save(update_fields=["timezone"])
    today = person.local_today()
    monday = _monday(today)
    habit = HabitFactory(user=person, start_date=monday - dt.timedelta(days=7))
    days = [monday + dt.timedelta(days=n) for n in range((today - monday).days + 1)]
    for day in days:
        HabitLogFactory(habit=habit, log_date=day)
    services.summaries_mark_pending(user_id=person.pk, dates=days)
    _refresh(person)
    week = WeeklySummary.objects.get(user=person, week_start=monday)
    assert (week.habits_completed, week.habits_total) == (len(days), len(days))
    assert week.habit_completion_rate == Decimal("100.00")
