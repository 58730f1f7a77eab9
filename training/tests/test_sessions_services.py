from __future__ import annotations

import datetime as dt
from decimal import Decimal
from io import BytesIO

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from accounts.tests.factories import UserFactory
from fitjourney.errors import NotFound
from training.models import InputType, MetricTemplate, Session, SessionMetric, Set
from training.services import sessions as services
from training.tests.factories import ActivityTypeFactory, ExerciseFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def hooks(monkeypatch):
    calls = []
    monkeypatch.setattr(
        services.records_service, "records_detect", lambda *, session: calls.append(("records", session.pk))
    )
    monkeypatch.setattr(services.streaks_service, "streaks_refresh", lambda *, user: calls.append(("streaks", user.pk)))
    return calls


def _png(size=(64, 64)) -> SimpleUploadedFile:
    out = BytesIO()
    Image.new("RGB", size, "red").save(out, format="PNG")
    return SimpleUploadedFile("p.png", out.getvalue(), content_type="image/png")


def _weight(user, kg):
    from accounts.models import BodyMetric

    at = timezone.now() - dt.timedelta(days=2)
    BodyMetric.objects.create(
        user=user, metric_type_id="weight", value=Decimal(kg), measured_at=at, local_date=at.date()
    )


def _session_with_sets(user, activity_type=None):
    session = services.session_start(user=user, activity_type=activity_type or ActivityTypeFactory(met=Decimal("6")))
    se = services.exercise_add(user=user, session=session, exercise=ExerciseFactory())
    return session, se


def test_it_sets_local_date_from_the_persons_time_zone():
    user = UserFactory(timezone="Pacific/Auckland")
    at = dt.datetime(2026, 3, 1, 20, 0, tzinfo=dt.UTC)
    session = services.session_start(user=user, activity_type=ActivityTypeFactory(), started_at=at)
    assert session.local_date == dt.date(2026, 3, 2)


def test_volume_counts_completed_working_sets_and_numbers_are_sequential():
    user = UserFactory()
    session, se = _session_with_sets(user)
    services.set_add(user=user, session_exercise=se, reps=10, weight_kg=Decimal("40"), is_warmup=True)
    services.set_add(user=user, session_exercise=se, reps=8, weight_kg=Decimal("60"))
    services.set_add(user=user, session_exercise=se, reps=8, weight_kg=Decimal("60"), is_completed=False)
    services.set_add(user=user, session_exercise=se, reps=6, weight_kg=Decimal("62.5"))
    se.refresh_from_db()
    assert se.set_count == 4
    assert se.total_volume_kg == Decimal("855.00")  # 8×60 + 6×62.5
    assert list(se.sets.values_list("number", flat=True)) == [1, 2, 3, 4]


def test_set_delete_renumbers_and_update_keeps_totals():
    user = UserFactory()
    session, se = _session_with_sets(user)
    sets = [services.set_add(user=user, session_exercise=se, reps=5, weight_kg=Decimal("100")) for _ in range(3)]
    services.set_delete(user=user, set=Set.objects.select_related("session_exercise__session").get(pk=sets[0].pk))
    services.set_update(
        user=user, set=Set.objects.select_related("session_exercise__session").get(pk=sets[1].pk), reps=10
    )
    se.refresh_from_db()
    assert list(se.sets.values_list("number", "reps")) == [(1, 10), (2, 5)]
    assert se.set_count == 2
    assert se.total_volume_kg == Decimal("1500.00")


@pytest.mark.parametrize(
    "fields",
    [{"rpe": 11}, {"weight_kg": Decimal("-1")}, {"reps": 0}, {"tempo": "fast"}, {"weight_kg": Decimal("1001")}],
)
def test_it_rejects_bad_sets_and_saves_nothing(fields):
    user = UserFactory()
    _, se = _session_with_sets(user)
    with pytest.raises(ValidationError) as exc:
        services.set_add(user=user, session_exercise=se, **fields)
    assert set(exc.value.message_dict) == set(fields)
    assert not Set.objects.filter(session_exercise=se).exists()


def test_it_refuses_a_set_on_another_persons_exercise():
    owner, other = UserFactory(), UserFactory()
    _, se = _session_with_sets(owner)
    with pytest.raises(NotFound):
        services.set_add(user=other, session_exercise=se, reps=5)
    assert not Set.objects.exists()


