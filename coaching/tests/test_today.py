from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts.models import BodyMetric
from accounts.services.notifications import notify
from accounts.tests.factories import UserFactory
from coaching.models import DailySummary, HabitLog, PendingSummary
from coaching.tests.factories import HabitFactory, HabitLogFactory, JournalEntryFactory, NumericHabitFactory
from fitjourney.testing.access import assert_access
from fitjourney.testing.queries import assert_max_queries, assert_num_queries
from nutrition.models import HydrationPreferences, MealPlan, WaterLog
from nutrition.tests.factories import MealPlanFactory
from training.models import ActivityType, Session
from training.tests.factories import SessionFactory, WorkoutScheduleFactory

pytestmark = pytest.mark.django_db

PAGE = "/today/"
HTMX = {"HTTP_HX_REQUEST": "true"}
WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _today(user) -> dt.date:
    return user.local_today()


def _day_url(day: dt.date, action: str = "") -> str:
    return f"/today/{day.isoformat()}/" + (f"{action}/" if action else "")


def _summary(user, day, **values) -> DailySummary:
    return DailySummary.objects.create(user=user, date=day, refreshed_at=timezone.now(), **values)


def _plan(user) -> MealPlan:
    return MealPlanFactory.create(
        user=user,
        energy_target_kcal=2200,
        energy_min_kcal=2000,
        energy_max_kcal=2400,
        protein_g=150,
        carbohydrate_g=250,
        fiber_g=None,
        protein_pct=27,
        carbohydrate_pct=45,
        fat_pct=28,
    )


def _text(response) -> str:
    """The page's text without tags or repeated spaces, for asserting what a person reads."""
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))


def _schedule_on(user, days: list[dt.date]) -> None:
    weekdays = {WEEKDAYS[day.weekday()] for day in days}
    WorkoutScheduleFactory(
        user=user, **{f"{name}_workout": name in weekdays for name in WEEKDAYS}, preferred_time=dt.time(7, 30)
    )


# ---------------------------------------------------------------------------------------------------
# Access


def test_pages_access_matrix(personas):
    everyone = {"anonymous": 302, "owner": 200, "other_member": 200, "trainer": 200, "staff": 200}
    yesterday = _today(personas.owner) - dt.timedelta(days=1)
    assert_access(Client(), personas, lambda c: c.get(PAGE), everyone)
    assert_access(Client(), personas, lambda c: c.get(_day_url(yesterday)), everyone)


def test_anonymous_is_sent_to_log_in():
    response = Client().get(PAGE)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_action_access_matrix(personas):
    day = _today(personas.owner)
    # Each person's own water and weight: everyone signed in is redirected back to their own day.
    back = {"anonymous": 302, "owner": 302, "other_member": 302, "trainer": 302, "staff": 302}
    assert_access(Client(), personas, lambda c: c.post(_day_url(day, "water"), {"amount_ml": 250}), back)
    assert_access(Client(), personas, lambda c: c.post(_day_url(day, "weight"), {"value": "70"}), back)
    # Every signed-in persona saved for themselves only.
    assert WaterLog.objects.filter(date=day).count() == 4
    assert {log.user_id for log in WaterLog.objects.all()} == {
        personas.owner.pk,
        personas.other_member.pk,
        personas.trainer.pk,
        personas.staff.pk,
    }
    # A habit carries its owner: anyone else's tap is a 404, like a missing habit.
    habit = HabitFactory(user=personas.owner)
    numeric = NumericHabitFactory(user=personas.owner)
    only_owner = {"anonymous": 302, "owner": 302, "other_member": 404, "trainer": 404, "staff": 404}
    toggle = _day_url(day, f"habits/{habit.pk}/toggle")
    assert_access(Client(), personas, lambda c: c.post(toggle), only_owner)
    log = _day_url(day, f"habits/{numeric.pk}/log")
    assert_access(Client(), personas, lambda c: c.post(log, {"value": "3"}), only_owner)
    assert HabitLog.objects.filter(habit=habit).count() == 1
    assert HabitLog.objects.get(habit=numeric).value == Decimal("3")


