"""Habit services: creating from templates, validation, soft delete, the check-in upsert, the one-tap
toggle, the days they announce, and concurrency on the (habit, log_date) rule."""

from __future__ import annotations

import datetime as dt
import threading
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.utils import timezone

from accounts.models import User
from accounts.tests.factories import UserFactory
from coaching.models import Habit, HabitLog, HabitTemplate
from coaching.services import habits as services
from coaching.tests.factories import HabitFactory, HabitLogFactory, NumericHabitFactory
from fitjourney.errors import NotFound
from fitjourney.hooks.changes import days_changed

pytestmark = pytest.mark.django_db


@pytest.fixture
def announced():
    """Every days_changed announcement made during the test: (sender, user_id, dates)."""
    calls = []

    def listener(sender, *, user_id, dates, **kwargs):
        calls.append((sender, user_id, set(dates)))

    days_changed.connect(listener, dispatch_uid="test-habits-announced")
    yield calls
    days_changed.disconnect(dispatch_uid="test-habits-announced")


def _today(user) -> dt.date:
    return user.local_today()


# ---------------------------------------------------------------------------------------------------
# Habits


def test_the_five_system_templates_are_there():
    names = set(HabitTemplate.objects.filter(is_system=True).values_list("name", flat=True))
    assert names == {"Drink Water", "Sleep", "Steps", "Meditation", "Vegetables"}


def test_a_habit_from_a_template_takes_its_defaults():
    user = UserFactory()
    water = HabitTemplate.objects.get(name="Drink Water", is_system=True)
    habit = services.habit_create(user=user, template=water)
    assert (habit.name, habit.tracking_type, habit.unit, habit.target_value) == (
        "Drink Water",
        "numeric",
        "glasses",
        Decimal("8.00"),
    )
    assert habit.category == "hydration" and habit.frequency == "daily" and habit.template == water
    assert habit.start_date == _today(user)


def test_fields_given_win_over_the_template():
    user = UserFactory()
    sleep = HabitTemplate.objects.get(name="Sleep", is_system=True)
    habit = services.habit_create(user=user, template=sleep, target_value=Decimal("7.5"), name="Sleep well")
    assert habit.name == "Sleep well" and habit.target_value == Decimal("7.5") and habit.unit == "hours"


def test_another_persons_template_is_refused():
    user = UserFactory()
    theirs = HabitTemplate.objects.create(name="Theirs", tracking_type="boolean", created_by=UserFactory())
    with pytest.raises(ValidationError) as exc:
        services.habit_create(user=user, template=theirs)
    assert "template" in exc.value.message_dict
    assert not Habit.objects.filter(user=user).exists()


def test_a_custom_habit():
    user = UserFactory()
    habit = services.habit_create(
        user=user, name="Stretch", tracking_type="boolean", frequency="custom", weekdays=[5, 1, 3, 3]
    )
    assert habit.weekdays == [1, 3, 5] and habit.target_value is None and habit.category == "custom"


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"name": "", "tracking_type": "boolean"}, "name"),
        ({"name": "Run", "tracking_type": "numeric"}, "target_value"),
        ({"name": "Run", "tracking_type": "numeric", "target_value": 0}, "target_value"),
        ({"name": "Run", "tracking_type": "boolean", "target_value": 3}, "target_value"),
        ({"name": "Run", "tracking_type": "boolean", "frequency": "custom"}, "weekdays"),
        ({"name": "Run", "tracking_type": "boolean", "frequency": "custom", "weekdays": [8]}, "weekdays"),
        ({"name": "Run", "tracking_type": "sometimes"}, "tracking_type"),
        ({"name": "Run", "tracking_type": "boolean", "frequency": "hourly"}, "frequency"),
        ({"name": "Run", "tracking_type": "numeric", "target_value": "lots"}, "target_value"),
        ({"name": "Run", "tracking_type": "numeric", "target_value": Decimal("1.234")}, "target_value"),
        ({"name": "x" * 101, "tracking_type": "boolean"}, "name"),
        ({"name": "Run", "tracking_type": "boolean", "deleted_at": "now"}, "deleted_at"),
    ],
)
def test_bad_habits_are_refused_with_a_field_error(fields, field):
    user = UserFactory()
    with pytest.raises(ValidationError) as exc:
        services.habit_create(user=user, **fields)
    assert field in exc.value.message_dict
    assert not Habit.objects.filter(user=user).exists()


def test_the_end_cannot_come_before_the_start():
    user = UserFactory()
    with pytest.raises(ValidationError) as exc:
        services.habit_create(
            user=user,
            name="Run",
            tracking_type="boolean",
            start_date=dt.date(2026, 3, 10),
            end_date=dt.date(2026, 3, 1),
        )
    assert "end_date" in exc.value.message_dict


