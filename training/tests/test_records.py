from __future__ import annotations

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.models import Notification
from accounts.tests.factories import UserFactory
from fitjourney.testing.queries import assert_max_queries
from training.models import PersonalRecord, RecordType, Session, Set
from training.services.records import epley_one_rm, records_detect
from training.tests.factories import ExerciseFactory, SessionExerciseFactory, SessionFactory, SetFactory

pytestmark = pytest.mark.django_db


def _session(user=None, exercise=None, sets=(), **session_fields):
    session = SessionFactory(**({"user": user} if user else {}), **session_fields)
    entry = SessionExerciseFactory(session=session, exercise=exercise or ExerciseFactory(), order=1)
    made = [SetFactory(session_exercise=entry, number=n, **fields) for n, fields in enumerate(sets, start=1)]
    return session, entry, made


def _records(user):
    return {r.record_type: r for r in PersonalRecord.objects.filter(user=user)}


def test_epley():
    assert epley_one_rm(weight_kg=Decimal(100), reps=1) == Decimal("100.00")
    assert epley_one_rm(weight_kg=Decimal(100), reps=10) == Decimal("133.33")
    assert epley_one_rm(weight_kg=Decimal(60), reps=5) == Decimal("70.00")


def test_first_values_are_records_and_flag_sets_and_session(member):
    session, _, sets = _session(member, sets=[{"reps": 5, "weight_kg": 100}, {"reps": 10, "weight_kg": 80}])
    made = records_detect(session=session)
    records = _records(member)
    assert len(made) == 4
    assert records[RecordType.ONE_RM].value == Decimal("116.67")  # 100 × (1 + 5/30)
    assert records[RecordType.ONE_RM].set_id == sets[0].pk
    assert records[RecordType.MAX_WEIGHT].value == 100
    assert records[RecordType.MAX_REPS].value == 10 and records[RecordType.MAX_REPS].set_id == sets[1].pk
    assert records[RecordType.MAX_VOLUME].value == 1300 and records[RecordType.MAX_VOLUME].set_id is None
    assert all(r.previous_value is None for r in records.values())
    assert Session.objects.get(pk=session.pk).is_personal_record
    assert set(Set.objects.filter(is_personal_record=True).values_list("pk", flat=True)) == {sets[0].pk, sets[1].pk}


def test_beaten_record_keeps_the_previous_value(member):
    exercise = ExerciseFactory()
    first, _, _ = _session(member, exercise, sets=[{"reps": 5, "weight_kg": 100}])
    records_detect(session=first)
    second, _, sets = _session(member, exercise, sets=[{"reps": 5, "weight_kg": 110}])
    records_detect(session=second)
    record = _records(member)[RecordType.MAX_WEIGHT]
    assert (record.value, record.previous_value, record.session_id, record.set_id) == (110, 100, second.pk, sets[0].pk)


def test_a_tie_is_not_a_record(member):
    exercise = ExerciseFactory()
    first, _, _ = _session(member, exercise, sets=[{"reps": 5, "weight_kg": 100}])
    records_detect(session=first)
    second, _, sets = _session(member, exercise, sets=[{"reps": 5, "weight_kg": 100}])
    assert records_detect(session=second) == []
    assert not Session.objects.get(pk=second.pk).is_personal_record
    assert not Set.objects.get(pk=sets[0].pk).is_personal_record
    assert _records(member)[RecordType.MAX_WEIGHT].session_id == first.pk


def test_warm_ups_and_incomplete_sets_are_ignored(member):
    session, _, _ = _session(
        member,
        sets=[
            {"reps": 5, "weight_kg": 60},
            {"reps": 3, "weight_kg": 200, "is_warmup": True},
            {"reps": 3, "weight_kg": 150, "is_completed": False},
        ],
    )
    records_detect(session=session)
    records = _records(member)
    assert records[RecordType.MAX_WEIGHT].value == 60
    assert records[RecordType.MAX_VOLUME].value == 300