@pytest.mark.parametrize("action", ["water", "weight", "habits/{habit}/toggle", "habits/{habit}/log"])
def test_actions_are_post_only(member, action):
    habit = HabitFactory(user=member)
    url = _day_url(_today(member), action.format(habit=habit.pk))
    response = _client(member).get(url)
    assert response.status_code == 405
    assert not HabitLog.objects.exists() and not WaterLog.objects.exists()


def test_another_members_data_never_appears(personas):
    owner, other = personas.owner, personas.other_member
    day = _today(owner)
    _summary(other, day, workouts=3, active_minutes=123, calories_burned=987, meals=2, calories_eaten=3456)
    HabitFactory(user=other, name="Their secret habit")
    notify(user=other, type="progress", title="Their secret news", message="…")
    JournalEntryFactory(user=other, entry_date=day, mood="terrible")
    _summary(owner, day, meals=1, calories_eaten=1200, water_ml=400)
    html = _text(_client(owner).get(PAGE))
    for theirs in ("3456", "987", "123 min", "Their secret habit", "Their secret news", "terrible"):
        assert theirs not in html
    assert "1200 kcal" in html and "400 ml" in html


# ---------------------------------------------------------------------------------------------------
# Days and the week strip


@pytest.mark.parametrize("day", ["tomorrow", "2026-13-01", "2026-02-30", "yesterday", "20240101", "0001-01-01"])
def test_a_future_or_malformed_day_is_404(member, day):
    if day == "tomorrow":
        day = (_today(member) + dt.timedelta(days=1)).isoformat()
    client = _client(member)
    assert client.get(f"/today/{day}/").status_code == 404
    assert client.post(f"/today/{day}/water/", {"amount_ml": 250}).status_code == 404
    assert not WaterLog.objects.exists()


def test_week_strip_marks_the_shown_day_and_links_the_week(member):
    today = _today(member)
    shown = today - dt.timedelta(days=8)
    monday = shown - dt.timedelta(days=shown.weekday())
    _summary(member, monday, workouts=1, active_minutes=30)
    html = _client(member).get(_day_url(shown)).content.decode()
    strip = html[html.index('class="today-week"') : html.index("</ol>", html.index('class="today-week"'))]
    links = re.findall(r'<a href="([^"]+)"', strip)
    assert links == [_day_url(monday + dt.timedelta(days=n)) for n in range(7)]
    assert re.search(rf'href="{_day_url(shown)}" aria-current="date"', strip)
    assert strip.count("aria-current") == 1
    # The Monday's summary says a workout was done.
    monday_link = strip[strip.index(_day_url(monday)) : strip.index("</a>", strip.index(_day_url(monday)))]
    assert "mark trained" in monday_link and "trained" in monday_link
    # Previous and next week keep the weekday; "Today" leads back.
    assert f'href="{_day_url(shown - dt.timedelta(weeks=1))}" rel="prev"' in html
    assert 'rel="next"' in html
    assert 'href="/today/">Today</a>' in html


def test_today_has_no_next_week_and_future_days_are_not_links(member):
    today = _today(member)
    html = _client(member).get(PAGE).content.decode()
    assert 'rel="next"' not in html
    assert re.search(r'href="/today/" aria-current="date"', html)
    later = 6 - today.weekday()
    assert html.count("still to come") == later
    for n in range(1, later + 1):
        assert _day_url(today + dt.timedelta(days=n)) not in html


def test_the_page_links_the_weekly_review(member):
    html = _client(member).get(PAGE).content.decode()
    assert f'href="/review/?week={_today(member).isoformat()}"' in html and "Your week" in html


# ---------------------------------------------------------------------------------------------------
# Content from the summary


