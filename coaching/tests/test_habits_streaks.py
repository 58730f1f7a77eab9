"""Streaks, completion rates and the day's check-in list (habits_for_day): what counts, in few queries."""

from __future__ import annotations

import datetime as dt

import pytest

from accounts.tests.factories import UserFactory
from coaching import presenters
from coaching.models import Habit
from coaching.selectors import habits as selectors
from coaching.tests.factories import HabitFactory, HabitLogFactory, NumericHabitFactory
from fitjourney.testing.queries import assert_num_queries

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 3, 18)  # a Wednesday
MON, TUE, WED, THU, FRI, SAT, SUN = 1, 2, 3, 4, 5, 6, 7


def _habit(**fields) -> Habit:
    """An unsaved habit: the stats are pure functions of a habit and its completed dates."""
    values = {"name": "h", "tracking_type": "boolean", "frequency": "daily", "start_date": TODAY - dt.timedelta(60)}
    values.update(fields)
    return Habit(**values)


def _days_ago(*numbers) -> set[dt.date]:
    return {TODAY - dt.timedelta(days=n) for n in numbers}


def _stats(habit, completed):
    return selectors.habit_stats_from_dates(habit=habit, completed=completed, today=TODAY)


def test_consecutive_days_back_from_today():
    stats = _stats(_habit(), _days_ago(0, 1, 2, 3))
    assert (stats.current_streak, stats.best_streak) == (4, 4)


def test_today_not_done_yet_does_not_break_the_streak():
    stats = _stats(_habit(), _days_ago(1, 2, 3))
    assert (stats.current_streak, stats.best_streak) == (3, 3)


def test_a_gap_breaks_the_streak_and_the_best_is_kept():
    # Done 10..5 days ago (6 days), missed 4, done 3..1.
    stats = _stats(_habit(), _days_ago(10, 9, 8, 7, 6, 5, 3, 2, 1))
    assert (stats.current_streak, stats.best_streak) == (3, 6)


def test_a_missed_yesterday_ends_the_current_streak():
    stats = _stats(_habit(), _days_ago(2, 3, 4))
    assert (stats.current_streak, stats.best_streak) == (0, 3)


def test_custom_weekdays_skip_the_days_that_are_not_due():
    # Mondays and Fridays: Mon 16, Fri 13, Mon 9, Fri 6 done; today (Wed) and Tue are not due.
    habit = _habit(frequency="custom", weekdays=[MON, FRI])
    stats = _stats(habit, {dt.date(2026, 3, 16), dt.date(2026, 3, 13), dt.date(2026, 3, 9), dt.date(2026, 3, 6)})
    assert (stats.current_streak, stats.best_streak) == (4, 4)
    # Missing Friday 13 breaks it; a check-in on a free day (Tue 10) neither counts nor breaks.
    stats = _stats(habit, {dt.date(2026, 3, 16), dt.date(2026, 3, 10), dt.date(2026, 3, 9), dt.date(2026, 3, 6)})
    assert (stats.current_streak, stats.best_streak) == (1, 2)


def test_weekly_habits_count_weeks():
    habit = _habit(frequency="weekly")
    # This week not done yet; done in each of the three weeks before (any day of the week).
    done = {dt.date(2026, 3, 12), dt.date(2026, 3, 2), dt.date(2026, 2, 28)}
    stats = _stats(habit, done)
    assert (stats.current_streak, stats.best_streak, stats.per) == (3, 3, "week")
    # A week with nothing breaks it.
    stats = _stats(habit, {dt.date(2026, 3, 12), dt.date(2026, 2, 28)})
    assert (stats.current_streak, stats.best_streak) == (1, 1)


def test_the_completion_rate_covers_the_last_30_days():
    habit = _habit()
    # 15 of the 29 past days done; today not done yet and so not counted.
    stats = _stats(habit, _days_ago(*range(1, 30, 2)))
    assert stats.completion_rate == round(100 * 15 / 29)
    # Done today: today counts.
    assert _stats(habit, _days_ago(0, *range(1, 30, 2))).completion_rate == round(100 * 16 / 30)


def test_the_rate_starts_with_the_habit():
    habit = _habit(start_date=TODAY - dt.timedelta(days=3))
    stats = _stats(habit, _days_ago(1, 2, 3, 10))  # 10 days ago is before the start: it does not count
    assert (stats.completion_rate, stats.total_completed, stats.best_streak) == (100, 3, 3)


def test_nothing_due_yet():
    stats = _stats(_habit(start_date=TODAY + dt.timedelta(days=2)), set())
    assert (stats.current_streak, stats.best_streak, stats.completion_rate) == (0, 0, None)


def test_the_overview_reads_every_habit_in_two_queries_whatever_the_history():
    user = UserFactory()
    today = user.local_today()
    for n in range(3):
        habit = HabitFactory(user=user, start_date=today - dt.timedelta(days=200))
        for days in range(0, 120, n + 1):
            HabitLogFactory(habit=habit, log_date=today - dt.timedelta(days=days))
    with assert_num_queries(2):
        habits = selectors.habits_overview(user=user, today=today)
    with assert_num_queries(0):
        assert [h.stats.current_streak for h in habits] == [120, 1, 1]
        assert habits[0].stats.best_streak == 120
        assert [d.state for d in habits[1].strip[-3:]] == ["done", "missed", "done"]
        assert habits[0].log is not None and habits[0].due_today


