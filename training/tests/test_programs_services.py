from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from accounts.tests.factories import UserFactory
from fitjourney.errors import NotFound
from fitjourney.hooks import roles
from fitjourney.testing.queries import assert_max_queries
from training.models import (
    ActivityType,
    Enrollment,
    Exercise,
    Program,
    ProgramExercise,
    ProgramSession,
    ProgramStatus,
    Visibility,
)
from training.selectors import programs as selectors
from training.services import programs as services
from training.tests.factories import ActivityTypeFactory, ExerciseFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def strength():
    return ActivityTypeFactory(uses_exercises=True)


@pytest.fixture
def running():
    return ActivityType.objects.get(slug="running")


def _program(user, weeks=2, per_week=2, **fields):
    return services.program_create(
        user=user, name=fields.pop("name", "Strong Start"), duration_weeks=weeks, sessions_per_week=per_week, **fields
    )


def _fill(user, program, activity_type, exercise=None):
    exercise = exercise or ExerciseFactory()
    for week in range(1, program.duration_weeks + 1):
        for day in range(1, program.sessions_per_week + 1):
            ps = services.program_session_add(
                user=user, program=program, week=week, day=day, activity_type=activity_type
            )
            if activity_type.uses_exercises:
                services.program_exercise_add(user=user, program_session=ps, exercise=exercise, reps_min=8, reps_max=10)
    return program


def test_create_makes_a_private_draft_of_the_author():
    user = UserFactory()
    program = _program(user, equipment=["Barbell", " barbell ", "Bench"])
    assert program.author == user and program.status == ProgramStatus.DRAFT
    assert program.visibility == Visibility.PRIVATE and not program.is_official
    assert program.equipment == ["barbell", "bench"]


def test_only_gym_staff_create_official_programs(personas):
    with pytest.raises(ValidationError):
        _program(personas.trainer, is_official=True)
    official = _program(personas.staff, is_official=True)
    assert official.is_official and official.author is None and official.visibility == Visibility.PUBLIC
    services.program_update(user=personas.staff, program=official, name="Renamed")
    with pytest.raises(NotFound):
        services.program_update(user=personas.trainer, program=official, name="Mine now")


def test_bad_program_fields_are_field_errors():
    user = UserFactory()
    for bad, field in (
        ({"duration_weeks": 0}, "duration_weeks"),
        ({"sessions_per_week": 15}, "sessions_per_week"),
        ({"name": "  "}, "name"),
        ({"difficulty": "godlike"}, "difficulty"),
        ({"goals": ["flying"]}, "goals"),
    ):
        fields = {"name": "X", "duration_weeks": 4, "sessions_per_week": 3, **bad}
        with pytest.raises(ValidationError) as exc:
            services.program_create(user=user, **fields)
        assert field in exc.value.message_dict, bad
    assert not Program.objects.filter(author=user).exists()


def test_another_persons_program_is_not_found_for_every_write(strength):
    owner, other = UserFactory(), UserFactory()
    program = _fill(owner, _program(owner), strength)
    ps = program.sessions.first()
    pe = ProgramExercise.objects.filter(session=ps).first()
    attempts = [
        lambda: services.program_update(user=other, program=program, name="Hijack"),
        lambda: services.program_delete(user=other, program=program),
        lambda: services.program_publish(user=other, program=program),
        lambda: services.program_archive(user=other, program=program),
        lambda: services.program_copy(user=other, program=program),  # a private draft: not readable either
        lambda: services.program_session_add(user=other, program=program, week=1, activity_type=strength),
        lambda: services.program_session_update(user=other, program_session=ps, name="x"),
        lambda: services.program_session_delete(user=other, program_session=ps),
        lambda: services.program_week_copy(user=other, program=program, from_week=1, to_week=2),
        lambda: services.program_exercise_add(user=other, program_session=ps, exercise=pe.exercise),
        lambda: services.program_exercise_update(user=other, program_exercise=pe, sets=5),
        lambda: services.program_exercise_delete(user=other, program_exercise=pe),
        lambda: services.program_save_nested(user=other, program=program, data={"name": "x"}),
    ]
    for attempt in attempts:
        with pytest.raises(NotFound):
            attempt()
    program.refresh_from_db()
    assert program.name == "Strong Start" and program.deleted_at is None