def test_cards_show_the_stored_summary(member):
    day = _today(member) - dt.timedelta(days=2)
    _plan(member)
    HydrationPreferences.objects.create(user=member, daily_target_ml=2500)
    _summary(
        member,
        day,
        workouts=2,
        active_minutes=75,
        calories_burned=540,
        meals=3,
        calories_eaten=2100,
        protein_g=Decimal("140.4"),
        carbohydrate_g=Decimal("220"),
        fat_g=Decimal("71.2"),
        water_ml=1500,
        weight_kg=Decimal("80.50"),
    )
    response = _client(member).get(_day_url(day))
    html = response.content.decode()
    text = _text(response)
    assert re.search(r'data-testid="sessions-count">2 workouts<', html)
    assert "75 min" in text and "540 kcal" in text
    assert "2100 kcal eaten of 2200 kcal" in text
    assert 'value="2100"' in html and 'low="2000"' in html and 'high="2400"' in html
    assert "Range 2000–2400 kcal: within it." in text
    assert "Net 1560 kcal" in text
    assert "Protein 140 / 150 g" in text and "Carbs 220 / 250 g" in text and "Fat 71 / 70 g" in text
    assert 'class="over"' in html  # fat is over its target
    assert "1500 ml of 2500 ml" in text
    assert "80.5 kg that day" in text
    assert "Updating" not in text and "every 2s" not in html


def test_imperial_person_sees_pounds_and_fluid_ounces(member):
    member.unit_system = "imperial"
    member.save()
    day = _today(member)
    _summary(member, day, meals=1, calories_eaten=500, water_ml=1500, weight_kg=Decimal("80.00"))
    text = _text(_client(member).get(PAGE))
    assert "176.4 lb today" in text
    assert "51 fl oz of 68 fl oz" in text
    assert "+8 fl oz" in text and "+16 fl oz" in text
    assert "Weight (lb)" in text
    assert " ml " not in text and " kg " not in text


def test_a_newcomer_sees_friendly_empty_states(member):
    text = _text(_client(member).get(PAGE))
    for friendly in (
        "You have no weekly workout plan yet",
        "No sessions logged yet today",
        "Nothing eaten logged yet today",
        "Protein, carbs and fat show here once you log a meal",
        "Nothing to drink logged yet today. Your target is 2000 ml",
        "No weight recorded yet",
        "No habits to tick today",
        "How was your day?",
        "You are all caught up",
    ):
        assert friendly in text
    assert "0 kcal" not in text and "0 min" not in text and "0 ml of" not in text


def test_latest_weight_is_shown_when_the_day_has_none(member):
    BodyMetric.objects.create(
        user=member,
        metric_type_id="weight",
        value=Decimal("79.2"),
        measured_at=timezone.now() - dt.timedelta(days=3),
        local_date=_today(member) - dt.timedelta(days=3),
    )
    text = _text(_client(member).get(PAGE))
    assert "Latest: 79.2 kg" in text


def test_journal_prompt_and_written_state(member):
    day = _today(member)
    client = _client(member)
    text = _text(client.get(PAGE))
    assert "How was your day?" in text and f"/journal/{day.isoformat()}/" in client.get(PAGE).content.decode()
    JournalEntryFactory(user=member, entry_date=day, mood="good")
    text = _text(client.get(PAGE))
    assert "Written · mood: good" in text and "How was your day?" not in text


def test_unread_notifications_count_and_latest_three(member):
    for n in range(5):
        notify(user=member, type="progress", title=f"News {n}", message="…")
    read = notify(user=member, type="progress", title="Already read", message="…")
    read.read_at = timezone.now()
    read.save()
    text = _text(_client(member).get(PAGE))
    assert "5 unread" in text
    assert "News 4" in text and "News 3" in text and "News 2" in text
    assert "News 1" not in text and "Already read" not in text


def test_planned_workout_on_a_workout_day(member):
    today = _today(member)
    _schedule_on(member, [today])
    html = _client(member).get(PAGE).content.decode()
    text = _text(_client(member).get(PAGE))
    assert "Workout day" in text and "At 07:30" in text and "60 min" in text
    weight_training = ActivityType.objects.get(slug="weight-training")
    assert 'action="/train/sessions/start/"' in html
    assert f'name="activity_type" value="{weight_training.pk}"' in html
    # The one tap starts a session through the training view.
    response = _client(member).post("/train/sessions/start/", {"activity_type": str(weight_training.pk)})
    assert response.status_code == 302
    assert Session.objects.filter(user=member, status="in_progress").count() == 1
    assert "Resume your session" in _text(_client(member).get(PAGE))