def test_creating_announces_the_days_it_counts_at_most_sixty(announced):
    user = UserFactory()
    today = _today(user)
    services.habit_create(user=user, name="Read", tracking_type="boolean", start_date=today - dt.timedelta(days=2))
    assert announced[-1] == ("coaching.habit", user.pk, {today - dt.timedelta(days=n) for n in range(3)})
    services.habit_create(user=user, name="Old", tracking_type="boolean", start_date=today - dt.timedelta(days=400))
    days = announced[-1][2]
    assert len(days) == 60 and max(days) == today and min(days) == today - dt.timedelta(days=59)


def test_a_future_habit_announces_nothing(announced):
    user = UserFactory()
    services.habit_create(
        user=user, name="Later", tracking_type="boolean", start_date=_today(user) + dt.timedelta(days=3)
    )
    assert announced == []


def test_update_changes_fields_and_announces_old_and_new_days(announced):
    user = UserFactory()
    today = _today(user)
    habit = HabitFactory(user=user, start_date=today - dt.timedelta(days=1))
    services.habit_update(user=user, habit=habit, start_date=today - dt.timedelta(days=3), name="Walk")
    habit.refresh_from_db()
    assert habit.name == "Walk"
    assert announced[-1][2] == {today - dt.timedelta(days=n) for n in range(4)}


def test_switching_to_done_or_not_drops_the_target():
    user = UserFactory()
    habit = NumericHabitFactory(user=user)
    services.habit_update(user=user, habit=habit, tracking_type="boolean")
    habit.refresh_from_db()
    assert habit.tracking_type == "boolean" and habit.target_value is None


def test_a_bad_update_changes_nothing():
    user = UserFactory()
    habit = NumericHabitFactory(user=user, name="Water")
    with pytest.raises(ValidationError):
        services.habit_update(user=user, habit=habit, name="Juice", target_value=-1)
    habit.refresh_from_db()
    assert habit.name == "Water" and habit.target_value == 8


def test_only_the_owner_changes_or_deletes_a_habit():
    habit = HabitFactory()
    other = UserFactory()
    with pytest.raises(NotFound):
        services.habit_update(user=other, habit=habit, name="Mine now")
    with pytest.raises(NotFound):
        services.habit_delete(user=other, habit=habit)
    with pytest.raises(NotFound):
        services.habit_log_set(user=other, habit=habit, log_date=timezone.localdate(), completed=True)
    assert Habit.objects.filter(pk=habit.pk).exists() and not HabitLog.objects.exists()


def test_delete_is_soft_and_keeps_the_logs(announced):
    habit = HabitFactory()
    HabitLogFactory(habit=habit)
    services.habit_delete(user=habit.user, habit=habit)
    assert not Habit.objects.filter(pk=habit.pk).exists()
    assert Habit.all_objects.get(pk=habit.pk).deleted_at is not None
    assert HabitLog.objects.filter(habit_id=habit.pk).count() == 1
    assert announced and announced[-1][0] == "coaching.habit"
    with pytest.raises(NotFound):
        services.habit_log_set(user=habit.user, habit=habit, log_date=timezone.localdate(), completed=True)


# ---------------------------------------------------------------------------------------------------
# Check-ins


def test_a_second_log_for_the_same_day_updates_the_first(announced):
    habit = NumericHabitFactory()
    day = timezone.localdate()
    first = services.habit_log_set(user=habit.user, habit=habit, log_date=day, value=Decimal(3), notes="morning")
    assert first.was_created and not first.completed
    second = services.habit_log_set(user=habit.user, habit=habit, log_date=day, value=Decimal(8))
    assert not second.was_created and second.pk == first.pk
    log = HabitLog.objects.get(habit=habit)
    assert (log.value, log.completed, log.notes) == (Decimal("8.00"), True, "morning")  # notes None keeps them
    assert HabitLog.objects.filter(habit=habit, log_date=day).count() == 1
    assert announced[-1] == ("coaching.habit", habit.user_id, {day})


def test_numeric_completion_is_value_against_target():
    habit = NumericHabitFactory(target_value=Decimal("8"))
    day = timezone.localdate()
    assert not services.habit_log_set(user=habit.user, habit=habit, log_date=day, value=Decimal("7.99")).completed
    assert services.habit_log_set(user=habit.user, habit=habit, log_date=day, value=Decimal("8")).completed
    # An explicit `completed` does not override the number.
    log = services.habit_log_set(user=habit.user, habit=habit, log_date=day, value=Decimal(2), completed=True)
    assert not log.completed


def test_a_duration_is_stored_in_the_habits_unit():
    user = UserFactory()
    sleep = services.habit_create(user=user, template=HabitTemplate.objects.get(name="Sleep", is_system=True))
    log = services.habit_log_set(user=user, habit=sleep, log_date=_today(user), value=Decimal("7.5"))
    assert sleep.unit == "hours" and log.value == Decimal("7.5") and log.completed


