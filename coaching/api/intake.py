"""API for the signed-in person's intake: read the state, save a step, confirm. The serializers check the
shape of each step; the rules are the same service's as the pages' (coaching.services.intake), whose
refusals come back as 400 with field errors. Values are in SI units (kg, m). Ends with `urlpatterns`.
"""

from __future__ import annotations

from typing import Any

from django.urls import path
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, PolymorphicProxySerializer, extend_schema
from rest_framework import serializers
from rest_framework.exceptions import NotFound
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.api.profile import ENERGY_CHOICES, STRESS_CHOICES
from accounts.models import (
    PRIMARY_GOALS,
    ActivityLevel,
    BodyArea,
    Equipment,
    FitnessLevel,
    Gender,
    Severity,
    SleepQuality,
    UnitSystem,
    User,
    WorkoutLocation,
)
from accounts.models import Goal as GoalCategory
from accounts.request_info import PersonApiRequest, audit_context, user_agent
from fitjourney.api.serializers import StrictSerializer, error_schemas
from nutrition.models import DietType, PrepWillingness, ReminderTone, SkillLevel
from training.models import RestDayPreference
from training.services.schedule import WEEKDAY_NAMES

from ..models import Step
from ..selectors import intake as selectors
from ..services import intake as services


class IntakeMeSerializer(serializers.Serializer):
    """The "intake" section of /api/v1/me/ (registered in coaching.apps)."""

    complete = serializers.BooleanField(help_text="Whether the person has confirmed the intake.")
    next_step = serializers.IntegerField(allow_null=True, help_text="The step to continue with (0–11), or null.")
    next_url = serializers.CharField(allow_null=True, help_text="The page of that step, e.g. /intake/3/.")


class IntakeStepInfoSerializer(serializers.Serializer):
    number = serializers.IntegerField()
    name = serializers.CharField()
    completed = serializers.BooleanField()
    available = serializers.BooleanField(help_text="Whether the step can be opened or saved now.")


class IntakeStateSerializer(serializers.Serializer):
    current_step = serializers.IntegerField(help_text="Where the person left off (0–11).")
    next_step = serializers.IntegerField(allow_null=True, help_text="The step to continue with; null when complete.")
    completed_steps = serializers.ListField(child=serializers.IntegerField())
    is_complete = serializers.BooleanField()
    steps = IntakeStepInfoSerializer(many=True)
    step_data = serializers.DictField(
        child=serializers.DictField(),
        help_text='The saved answers by step ("step_3": {...}), in SI units; they pre-fill the steps.',
    )
    flow_version = serializers.CharField()
    started_at = serializers.DateTimeField(allow_null=True)
    last_activity_at = serializers.DateTimeField(allow_null=True)
    completed_at = serializers.DateTimeField(allow_null=True)


Choices = Any  # a TextChoices' .choices or a list of (value, label)


def _choices(choices: Choices, **kwargs: Any) -> serializers.ChoiceField:
    return serializers.ChoiceField(choices=choices, **kwargs)


def _optional(choices: Choices) -> serializers.ChoiceField:
    return serializers.ChoiceField(choices=choices, required=False, allow_blank=True, allow_null=True)


def _text(**kwargs: Any) -> serializers.CharField:
    return serializers.CharField(required=False, allow_blank=True, max_length=2000, **kwargs)


class WelcomeStepSerializer(StrictSerializer):
    unit_system = _choices(UnitSystem.choices)
    timezone = serializers.CharField(max_length=64, help_text="An IANA time zone, e.g. Europe/Berlin.")


class FitnessStepSerializer(StrictSerializer):
    fitness_level = _choices(FitnessLevel.choices)
    activity_level = _choices(ActivityLevel.choices)


class GoalsStepSerializer(StrictSerializer):
    primary_goal = _choices([(goal.value, goal.label) for goal in PRIMARY_GOALS])
    secondary_goal = _optional(GoalCategory.choices)
    target_weight_kg = serializers.DecimalField(max_digits=5, decimal_places=2, required=False, allow_null=True)
    target_body_fat_pct = serializers.DecimalField(max_digits=4, decimal_places=2, required=False, allow_null=True)
    target_timeline_weeks = serializers.IntegerField(required=False, allow_null=True)
    explanation = _text()


