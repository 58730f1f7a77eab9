"""API: enrolments — list yours and enrol, read one, the current one and today's workout (targets in kg
and in your units), start today's workout, pause, resume, skip a day, restart the week, leave. Ends with
`urlpatterns`.

Writes go through training.services.enrollments, the same services as the pages. Another person's
enrolment, a draft or another person's private program is a 404; enrolling while following another
program is a 400 ("leave it first") unless `replace` is true.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from uuid import UUID

from django.urls import path
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.models import User
from accounts.request_info import PersonApiRequest
from fitjourney import units
from fitjourney.api.pagination import PageNumberPagination
from fitjourney.api.serializers import StrictSerializer, error_schema

from ..models import Enrollment, Program
from ..selectors import enrollments as selectors
from ..selectors import sessions as session_selectors
from ..services import enrollments as services
from .schema import SIGNED_IN
from .sessions import SessionDetailOut, session_body

NOT_FOUND = {404: error_schema("No such enrolment of yours.")}
PROGRAM_NOT_FOUND = {404: error_schema("No such program you may follow (a draft or another person's private one).")}
NO_CURRENT = {404: error_schema("You follow no program.")}
NOT_NOW = {400: error_schema("Not possible now: the program is over, paused, or every day is done.")}


# ---------------------------------------------------------------------------------------------------
# Output


def _decimal(**kwargs: Any) -> serializers.DecimalField:
    return serializers.DecimalField(max_digits=None, decimal_places=None, read_only=True, **kwargs)


class EnrollmentOut(serializers.Serializer):
    id = serializers.UUIDField(read_only=True)
    program = serializers.UUIDField(source="program_id", read_only=True)
    program_name = serializers.CharField(source="program.name", read_only=True)
    status = serializers.CharField(read_only=True, help_text="active, paused, completed or abandoned")
    start_date = serializers.DateField(read_only=True)
    current_week = serializers.IntegerField(read_only=True)
    current_day = serializers.IntegerField(read_only=True)
    sessions_done = serializers.IntegerField(read_only=True)
    sessions_skipped = serializers.IntegerField(read_only=True)
    sessions_planned = serializers.IntegerField(read_only=True)
    progress_pct = _decimal()
    assigned_by = serializers.UUIDField(source="assigned_by_id", read_only=True, allow_null=True)
    paused_at = serializers.DateTimeField(read_only=True, allow_null=True)
    ended_at = serializers.DateTimeField(read_only=True, allow_null=True)
    created_at = serializers.DateTimeField(read_only=True)


class EnrollmentPageOut(serializers.Serializer):
    count = serializers.IntegerField()
    next = serializers.URLField(allow_null=True)
    previous = serializers.URLField(allow_null=True)
    results = EnrollmentOut(many=True)


class TargetOut(serializers.Serializer):
    exercise = serializers.UUIDField(read_only=True)
    exercise_name = serializers.CharField(read_only=True)
    order = serializers.IntegerField(read_only=True)
    superset_group = serializers.IntegerField(read_only=True, allow_null=True)
    sets = serializers.IntegerField(read_only=True)
    reps = serializers.IntegerField(read_only=True, allow_null=True)
    percent_1rm = _decimal(allow_null=True)
    e1rm_kg = _decimal(allow_null=True, help_text="Your current estimated 1RM, when you have one.")
    weight_kg = _decimal(allow_null=True, help_text="The target weight as stored (kg).")
    weight = _decimal(allow_null=True, help_text="The target weight in your units (`weight_unit`).")
    weight_unit = serializers.CharField(read_only=True, help_text="kg or lb")
    from_e1rm = serializers.BooleanField(read_only=True, help_text="Computed from your e1RM, rounded down.")
    target_duration_seconds = serializers.IntegerField(read_only=True, allow_null=True)
    target_distance_m = _decimal(allow_null=True)
    rest_seconds = serializers.IntegerField(read_only=True, allow_null=True)
    notes = serializers.CharField(read_only=True)


class WorkoutOut(serializers.Serializer):
    enrollment = EnrollmentOut(read_only=True)
    program_session = serializers.UUIDField(read_only=True, allow_null=True, help_text="Null: every day is done.")
    week = serializers.IntegerField(read_only=True)
    day = serializers.IntegerField(read_only=True)
    name = serializers.CharField(read_only=True)
    activity_type = serializers.UUIDField(read_only=True, allow_null=True)
    notes = serializers.CharField(read_only=True)
    target_duration_seconds = serializers.IntegerField(read_only=True, allow_null=True)
    target_distance_m = _decimal(allow_null=True)
    target_intensity = serializers.CharField(read_only=True)
    target_metrics = serializers.DictField(read_only=True)
    in_progress_session = serializers.UUIDField(read_only=True, allow_null=True)
    exercises = TargetOut(many=True, read_only=True)


class ScheduledDayOut(serializers.Serializer):
    program_session = serializers.UUIDField(source="program_session_id", read_only=True)
    day = serializers.IntegerField(read_only=True)
    name = serializers.CharField(read_only=True)
    status = serializers.CharField(read_only=True, help_text="done, skipped, or empty while still to do")


class WeekAdherenceOut(serializers.Serializer):
    week = serializers.IntegerField(read_only=True)
    planned = serializers.IntegerField(read_only=True)
    done = serializers.IntegerField(read_only=True)
    skipped = serializers.IntegerField(read_only=True)
    adherence_pct = serializers.IntegerField(source="pct", read_only=True, help_text="done / planned, 0–100")
    days = ScheduledDayOut(many=True, read_only=True)


class LiftPointOut(serializers.Serializer):
    week = serializers.IntegerField(read_only=True)
    e1rm_kg = _decimal()
    e1rm = _decimal(help_text="In your units (`unit`).")


class LiftTrendOut(serializers.Serializer):
    exercise = serializers.UUIDField(source="exercise_id", read_only=True)
    name = serializers.CharField(read_only=True)
    unit = serializers.CharField(read_only=True, help_text="kg or lb")
    points = LiftPointOut(many=True, read_only=True)


class EnrollmentProgressOut(serializers.Serializer):
    enrollment = EnrollmentOut(read_only=True)
    weeks = WeekAdherenceOut(many=True, read_only=True)
    lifts = LiftTrendOut(many=True, read_only=True, help_text="The program's main lifts: best e1RM per week.")


def progress_body(enrollment: Enrollment, progress: selectors.EnrollmentProgress, who: User) -> dict[str, Any]:
    unit = units.weight_unit(who)
    return {
        "enrollment": EnrollmentOut(enrollment).data,
        "weeks": WeekAdherenceOut(progress.weeks, many=True).data,
        "lifts": [
            {
                "exercise": str(lift.exercise_id),
                "name": lift.name,
                "unit": unit,
                "points": [
                    {"week": week, "e1rm_kg": value, "e1rm": units.weight_shown(value, who)}
                    for week, value in lift.points
                ],
            }
            for lift in progress.lifts
        ],
    }


def workout_body(workout: selectors.TodaysWorkout, who: User) -> dict[str, Any]:
    ps = workout.program_session
    exercises = [
        {
            "exercise": t.program_exercise.exercise_id,
            "exercise_name": t.program_exercise.exercise.name,
            "order": t.program_exercise.order,
            "superset_group": t.program_exercise.superset_group,
            "sets": t.sets,
            "reps": t.reps,
            "percent_1rm": t.program_exercise.percent_1rm,
            "e1rm_kg": t.e1rm_kg,
            "weight_kg": t.weight_kg,
            "weight": units.weight_shown(t.weight_kg, who),
            "weight_unit": units.weight_unit(who),
            "from_e1rm": t.from_e1rm,
            "target_duration_seconds": t.program_exercise.target_duration_seconds,
            "target_distance_m": t.program_exercise.target_distance_m,
            "rest_seconds": t.program_exercise.rest_seconds,
            "notes": t.program_exercise.notes,
        }
        for t in workout.targets
    ]
    body = {
        "enrollment": workout.enrollment,
        "program_session": ps.pk if ps else None,
        "week": workout.week,
        "day": workout.day,
        "name": (ps.name or ps.activity_type.name) if ps else "",
        "activity_type": ps.activity_type_id if ps else None,
        "notes": ps.notes if ps else "",
        "target_duration_seconds": ps.target_duration_seconds if ps else None,
        "target_distance_m": ps.target_distance_m if ps else None,
        "target_intensity": ps.target_intensity if ps else "",
        "target_metrics": ps.target_metrics if ps else {},
        "in_progress_session": workout.in_progress_session_id,
        "exercises": exercises,
    }
    return dict(WorkoutOut(body).data)


# ---------------------------------------------------------------------------------------------------
# Input


class EnrolIn(StrictSerializer):
    program = serializers.UUIDField()
    start_date = serializers.DateField(required=False, allow_null=True, help_text="Default: your today.")
    replace = serializers.BooleanField(
        required=False, default=False, help_text="Leave the program you follow now and follow this one."
    )


# ---------------------------------------------------------------------------------------------------
# Views


def _enrollment_body(enrollment: Enrollment) -> dict[str, Any]:
    return dict(EnrollmentOut(enrollment).data)


class EnrollmentListView(APIView):
    @extend_schema(operation_id="enrollments_list", responses={200: EnrollmentPageOut, **SIGNED_IN})
    def get(self, request: PersonApiRequest) -> Response:
        """Your enrolments, newest first."""
        paginator = PageNumberPagination()
        page = paginator.paginate_queryset(selectors.enrollments_of(request.user), request, view=self)
        return paginator.get_paginated_response(EnrollmentOut(page, many=True).data)

    @extend_schema(
        request=EnrolIn,
        responses={
            201: EnrollmentOut,
            400: error_schema("A field is not valid, or you already follow a program: leave it first."),
            **SIGNED_IN,
            **PROGRAM_NOT_FOUND,
        },
    )
    def post(self, request: PersonApiRequest) -> Response:
        """Follow a program: published public programs and your own published ones."""
        serializer = EnrolIn(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        enrollment = services.enrollment_create(
            user=request.user,
            program=Program(pk=data["program"]),
            start_date=data.get("start_date"),
            replace=data["replace"],
        )
        enrollment = selectors.enrollment_get(user=request.user, enrollment_id=enrollment.pk)
        return Response(_enrollment_body(enrollment), status=status.HTTP_201_CREATED)


class EnrollmentDetailView(APIView):
    @extend_schema(responses={200: EnrollmentOut, **SIGNED_IN, **NOT_FOUND})
    def get(self, request: PersonApiRequest, enrollment_id: UUID) -> Response:
        return Response(_enrollment_body(selectors.enrollment_get(user=request.user, enrollment_id=enrollment_id)))


class EnrollmentProgressView(APIView):
    @extend_schema(responses={200: EnrollmentProgressOut, **SIGNED_IN, **NOT_FOUND})
    def get(self, request: PersonApiRequest, enrollment_id: UUID) -> Response:
        """Adherence (days done, skipped and planned per week, each day's status) and the best estimated
        1RM per week of the program's main lifts since the enrolment began, as on the program page."""
        enrollment = selectors.enrollment_get(user=request.user, enrollment_id=enrollment_id)
        progress = selectors.enrollment_progress(enrollment)
        return Response(progress_body(enrollment, progress, request.user))


def _current(user: User) -> Enrollment:
    from fitjourney.errors import NotFound

    enrollment = selectors.enrollment_current(user)
    if enrollment is None:
        raise NotFound("You follow no program.")
    return enrollment


class EnrollmentCurrentView(APIView):
    @extend_schema(responses={200: EnrollmentOut, **SIGNED_IN, **NO_CURRENT})
    def get(self, request: PersonApiRequest) -> Response:
        """The program you follow now (active or paused)."""
        return Response(_enrollment_body(_current(request.user)))


class EnrollmentWorkoutView(APIView):
    @extend_schema(responses={200: WorkoutOut, **SIGNED_IN, **NO_CURRENT})
    def get(self, request: PersonApiRequest) -> Response:
        """Today's workout: the next day of the program you follow, each exercise's target weight in kg
        and in your units (a % of 1RM from your current e1RM, rounded down to 2.5 kg or 5 lb)."""
        workout = selectors.todays_workout(request.user, _current(request.user))
        assert workout is not None
        return Response(workout_body(workout, request.user))


class EnrollmentStartView(APIView):
    @extend_schema(
        request=None,
        responses={
            201: SessionDetailOut,
            200: SessionDetailOut,
            **NOT_NOW,
            **SIGNED_IN,
            **NOT_FOUND,
        },
    )
    def post(self, request: PersonApiRequest, enrollment_id: UUID) -> Response:
        """Starts today's workout pre-filled with its planned sets (201), or answers the session already
        in progress for that day (200)."""
        enrollment = selectors.enrollment_get(user=request.user, enrollment_id=enrollment_id)
        session, created = services.enrollment_start_workout(user=request.user, enrollment=enrollment)
        session = session_selectors.session_get_for_user(user=request.user, session_id=session.pk)
        return Response(session_body(session), status=status.HTTP_201_CREATED if created else status.HTTP_200_OK)


def _action_view(action: Callable[..., Enrollment], doc: str) -> type[APIView]:
    class ActionView(APIView):
        @extend_schema(request=None, responses={200: EnrollmentOut, **NOT_NOW, **SIGNED_IN, **NOT_FOUND})
        def post(self, request: PersonApiRequest, enrollment_id: UUID) -> Response:
            enrollment = selectors.enrollment_get(user=request.user, enrollment_id=enrollment_id)
            action(user=request.user, enrollment=enrollment)
            return Response(_enrollment_body(selectors.enrollment_get(user=request.user, enrollment_id=enrollment_id)))

    ActionView.post.__doc__ = doc
    ActionView.__name__ = ActionView.__qualname__ = f"Enrollment{action.__name__.title().replace('_', '')}View"
    return ActionView


EnrollmentPauseView = _action_view(services.enrollment_pause, "Pauses the program (today's workout waits).")
EnrollmentResumeView = _action_view(services.enrollment_resume, "Resumes a paused program.")
EnrollmentSkipView = _action_view(services.enrollment_skip_day, "Skips the next day and moves on.")
EnrollmentRestartWeekView = _action_view(
    services.enrollment_restart_week, "Starts the current week again: its days lose their marks."
)
EnrollmentLeaveView = _action_view(services.enrollment_leave, "Leaves the program (it ends as abandoned).")


urlpatterns = [
    path("enrollments/", EnrollmentListView.as_view(), name="enrollments"),
    path("enrollments/current/", EnrollmentCurrentView.as_view(), name="enrollment-current"),
    path("enrollments/current/workout/", EnrollmentWorkoutView.as_view(), name="enrollment-current-workout"),
    path("enrollments/<uuid:enrollment_id>/", EnrollmentDetailView.as_view(), name="enrollment"),
    path("enrollments/<uuid:enrollment_id>/progress/", EnrollmentProgressView.as_view(), name="enrollment-progress"),
    path("enrollments/<uuid:enrollment_id>/start/", EnrollmentStartView.as_view(), name="enrollment-start"),
    path("enrollments/<uuid:enrollment_id>/pause/", EnrollmentPauseView.as_view(), name="enrollment-pause"),
    path("enrollments/<uuid:enrollment_id>/resume/", EnrollmentResumeView.as_view(), name="enrollment-resume"),
    path("enrollments/<uuid:enrollment_id>/skip/", EnrollmentSkipView.as_view(), name="enrollment-skip"),
    path(
        "enrollments/<uuid:enrollment_id>/restart-week/",
        EnrollmentRestartWeekView.as_view(),
        name="enrollment-restart-week",
    ),
    path("enrollments/<uuid:enrollment_id>/leave/", EnrollmentLeaveView.as_view(), name="enrollment-leave"),
]