def test_one_tap_start_repeats_the_last_activity(member):
    today = _today(member)
    _schedule_on(member, [today])
    running = ActivityType.objects.get(slug="running")
    SessionFactory(user=member, activity_type=running, started_at=timezone.now() - dt.timedelta(days=3))
    html = _client(member).get(PAGE).content.decode()
    assert f'name="activity_type" value="{running.pk}"' in html


def test_planned_workout_done_and_rest_day(member):
    today = _today(member)
    _schedule_on(member, [today])
    _summary(member, today, workouts=1, active_minutes=45, calories_burned=300)
    text = _text(_client(member).get(PAGE))
    assert "Done: 1 workout" in text and "Start workout" not in text


def test_rest_day(member):
    today = _today(member)
    _schedule_on(member, [today + dt.timedelta(days=1)])
    text = _text(_client(member).get(PAGE))
    assert "Rest day" in text and "Start workout" not in text and "Train anyway" in text


# ---------------------------------------------------------------------------------------------------
# Pending summaries


def test_a_pending_refresh_shows_updating_and_polls_until_fresh(member):
    day = _today(member)
    _summary(member, day, meals=1, calories_eaten=900, water_ml=500)
    WaterLog.objects.create(user=member, amount_ml=500, logged_at=timezone.now(), date=day)
    WaterLog.objects.create(user=member, amount_ml=250, logged_at=timezone.now(), date=day)
    PendingSummary.objects.create(user=member, date=day)
    client = _client(member)
    html = client.get(PAGE).content.decode()
    assert "Updating…" in html and 'hx-trigger="every 2s"' in html
    # While pending, water is read from its rows (750), not the stale summary (500).
    assert "750 ml of 2000 ml" in _text(client.get(PAGE))
    poll = client.get(_day_url(day), HTTP_HX_REQUEST="true", HTTP_HX_TARGET="day-summary")
    assert "<html" not in poll.content.decode() and 'hx-trigger="every 2s"' in poll.content.decode()
    # The refresh ran: the region comes back without the poll, with the new numbers.
    PendingSummary.objects.all().delete()
    DailySummary.objects.filter(user=member, date=day).update(calories_eaten=1400, water_ml=750)
    poll = client.get(_day_url(day), HTTP_HX_REQUEST="true", HTTP_HX_TARGET="day-summary")
    body = poll.content.decode()
    assert poll.status_code == 200 and 'id="day-summary"' in body
    assert "every 2s" not in body and "Updating" not in body
    assert "1400 kcal" in body and "750 ml" in body


def test_pending_for_another_day_does_not_poll(member):
    day = _today(member)
    PendingSummary.objects.create(user=member, date=day - dt.timedelta(days=1))
    assert "every 2s" not in _client(member).get(PAGE).content.decode()


# ---------------------------------------------------------------------------------------------------
# One-tap actions


def test_water_tap_adds_a_log_for_the_shown_day_and_shows_the_new_total(member):
    day = _today(member) - dt.timedelta(days=1)
    _summary(member, day, water_ml=500)
    WaterLog.objects.create(user=member, amount_ml=500, logged_at=timezone.now(), date=day)
    client = _client(member)
    response = client.post(_day_url(day, "water"), {"amount_ml": 250}, **HTMX)
    assert response.status_code == 200
    assert list(WaterLog.objects.filter(user=member).order_by("amount_ml").values_list("date", "amount_ml")) == [
        (day, 250),
        (day, 500),
    ]
    body = response.content.decode()
    assert "<html" not in body and 'id="day-summary"' in body
    # Counted from the WaterLog rows at once, though the stored summary still says 500.
    assert "750 ml" in _text(response)
    response = client.post(_day_url(day, "water"), {"amount_ml": 500}, **HTMX)
    assert "1250 ml" in _text(response)


