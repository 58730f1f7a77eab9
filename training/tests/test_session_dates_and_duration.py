"""The date rule (fitjourney.dates) and the 24-hour cap on sessions, through the service, the API and the
pages, and the database checks and column widths behind them (issue 10, items 1 and 2)."""

from __future__ import annotations

import datetime as dt
import importlib
from decimal import ROUND_HALF_UP, Decimal

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from accounts.services.body import body_metric_record
from accounts.tests.factories import UserFactory
from training.models import (
    PersonalRecord,
    RecordType,
    Session,
    SessionExercise,
    SessionStatus,
    Set,
    Streak,
    WorkoutSchedule,
)
from training.models.sessions import (
    MAX_EXERCISE_VOLUME_KG,
    MAX_EXERCISES_PER_SESSION,
    MAX_SESSION_CALORIES,
    MAX_SESSION_VOLUME_KG,
    MAX_SETS_PER_EXERCISE,
)
from training.services import sessions as services
from training.tests.factories import (
    ActivityTypeFactory,
    ExerciseFactory,
    SessionExerciseFactory,
    SessionFactory,
    SetFactory,
    WorkoutScheduleFactory,
)

pytestmark = pytest.mark.django_db

SESSIONS = "/api/v1/sessions/"
TOO_EARLY = "Enter a date from 1900-01-01 on."
TOO_LONG = "A session lasts at most 24 hours."


@pytest.fixture
def person():
    # Far from UTC, so "tomorrow" is the person's tomorrow, not the server's.
    return UserFactory(timezone="Pacific/Auckland")