class BodyStepSerializer(StrictSerializer):
    birth_date = serializers.DateField()
    gender = _choices(Gender.choices)
    height_m = serializers.DecimalField(max_digits=4, decimal_places=3, help_text="Height in metres.")
    weight_kg = serializers.DecimalField(max_digits=5, decimal_places=2, help_text="Weight in kilograms.")


class InjurySerializer(StrictSerializer):
    area = _choices(BodyArea.choices)
    severity = _choices(Severity.choices)
    description = _text()


class ConstraintsStepSerializer(StrictSerializer):
    injuries = InjurySerializer(many=True, required=False)
    limitations = _text()
    equipment = serializers.ListField(child=_choices(Equipment.choices), required=False)
    workout_location = _choices(WorkoutLocation.choices)
    max_workout_minutes = serializers.IntegerField(help_text="15 to 180.")


class DietStepSerializer(StrictSerializer):
    diet_type = _choices(DietType.choices, required=False)
    diet_type_other = _text()
    allergies = serializers.ListField(child=serializers.CharField(max_length=60), required=False)
    intolerances = serializers.ListField(child=serializers.CharField(max_length=60), required=False)
    dislikes = serializers.ListField(child=serializers.CharField(max_length=60), required=False)
    religious_restrictions = serializers.ListField(child=serializers.CharField(max_length=60), required=False)
    preferred_cuisines = serializers.ListField(child=serializers.CharField(max_length=60), required=False)
    cooking_skill = _optional(SkillLevel.choices)
    meal_prep_willingness = _optional(PrepWillingness.choices)
    max_prep_minutes = serializers.IntegerField(required=False, allow_null=True)
    budget_per_day = serializers.DecimalField(max_digits=6, decimal_places=2, required=False, allow_null=True)
    notes = _text()


class MealPlanStepSerializer(StrictSerializer):
    """Every field is optional: what is left out keeps the computed target."""

    meals_per_day = serializers.IntegerField(required=False)
    energy_target_kcal = serializers.IntegerField(required=False)
    energy_min_kcal = serializers.IntegerField(required=False)
    energy_max_kcal = serializers.IntegerField(required=False)
    protein_g = serializers.DecimalField(max_digits=6, decimal_places=2, required=False)
    carbohydrate_g = serializers.DecimalField(max_digits=6, decimal_places=2, required=False)
    fat_g = serializers.DecimalField(max_digits=6, decimal_places=2, required=False)
    fiber_g = serializers.DecimalField(max_digits=6, decimal_places=2, required=False, allow_null=True)


class MealRowSerializer(StrictSerializer):
    meal_number = serializers.IntegerField()
    name = serializers.CharField(max_length=50)
    scheduled_time = serializers.TimeField()
    earliest_time = serializers.TimeField()
    latest_time = serializers.TimeField()
    notification_offset_minutes = serializers.IntegerField(required=False, default=-15)
    is_active = serializers.BooleanField(required=False, default=True)


class MealScheduleStepSerializer(StrictSerializer):
    meals = MealRowSerializer(many=True)


class WorkoutScheduleStepSerializer(StrictSerializer):
    days = serializers.ListField(child=_choices([(name, name.title()) for name in WEEKDAY_NAMES]))
    preferred_time = serializers.TimeField()
    preferred_duration_minutes = serializers.IntegerField(help_text="15 to 180.")
    reminder_enabled = serializers.BooleanField(required=False, default=True)
    reminder_offset_minutes = serializers.IntegerField(
        required=False, default=-30, help_text="Minutes relative to the time, -720 to 0."
    )
    rest_day_preference = _choices([("", "None"), *RestDayPreference.choices], required=False, allow_blank=True)


class HydrationStepSerializer(StrictSerializer):
    daily_target_ml = serializers.IntegerField(required=False)
    reminder_enabled = serializers.BooleanField(required=False)
    reminder_every_minutes = serializers.IntegerField(required=False)
    reminder_start = serializers.TimeField(required=False)
    reminder_end = serializers.TimeField(required=False)
    tone = _choices(ReminderTone.choices, required=False)
    remind_with_meals = serializers.BooleanField(required=False)


