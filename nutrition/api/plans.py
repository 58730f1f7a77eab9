"""API: the signed-in person's meal plan, meal schedule, dietary and hydration preferences. Writes go
through the same services as the pages (nutrition.services.plans, .preferences, .hydration); service
refusals come back as 400 in the shared error shape. Ends with `urlpatterns`.
"""

from __future__ import annotations

from decimal import Decimal

from django.urls import path
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.request_info import audit_context
from fitjourney import units
from fitjourney.api.serializers import StrictModelSerializer, StrictSerializer, error_schema
from fitjourney.errors import NotFound

from ..models import DietaryPreferences, DietType, HydrationPreferences, MealPlan, MealSchedule, ReminderTone
from ..selectors import plans as selectors
from ..services import hydration as hydration_services
from ..services import plans as services
from ..services import preferences as preference_services
from .diary import unit_system_of


class MealPlanSerializer(serializers.ModelSerializer):
    """Weights are kilograms; `weight_at_calculation_display` says it in the person's unit ("80 kg", "176.4 lb")."""

    recalculation_suggested = serializers.SerializerMethodField()
    weight_at_calculation_display = serializers.SerializerMethodField()

    class Meta:
        model = MealPlan
        fields = [
            *services.ADJUSTABLE_FIELDS,
            *services.PERCENT_FIELDS,
            "rationale",
            "inputs",
            "weight_at_calculation_kg",
            "weight_at_calculation_display",
            "is_locked",
            "locked_at",
            "last_recalculated_at",
            "recalculation_reason",
            "recalculation_suggested",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields

    def get_recalculation_suggested(self, plan: MealPlan) -> bool:
        return selectors.recalculation_suggested(user=plan.user, plan=plan)

    def get_weight_at_calculation_display(self, plan: MealPlan) -> str | None:
        return units.weight_display(plan.weight_at_calculation_kg, unit_system_of(self)) or None


GRAMS = {"min_value": Decimal("0.01"), "required": False}


class MealPlanPatchSerializer(StrictModelSerializer):
    """The fields meal_plan_update accepts, each optional; the service checks the rules between them."""

    class Meta:
        model = MealPlan
        fields = services.ADJUSTABLE_FIELDS
        extra_kwargs = {
            "meals_per_day": {"min_value": 2, "max_value": 8, "required": False},
            "energy_target_kcal": {"min_value": 1000, "max_value": 5000, "required": False},
            "energy_min_kcal": {"min_value": 1, "required": False},
            "energy_max_kcal": {"min_value": 1, "required": False},
            "protein_g": GRAMS,
            "carbohydrate_g": GRAMS,
            "fat_g": GRAMS,
            "fiber_g": {"min_value": 0, "required": False, "allow_null": True},
        }


class CalculateSerializer(StrictSerializer):
    meals_per_day = serializers.IntegerField(min_value=2, max_value=8, required=False)


class RecalculateSerializer(StrictSerializer):
    reason = serializers.CharField(max_length=1000)


def _plan_response(user, status: int = 200) -> Response:
    plan = selectors.meal_plan_for_user(user=user)
    if plan is None:
        raise NotFound("No meal plan yet.")
    return Response(MealPlanSerializer(plan, context={"who": user}).data, status=status)


# The errors each operation may answer, in the shared shape (fitjourney.api.serializers.ErrorResponseSerializer).
INVALID = error_schema("A field is not valid, or the service refused it: the rules, a locked plan (`invalid`).")
NO_PLAN = error_schema("You have no meal plan yet: calculate one first (`not_found`).")


class MealPlanView(APIView):
    @extend_schema(responses={200: MealPlanSerializer, 404: NO_PLAN})
    def get(self, request):
        return _plan_response(request.user)

    @extend_schema(request=MealPlanPatchSerializer, responses={200: MealPlanSerializer, 400: INVALID})
    def patch(self, request):
        serializer = MealPlanPatchSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        # The service merges the changes into the plan and checks the rules (±50 kcal included).
        services.meal_plan_update(user=request.user, audit=audit_context(request), changes=serializer.validated_data)
        return _plan_response(request.user)


class MealPlanCalculateView(APIView):
    @extend_schema(
        request=CalculateSerializer,
        responses={
            200: MealPlanSerializer,
            400: error_schema("The profile lacks what the targets need (`invalid`), or the plan is locked."),
        },
    )
    def post(self, request):
        serializer = CalculateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.meal_plan_calculate(
            user=request.user,
            audit=audit_context(request),
            meals_per_day=serializer.validated_data.get("meals_per_day"),
        )
        return _plan_response(request.user)


class MealPlanRecalculateView(APIView):
    @extend_schema(request=RecalculateSerializer, responses={200: MealPlanSerializer, 400: INVALID})
    def post(self, request):
        serializer = RecalculateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.meal_plan_recalculate(
            user=request.user, audit=audit_context(request), reason=serializer.validated_data["reason"], by=request.user
        )
        return _plan_response(request.user)


class MealPlanLockView(APIView):
    @extend_schema(request=None, responses={200: MealPlanSerializer, 400: INVALID})
    def post(self, request):
        services.meal_plan_lock(user=request.user, audit=audit_context(request))
        return _plan_response(request.user)


class MealPlanUnlockView(APIView):
    @extend_schema(request=None, responses={200: MealPlanSerializer, 400: INVALID})
    def post(self, request):
        services.meal_plan_unlock(user=request.user, audit=audit_context(request))
        return _plan_response(request.user)


class MealScheduleSerializer(StrictSerializer, serializers.ModelSerializer):
    class Meta:
        model = MealSchedule
        fields = [*services.MEAL_SCHEDULE_FIELDS, "last_reminded_on"]
        read_only_fields = ["last_reminded_on"]
        extra_kwargs = {"notification_offset_minutes": {"min_value": -120, "max_value": 0}}
        validators: list = []  # uniqueness per person is the service's (the owner is not in the payload)


class MealScheduleWriteSerializer(StrictSerializer):
    meals = MealScheduleSerializer(many=True)


class MealScheduleView(APIView):
    @extend_schema(responses=MealScheduleWriteSerializer)
    def get(self, request):
        rows = selectors.meal_schedule_for_user(user=request.user)
        return Response(MealScheduleWriteSerializer({"meals": rows}).data)

    @extend_schema(
        request=MealScheduleWriteSerializer,
        responses={
            200: MealScheduleWriteSerializer,
            400: error_schema("A row is not valid, two windows overlap, or there is no plan yet (`invalid`)."),
        },
    )
    def put(self, request):
        serializer = MealScheduleWriteSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        rows = services.meal_schedule_set(user=request.user, meals=serializer.validated_data["meals"])
        return Response(MealScheduleWriteSerializer({"meals": rows}).data)


class DietaryPreferencesSerializer(StrictSerializer, serializers.ModelSerializer):
    diet_type = serializers.ChoiceField(choices=DietType.choices, required=False)

    class Meta:
        model = DietaryPreferences
        fields = [*preference_services.PREFERENCE_FIELDS, "updated_at"]
        read_only_fields = ["updated_at"]


class DietaryPreferencesView(APIView):
    @extend_schema(responses=DietaryPreferencesSerializer)
    def get(self, request):
        prefs = selectors.dietary_preferences_for_user(user=request.user) or DietaryPreferences(user=request.user)
        return Response(DietaryPreferencesSerializer(prefs).data)

    @extend_schema(request=DietaryPreferencesSerializer, responses={200: DietaryPreferencesSerializer, 400: INVALID})
    def put(self, request):
        serializer = DietaryPreferencesSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        prefs = preference_services.dietary_preferences_set(user=request.user, **serializer.validated_data)
        return Response(DietaryPreferencesSerializer(prefs).data)


class HydrationPreferencesSerializer(StrictSerializer, serializers.ModelSerializer):
    """The target is millilitres; `daily_target_display` says it in the person's unit ("2,000 ml", "68 fl oz")."""

    tone = serializers.ChoiceField(choices=ReminderTone.choices, required=False)
    daily_target_display = serializers.SerializerMethodField()

    class Meta:
        model = HydrationPreferences
        fields = [*hydration_services.HYDRATION_FIELDS, "daily_target_display", "last_reminded_at", "updated_at"]
        read_only_fields = ["last_reminded_at", "updated_at"]

    def get_daily_target_display(self, prefs: HydrationPreferences) -> str:
        return units.water_display(prefs.daily_target_ml, unit_system_of(self))


class HydrationPreferencesView(APIView):
    @extend_schema(responses=HydrationPreferencesSerializer)
    def get(self, request):
        prefs = selectors.hydration_preferences_for_user(user=request.user) or HydrationPreferences(user=request.user)
        return Response(HydrationPreferencesSerializer(prefs, context={"who": request.user}).data)

    @extend_schema(
        request=HydrationPreferencesSerializer, responses={200: HydrationPreferencesSerializer, 400: INVALID}
    )
    def put(self, request):
        serializer = HydrationPreferencesSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        prefs = hydration_services.hydration_preferences_set(user=request.user, **serializer.validated_data)
        return Response(HydrationPreferencesSerializer(prefs, context={"who": request.user}).data)


urlpatterns = [
    path("meal-plan/", MealPlanView.as_view(), name="meal-plan"),
    path("meal-plan/calculate/", MealPlanCalculateView.as_view(), name="meal-plan-calculate"),
    path("meal-plan/recalculate/", MealPlanRecalculateView.as_view(), name="meal-plan-recalculate"),
    path("meal-plan/lock/", MealPlanLockView.as_view(), name="meal-plan-lock"),
    path("meal-plan/unlock/", MealPlanUnlockView.as_view(), name="meal-plan-unlock"),
    path("meal-schedule/", MealScheduleView.as_view(), name="meal-schedule"),
    path("dietary-preferences/", DietaryPreferencesView.as_view(), name="dietary-preferences"),
    path("hydration-preferences/", HydrationPreferencesView.as_view(), name="hydration-preferences"),
]