def test_water_tap_without_javascript_redirects_back(member):
    day = _today(member)
    response = _client(member).post(_day_url(day, "water"), {"amount_ml": 500})
    assert response.status_code == 302 and response["Location"] == "/today/#water"
    assert WaterLog.objects.get(user=member).amount_ml == 500


@pytest.mark.parametrize("amount", ["-250", "abc", "0", "5001", ""])
def test_bad_water_input_saves_nothing(member, amount):
    day = _today(member)
    client = _client(member)
    response = client.post(_day_url(day, "water"), {"amount_ml": amount}, **HTMX)
    assert response.status_code == 400
    assert "Enter 1 to 5000 ml." in response.content.decode()
    response = client.post(_day_url(day, "water"), {"amount_ml": amount}, follow=True)
    assert "Enter 1 to 5000 ml." in response.content.decode()
    assert not WaterLog.objects.exists()


def test_habit_toggle_creates_then_updates_the_log(member):
    day = _today(member)
    habit = HabitFactory(user=member, name="Stretch")
    HabitFactory(user=member, name="Read")
    client = _client(member)
    url = _day_url(day, f"habits/{habit.pk}/toggle")
    html = client.get(PAGE).content.decode()
    assert f'id="habit-toggle-{habit.pk}" aria-pressed="false"' in html and "0 of 2 done" in html
    response = client.post(url, **HTMX)
    assert response.status_code == 200
    log = HabitLog.objects.get(habit=habit, log_date=day)
    assert log.completed is True
    body = response.content.decode()
    assert f'id="habit-toggle-{habit.pk}" aria-pressed="true"' in body
    assert 'id="habits-progress"' in body and 'hx-swap-oob="true"' in body and "1 of 2 done" in body
    response = client.post(url, **HTMX)
    log.refresh_from_db()
    assert log.completed is False and HabitLog.objects.filter(habit=habit).count() == 1
    assert 'aria-pressed="false"' in response.content.decode() and "0 of 2 done" in response.content.decode()
    # Without JavaScript the tap lands back on the habit.
    response = client.post(url)
    assert response.status_code == 302 and response["Location"] == f"/today/#habit-{habit.pk}"
    log.refresh_from_db()
    assert log.completed is True


def test_habit_toggle_on_a_past_day(member):
    day = _today(member) - dt.timedelta(days=3)
    habit = HabitFactory(user=member)
    response = _client(member).post(_day_url(day, f"habits/{habit.pk}/toggle"), **HTMX)
    assert response.status_code == 200
    assert HabitLog.objects.get(habit=habit).log_date == day


def test_numeric_habit_value(member):
    day = _today(member)
    habit = NumericHabitFactory(user=member, name="Water glasses", target_value=8)
    client = _client(member)
    url = _day_url(day, f"habits/{habit.pk}/log")
    response = client.post(url, {"value": "5"}, **HTMX)
    assert response.status_code == 200
    log = HabitLog.objects.get(habit=habit)
    assert log.value == Decimal("5") and log.completed is False
    assert 'value="5"' in response.content.decode()
    response = client.post(url, {"value": "8"}, **HTMX)
    log.refresh_from_db()
    assert log.completed is True and "Done" in response.content.decode()


@pytest.mark.parametrize("value", ["abc", "-1", "", "1e9"])
def test_bad_habit_value_saves_nothing(member, value):
    habit = NumericHabitFactory(user=member)
    HabitLogFactory(habit=habit, log_date=_today(member), completed=False, value=Decimal("2"))
    response = _client(member).post(_day_url(_today(member), f"habits/{habit.pk}/log"), {"value": value}, **HTMX)
    assert response.status_code == 400
    assert 'role="alert"' in response.content.decode()
    assert HabitLog.objects.get(habit=habit).value == Decimal("2")