def test_exercise_targets_are_checked(strength):
    user = UserFactory()
    program = _program(user)
    ps = services.program_session_add(user=user, program=program, week=1, activity_type=strength)
    exercise = ExerciseFactory()
    for bad, field in (
        ({"reps_min": 10, "reps_max": 8}, "reps_min"),
        ({"percent_1rm": Decimal("0")}, "percent_1rm"),
        ({"percent_1rm": Decimal("111")}, "percent_1rm"),
        ({"target_rpe": Decimal("11")}, "target_rpe"),
        ({"sets": 0}, "sets"),
        ({"rest_seconds": 4000}, "rest_seconds"),
    ):
        with pytest.raises(ValidationError) as exc:
            services.program_exercise_add(user=user, program_session=ps, exercise=exercise, **bad)
        assert field in exc.value.message_dict, bad
    assert not ps.exercises.exists()
    ok = services.program_exercise_add(
        user=user, program_session=ps, exercise=exercise, percent_1rm=Decimal("110"), target_rpe=Decimal("8.5")
    )
    assert ok.order == 1


def test_exercise_must_be_visible_to_the_author(strength):
    user, other = UserFactory(), UserFactory()
    program = _program(user)
    ps = services.program_session_add(user=user, program=program, week=1, activity_type=strength)
    private = ExerciseFactory(owner=other, visibility=Visibility.PRIVATE)
    with pytest.raises(ValidationError) as exc:
        services.program_exercise_add(user=user, program_session=ps, exercise=private)
    assert "exercise" in exc.value.message_dict


def test_a_duplicate_day_and_a_day_beyond_the_week_are_refused(strength):
    user = UserFactory()
    program = _program(user)
    services.program_session_add(user=user, program=program, week=1, day=1, activity_type=strength)
    with pytest.raises(ValidationError) as exc:
        services.program_session_add(user=user, program=program, week=1, day=1, activity_type=strength)
    assert exc.value.message_dict["day"] == ["Week 1 already has a day 1."]
    with pytest.raises(ValidationError) as exc:
        services.program_session_add(user=user, program=program, week=3, activity_type=strength)
    assert "week" in exc.value.message_dict
    # Without a day: the next free one, until the week is full.
    assert services.program_session_add(user=user, program=program, week=1, activity_type=strength).day == 2
    with pytest.raises(ValidationError):
        services.program_session_add(user=user, program=program, week=1, activity_type=strength)


def test_target_metrics_follow_the_types_templates(running):
    user = UserFactory()
    program = _program(user)
    ps = services.program_session_add(
        user=user,
        program=program,
        week=1,
        activity_type=running,
        target_duration_seconds=1500,
        target_intensity="run 60 s / walk 90 s × 8",
        target_metrics={"distance": "3000"},
    )
    assert ps.target_metrics == {"distance": "3000"}
    with pytest.raises(ValidationError) as exc:
        services.program_session_update(user=user, program_session=ps, target_metrics={"pieces": 3})
    assert "target_metrics.pieces" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        services.program_session_update(user=user, program_session=ps, target_metrics={"distance": "-5"})
    assert "target_metrics.distance" in exc.value.message_dict


def test_publish_names_each_failing_week(strength, running):
    user = UserFactory()
    program = _program(user, weeks=3, per_week=3)
    for day in (1, 2, 3):
        ps = services.program_session_add(user=user, program=program, week=1, day=day, activity_type=strength)
        services.program_exercise_add(user=user, program_session=ps, exercise=ExerciseFactory())
    for day in (1, 2):
        services.program_session_add(user=user, program=program, week=2, day=day, activity_type=running)
    services.program_session_add(user=user, program=program, week=3, day=1, activity_type=strength, name="Legs")
    with pytest.raises(ValidationError) as exc:
        services.program_publish(user=user, program=program)
    messages = exc.value.messages
    assert "Week 2 has 2 of 3 sessions." in messages
    assert "Week 3 has 1 of 3 sessions." in messages
    assert "Week 3, day 1 (Legs) has no exercises." in messages
    assert not any(m.startswith("Week 1") for m in messages)
    program.refresh_from_db()
    assert program.status == ProgramStatus.DRAFT


