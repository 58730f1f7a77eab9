from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from accounts.tests.factories import UserFactory
from fitjourney import units
from fitjourney.errors import NotFound
from fitjourney.testing.queries import assert_max_queries
from training.models import Enrollment, EnrollmentDay, Program, SessionStatus, Set
from training.selectors import enrollments as selectors
from training.services import enrollments as services
from training.services import sessions as session_services
from training.tests.enrollment_helpers import give_e1rm, main_lift, published_program
from training.tests.factories import EnrollmentFactory, ProgramFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def member():
    return UserFactory()


@pytest.fixture
def program():
    return published_program(weeks=2, days=2)


def _enrol(user, program, **kw):
    return services.enrollment_create(user=user, program=program, **kw)


def _planned_weights(session, order=1):
    return list(
        Set.objects.filter(session_exercise__session=session, session_exercise__order=order)
        .order_by("number")
        .values_list("weight_kg", flat=True)
    )


def _do_next_day(user, enrollment):
    session, _ = services.enrollment_start_workout(user=user, enrollment=enrollment)
    return session_services.session_finish(user=user, session=session)


# ---------------------------------------------------------------------------------------------------
# Enrol


def test_it_enrols_and_counts_planned_sessions_and_usage_after_commit(
    member, program, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        enrollment = _enrol(member, program)
        program.refresh_from_db()
        assert program.usage_count == 0  # not inside the request's transaction
    program.refresh_from_db()
    assert program.usage_count == 1
    assert enrollment.sessions_planned == 4
    assert (enrollment.current_week, enrollment.current_day) == (1, 1)
    assert enrollment.status == "active"
    assert enrollment.start_date == member.local_today()


def test_it_refuses_a_second_current_enrolment_unless_replacing(member, program):
    first = _enrol(member, program)
    other = published_program(name="Other plan")
    with pytest.raises(ValidationError) as exc:
        _enrol(member, other)
    assert f"You are already following {program.name} — leave it first." in exc.value.message_dict["program"]
    second = _enrol(member, other, replace=True)
    first.refresh_from_db()
    assert first.status == "abandoned" and first.ended_at is not None
    assert second.status == "active"


def test_the_database_allows_one_current_enrolment_per_person(member, program):
    from django.db import IntegrityError, transaction

    EnrollmentFactory(user=member, program=program)
    with pytest.raises(IntegrityError), transaction.atomic():
        EnrollmentFactory(user=member, program=program, status="paused")


def test_enrolling_in_a_draft_or_another_persons_private_program_is_not_found(member):
    draft = ProgramFactory(status="draft", visibility="public")
    private = published_program(visibility="private")
    for program in (draft, private):
        with pytest.raises(NotFound):
            _enrol(member, program)


def test_a_person_may_enrol_in_their_own_private_published_program(member):
    program = published_program(visibility="private", author=member)
    assert _enrol(member, program).program == program


def test_it_refuses_a_start_date_far_away(member, program):
    with pytest.raises(ValidationError) as exc:
        _enrol(member, program, start_date=dt.date.today() + dt.timedelta(days=3650))
    assert "start_date" in exc.value.message_dict


# ---------------------------------------------------------------------------------------------------
# Today's workout and targets


def test_start_prefills_the_day_with_targets_from_e1rm_for_a_metric_person(member, program):
    give_e1rm(member, main_lift(program), 100)
    enrollment = _enrol(member, program)
    session, created = services.enrollment_start_workout(user=member, enrollment=enrollment)
    assert created
    assert session.enrollment_id == enrollment.pk
    assert session.program_session.week == 1 and session.program_session.day == 1
    assert session.status == SessionStatus.IN_PROGRESS
    assert _planned_weights(session) == [Decimal("75.00")] * 3
    assert _planned_weights(session, order=2) == [Decimal("20.00")] * 3
    sets = Set.objects.filter(session_exercise__session=session)
    assert sets.count() == 6
    assert not sets.filter(is_completed=True).exists()
    assert set(sets.values_list("reps", flat=True)) == {5}


def test_targets_round_down_to_loadable_plates():
    kwargs = {"percent_1rm": Decimal(75), "target_weight_kg": None}
    assert selectors.planned_weight_kg(e1rm_kg=Decimal(103), who="metric", **kwargs) == Decimal("75.00")
    assert selectors.planned_weight_kg(e1rm_kg=Decimal(104), who="metric", **kwargs) == Decimal("77.50")
    # 75 kg = 165.3 lb -> 165 lb, stored as the kg of 165 lb.
    stored = selectors.planned_weight_kg(e1rm_kg=Decimal(100), who="imperial", **kwargs)
    assert stored == units.weight_parse(165, "imperial") == Decimal("74.84")
    assert units.weight_display(stored, "imperial") == "165 lb"


def test_start_for_an_imperial_person_stores_the_kg_of_whole_plates(program):
    person = UserFactory(unit_system="imperial")
    give_e1rm(person, main_lift(program), 100)
    session, _ = services.enrollment_start_workout(user=person, enrollment=_enrol(person, program))
    assert _planned_weights(session) == [Decimal("74.84")] * 3


def test_without_an_e1rm_the_absolute_weight_is_the_target(member, program):
    session, _ = services.enrollment_start_workout(user=member, enrollment=_enrol(member, program))
    assert _planned_weights(session) == [Decimal("40.00")] * 3


def test_without_an_e1rm_or_a_weight_the_target_is_empty():
    kwargs = {"percent_1rm": Decimal(80), "target_weight_kg": None, "e1rm_kg": None}
    assert selectors.planned_weight_kg(who="metric", **kwargs) is None


def test_start_is_idempotent_while_the_session_is_in_progress(member, program):
    enrollment = _enrol(member, program)
    first, created = services.enrollment_start_workout(user=member, enrollment=enrollment)
    again, created_again = services.enrollment_start_workout(user=member, enrollment=enrollment)
    assert created and not created_again
    assert again.pk == first.pk


def test_non_strength_targets_go_into_the_notes(member):
    from training.models import ActivityType
    from training.tests.factories import ProgramSessionFactory

    program = ProgramFactory(status="active", visibility="public", duration_weeks=1, sessions_per_week=1)
    ProgramSessionFactory(
        program=program,
        week=1,
        day=1,
        activity_type=ActivityType.objects.get(slug="running"),
        target_distance_m=Decimal(5000),
        target_duration_seconds=1800,
        target_intensity="easy pace",
    )
    session, _ = services.enrollment_start_workout(user=member, enrollment=_enrol(member, program))
    assert "5 km" in session.notes and "30 min" in session.notes and "easy pace" in session.notes


def test_start_refuses_another_persons_enrolment_and_a_paused_one(member, program):
    enrollment = _enrol(member, program)
    with pytest.raises(NotFound):
        services.enrollment_start_workout(user=UserFactory(), enrollment=enrollment)
    services.enrollment_pause(user=member, enrollment=enrollment)
    with pytest.raises(ValidationError):
        services.enrollment_start_workout(user=member, enrollment=enrollment)


# ---------------------------------------------------------------------------------------------------
# Moving on


def test_finishing_marks_the_day_done_and_moves_to_the_next(member, program):
    enrollment = _enrol(member, program)
    session = _do_next_day(member, enrollment)
    enrollment.refresh_from_db()
    assert (enrollment.current_week, enrollment.current_day) == (1, 2)
    assert enrollment.sessions_done == 1
    assert enrollment.progress_pct == Decimal("25.00")
    day = EnrollmentDay.objects.get(enrollment=enrollment)
    assert day.status == "done" and day.session_id == session.pk
    # Finishing again changes nothing.
    session_services.session_finish(user=member, session=session)
    assert EnrollmentDay.objects.filter(enrollment=enrollment).count() == 1


def test_skip_pause_resume(member, program):
    enrollment = _enrol(member, program)
    enrollment = services.enrollment_skip_day(user=member, enrollment=enrollment)
    assert (enrollment.current_week, enrollment.current_day, enrollment.sessions_skipped) == (1, 2, 1)
    assert enrollment.progress_pct == 0
    enrollment = services.enrollment_pause(user=member, enrollment=enrollment)
    assert enrollment.status == "paused" and enrollment.paused_at
    enrollment = services.enrollment_resume(user=member, enrollment=enrollment)
    assert enrollment.status == "active" and enrollment.paused_at is None


def test_restart_week_forgets_the_weeks_marks(member, program):
    enrollment = _enrol(member, program)
    _do_next_day(member, enrollment)
    enrollment = services.enrollment_skip_day(user=member, enrollment=Enrollment.objects.get(pk=enrollment.pk))
    assert (enrollment.current_week, enrollment.current_day) == (2, 1)
    _do_next_day(member, enrollment)
    enrollment.refresh_from_db()
    assert (enrollment.current_week, enrollment.current_day) == (2, 2)
    enrollment = services.enrollment_restart_week(user=member, enrollment=enrollment)
    assert (enrollment.current_week, enrollment.current_day) == (2, 1)
    assert enrollment.sessions_done == 1 and enrollment.sessions_skipped == 1
    assert not EnrollmentDay.objects.filter(enrollment=enrollment, week=2).exists()


def test_leave(member, program):
    enrollment = services.enrollment_leave(user=member, enrollment=_enrol(member, program))
    assert enrollment.status == "abandoned" and enrollment.ended_at
    with pytest.raises(ValidationError):
        services.enrollment_skip_day(user=member, enrollment=enrollment)
    assert _enrol(member, program).status == "active"  # free to enrol again


def test_the_last_day_completes_the_program(member):
    program = published_program(weeks=1, days=2)
    enrollment = _enrol(member, program)
    services.enrollment_skip_day(user=member, enrollment=enrollment)
    _do_next_day(member, enrollment)
    enrollment.refresh_from_db()
    assert enrollment.status == "completed" and enrollment.ended_at
    assert enrollment.sessions_done == 1 and enrollment.progress_pct == Decimal("50.00")
    assert selectors.enrollment_current(member) is None


def test_all_days_done_is_100_percent(member):
    program = published_program(weeks=1, days=1)
    enrollment = _enrol(member, program)
    _do_next_day(member, enrollment)
    enrollment.refresh_from_db()
    assert enrollment.progress_pct == 100 and enrollment.status == "completed"


def test_deleting_the_session_unmarks_the_day(member):
    program = published_program(weeks=1, days=1)
    enrollment = _enrol(member, program)
    session = _do_next_day(member, enrollment)
    session_services.session_delete(user=member, session=session)
    enrollment.refresh_from_db()
    assert enrollment.status == "active" and enrollment.ended_at is None
    assert enrollment.sessions_done == 0 and enrollment.progress_pct == 0
    assert (enrollment.current_week, enrollment.current_day) == (1, 1)


# ---------------------------------------------------------------------------------------------------
# Selectors


def test_todays_workout_costs_three_queries_whatever_the_size(member):
    program = published_program(weeks=12, days=4, exercises=6)
    give_e1rm(member, main_lift(program), 120)
    _enrol(member, program)
    with assert_max_queries(3):
        workout = selectors.todays_workout(member)
        targets = [(t.program_exercise.exercise.name, t.weight_kg) for t in workout.targets]
    assert workout.week == 1 and workout.day == 1
    assert len(targets) == 6 and targets[0][1] == Decimal("90.00")


def test_todays_workout_reports_the_session_in_progress(member, program):
    enrollment = _enrol(member, program)
    session, _ = services.enrollment_start_workout(user=member, enrollment=enrollment)
    assert selectors.todays_workout(member).in_progress_session_id == session.pk


def test_progress_per_week_and_e1rm_trend(member, program):
    enrollment = _enrol(member, program)
    session, _ = services.enrollment_start_workout(user=member, enrollment=enrollment)
    Set.objects.filter(session_exercise__session=session).update(is_completed=True, weight_kg=60, reps=5)
    session_services.session_finish(user=member, session=session)
    services.enrollment_skip_day(user=member, enrollment=enrollment)
    enrollment.refresh_from_db()
    with assert_max_queries(4):
        progress = selectors.enrollment_progress(enrollment)
    assert [(w.week, w.planned, w.done, w.skipped) for w in progress.weeks] == [(1, 2, 1, 1), (2, 2, 0, 0)]
    lift = main_lift(program)
    trend = next(t for t in progress.lifts if t.exercise_id == lift.pk)
    assert trend.points == [(1, Decimal("70.0"))]  # 60 × (1 + 5/30)
    assert len(progress.lifts) == 2


def test_enrollment_factory(member):
    program = published_program(weeks=1, days=3)
    enrollment = EnrollmentFactory(user=member, program=program)
    assert enrollment.sessions_planned == 3
    assert isinstance(enrollment.program, Program)


# ---------------------------------------------------------------------------------------------------
# The stored next day (read joined by Today) follows the marks and the program's edits


def test_the_next_day_is_stored_on_enrol_and_moves_on_with_each_finished_day(member, program):
    from training.models import ProgramSession

    days = list(ProgramSession.objects.filter(program=program).order_by("week", "day"))
    enrollment = _enrol(member, program)
    assert enrollment.next_session_id == days[0].pk
    _do_next_day(member, enrollment)
    enrollment.refresh_from_db()
    assert enrollment.next_session_id == days[1].pk
    services.enrollment_skip_day(user=member, enrollment=enrollment)
    enrollment.refresh_from_db()
    assert enrollment.next_session_id == days[2].pk
    assert selectors.todays_workout(member).program_session.pk == days[2].pk


def test_a_program_edit_refreshes_its_followers_after_the_commit(member, django_capture_on_commit_callbacks):
    from training.models import ProgramSession
    from training.services import programs as program_services

    author = UserFactory()
    program = published_program(weeks=2, days=2, author=author)
    enrollment = _enrol(member, program)
    first, second = ProgramSession.objects.filter(program=program, week=1).order_by("day")
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        program_services.program_session_move(user=author, program_session=first, week=1, day=2)
        enrollment.refresh_from_db()
        assert enrollment.next_session_id == first.pk  # not in the editor's transaction
    assert len(callbacks) == 1
    enrollment.refresh_from_db()
    assert enrollment.next_session_id == second.pk and (enrollment.current_week, enrollment.current_day) == (1, 1)
    assert selectors.todays_workout(member).program_session.pk == second.pk


def test_a_deleted_next_day_is_read_live_until_the_refresh_runs(member):
    from training.models import ProgramSession
    from training.services import programs as program_services

    author = UserFactory()
    program = published_program(weeks=2, days=2, author=author)
    enrollment = _enrol(member, program)
    Program.objects.filter(pk=program.pk).update(status="archived")  # followed, and free to lose a day
    program.refresh_from_db()
    first = ProgramSession.objects.filter(program=program).order_by("week", "day").first()
    program_services.program_session_delete(user=author, program_session=first)  # no commit: no refresh
    enrollment.refresh_from_db()
    assert enrollment.next_session_id is None
    with assert_max_queries(3):
        workout = selectors.todays_workout(member)
    assert workout.program_session is not None
    assert workout.program_session.pk == ProgramSession.objects.filter(program=program).order_by("week", "day")[0].pk