def test_the_one_tap_toggle():
    habit = HabitFactory()
    day = timezone.localdate()
    assert services.habit_log_toggle(user=habit.user, habit=habit, log_date=day).completed
    assert not services.habit_log_toggle(user=habit.user, habit=habit, log_date=day).completed
    assert services.habit_log_toggle(user=habit.user, habit=habit, log_date=day).completed
    assert HabitLog.objects.filter(habit=habit).count() == 1


def test_toggle_is_for_done_or_not_habits_only():
    habit = NumericHabitFactory()
    with pytest.raises(ValidationError) as exc:
        services.habit_log_toggle(user=habit.user, habit=habit, log_date=timezone.localdate())
    assert "value" in exc.value.message_dict and not HabitLog.objects.exists()


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"value": None}, "value"),
        ({"value": Decimal(-1)}, "value"),
        ({"value": Decimal(1000000)}, "value"),
        ({"value": Decimal("1.234")}, "value"),
        ({"value": "NaN"}, "value"),
        ({"value": Decimal(1), "notes": "x" * 1001}, "notes"),
    ],
)
def test_bad_numeric_check_ins_save_nothing(kwargs, field):
    habit = NumericHabitFactory()
    with pytest.raises(ValidationError) as exc:
        services.habit_log_set(user=habit.user, habit=habit, log_date=timezone.localdate(), **kwargs)
    assert field in exc.value.message_dict
    assert not HabitLog.objects.exists()


def test_done_or_not_needs_completed_and_takes_no_number():
    habit = HabitFactory()
    day = timezone.localdate()
    with pytest.raises(ValidationError) as exc:
        services.habit_log_set(user=habit.user, habit=habit, log_date=day)
    assert "completed" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        services.habit_log_set(user=habit.user, habit=habit, log_date=day, completed=True, value=Decimal(1))
    assert "value" in exc.value.message_dict
    assert not HabitLog.objects.exists()


def test_no_check_in_in_the_future_or_before_the_start_or_after_the_end():
    user = UserFactory()
    User.objects.filter(pk=user.pk).update(timezone="Pacific/Kiritimati")  # UTC+14: "today" is theirs
    user.refresh_from_db()
    today = user.local_today()
    habit = HabitFactory(user=user, start_date=today - dt.timedelta(days=5), end_date=today - dt.timedelta(days=1))
    for day in (today + dt.timedelta(days=1), today - dt.timedelta(days=6), today):
        with pytest.raises(ValidationError) as exc:
            services.habit_log_set(user=user, habit=habit, log_date=day, completed=True)
        assert "log_date" in exc.value.message_dict
    services.habit_log_set(user=user, habit=habit, log_date=today - dt.timedelta(days=1), completed=True)
    assert HabitLog.objects.filter(habit=habit).count() == 1


def test_deleting_a_check_in(announced):
    habit = HabitFactory()
    day = timezone.localdate()
    HabitLogFactory(habit=habit, log_date=day)
    assert services.habit_log_delete(user=habit.user, habit=habit, log_date=day)
    assert not HabitLog.objects.exists() and announced[-1][2] == {day}
    assert not services.habit_log_delete(user=habit.user, habit=habit, log_date=day)


@pytest.mark.django_db(transaction=True)
def test_concurrent_check_ins_of_one_day_make_one_log(reference_data):
    """Two check-ins of the same habit and day at the same moment (two devices): one row, no error."""
    habit = NumericHabitFactory()
    day = timezone.localdate()
    barrier = threading.Barrier(4)
    errors: list[BaseException] = []

    def check_in(value):
        try:
            barrier.wait()
            services.habit_log_set(user=habit.user, habit=habit, log_date=day, value=Decimal(value))
        except BaseException as exc:  # noqa: BLE001  (reported below)
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=check_in, args=(n,)) for n in (2, 4, 6, 8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    log = HabitLog.objects.get(habit=habit, log_date=day)
    assert log.value in {2, 4, 6, 8} and log.completed == (log.value >= 8)


def test_the_database_refuses_a_duplicate_day():
    from django.db import IntegrityError, transaction

    log = HabitLogFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        HabitLog.objects.create(habit=log.habit, log_date=log.log_date, logged_at=timezone.now())


def test_a_start_too_far_back_or_ahead_is_refused():
    user = UserFactory()
    for start in (_today(user) - dt.timedelta(days=20 * 366 + 1), _today(user) + dt.timedelta(days=400)):
        with pytest.raises(ValidationError) as exc:
            services.habit_create(user=user, name="Old", tracking_type="boolean", start_date=start)
        assert "start_date" in exc.value.message_dict