def test_publish_then_structural_breaks_are_refused_but_targets_change(strength):
    user = UserFactory()
    program = _fill(user, _program(user), strength)
    services.program_publish(user=user, program=program)
    program.refresh_from_db()
    assert program.status == ProgramStatus.ACTIVE and program.published_at
    ps = program.sessions.get(week=1, day=1)
    pe = ps.exercises.get()
    services.program_exercise_update(user=user, program_exercise=pe, percent_1rm=Decimal("75"), target_rpe=8)
    with pytest.raises(ValidationError):
        services.program_session_delete(user=user, program_session=ps)
    with pytest.raises(ValidationError):
        services.program_exercise_delete(user=user, program_exercise=pe)
    with pytest.raises(ValidationError):
        services.program_update(user=user, program=program, duration_weeks=3 + 1)
    assert ProgramSession.objects.filter(program=program).count() == 4
    program.refresh_from_db()
    assert program.duration_weeks == 2


def test_week_copy_replaces_the_target_week(strength):
    user = UserFactory()
    program = _program(user, weeks=3, per_week=2)
    bench, row = ExerciseFactory(), ExerciseFactory()
    for day, exercise in ((1, bench), (2, row)):
        ps = services.program_session_add(user=user, program=program, week=1, day=day, activity_type=strength)
        services.program_exercise_add(user=user, program_session=ps, exercise=exercise, sets=5, reps_min=5)
    services.program_session_add(user=user, program=program, week=2, day=1, activity_type=strength, name="Old")
    # 12, + one UPDATE per foreign key pointing at a replaced day (an enrolment's next day, a booking's
    # program day): constant, whatever the data
    with assert_max_queries(14):
        services.program_week_copy(user=user, program=program, from_week=1, to_week=2)
    week2 = list(ProgramSession.objects.filter(program=program, week=2).order_by("day"))
    assert [ps.name for ps in week2] == ["", ""]
    assert [ps.exercises.get().exercise for ps in week2] == [bench, row]
    assert week2[0].exercises.get().sets == 5
    with pytest.raises(ValidationError):
        services.program_week_copy(user=user, program=program, from_week=3, to_week=1)  # empty source


def test_moves_and_reorders(strength):
    user = UserFactory()
    program = _program(user, weeks=1, per_week=3)
    days = [
        services.program_session_add(user=user, program=program, week=1, activity_type=strength, name=name)
        for name in "ABC"
    ]
    services.program_session_move(user=user, program_session=days[0], week=1, day=3)
    names = list(ProgramSession.objects.filter(program=program).order_by("day").values_list("name", flat=True))
    assert names == ["C", "B", "A"]
    exercises = [ExerciseFactory() for _ in range(3)]
    pes = [services.program_exercise_add(user=user, program_session=days[1], exercise=e) for e in exercises]
    services.program_exercise_move(user=user, program_exercise=pes[2], position=1)
    order = list(days[1].exercises.order_by("order").values_list("exercise", flat=True))
    assert order == [exercises[2].pk, exercises[0].pk, exercises[1].pk]
    services.program_exercise_delete(user=user, program_exercise=pes[0])
    assert list(days[1].exercises.order_by("order").values_list("order", flat=True)) == [1, 2]
    services.program_session_delete(user=user, program_session=days[2])  # "C", day 1
    assert list(ProgramSession.objects.filter(program=program).order_by("day").values_list("day", "name")) == [
        (1, "B"),
        (2, "A"),
    ]


def test_copy_gives_the_person_a_private_draft_of_the_whole_tree(strength):
    author, reader = UserFactory(), UserFactory()
    program = _fill(author, _program(author, visibility=Visibility.PUBLIC), strength)
    services.program_publish(user=author, program=program)
    with assert_max_queries(10):
        copy = services.program_copy(user=reader, program=program)
    assert copy.author == reader and copy.status == ProgramStatus.DRAFT and copy.visibility == Visibility.PRIVATE
    assert copy.sessions.count() == 4 and ProgramExercise.objects.filter(session__program=copy).count() == 4