def test_it_refuses_an_invisible_exercise():
    owner, other = UserFactory(), UserFactory()
    session = services.session_start(user=owner, activity_type=ActivityTypeFactory())
    private = ExerciseFactory(owner=other)
    with pytest.raises(ValidationError) as exc:
        services.exercise_add(user=owner, session=session, exercise=private)
    assert "exercise" in exc.value.message_dict


def test_exercise_add_bumps_usage_after_commit_and_orders(django_capture_on_commit_callbacks):
    user = UserFactory()
    session = services.session_start(user=user, activity_type=ActivityTypeFactory())
    a, b = ExerciseFactory(), ExerciseFactory()
    with django_capture_on_commit_callbacks() as callbacks:
        first = services.exercise_add(user=user, session=session, exercise=a)
        second = services.exercise_add(user=user, session=session, exercise=b)
    assert (first.order, second.order) == (1, 2)
    a.refresh_from_db()
    assert a.usage_count == 0  # a shared row is never written inside the person's transaction
    for callback in callbacks:
        callback()
    a.refresh_from_db()
    assert a.usage_count == 1
    services.exercise_move(user=user, session_exercise=second, position=1)
    assert list(session.exercises.values_list("exercise_id", flat=True)) == [b.pk, a.pk]


def test_supersets_group_and_dissolve():
    user = UserFactory()
    session = services.session_start(user=user, activity_type=ActivityTypeFactory())
    ses = [services.exercise_add(user=user, session=session, exercise=ExerciseFactory()) for _ in range(3)]
    group = services.superset_set(user=user, session=session, session_exercises=ses[:2])
    assert sorted(session.exercises.values_list("superset_group", flat=True), key=str) == sorted(
        [group, group, None], key=str
    )
    ses[0].refresh_from_db()
    services.superset_clear(user=user, session_exercise=ses[0])
    assert set(session.exercises.values_list("superset_group", flat=True)) == {None}
    with pytest.raises(ValidationError):
        services.superset_set(user=user, session=session, session_exercises=ses[:1])


def test_finish_computes_volume_and_calories_and_calls_hooks(hooks):
    user = UserFactory()
    _weight(user, 80)
    start = timezone.now() - dt.timedelta(hours=2)
    session = services.session_start(user=user, activity_type=ActivityTypeFactory(met=Decimal("6")), started_at=start)
    se = services.exercise_add(user=user, session=session, exercise=ExerciseFactory())
    services.set_add(user=user, session_exercise=se, reps=5, weight_kg=Decimal("100"))
    session = services.session_finish(user=user, session=session, ended_at=start + dt.timedelta(minutes=90))
    assert session.status == "finished"
    assert session.total_volume_kg == Decimal("500.00")
    assert session.calories_kcal == Decimal("720.00")  # 6 × 80 × 1.5
    assert session.duration_seconds == 5400
    assert hooks == [("records", session.pk), ("streaks", user.pk)]


def test_finish_without_a_weight_leaves_calories_empty(hooks):
    user = UserFactory()
    session, _ = _session_with_sets(user)
    session = services.session_finish(user=user, session=session)
    assert session.calories_kcal is None


def test_finish_uses_exercise_met_when_the_type_has_none(hooks):
    user = UserFactory()
    _weight(user, 100)
    start = timezone.now() - dt.timedelta(hours=2)
    session = services.session_start(user=user, activity_type=ActivityTypeFactory(met=None), started_at=start)
    for met, sets in ((Decimal("3"), 1), (Decimal("6"), 2)):
        se = services.exercise_add(user=user, session=session, exercise=ExerciseFactory(met=met))
        for _ in range(sets):
            services.set_add(user=user, session_exercise=se, reps=5)
    session = services.session_finish(user=user, session=session, ended_at=start + dt.timedelta(hours=1))
    assert session.calories_kcal == Decimal("500.00")  # (3×1 + 6×2)/3 = 5 MET × 100 kg × 1 h


def test_delete_is_soft_and_refreshes_streaks(hooks):
    user = UserFactory()
    session, _ = _session_with_sets(user)
    services.session_delete(user=user, session=session)
    assert Session.objects.for_user(user).count() == 0
    assert Session.objects.filter(pk=session.pk, deleted_at__isnull=False).exists()
    assert hooks == [("streaks", user.pk)]