# ---------------------------------------------------------------------------------------------------
# habits_for_day


def test_habits_for_day_lists_the_due_habits_with_their_log_in_one_query():
    user = UserFactory()
    day = dt.date(2026, 3, 18)  # Wednesday
    start = day - dt.timedelta(days=30)
    daily = HabitFactory(user=user, name="Daily", start_date=start)
    wednesdays = HabitFactory(user=user, name="Wed", frequency="custom", weekdays=[WED], start_date=start)
    HabitFactory(user=user, name="Mondays", frequency="custom", weekdays=[MON], start_date=start)
    weekly_open = HabitFactory(user=user, name="Weekly open", frequency="weekly", start_date=start)
    weekly_done = HabitFactory(user=user, name="Weekly done Monday", frequency="weekly", start_date=start)
    HabitLogFactory(habit=weekly_done, log_date=dt.date(2026, 3, 16))
    weekly_today = HabitFactory(user=user, name="Weekly done today", frequency="weekly", start_date=start)
    HabitLogFactory(habit=weekly_today, log_date=dt.date(2026, 3, 16))
    HabitLogFactory(habit=weekly_today, log_date=day)
    tuesday = HabitFactory(user=user, name="Tue done today", frequency="custom", weekdays=[TUE], start_date=start)
    HabitLogFactory(habit=tuesday, log_date=day)
    HabitFactory(user=user, name="Paused", is_active=False, start_date=start)
    HabitFactory(user=user, name="Later", start_date=day + dt.timedelta(days=1))
    HabitFactory(user=user, name="Ended", start_date=start, end_date=day - dt.timedelta(days=1))
    HabitFactory(user=user, name="Deleted", start_date=start, deleted_at=dt.datetime(2026, 3, 1, tzinfo=dt.UTC))
    log = HabitLogFactory(habit=daily, log_date=day, completed=False)
    HabitFactory(start_date=start)  # somebody else's

    with assert_num_queries(1):
        habits = selectors.habits_for_day(user=user, day=day)
    with assert_num_queries(0):
        by_name = {h.name: h for h in habits}
        assert set(by_name) == {"Daily", "Wed", "Weekly open", "Weekly done today", "Tue done today"}
        assert by_name["Daily"].log == log and not by_name["Daily"].log.completed
        assert by_name["Wed"].log is None and by_name["Weekly open"].log is None
        assert by_name["Weekly done today"].log.completed
    assert {daily.pk, wednesdays.pk, weekly_open.pk} <= {h.pk for h in habits}


def test_numeric_habits_come_with_their_value():
    habit = NumericHabitFactory()
    day = habit.user.local_today()
    HabitLogFactory(habit=habit, log_date=day, value=5, completed=False)
    [found] = selectors.habits_for_day(user=habit.user, day=day)
    assert found.log.value == 5


def test_the_chart_shows_weekly_shares_from_the_start():
    user = UserFactory()
    habit = HabitFactory(user=user, start_date=TODAY - dt.timedelta(days=9))  # Monday 9 March
    for day in (TODAY, TODAY - dt.timedelta(days=1), TODAY - dt.timedelta(days=7)):
        HabitLogFactory(habit=habit, log_date=day)
    history = selectors.habit_history(habit=habit, today=TODAY)
    chart = presenters.habit_chart(habit=habit, history=history, today=TODAY)
    # Week of 9 March: 1 of 7 days; this week (Mon 16 – Wed 18): 2 of 3.
    assert chart["labels"] == ["9 Mar", "16 Mar"] and chart["series"][0]["values"] == [14, 67]


def test_number_habits_chart_their_daily_values():
    habit = NumericHabitFactory(start_date=TODAY - dt.timedelta(days=40))
    HabitLogFactory(habit=habit, log_date=TODAY - dt.timedelta(days=1), value=5, completed=False)
    history = selectors.habit_history(habit=habit, today=TODAY)
    chart = presenters.habit_chart(habit=habit, history=history, today=TODAY)
    assert len(chart["labels"]) == 28 and chart["series"][0]["values"][-2:] == [5.0, 0]


def test_a_start_long_ago_changes_nothing():
    long_ago = _habit(start_date=TODAY - dt.timedelta(days=5000))
    recent = _habit(start_date=TODAY - dt.timedelta(days=60))
    done = _days_ago(1, 2, 3, 10, 11, 40, 41, 42, 43)
    assert _stats(long_ago, done) == _stats(recent, done)
    weekly_long, weekly_recent = (
        _habit(frequency="weekly", start_date=TODAY - dt.timedelta(5000)),
        _habit(frequency="weekly"),
    )
    assert _stats(weekly_long, done) == _stats(weekly_recent, done)