def test_distance_and_pace(member):
    run = ExerciseFactory(tracks_distance=True, tracks_weight=False)
    first, _, _ = _session(
        member, run, sets=[{"reps": None, "weight_kg": None, "distance_m": 5000, "duration_seconds": 1500}]
    )
    records_detect(session=first)
    records = _records(member)
    assert records[RecordType.LONGEST_DISTANCE].value == 5000
    assert records[RecordType.BEST_PACE].value == 300  # 5:00 per km
    assert RecordType.MAX_WEIGHT not in records
    # Longer but slower: distance is a record, pace is not (lower is better).
    second, _, _ = _session(
        member, run, sets=[{"reps": None, "weight_kg": None, "distance_m": 10000, "duration_seconds": 3300}]
    )
    records_detect(session=second)
    records = _records(member)
    assert records[RecordType.LONGEST_DISTANCE].value == 10000
    assert records[RecordType.BEST_PACE].value == 300
    third, _, _ = _session(
        member, run, sets=[{"reps": None, "weight_kg": None, "distance_m": 3000, "duration_seconds": 840}]
    )
    records_detect(session=third)
    pace = _records(member)[RecordType.BEST_PACE]
    assert (pace.value, pace.previous_value) == (280, 300)


def test_one_notification_per_session_listing_the_records(member):
    session, _, _ = _session(member, ExerciseFactory(name="Back Squat"), sets=[{"reps": 5, "weight_kg": 100}])
    records_detect(session=session)
    notes = list(Notification.objects.filter(user=member))
    assert len(notes) == 1
    assert notes[0].type == "achievement"
    assert notes[0].action_url == f"/train/sessions/{session.pk}/"
    assert "Back Squat: Heaviest weight 100 kg" in notes[0].message


def test_records_belong_to_their_person(member):
    exercise = ExerciseFactory()
    other, _, _ = _session(None, exercise, sets=[{"reps": 5, "weight_kg": 200}])
    records_detect(session=other)
    mine, _, _ = _session(member, exercise, sets=[{"reps": 5, "weight_kg": 50}])
    assert len(records_detect(session=mine)) == 4


def _big_session(user, exercises, sets_each):
    session = SessionFactory(user=user)
    for order, exercise in enumerate(exercises, start=1):
        entry = SessionExerciseFactory(session=session, exercise=exercise, order=order)
        for number in range(1, sets_each + 1):
            SetFactory(session_exercise=entry, number=number, reps=number, weight_kg=50 + number)
    return Session.objects.select_related("user").get(pk=session.pk)


def test_query_count_does_not_grow_with_sets(member):
    small = _big_session(member, [ExerciseFactory()], 1)
    with CaptureQueriesContext(connection) as few:
        records_detect(session=small)
    large = _big_session(UserFactory(), [ExerciseFactory() for _ in range(5)], 12)
    # Same number of statements for 1 set as for 60: sets, locked records, bulk writes, notify.
    with assert_max_queries(len(few)):
        records_detect(session=large)
    assert len(few) <= 18


def test_a_run_logged_with_the_distance_metric_makes_distance_and_pace_records(django_assert_max_num_queries):
    import datetime as _dt

    from django.utils import timezone as _tz

    from training.models import ActivityType, Exercise, PersonalRecord, RecordType, SessionMetric
    from training.services.records import records_detect
    from training.tests.factories import SessionFactory

    running = ActivityType.objects.get(name="Running")
    started = _tz.now() - _dt.timedelta(hours=2)
    session = SessionFactory(activity_type=running, started_at=started, ended_at=started + _dt.timedelta(minutes=25))
    SessionMetric.objects.create(session=session, name="distance", value_numeric=5000)
    records_detect(session=session)
    exercise = Exercise.objects.get(owner__isnull=True, name__iexact="Running")
    values = dict(
        PersonalRecord.objects.filter(user=session.user, exercise=exercise).values_list("record_type", "value")
    )
    assert values[RecordType.LONGEST_DISTANCE] == 5000
    assert values[RecordType.BEST_PACE] == 300  # 25 min over 5 km = 5:00 per km