class LifestyleStepSerializer(StrictSerializer):
    # The profile API's labelled level choices, so the schema documents energy and stress apart.
    energy_level = _choices(ENERGY_CHOICES)
    stress_level = _choices(STRESS_CHOICES)
    sleep_quality = _choices(SleepQuality.choices)
    sleep_hours = serializers.DecimalField(max_digits=3, decimal_places=1, required=False, allow_null=True)
    notes = _text()


STEP_SERIALIZERS: dict[int, type[StrictSerializer]] = {
    Step.WELCOME: WelcomeStepSerializer,
    Step.FITNESS_LEVEL: FitnessStepSerializer,
    Step.GOALS: GoalsStepSerializer,
    Step.BODY: BodyStepSerializer,
    Step.CONSTRAINTS: ConstraintsStepSerializer,
    Step.DIET: DietStepSerializer,
    Step.MEAL_PLAN: MealPlanStepSerializer,
    Step.MEAL_SCHEDULE: MealScheduleStepSerializer,
    Step.WORKOUT_SCHEDULE: WorkoutScheduleStepSerializer,
    Step.HYDRATION: HydrationStepSerializer,
    Step.LIFESTYLE: LifestyleStepSerializer,
}

STEP_REQUEST = PolymorphicProxySerializer(
    component_name="IntakeStepAnswers",
    serializers=list(STEP_SERIALIZERS.values()),
    resource_type_field_name=None,
)
STEP_PARAMETER = OpenApiParameter(
    "step",
    OpenApiTypes.INT,
    OpenApiParameter.PATH,
    description="The step, 0–10: " + "; ".join(f"{step.value} {step.label}" for step in Step if step != Step.REVIEW),
)


def _state(user: User) -> Response:
    return Response(IntakeStateSerializer(selectors.intake_overview(user=user)).data)


class IntakeView(APIView):
    """The signed-in person's intake: where they are and what they answered so far."""

    @extend_schema(responses={200: IntakeStateSerializer, **error_schemas(401, 403)})
    def get(self, request: PersonApiRequest) -> Response:
        return _state(request.user)


class IntakeStepView(APIView):
    """Saves one step's answers (the body's shape depends on the step) and returns the new state."""

    def _save(self, request: PersonApiRequest, step: int) -> Response:
        serializer_class = STEP_SERIALIZERS.get(step)
        if serializer_class is None:
            if step == Step.REVIEW:
                services.intake_step_save(user=request.user, step=step, data={})  # refuses with its message
            raise NotFound()
        serializer = serializer_class(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.intake_step_save(
            user=request.user,
            step=step,
            data=dict(serializer.validated_data),
            session_id=(request.session.session_key or "") if hasattr(request, "session") else "",
            user_agent=user_agent(request),
        )
        return _state(request.user)

    @extend_schema(
        request=STEP_REQUEST,
        responses={200: IntakeStateSerializer, **error_schemas(400, 401, 403, 404)},
        parameters=[STEP_PARAMETER],
    )
    def post(self, request: PersonApiRequest, step: int) -> Response:
        return self._save(request, step)

    @extend_schema(
        request=STEP_REQUEST,
        responses={200: IntakeStateSerializer, **error_schemas(400, 401, 403, 404)},
        parameters=[STEP_PARAMETER],
    )
    def put(self, request: PersonApiRequest, step: int) -> Response:
        return self._save(request, step)


class IntakeConfirmView(APIView):
    """Applies every answer and completes the intake (harmless when it is complete already). A 400 lists the
    steps still missing under `steps`."""

    @extend_schema(request=None, responses={200: IntakeStateSerializer, **error_schemas(400, 401, 403)})
    def post(self, request: PersonApiRequest) -> Response:
        services.intake_confirm(user=request.user, audit=audit_context(request))
        return _state(request.user)


urlpatterns = [
    path("intake/", IntakeView.as_view(), name="intake"),
    path("intake/steps/<int:step>/", IntakeStepView.as_view(), name="intake-step"),
    path("intake/confirm/", IntakeConfirmView.as_view(), name="intake-confirm"),
]