def test_a_boolean_habit_takes_no_number_and_a_numeric_one_no_toggle(member):
    boolean = HabitFactory(user=member)
    numeric = NumericHabitFactory(user=member)
    client = _client(member)
    day = _today(member)
    assert client.post(_day_url(day, f"habits/{boolean.pk}/log"), {"value": "1"}, **HTMX).status_code == 400
    assert client.post(_day_url(day, f"habits/{numeric.pk}/toggle"), **HTMX).status_code == 400
    assert not HabitLog.objects.exists()


def test_weight_entry_records_the_day_in_the_persons_unit(member):
    day = _today(member)
    client = _client(member)
    response = client.post(_day_url(day, "weight"), {"value": "81.4"}, **HTMX)
    assert response.status_code == 200
    metric = BodyMetric.objects.get(user=member, metric_type_id="weight")
    assert metric.value == Decimal("81.4") and metric.local_date == day
    assert "81.4 kg today" in _text(response) and "<html" not in response.content.decode()
    member.unit_system = "imperial"
    member.save()
    past = day - dt.timedelta(days=2)
    response = client.post(_day_url(past, "weight"), {"value": "180"}, **HTMX)
    assert response.status_code == 200
    metric = BodyMetric.objects.get(user=member, local_date=past)
    assert metric.value.quantize(Decimal("0.01")) == Decimal("81.65")
    assert "180.0 lb that day" in _text(response)


@pytest.mark.parametrize("value", ["abc", "-70", "0", "900", ""])
def test_bad_weight_saves_nothing(member, value):
    client = _client(member)
    response = client.post(_day_url(_today(member), "weight"), {"value": value}, **HTMX)
    assert response.status_code == 400
    assert 'role="alert"' in response.content.decode()
    response = client.post(_day_url(_today(member), "weight"), {"value": value}, follow=True)
    assert 'class="message error"' in response.content.decode()
    assert not BodyMetric.objects.exists()


# ---------------------------------------------------------------------------------------------------
# Query counts