def test_template_copy_and_start_from_it_and_repeat(hooks):
    user = UserFactory()
    session, se = _session_with_sets(user)
    services.set_add(user=user, session_exercise=se, reps=8, weight_kg=Decimal("60"))
    services.set_add(user=user, session_exercise=se, reps=8, weight_kg=Decimal("60"))
    template = services.template_save_from_session(user=user, session=session, name="Push day")
    assert template.is_template and template.exercises.count() == 1
    started = services.session_start(user=user, from_template=template)
    copied = started.exercises.get()
    assert started.source_template_id == template.pk
    assert started.name == "Push day"
    assert list(copied.sets.values_list("reps", "weight_kg", "is_completed")) == [(8, Decimal("60.00"), False)] * 2
    assert copied.total_volume_kg == 0
    services.session_finish(user=user, session=session)
    repeated = services.session_start(user=user, repeat_session=session)
    assert repeated.exercises.get().sets.count() == 2
    services.template_rename(user=user, template=template, name="Push A")
    template.refresh_from_db()
    assert template.template_name == "Push A"
    services.template_delete(user=user, template=template)
    assert not Session.objects.for_user(user).templates().exists()


def test_it_refuses_another_persons_template_or_session_to_repeat():
    owner, other = UserFactory(), UserFactory()
    session, _ = _session_with_sets(owner)
    template = services.template_save_from_session(user=owner, session=session, name="Mine")
    with pytest.raises(ValidationError):
        services.session_start(user=other, from_template=template)
    with pytest.raises(ValidationError):
        services.session_start(user=other, repeat_session=session)
    with pytest.raises(NotFound):
        services.template_rename(user=other, template=template, name="Stolen")


@pytest.mark.parametrize(
    "fields, field",
    [
        ({"rating": 11}, "rating"),
        ({"energy_level": 0}, "energy_level"),
        ({"avg_heart_rate": 300}, "avg_heart_rate"),
        ({"avg_heart_rate": 150, "max_heart_rate": 140}, "avg_heart_rate"),
        ({"is_template": True}, "is_template"),
    ],
)
def test_session_update_rejects_bad_values(fields, field):
    user = UserFactory()
    session, _ = _session_with_sets(user)
    with pytest.raises(ValidationError) as exc:
        services.session_update(user=user, session=session, **fields)
    assert field in exc.value.message_dict
    session.refresh_from_db()
    assert session.rating is None and session.avg_heart_rate is None


def test_metrics_are_validated_against_templates():
    user = UserFactory()
    running = ActivityTypeFactory(uses_exercises=False)
    MetricTemplate.objects.create(
        activity_type=running, name="distance", label="Distance", is_required=True, min_value=0, max_value=500
    )
    MetricTemplate.objects.create(
        activity_type=running, name="moving_time", label="Time", input_type=InputType.DURATION
    )
    MetricTemplate.objects.create(
        activity_type=running, name="route", label="Route", input_type=InputType.TEXT, validation_regex=r"[A-Za-z ]+"
    )
    session = services.session_start(user=user, activity_type=running)
    with pytest.raises(ValidationError) as exc:
        services.metrics_save(user=user, session=session, values={"distance": "600", "route": "123", "bogus": 1})
    assert set(exc.value.message_dict) == {"distance", "route", "bogus"}
    with pytest.raises(ValidationError) as exc:
        services.metrics_save(user=user, session=session, values={"moving_time": "30:00"})
    assert "distance" in exc.value.message_dict
    assert not SessionMetric.objects.exists()
    services.metrics_save(
        user=user, session=session, values={"distance": "10.5", "moving_time": "1:02:03", "route": "River loop"}
    )
    values = dict(SessionMetric.objects.values_list("name", "value_numeric"))
    assert values["distance"] == Decimal("10.500") and values["moving_time"] == Decimal("3723.000")
    assert SessionMetric.objects.get(name="route").value_text == "River loop"


def test_media_accepts_images_and_refuses_other_files(tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path
    user = UserFactory()
    session, se = _session_with_sets(user)
    media = services.media_add(user=user, session=session, file=_png(), caption="Week 1", is_progress_photo=True)
    assert media.media_type == "image" and media.file_size_bytes > 0
    video = SimpleUploadedFile("v.mp4", b"\x00\x00\x00\x18ftypmp42" + b"\x00" * 100, content_type="video/mp4")
    assert services.media_add(user=user, session_exercise=se, file=video, is_form_check=True).media_type == "video"
    with pytest.raises(ValidationError) as exc:
        services.media_add(user=user, session=session, file=SimpleUploadedFile("x.png", b"not an image"))
    assert "file" in exc.value.message_dict
    with pytest.raises(NotFound):
        services.media_add(user=UserFactory(), session=session, file=_png())
    assert session.media.count() == 1
