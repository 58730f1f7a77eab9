"""The habits pages: access for every persona, the check-in with and without htmx, forms and errors,
and pinned query counts."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.tests.factories import UserFactory
from coaching.models import Habit, HabitLog, HabitTemplate
from coaching.tests.factories import HabitFactory, HabitLogFactory, NumericHabitFactory
from fitjourney.testing.access import assert_access
from fitjourney.testing.queries import assert_num_queries

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}
EVERYONE_OWN = {"anonymous": 302, "owner": 200, "other_member": 200, "trainer": 200, "staff": 200}
OWNER_ONLY = {"anonymous": 302, "owner": 200, "other_member": 404, "trainer": 404, "staff": 404}
OWNER_WRITES = {"anonymous": 302, "owner": 302, "other_member": 404, "trainer": 404, "staff": 404}
POST_ONLY = {"anonymous": 302, "owner": 405, "other_member": 405, "trainer": 405, "staff": 405}


def _today():
    return timezone.localdate()


@pytest.fixture
def owned(personas):
    return HabitFactory(user=personas.owner, name="Floss")


# ---------------------------------------------------------------------------------------------------
# Access


@pytest.mark.parametrize("name", ["coaching:habits", "coaching:habit-new"])
def test_list_and_new_pages_show_each_person_their_own(client, personas, name):
    assert_access(client, personas, lambda c: c.get(reverse(name)), EVERYONE_OWN)


@pytest.mark.parametrize("name", ["coaching:habit", "coaching:habit-edit"])
def test_a_habit_is_its_owners_only(client, personas, owned, name):
    assert_access(client, personas, lambda c: c.get(reverse(name, args=[owned.pk])), OWNER_ONLY)


@pytest.mark.parametrize("name", ["coaching:habit-delete", "coaching:habit-log", "coaching:habit-log-delete"])
def test_action_urls_refuse_get(client, personas, owned, name):
    assert_access(client, personas, lambda c: c.get(reverse(name, args=[owned.pk])), POST_ONLY)
    assert Habit.objects.filter(pk=owned.pk).exists() and not HabitLog.objects.exists()


def test_only_the_owner_checks_in(client, personas, owned):
    url = reverse("coaching:habit-log", args=[owned.pk])
    assert_access(client, personas, lambda c: c.post(url, {"completed": "true"}), OWNER_WRITES)
    assert HabitLog.objects.get().habit == owned  # exactly one: the owner's


def test_only_the_owner_edits(client, personas, owned):
    url = reverse("coaching:habit-edit", args=[owned.pk])
    data = {"name": "Mine", "category": "custom", "tracking_type": "boolean", "frequency": "daily",
            "start_date": owned.start_date.isoformat(), "is_active": "on"}  # fmt: skip
    assert_access(client, personas, lambda c: c.post(url, data), OWNER_WRITES)
    owned.refresh_from_db()
    assert owned.name == "Mine"


def test_only_the_owner_clears_a_check_in(client, personas, owned):
    HabitLogFactory(habit=owned, log_date=_today())
    url = reverse("coaching:habit-log-delete", args=[owned.pk])
    expected = {"anonymous": 302, "owner": 302, "other_member": 404, "trainer": 404, "staff": 404}
    assert_access(client, personas, lambda c: c.post(url, {"log_date": _today().isoformat()}), expected)
    assert not HabitLog.objects.exists()


def test_only_the_owner_deletes(client, personas, owned):
    url = reverse("coaching:habit-delete", args=[owned.pk])
    # The owner deletes first; afterwards the habit is gone for everybody.
    assert_access(client, personas, lambda c: c.post(url), OWNER_WRITES)
    assert Habit.all_objects.get(pk=owned.pk).deleted_at is not None


def test_everyone_adds_their_own_habit(client, personas):
    data = {"name": "Walk", "category": "activity", "tracking_type": "boolean", "frequency": "daily",
            "start_date": _today().isoformat()}  # fmt: skip
    expected = {"anonymous": 302, "owner": 302, "other_member": 302, "trainer": 302, "staff": 302}
    assert_access(client, personas, lambda c: c.post(reverse("coaching:habit-new"), data), expected)
    assert Habit.objects.filter(name="Walk").count() == 4
    assert set(Habit.objects.values_list("user", flat=True)) == {
        personas.owner.pk,
        personas.other_member.pk,
        personas.trainer.pk,
        personas.staff.pk,
    }


# ---------------------------------------------------------------------------------------------------
# The list and the check-in


def test_the_list_shows_todays_habits_streaks_and_strips(client):
    user = UserFactory()
    today = user.local_today()
    habit = HabitFactory(user=user, name="Floss", start_date=today - dt.timedelta(days=10))
    for n in (1, 2, 3):
        HabitLogFactory(habit=habit, log_date=today - dt.timedelta(days=n))
    NumericHabitFactory(user=user, name="Water", start_date=today - dt.timedelta(days=10))
    HabitFactory(user=user, name="Mondays only", frequency="custom", weekdays=[(today.isoweekday() % 7) + 1])
    client.force_login(user)
    page = client.get(reverse("coaching:habits")).content.decode()
    today_part, others_part = page.split('data-testid="habits-others"')
    assert "Floss" in today_part and "Water" in today_part and "Mondays only" in others_part
    assert '<span class="streak-count">3</span> days in a row' in page
    assert 'aria-pressed="false"' in page and 'name="value"' in page
    assert page.count('class="strip-done"') == 3  # the 30-day strip
    assert "Next: " in others_part


def test_one_tap_without_javascript_redirects_back(client):
    habit = HabitFactory()
    client.force_login(habit.user)
    url = reverse("coaching:habit-log", args=[habit.pk])
    response = client.post(url, {"log_date": _today().isoformat(), "completed": "true"})
    assert response.status_code == 302 and response["Location"] == reverse("coaching:habits")
    assert HabitLog.objects.get(habit=habit).completed
    # Posting "true" again (a double tap) keeps it done; "false" undoes it.
    client.post(url, {"log_date": _today().isoformat(), "completed": "true"})
    assert HabitLog.objects.get(habit=habit).completed
    client.post(url, {"log_date": _today().isoformat(), "completed": "false"})
    assert not HabitLog.objects.get(habit=habit).completed


def test_without_completed_a_done_or_not_habit_toggles(client):
    habit = HabitFactory()
    client.force_login(habit.user)
    url = reverse("coaching:habit-log", args=[habit.pk])
    client.post(url)
    assert HabitLog.objects.get(habit=habit, log_date=_today()).completed
    client.post(url)
    assert not HabitLog.objects.get(habit=habit, log_date=_today()).completed


def test_htmx_gets_the_row_back(client):
    habit = HabitFactory(name="Floss")
    client.force_login(habit.user)
    response = client.post(
        reverse("coaching:habit-log", args=[habit.pk]), {"log_date": _today().isoformat(), "completed": "true"}, **HTMX
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert body.lstrip().startswith(f'<li class="habit-row is-done" id="habit-{habit.pk}"')
    assert "<html" not in body and 'aria-pressed="true"' in body
    assert '<span class="streak-count">1</span> day in a row' in body


def test_the_row_can_be_asked_for_by_another_page(client):
    habit = NumericHabitFactory(name="Water")
    client.force_login(habit.user)
    response = client.post(
        reverse("coaching:habit-log", args=[habit.pk]),
        {"value": "8", "next": "/today/"},
    )
    assert response.status_code == 302 and response["Location"] == "/today/"
    assert HabitLog.objects.get(habit=habit).completed
    # An outside `next` is not followed.
    response = client.post(
        reverse("coaching:habit-log", args=[habit.pk]), {"value": "3", "next": "https://evil.example/"}
    )
    assert response["Location"] == reverse("coaching:habits")


def test_a_second_number_the_same_day_updates_the_first(client):
    habit = NumericHabitFactory()
    client.force_login(habit.user)
    url = reverse("coaching:habit-log", args=[habit.pk])
    client.post(url, {"value": "3"}, **HTMX)
    response = client.post(url, {"value": "9"}, **HTMX)
    assert response.status_code == 200 and "✓ Target reached" in response.content.decode()
    log = HabitLog.objects.get(habit=habit)
    assert log.value == Decimal(9) and log.completed


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"value": "lots"}, "Enter a number"),
        ({"value": "-1"}, "greater than or equal to 0"),
        ({"value": ""}, "Enter how much"),
        ({"value": "3", "log_date": "2999-01-01"}, "has not come yet"),
        ({"value": "3", "log_date": "not-a-date"}, "Enter a valid date"),
    ],
)
def test_bad_check_ins_are_errors_and_save_nothing(client, data, message):
    habit = NumericHabitFactory()
    client.force_login(habit.user)
    url = reverse("coaching:habit-log", args=[habit.pk])
    response = client.post(url, data, **HTMX)
    assert response.status_code == 400 and message in response.content.decode()
    assert 'role="alert"' in response.content.decode()
    if "log_date" not in data:  # the refused number stays in its field
        assert f'value="{data["value"]}" aria-invalid="true"' in response.content.decode()
    response = client.post(url, data)  # without JavaScript: the whole page, with the error in the row
    assert response.status_code == 400 and message in response.content.decode()
    assert "<html" in response.content.decode()
    assert not HabitLog.objects.exists()


def test_a_past_day_from_the_detail_page(client):
    habit = NumericHabitFactory(start_date=_today() - dt.timedelta(days=10))
    client.force_login(habit.user)
    url = reverse("coaching:habit-log", args=[habit.pk])
    detail = reverse("coaching:habit", args=[habit.pk])
    day = _today() - dt.timedelta(days=2)
    response = client.post(url, {"from": "detail", "next": detail, "log_date": day.isoformat(), "value": "8"})
    assert response.status_code == 302 and response["Location"] == detail
    assert HabitLog.objects.get(habit=habit, log_date=day).completed
    # Before the start: the detail page again, with the error.
    early = habit.start_date - dt.timedelta(days=1)
    response = client.post(url, {"from": "detail", "next": detail, "log_date": early.isoformat(), "value": "8"})
    assert response.status_code == 400 and "This habit starts on" in response.content.decode()
    assert "Check in for another day" in response.content.decode()
    assert HabitLog.objects.count() == 1


def test_clearing_a_check_in(client):
    habit = HabitFactory()
    HabitLogFactory(habit=habit, log_date=_today())
    client.force_login(habit.user)
    response = client.post(reverse("coaching:habit-log-delete", args=[habit.pk]), {"log_date": _today().isoformat()})
    assert response.status_code == 302 and not HabitLog.objects.exists()


# ---------------------------------------------------------------------------------------------------
# Adding, editing, the detail page


def test_adding_from_a_template(client):
    user = UserFactory()
    client.force_login(user)
    water = HabitTemplate.objects.get(name="Drink Water", is_system=True)
    page = client.get(reverse("coaching:habit-new"), {"template": water.pk}).content.decode()
    assert 'value="Drink Water"' in page and 'value="glasses"' in page and 'value="8' in page
    data = {"template": str(water.pk), "name": "Drink Water", "category": "hydration", "tracking_type": "numeric",
            "unit": "glasses", "target_value": "10", "frequency": "daily", "start_date": _today().isoformat(),
            "reminder_time": "09:30"}  # fmt: skip
    response = client.post(reverse("coaching:habit-new"), data)
    assert response.status_code == 302
    habit = Habit.objects.get(user=user)
    assert habit.template == water and habit.target_value == 10 and habit.reminder_time == dt.time(9, 30)


def test_adding_with_bad_input_shows_errors_and_saves_nothing(client):
    user = UserFactory()
    client.force_login(user)
    data = {"name": "Run", "category": "activity", "tracking_type": "numeric", "frequency": "custom",
            "start_date": _today().isoformat()}  # fmt: skip
    response = client.post(reverse("coaching:habit-new"), data)
    page = response.content.decode()
    assert response.status_code == 400
    assert "Set a target" in page and "Choose at least one weekday" in page
    assert not Habit.objects.filter(user=user).exists()
    response = client.post(reverse("coaching:habit-new"), {**data, "template": "not-a-template", "target_value": 5})
    assert response.status_code == 400 and "Choose one of the templates offered" in response.content.decode()
    assert not Habit.objects.filter(user=user).exists()


def test_editing(client):
    habit = HabitFactory(name="Floss")
    client.force_login(habit.user)
    url = reverse("coaching:habit-edit", args=[habit.pk])
    page = client.get(url).content.decode()
    assert 'value="Floss"' in page and "Delete Floss" in page
    data = {"name": "Floss twice", "category": "custom", "tracking_type": "boolean", "frequency": "custom",
            "weekdays": ["1", "4"], "start_date": habit.start_date.isoformat()}  # fmt: skip
    assert client.post(url, data).status_code == 302
    habit.refresh_from_db()
    assert habit.name == "Floss twice" and habit.weekdays == [1, 4] and not habit.is_active
    response = client.post(url, {**data, "end_date": "2000-01-01", "name": "Never"})
    assert response.status_code == 400 and "cannot be before the start" in response.content.decode()
    habit.refresh_from_db()
    assert habit.name == "Floss twice"


def test_the_detail_page_shows_streaks_chart_and_history(client):
    habit = NumericHabitFactory(name="Water", start_date=_today() - dt.timedelta(days=20))
    for n in range(1, 6):
        HabitLogFactory(habit=habit, log_date=_today() - dt.timedelta(days=n), value=8, completed=True)
    HabitLogFactory(habit=habit, log_date=_today() - dt.timedelta(days=7), value=3, completed=False, notes="busy")
    client.force_login(habit.user)
    page = client.get(reverse("coaching:habit", args=[habit.pk])).content.decode()
    assert 'data-testid="current-streak"><span class="streak-count">5</span> days' in page
    assert 'id="habit-chart-data"' in page and 'data-chart="bar"' in page
    assert "busy" in page and "Missed" in page
    assert f'max="{_today().isoformat()}"' in page and f'min="{habit.start_date.isoformat()}"' in page


# ---------------------------------------------------------------------------------------------------
# Query counts


def _data(user, habits: int, days: int):
    today = user.local_today()
    for n in range(habits):
        habit = (NumericHabitFactory if n % 2 else HabitFactory)(user=user, start_date=today - dt.timedelta(days=90))
        for d in range(days):
            HabitLogFactory(habit=habit, log_date=today - dt.timedelta(days=d), value=8 if n % 2 else None)


@pytest.mark.parametrize(("habits", "days"), [(1, 1), (8, 60)])
def test_the_habits_page_reads_in_a_fixed_number_of_queries(client, habits, days):
    user = UserFactory()
    _data(user, habits, days)
    client.force_login(user)
    # Session, person, habits, their logs.
    with assert_num_queries(4):
        assert client.get(reverse("coaching:habits")).status_code == 200


@pytest.mark.parametrize("days", [1, 60])
def test_the_detail_page_reads_in_a_fixed_number_of_queries(client, days):
    user = UserFactory()
    _data(user, 1, days)
    client.force_login(user)
    habit = Habit.objects.get(user=user)
    # Session, person, the habit, its logs.
    with assert_num_queries(4):
        assert client.get(reverse("coaching:habit", args=[habit.pk])).status_code == 200