def _fill(user, days: int, habits: int) -> None:
    today = _today(user)
    _plan(user)
    HydrationPreferences.objects.create(user=user, daily_target_ml=2500)
    _schedule_on(user, [today])
    habit_list = [HabitFactory(user=user, start_date=today - dt.timedelta(days=days)) for _ in range(habits)]
    NumericHabitFactory(user=user, start_date=today - dt.timedelta(days=days))
    for n in range(days):
        day = today - dt.timedelta(days=n)
        _summary(user, day, workouts=1, active_minutes=30, meals=3, calories_eaten=2000, water_ml=1000)
        WaterLog.objects.create(user=user, amount_ml=250, logged_at=timezone.now(), date=day)
        BodyMetric.objects.create(
            user=user,
            metric_type_id="weight",
            value=Decimal("80"),
            measured_at=timezone.now() - dt.timedelta(days=n),
            local_date=day,
        )
        JournalEntryFactory(user=user, entry_date=day)
        SessionFactory(user=user, started_at=timezone.now() - dt.timedelta(days=n, hours=1))
        for habit in habit_list:
            HabitLogFactory(habit=habit, log_date=day)
    for n in range(days // 6):
        PendingSummary.objects.create(user=user, date=today - dt.timedelta(days=n))
        notify(user=user, type="progress", title=f"News {n}", message="…")


def _count(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx)


def test_query_count_does_not_grow_with_data():
    empty = UserFactory()
    full = UserFactory()
    _fill(full, days=60, habits=10)
    one_habit = UserFactory()
    _fill(one_habit, days=2, habits=1)
    for user in (empty, full, one_habit):
        client = _client(user)
        client.get(PAGE)  # warm: the session row is created on login
        # 6 (session, user, week's summaries, day context with the pending refreshes, habits,
        # notifications), + looking for a program the person follows (training), + the goals card's
        # goals (no measured goal: no progress query)
        with assert_num_queries(8):
            client.get(PAGE)
        with assert_max_queries(10):
            client.get(_day_url(_today(user) - dt.timedelta(days=9)))
    assert _count(_client(empty), PAGE) == _count(_client(full), PAGE) == _count(_client(one_habit), PAGE)


def test_the_polled_region_costs_four_queries(member):
    _fill(member, days=10, habits=3)
    client = _client(member)
    with assert_num_queries(4):  # session, user, the day's summary, the day context (pending included)
        response = client.get(PAGE, HTTP_HX_REQUEST="true", HTTP_HX_TARGET="day-summary")
    assert response.status_code == 200


def test_htmx_actions_render_without_lazy_loads(member):
    habit = HabitFactory(user=member)
    client = _client(member)
    day = _today(member)
    with assert_max_queries(16):
        client.post(_day_url(day, f"habits/{habit.pk}/toggle"), **HTMX)
    with assert_max_queries(12):
        client.post(_day_url(day, "water"), {"amount_ml": 250}, **HTMX)


def test_todays_program_workout_replaces_the_start_guess_for_one_more_query():
    from training.services.enrollments import enrollment_create
    from training.tests.enrollment_helpers import give_e1rm, main_lift, published_program

    user = UserFactory(unit_system="imperial")
    _fill(user, days=10, habits=3)
    client = _client(user)
    client.get(PAGE)
    without = _count(client, PAGE)
    program = published_program(weeks=12, days=4, exercises=6, name="Upper Lower Plan")
    give_e1rm(user, main_lift(program), 100)
    enrollment = enrollment_create(user=user, program=program)
    # The enrolment look-up now also brings the next day; its exercises are the one query more.
    with assert_num_queries(without + 1):
        response = client.get(PAGE)
    page = response.content.decode()
    assert 'data-testid="program-workout"' in page
    assert "Upper Lower Plan" in page and "Week 1, day 1" in page
    assert "3 × 5 @ 165 lb" in page
    assert page.count('data-testid="workout-target"') == 3  # the first exercises
    assert f'action="/train/program/{enrollment.pk}/start/"' in page
    response = client.post(f"/train/program/{enrollment.pk}/start/")
    assert response.status_code == 302 and response.url.startswith("/train/sessions/")


def test_today_with_5_goals_adds_two_queries_for_the_goals_card(member):
    from coaching.tests.factories import GoalFactory
    from training.tests.factories import ExerciseFactory

    GoalFactory(user=member)
    for _ in range(4):
        GoalFactory(
            user=member,
            metric="exercise_e1rm",
            kind="performance",
            direction="up",
            exercise=ExerciseFactory(),
            start_value=90,
            target_value=120,
        )
    client = _client(member)
    client.get(PAGE)
    # 6, + the program look-up, + the goals card: the top goals, and their progress in one query
    with assert_num_queries(9):
        page = client.get(PAGE).content.decode()
    assert page.count('role="progressbar"') >= 3 and "All goals" in page


def test_today_with_a_program_and_5_goals_costs_at_most_three_queries_more_than_before_both():
    """Issue 12's pin: Today with an active enrolment (12 weeks × 4 days × 6 exercises) and 5 goals costs
    at most its count before programs and goals (7) + 3, and the same with twice the history."""
    from coaching.tests.factories import GoalFactory
    from training.services.enrollments import enrollment_create
    from training.tests.enrollment_helpers import give_e1rm, main_lift, published_program
    from training.tests.factories import ExerciseFactory

    program = published_program(weeks=12, days=4, exercises=6, name="Upper Lower Plan")
    counts = []
    for days in (5, 30):
        user = UserFactory()
        _fill(user, days=days, habits=3)
        give_e1rm(user, main_lift(program), 100)
        enrollment_create(user=user, program=program)
        for n in range(5):
            GoalFactory(
                user=user,
                metric="exercise_e1rm",
                kind="performance",
                direction="up",
                exercise=main_lift(program) if n == 0 else ExerciseFactory(),
                start_value=90,
                target_value=120,
            )
        client = _client(user)
        client.get(PAGE)
        with assert_max_queries(7 + 3):
            page = client.get(PAGE).content.decode()
        assert 'data-testid="program-workout"' in page and "Upper Lower Plan" in page
        assert page.count('role="progressbar"') == 3  # the top three goals, "All goals" for the rest
        counts.append(_count(client, PAGE))
    assert counts[0] == counts[1] == 10