def _api(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def _local_noon(user, days_from_today: int) -> dt.datetime:
    day = user.local_today() + dt.timedelta(days=days_from_today)
    return dt.datetime.combine(day, dt.time(12), tzinfo=user.zone)


def _too_late(user) -> str:
    return f"The date cannot be later than {user.local_today() + dt.timedelta(days=1)} (tomorrow)."


def _fields(response) -> dict:
    return response.json()["error"]["fields"]


# ---------------------------------------------------------------------------------------------------
# The date rule: API


@pytest.mark.parametrize(
    ("started_at", "message"),
    [
        ("1899-12-31T12:00:00Z", TOO_EARLY),
        ("9999-12-31T00:00:00Z", "late"),
        ("two days after tomorrow", "late"),
    ],
)
def test_api_refuses_a_start_outside_the_rule_with_a_field_error(person, started_at, message):
    if started_at == "two days after tomorrow":
        started_at = _local_noon(person, 3).isoformat()
    payload = {"activity_type": str(ActivityTypeFactory().pk), "started_at": started_at}
    response = _api(person).post(SESSIONS, payload, format="json")
    assert response.status_code == 400
    assert _fields(response) == {"started_at": [_too_late(person) if message == "late" else message]}
    assert not Session.objects.exists()


def test_api_accepts_a_start_tomorrow(person):
    started = _local_noon(person, 1)
    payload = {
        "activity_type": str(ActivityTypeFactory().pk),
        "started_at": started.isoformat(),
        "ended_at": (started + dt.timedelta(hours=1)).isoformat(),
        "finished": True,
    }
    response = _api(person).post(SESSIONS, payload, format="json")
    assert response.status_code == 201, response.json()
    assert response.json()["local_date"] == str(person.local_today() + dt.timedelta(days=1))


@pytest.mark.parametrize(
    "value",
    ["0001-01-01T00:00:00+05:00", "9999-12-31T23:59:59-05:00", "0001-01-01T00:00:00Z", "9999-12-31T23:59:59Z"],
)
def test_api_answers_hostile_moments_with_a_field_error_never_a_500(person, value):
    session = services.session_start(user=person, activity_type=ActivityTypeFactory())
    client = _api(person)
    for field in ("started_at", "ended_at"):
        response = client.patch(f"{SESSIONS}{session.pk}/", {field: value}, format="json")
        assert response.status_code == 400, (field, value)
        assert list(_fields(response)) == [field]
    created = client.post(
        SESSIONS, {"activity_type": str(ActivityTypeFactory().pk), "started_at": value}, format="json"
    )
    assert created.status_code == 400 and list(_fields(created)) == ["started_at"]
    session.refresh_from_db()
    assert session.ended_at is None and Session.objects.count() == 1


def test_api_patch_applies_the_rule_to_the_end(person):
    session = services.session_start(user=person, activity_type=ActivityTypeFactory())
    response = _api(person).patch(
        f"{SESSIONS}{session.pk}/", {"ended_at": _local_noon(person, 3).isoformat()}, format="json"
    )
    assert response.status_code == 400 and _fields(response) == {"ended_at": [_too_late(person)]}


# ---------------------------------------------------------------------------------------------------
# The date rule: pages


def _post_details(client, session, started_at: str, **extra):
    return client.post(reverse("training:session-fields", args=[session.pk]), {"started_at": started_at, **extra})


@pytest.mark.parametrize("started_at", ["1899-12-31T10:00", "9999-12-31T10:00", "two days after tomorrow"])
def test_page_refuses_a_start_outside_the_rule_with_a_form_error(client, person, started_at):
    session = services.session_start(user=person, activity_type=ActivityTypeFactory())
    before = session.started_at
    expected = TOO_EARLY if started_at.startswith("1899") else _too_late(person)
    if started_at == "two days after tomorrow":
        started_at = _local_noon(person, 3).strftime("%Y-%m-%dT%H:%M")
    client.force_login(person)
    response = _post_details(client, session, started_at)
    assert response.status_code == 400
    assert response.context["fields_form"].errors["started_at"] == [expected]
    assert expected in response.content.decode()
    session.refresh_from_db()
    assert session.started_at == before


def test_page_accepts_a_start_tomorrow(client, person):
    session = services.session_start(user=person, activity_type=ActivityTypeFactory())
    client.force_login(person)
    response = _post_details(client, session, _local_noon(person, 1).strftime("%Y-%m-%dT%H:%M"))
    assert response.status_code == 302
    session.refresh_from_db()
    assert session.local_date == person.local_today() + dt.timedelta(days=1)


def test_page_refuses_an_end_too_late(client, person):
    session = services.session_start(user=person, activity_type=ActivityTypeFactory())
    client.force_login(person)
    start = timezone.localtime(session.started_at, person.zone).strftime("%Y-%m-%dT%H:%M")
    response = _post_details(client, session, start, ended_at="9999-12-31T10:00")
    assert response.status_code == 400
    assert response.context["fields_form"].errors["ended_at"] == [_too_late(person)]


def test_editing_an_old_session_is_not_held_to_its_stored_dates(person):
    """Only what changes is checked: a session stored before the rule (a day ahead of a later rule,
    say) still takes a new rating."""
    session = SessionFactory(user=person, started_at=timezone.now() + dt.timedelta(days=3), ended_at=None)
    services.session_update(user=person, session=session, rating=7)
    session.refresh_from_db()
    assert session.rating == 7


# ---------------------------------------------------------------------------------------------------
# At most 24 hours


def test_api_refuses_a_finished_one_year_session_with_a_field_error(person):
    exercise = ExerciseFactory()
    payload = {
        "activity_type": str(ActivityTypeFactory().pk),
        "started_at": "2025-12-01T10:00:00Z",
        "ended_at": "2026-12-01T10:00:00Z",
        "finished": True,
        "exercises": [{"exercise": str(exercise.pk), "sets": [{"reps": 5, "weight_kg": "100"}]}],
    }
    body_metric_record(user=person, metric_type="weight", value=Decimal("80"), unit="kg")
    response = _api(person).post(SESSIONS, payload, format="json")
    assert response.status_code == 400
    assert _fields(response) == {"ended_at": [TOO_LONG]}
    assert not Session.objects.exists() and not Set.objects.exists()


def test_service_caps_the_duration_on_update_and_on_finish(person):
    session = services.session_start(
        user=person, activity_type=ActivityTypeFactory(), started_at=timezone.now() - dt.timedelta(hours=30)
    )
    with pytest.raises(ValidationError) as refused:
        services.session_update(user=person, session=session, ended_at=timezone.now())
    assert refused.value.message_dict == {"ended_at": [TOO_LONG]}
    with pytest.raises(ValidationError) as refused:
        services.session_finish(user=person, session=session)  # now: 30 hours after the start
    assert refused.value.message_dict == {"ended_at": [TOO_LONG]}
    services.session_update(user=person, session=session, ended_at=session.started_at + dt.timedelta(hours=24))
    finished = services.session_finish(user=person, session=session)
    assert finished.status == SessionStatus.FINISHED and finished.duration_seconds == 24 * 3600


def test_page_finish_of_a_forgotten_session_says_how_to_fix_it(client, person):
    session = services.session_start(
        user=person, activity_type=ActivityTypeFactory(), started_at=timezone.now() - dt.timedelta(days=2)
    )
    client.force_login(person)
    response = client.post(reverse("training:session-finish", args=[session.pk]), follow=True)
    assert TOO_LONG in response.content.decode() and "under Details" in response.content.decode()
    session.refresh_from_db()
    assert session.status == SessionStatus.IN_PROGRESS


def test_a_24_hour_session_with_the_most_sets_allowed_is_stored_right(person):
    """Six exercises of 200 sets of 10,000 reps × 1,000 kg over 24 hours, on exercises of the highest MET
    by a person of 499.99 kg: 1.2 × 10^10 kg overflowed the old numeric(12,2) volume."""
    activity_type = ActivityTypeFactory(met=None)
    exercises = [ExerciseFactory(met=Decimal("24.99")) for _ in range(6)]
    weight = Decimal("499.99")
    body_metric_record(
        user=person, metric_type="weight", value=weight, unit="kg", measured_at=timezone.now() - dt.timedelta(days=3)
    )
    started = timezone.now() - dt.timedelta(days=2)
    extreme = {"reps": 10_000, "weight_kg": "1000"}
    payload = {
        "activity_type": str(activity_type.pk),
        "started_at": started.isoformat(),
        "ended_at": (started + dt.timedelta(hours=24)).isoformat(),
        "finished": True,
        "exercises": [
            {"exercise": str(exercise.pk), "sets": [extreme] * MAX_SETS_PER_EXERCISE} for exercise in exercises
        ],
    }
    response = _api(person).post(SESSIONS, payload, format="json")
    assert response.status_code == 201, response.json()
    per_exercise = Decimal(MAX_SETS_PER_EXERCISE) * 10_000 * 1000
    calories = (Decimal("24.99") * weight * 24).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    session = Session.objects.get(pk=response.json()["id"])
    assert session.duration_seconds == 24 * 3600
    assert session.total_volume_kg == per_exercise * len(exercises) > Decimal("1e10")
    assert session.calories_kcal == calories
    assert response.json()["total_volume_kg"] == f"{per_exercise * len(exercises)}.00"
    assert [se.total_volume_kg for se in SessionExercise.objects.filter(session=session)] == [per_exercise] * 6
    volume_record = PersonalRecord.objects.get(user=person, exercise=exercises[0], record_type=RecordType.MAX_VOLUME)
    assert volume_record.value == per_exercise


def test_api_refuses_more_sets_or_exercises_than_allowed(person):
    exercise, activity_type = ExerciseFactory(), ActivityTypeFactory()
    client = _api(person)
    too_many_sets = {
        "activity_type": str(activity_type.pk),
        "exercises": [{"exercise": str(exercise.pk), "sets": [{"reps": 1}] * (MAX_SETS_PER_EXERCISE + 1)}],
    }
    response = client.post(SESSIONS, too_many_sets, format="json")
    assert response.status_code == 400
    assert _fields(response) == {"exercises[0].sets": [services.TOO_MANY_SETS]}
    too_many_exercises = {
        "activity_type": str(activity_type.pk),
        "exercises": [{"exercise": str(exercise.pk)}] * (MAX_EXERCISES_PER_SESSION + 1),
    }
    response = client.post(SESSIONS, too_many_exercises, format="json")
    assert response.status_code == 400 and _fields(response) == {"exercises": [services.TOO_MANY_EXERCISES]}
    assert not Session.objects.exists()


def test_services_refuse_a_set_or_an_exercise_beyond_the_limit(person):
    session = services.session_start(user=person, activity_type=ActivityTypeFactory())
    full = SessionExerciseFactory(session=session, order=1, set_count=MAX_SETS_PER_EXERCISE)
    with pytest.raises(ValidationError) as refused:
        services.set_add(user=person, session_exercise=full, reps=5)
    assert refused.value.message_dict == {"sets": [services.TOO_MANY_SETS]}
    for order in range(2, MAX_EXERCISES_PER_SESSION + 1):
        SessionExerciseFactory(session=session, order=order)
    with pytest.raises(ValidationError) as refused:
        services.exercise_add(user=person, session=session, exercise=ExerciseFactory())
    assert refused.value.message_dict == {"exercises": [services.TOO_MANY_EXERCISES]}
    assert SessionExercise.objects.filter(session=session).count() == MAX_EXERCISES_PER_SESSION


def test_the_columns_hold_the_largest_values_the_rules_allow(person):
    def capacity(model, field: str) -> Decimal:
        column = model._meta.get_field(field)
        return Decimal(10) ** (column.max_digits - column.decimal_places)

    assert capacity(Session, "total_volume_kg") > MAX_SESSION_VOLUME_KG
    assert capacity(Session, "calories_kcal") > MAX_SESSION_CALORIES
    assert capacity(SessionExercise, "total_volume_kg") > MAX_EXERCISE_VOLUME_KG
    assert capacity(PersonalRecord, "value") > MAX_EXERCISE_VOLUME_KG
    session = SessionFactory(user=person)
    Session.objects.filter(pk=session.pk).update(
        total_volume_kg=MAX_SESSION_VOLUME_KG, calories_kcal=MAX_SESSION_CALORIES
    )
    session.refresh_from_db()
    assert session.total_volume_kg == MAX_SESSION_VOLUME_KG and session.calories_kcal == MAX_SESSION_CALORIES


# ---------------------------------------------------------------------------------------------------
# The database checks


def _refused(**create):
    with pytest.raises(IntegrityError), transaction.atomic():
        create.pop("model").objects.create(**create)


def test_the_database_refuses_sessions_outside_the_range_or_longer_than_a_day(person):
    activity_type = ActivityTypeFactory()
    now = timezone.now()
    base = {"model": Session, "user": person, "activity_type": activity_type, "local_date": now.date()}
    far = dt.datetime(9999, 12, 31, tzinfo=dt.UTC)
    _refused(**base, started_at=far)
    _refused(**base, started_at=dt.datetime(1800, 1, 1, tzinfo=dt.UTC))
    _refused(**{**base, "local_date": dt.date(9999, 12, 31)}, started_at=now)
    late_start = dt.datetime(2100, 12, 31, 12, tzinfo=dt.UTC)  # in range, but it ends in 2101
    _refused(
        **{**base, "local_date": late_start.date()}, started_at=late_start, ended_at=late_start + dt.timedelta(hours=13)
    )
    _refused(**base, started_at=now, ended_at=now + dt.timedelta(hours=24, seconds=1))
    Session.objects.create(
        **{k: v for k, v in base.items() if k != "model"}, started_at=now, ended_at=now + dt.timedelta(hours=24)
    )


def test_the_database_refuses_records_streaks_and_reminders_outside_the_range(person):
    session = SessionFactory(user=person)
    exercise = ExerciseFactory()
    _refused(
        model=PersonalRecord,
        user=person,
        exercise=exercise,
        record_type=RecordType.MAX_REPS,
        value=5,
        session=session,
        achieved_at=dt.datetime(9999, 1, 1, tzinfo=dt.UTC),
    )
    _refused(model=Streak, user=person, current_length=1, longest_length=1, last_active_date=dt.date(9999, 1, 1))
    _refused(model=Streak, user=person, current_length=1, longest_length=1, current_start=dt.date(1066, 10, 14))
    schedule = WorkoutScheduleFactory(user=person)
    with pytest.raises(IntegrityError), transaction.atomic():
        WorkoutSchedule.objects.filter(pk=schedule.pk).update(last_reminded_on=dt.date(9999, 12, 31))


# ---------------------------------------------------------------------------------------------------
# The migration that makes room for the checks

CHECKS = {
    "training_session": [
        "training_session_date_range",
        "training_session_started_at_range",
        "training_session_ended_at_range",
        "training_session_at_most_a_day",
    ],
    "training_personalrecord": ["training_personalrecord_achieved_at_range"],
    "training_streak": ["training_streak_current_start_range", "training_streak_last_active_range"],
    "training_workoutschedule": ["training_schedule_last_reminded_range"],
}


def test_migration_0003_removes_impossible_rows_and_shortens_long_sessions(capsys):
    """The checks are dropped inside the test's transaction (rolled back after it) to plant the rows a
    database had before 0004."""
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        for table, names in CHECKS.items():
            for name in names:
                cursor.execute(f'ALTER TABLE "{table}" DROP CONSTRAINT "{name}"')
    person = UserFactory()
    kept = SessionFactory(user=person, name="Real")
    far = dt.datetime(9999, 12, 31, tzinfo=dt.UTC)
    future = SessionFactory(user=person, started_at=far, ended_at=None, local_date=far.date())
    SetFactory(session_exercise=SessionExerciseFactory(session=future), reps=5)
    PersonalRecord.objects.create(
        user=person,
        exercise=ExerciseFactory(),
        record_type=RecordType.MAX_REPS,
        value=5,
        session=future,
        achieved_at=far,
    )
    ancient = SessionFactory(
        user=person, started_at=dt.datetime(1850, 1, 1, tzinfo=dt.UTC), local_date=dt.date(1850, 1, 1)
    )
    start = timezone.now() - dt.timedelta(days=400)
    year_long = SessionFactory(user=person, started_at=start, ended_at=start + dt.timedelta(days=365))
    Session.objects.filter(pk=year_long.pk).update(calories_kcal=Decimal("365000.00"))
    Streak.objects.create(user=person, current_length=1, longest_length=1, last_active_date=far.date())
    schedule = WorkoutScheduleFactory(user=person)
    WorkoutSchedule.objects.filter(pk=schedule.pk).update(last_reminded_on=far.date())

    migration = importlib.import_module("training.migrations.0003_remove_impossible_dates")
    migration.remove_impossible_rows(apps, None)

    assert list(Session.objects.values_list("pk", flat=True).order_by("started_at")) == [year_long.pk, kept.pk]
    assert not Session.objects.filter(pk__in=[future.pk, ancient.pk]).exists()
    assert not Set.objects.exists() and not PersonalRecord.objects.exists() and not Streak.objects.exists()
    year_long.refresh_from_db()
    assert year_long.ended_at == start + dt.timedelta(hours=24) and year_long.duration_seconds == 86400
    assert year_long.calories_kcal == Decimal("1000.00")  # 365000 kcal over 365 days: 1000 for one
    schedule.refresh_from_db()
    assert schedule.last_reminded_on is None
    printed = capsys.readouterr().out
    assert "removed 2 row(s) of training.Session " in printed
    assert "removed 1 row(s) of training.Set " in printed and "removed 1 row(s) of training.Streak " in printed
    assert "removed 1 row(s) of training.PersonalRecord " in printed
    assert "shortened 1 session(s)" in printed and "cleared 1 workout reminder" in printed