def test_delete_is_soft_and_refused_while_someone_follows(strength):
    user, follower = UserFactory(), UserFactory()
    program = _fill(user, _program(user, visibility=Visibility.PUBLIC), strength)
    services.program_publish(user=user, program=program)
    Enrollment.objects.create(user=follower, program=program, start_date=follower.local_today())
    with pytest.raises(ValidationError, match="archive it instead"):
        services.program_delete(user=user, program=program)
    services.program_archive(user=user, program=program)
    # Archived: out of browse, still readable by the follower.
    assert not selectors.programs_browse(user=UserFactory()).filter(pk=program.pk).exists()
    assert selectors.program_detail(user=follower, program_id=program.pk) == program
    with pytest.raises(NotFound):
        selectors.program_detail(user=UserFactory(), program_id=program.pk)
    Enrollment.objects.filter(program=program).update(status="abandoned", ended_at=program.created_at)
    services.program_delete(user=user, program=program)
    program.refresh_from_db()
    assert program.deleted_at is not None


def test_save_nested_builds_and_replaces_the_tree_in_few_queries(strength):
    user = UserFactory()
    exercises = [ExerciseFactory() for _ in range(6)]
    data = {
        "name": "Upper Lower",
        "duration_weeks": 4,
        "sessions_per_week": 4,
        "weeks": [
            {
                "week": w,
                "days": [
                    {
                        "day": d,
                        "activity_type": strength.pk,
                        "exercises": [{"exercise": e.pk, "sets": 3, "percent_1rm": Decimal("75")} for e in exercises],
                    }
                    for d in range(1, 5)
                ],
            }
            for w in range(1, 5)
        ],
    }
    with assert_max_queries(20):
        program = services.program_save_nested(user=user, program=None, data=data)
    assert ProgramSession.objects.filter(program=program).count() == 16
    assert ProgramExercise.objects.filter(session__program=program).count() == 96
    services.program_publish(user=user, program=program)
    program.refresh_from_db()
    # Replacing with a broken tree (a week missing) is refused: the program is published.
    broken = {**data, "weeks": data["weeks"][:3]}
    with pytest.raises(ValidationError):
        services.program_save_nested(user=user, program=program, data=broken)
    assert ProgramSession.objects.filter(program=program).count() == 16


def test_save_nested_names_the_bad_field_by_its_path(strength):
    user = UserFactory()
    exercise = ExerciseFactory()
    data = {
        "name": "Bad",
        "duration_weeks": 1,
        "sessions_per_week": 2,
        "weeks": [
            {
                "week": 1,
                "days": [
                    {
                        "day": 1,
                        "activity_type": strength.pk,
                        "exercises": [{"exercise": exercise.pk, "target_rpe": 11}],
                    },
                    {"day": 1, "activity_type": strength.pk},
                ],
            }
        ],
    }
    with pytest.raises(ValidationError) as exc:
        services.program_save_nested(user=user, program=None, data=data)
    errors = exc.value.message_dict
    assert "weeks[0].days[0].exercises[0].target_rpe" in errors
    assert errors["weeks[0].days[1].day"] == ["Week 1 already has a day 1."]
    assert not Program.objects.filter(author=user).exists()
    assert Exercise.objects.filter(pk=exercise.pk).exists()


def test_staff_persona_is_gym_staff(personas):
    assert personas.staff.groups.filter(name=roles.GYM_STAFF).exists()


def test_erasure_removes_unfollowed_programs_and_archives_followed_ones(strength):
    from training.personal_data import programs_erase

    author, follower = UserFactory(), UserFactory()
    followed = _fill(author, _program(author, visibility=Visibility.PUBLIC), strength)
    services.program_publish(user=author, program=followed)
    lonely = _program(author, name="Lonely")
    Enrollment.objects.create(user=follower, program=followed, start_date=follower.local_today())
    programs_erase(author)
    followed.refresh_from_db()
    lonely.refresh_from_db()
    assert followed.status == ProgramStatus.ARCHIVED and followed.deleted_at is None
    assert lonely.deleted_at is not None
    assert selectors.program_detail(user=follower, program_id=followed.pk) == followed


def test_a_cover_image_is_cleaned_and_a_fake_one_refused():
    from io import BytesIO

    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image

    user = UserFactory()
    out = BytesIO()
    Image.new("RGB", (40, 30), "red").save(out, format="PNG")
    cover = SimpleUploadedFile("cover.png", out.getvalue(), content_type="image/png")
    program = _program(user, cover_image=cover)
    assert program.cover_image.name.startswith("programs/")
    fake = SimpleUploadedFile("cover.png", b"not an image", content_type="image/png")
    with pytest.raises(ValidationError) as exc:
        services.program_update(user=user, program=program, cover_image=fake)
    assert "cover_image" in exc.value.message_dict
