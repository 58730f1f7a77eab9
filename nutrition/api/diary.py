"""API: meals with their items, day summaries and water. Ends with `urlpatterns`.

Every queryset is the caller's own (another person's meal, item or water log is a 404); writes go
through nutrition.services.diary, the same services the diary page uses. A food the caller may not
see is a 400 field error. A dietary conflict is a 409 carrying the warnings, unless the request says
`"acknowledge_conflicts": true`.

POST /meals/ creates a meal with its items in one transaction (all or nothing) and honours an
`Idempotency-Key` header. Nutrition may not import training's IdempotencyKey model, and has no table
of its own for it, so the stored responses live in the Django cache (Redis in production) for 24 hours,
keyed by person, endpoint and key, with the SHA-256 of the request body: the same key and body replay
the stored 201 response (header `Idempotent-Replayed: true`) without creating anything; the same key
with another body is a 422. While the first request runs, a retry with its key gets a 409. Failed
requests are not stored, so a corrected retry with the same key goes through. If the cache is flushed
within the 24 hours a retry creates a second meal: that is the trade-off of not having a table.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from decimal import Decimal
from typing import Any

from django.core.cache import cache
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import transaction
from django.urls import path
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, extend_schema_field
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.utils.serializer_helpers import ReturnDict
from rest_framework.views import APIView

from accounts.models import User
from fitjourney import units
from fitjourney.api.errors import error_body, error_response
from fitjourney.api.pagination import PageNumberPagination
from fitjourney.api.serializers import ErrorBodySerializer, StrictSerializer, error_schema
from fitjourney.dates import date_from_path, parse_query_date
from fitjourney.db import retry_on_conflict

from ..models import Food, Meal, MealType, QuantityUnit, WaterLog
from ..selectors import diary as selectors
from ..services import diary as services

IDEMPOTENCY_ENDPOINT = "meals.create"  # POST /api/v1/meals/ (no spaces: a valid cache key)
IDEMPOTENCY_SECONDS = 24 * 3600
IN_PROGRESS = "in_progress"


# ---------------------------------------------------------------------------------------------------
# Output


def unit_system_of(serializer: serializers.Field) -> units.UnitSystem:
    """The person whose units the `*_display` fields use: the serializer's context["who"] (metric without)."""
    return serializer.context.get("who", units.METRIC)


@extend_schema_field({"type": "string", "format": "decimal", "example": "105.02"})
class DecimalText(serializers.CharField):
    """A stored decimal as its exact text ("105.02"; a total of nothing is "0")."""


class MealItemSerializer(serializers.Serializer):
    """An item with the energy and macros stored when it was added; null: the food does not report it."""

    id = serializers.UUIDField()
    meal = serializers.UUIDField(source="meal_id")
    food = serializers.UUIDField(source="food_id")
    food_name = serializers.CharField(source="food.name")
    quantity = DecimalText()
    unit = serializers.ChoiceField(choices=QuantityUnit.choices)
    portion = serializers.UUIDField(source="portion_id", allow_null=True)
    portion_label = serializers.CharField()
    grams = DecimalText()
    energy_kcal = DecimalText(allow_null=True)
    protein_g = DecimalText(allow_null=True)
    carbohydrate_g = DecimalText(allow_null=True)
    fat_g = DecimalText(allow_null=True)
    fiber_g = DecimalText(allow_null=True)


class NutrientTotalsSerializer(serializers.Serializer):
    """Sums of the items' stored values; `incomplete` names the nutrients some item does not report."""

    energy_kcal = DecimalText(source="values.energy_kcal")
    protein_g = DecimalText(source="values.protein_g")
    carbohydrate_g = DecimalText(source="values.carbohydrate_g")
    fat_g = DecimalText(source="values.fat_g")
    fiber_g = DecimalText(source="values.fiber_g")
    incomplete = serializers.ListField(child=serializers.CharField(), source="incomplete_names")
    item_count = serializers.IntegerField()


class NutrientTargetsSerializer(serializers.Serializer):
    """The meal plan's daily targets (null fiber: the plan sets none)."""

    energy_kcal = DecimalText(allow_null=True)
    protein_g = DecimalText(allow_null=True)
    carbohydrate_g = DecimalText(allow_null=True)
    fat_g = DecimalText(allow_null=True)
    fiber_g = DecimalText(allow_null=True)


class MealSerializer(serializers.Serializer):
    id = serializers.UUIDField()
    date = serializers.DateField()
    meal_type = serializers.ChoiceField(choices=MealType.choices)
    eaten_at = serializers.TimeField(format="%H:%M", allow_null=True)
    name = serializers.CharField()
    notes = serializers.CharField()
    photo = serializers.SerializerMethodField()
    recognition = serializers.JSONField(allow_null=True, help_text="Foods recognised on the photo, when set up.")
    totals = serializers.SerializerMethodField()
    items = MealItemSerializer(many=True)

    def get_photo(self, meal: Meal) -> str | None:
        return meal.photo.url if meal.photo else None

    @extend_schema_field(NutrientTotalsSerializer)
    def get_totals(self, meal: Meal) -> ReturnDict:
        return NutrientTotalsSerializer(selectors.meal_totals(meal)).data


class WaterLogSerializer(serializers.Serializer):
    """Amounts are millilitres; `*_display` says them in the person's unit ("500 ml", "17 fl oz")."""

    id = serializers.UUIDField()
    amount_ml = serializers.IntegerField()
    amount_display = serializers.SerializerMethodField()
    date = serializers.DateField()
    logged_at = serializers.DateTimeField(default_timezone=dt.UTC)

    def get_amount_display(self, log: WaterLog) -> str:
        return units.water_display(log.amount_ml, unit_system_of(self))


class DiaryWaterSerializer(serializers.Serializer):
    total_ml = serializers.IntegerField(source="water_total_ml")
    total_display = serializers.SerializerMethodField()
    target_ml = serializers.IntegerField(source="water_target_ml")
    target_display = serializers.SerializerMethodField()
    logs = WaterLogSerializer(many=True, source="water_logs")

    def get_total_display(self, summary: selectors.DaySummary) -> str:
        return units.water_display(summary.water_total_ml, unit_system_of(self))

    def get_target_display(self, summary: selectors.DaySummary) -> str:
        return units.water_display(summary.water_target_ml, unit_system_of(self))


class DiaryDaySerializer(serializers.Serializer):
    """A day of the diary (a selectors.diary.DaySummary): meals, totals against the plan, water."""

    date = serializers.DateField()
    meals = MealSerializer(many=True)
    totals = NutrientTotalsSerializer()
    targets = NutrientTargetsSerializer(allow_null=True)
    water = DiaryWaterSerializer(source="*")


class WaterDaySerializer(serializers.Serializer):
    date = serializers.DateField()
    total_ml = serializers.IntegerField()
    total_display = serializers.SerializerMethodField()
    logs = WaterLogSerializer(many=True)

    def get_total_display(self, day: dict[str, Any]) -> str:
        return units.water_display(day["total_ml"], unit_system_of(self))


class DietaryConflictBodySerializer(ErrorBodySerializer):
    warnings = serializers.ListField(child=serializers.CharField(), help_text="Each conflict, in plain words.")


class DietaryConflictResponseSerializer(serializers.Serializer):
    """The error shape with the conflicts' `warnings` (code `dietary_conflict`)."""

    error = DietaryConflictBodySerializer()


CONFLICT_MESSAGE = (
    'This food conflicts with your dietary preferences. Send "acknowledge_conflicts": true to add it anyway.'
)


def conflict_response(warnings: list[str]) -> Response:
    body = error_body(409, "dietary_conflict", CONFLICT_MESSAGE)
    body["error"]["warnings"] = warnings
    return Response(body, status=409)


# The errors each operation may answer, in the shared shape (fitjourney.api.serializers.ErrorResponseSerializer).
INVALID = error_schema("A field is not valid, or the service refused the change (`invalid`).")
NOT_FOUND = error_schema("No such meal, item or water log of yours (`not_found`).")
CONFLICT = OpenApiResponse(
    DietaryConflictResponseSerializer,
    description="The food conflicts with your dietary preferences (`dietary_conflict`, with `warnings`).",
)


# ---------------------------------------------------------------------------------------------------
# Input


class ItemIn(StrictSerializer):
    food = serializers.UUIDField()
    quantity = serializers.DecimalField(max_digits=8, decimal_places=2, min_value=Decimal("0.01"))
    unit = serializers.ChoiceField(choices=QuantityUnit.choices, default=QuantityUnit.GRAM)
    portion = serializers.UUIDField(required=False, allow_null=True, help_text="One of the food's portions.")


class ItemAddIn(ItemIn):
    acknowledge_conflicts = serializers.BooleanField(required=False, default=False)


class ItemPatch(StrictSerializer):
    quantity = serializers.DecimalField(max_digits=8, decimal_places=2, min_value=Decimal("0.01"), required=False)
    unit = serializers.ChoiceField(choices=QuantityUnit.choices, required=False)
    portion = serializers.UUIDField(required=False, allow_null=True)


class MealFieldsIn(StrictSerializer):
    date = serializers.DateField(required=False)
    meal_type = serializers.ChoiceField(choices=MealType.choices, required=False)
    eaten_at = serializers.TimeField(required=False, allow_null=True)
    name = serializers.CharField(required=False, allow_blank=True, max_length=200)
    notes = serializers.CharField(required=False, allow_blank=True, max_length=5000)


class MealCreateIn(MealFieldsIn):
    date = serializers.DateField()
    meal_type = serializers.ChoiceField(choices=MealType.choices)
    items = ItemIn(many=True, required=False, default=list)
    acknowledge_conflicts = serializers.BooleanField(required=False, default=False)


class WaterIn(StrictSerializer):
    amount_ml = serializers.IntegerField(min_value=1, max_value=5000)
    date = serializers.DateField(required=False, help_text="Your local date; today when omitted.")


def _foods(user, ids) -> dict:
    """The foods the caller may see, with portions (one query each, whatever the item count)."""
    return {f.pk: f for f in Food.objects.visible_to(user).filter(pk__in=set(ids)).prefetch_related("portions")}


def _portion(food, portion_id):
    if portion_id is None:
        return None
    return next((p for p in food.portions.all() if p.pk == portion_id), False)


def _resolve_item(foods: dict, item: dict, prefix: str = "") -> dict:
    food = foods.get(item["food"])
    if food is None:
        raise DjangoValidationError({f"{prefix}food": ["Food not found."]})
    portion = _portion(food, item.get("portion"))
    if portion is False:
        raise DjangoValidationError({f"{prefix}portion": [f"Choose one of {food.name}'s portions."]})
    return {"food": food, "quantity": item["quantity"], "unit": item["unit"], "portion": portion}


def _prefixed(exc: DjangoValidationError, prefix: str) -> DjangoValidationError:
    if hasattr(exc, "error_dict"):
        return DjangoValidationError({f"{prefix}{k}": v for k, v in exc.message_dict.items()})
    return DjangoValidationError({prefix.rstrip("."): exc.messages})


# ---------------------------------------------------------------------------------------------------
# Idempotency (see the module docstring)


def _request_hash(data) -> str:
    return hashlib.sha256(json.dumps(data, sort_keys=True, default=str).encode()).hexdigest()


def _cache_key(user, key: str) -> str:
    digest = hashlib.sha256(key.encode()).hexdigest()
    return f"nutrition:idempotency:{user.pk}:{IDEMPOTENCY_ENDPOINT}:{digest}"


def _replay(stored: dict, digest: str) -> Response:
    if stored["request_hash"] != digest:
        return error_response(
            422, "idempotency_key_reused", "This Idempotency-Key was used with a different request body. Use a new key."
        )
    if stored["state"] == IN_PROGRESS:
        return error_response(409, "idempotency_in_progress", "A request with this Idempotency-Key is still running.")
    response = Response(stored["body"], status=stored["status"])
    response["Idempotent-Replayed"] = "true"
    return response


# ---------------------------------------------------------------------------------------------------
# Views


@retry_on_conflict
def _meal_create_whole(*, user, data: dict, resolved: list[dict]):
    """The meal and all its items in one transaction: all or nothing (a dietary conflict not acknowledged
    rolls it back with every item's warning). Run again should it lose a deadlock (fitjourney.db)."""
    warnings: list[str] = []
    with transaction.atomic():
        meal = services.meal_create(
            user=user,
            date=data["date"],
            meal_type=data["meal_type"],
            eaten_at=data.get("eaten_at"),
            name=data.get("name", ""),
            notes=data.get("notes", ""),
        )
        for n, item in enumerate(resolved):
            try:
                services.item_add(user=user, meal=meal, acknowledge_conflicts=data["acknowledge_conflicts"], **item)
            except services.ConflictWarning as warning:
                warnings.extend(f"items[{n}]: {w}" for w in warning.messages)
            except DjangoValidationError as exc:
                raise _prefixed(exc, f"items[{n}].") from exc
        if warnings:
            raise services.ConflictWarning(warnings)
    return meal


class MealListView(APIView):
    pagination_class = PageNumberPagination

    @extend_schema(
        parameters=[OpenApiParameter("date", OpenApiTypes.DATE, description="Only the meals of this local date.")],
        responses={200: MealSerializer(many=True), 400: INVALID},
        operation_id="meals_list",
    )
    def get(self, request):
        qs = selectors.meals_for_user(user=request.user).prefetch_related(selectors.items_prefetch())
        if request.query_params.get("date"):
            qs = qs.filter(date=parse_query_date(request.query_params["date"], field="date"))
        paginator = self.pagination_class()
        page = paginator.paginate_queryset(qs, request, view=self) or []
        return paginator.get_paginated_response(MealSerializer(page, many=True).data)

    @extend_schema(
        request=MealCreateIn,
        parameters=[
            OpenApiParameter(
                "Idempotency-Key",
                OpenApiTypes.STR,
                OpenApiParameter.HEADER,
                description="Up to 100 characters: a retry with the same key and body replays the 201.",
            )
        ],
        responses={
            201: MealSerializer,
            400: INVALID,
            409: OpenApiResponse(
                DietaryConflictResponseSerializer,
                description="A food conflicts with your dietary preferences (`dietary_conflict`, with `warnings`), "
                "or a request with this Idempotency-Key is still running (`idempotency_in_progress`).",
            ),
            422: error_schema("The Idempotency-Key was used with another body (`idempotency_key_reused`)."),
        },
    )
    def post(self, request):
        key = request.headers.get("Idempotency-Key", "").strip()
        if len(key) > 100:
            return error_response(400, "invalid", "The Idempotency-Key is at most 100 characters.")
        digest = _request_hash(request.data)
        cache_key = _cache_key(request.user, key) if key else None
        if cache_key:
            placeholder = {"state": IN_PROGRESS, "request_hash": digest}
            if not cache.add(cache_key, placeholder, IDEMPOTENCY_SECONDS):
                stored = cache.get(cache_key)
                if stored is not None:
                    return _replay(stored, digest)
                cache.set(cache_key, placeholder, IDEMPOTENCY_SECONDS)
        try:
            response = self._create(request.data, user=request.user)
        except BaseException:
            if cache_key:
                cache.delete(cache_key)
            raise
        if cache_key:
            if response.status_code == 201:
                stored = {"state": "done", "request_hash": digest, "status": 201, "body": response.data}
                cache.set(cache_key, stored, IDEMPOTENCY_SECONDS)
            else:
                cache.delete(cache_key)
        return response

    def _create(self, payload: Any, *, user: User) -> Response:
        serializer = MealCreateIn(data=payload)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        foods = _foods(user, [i["food"] for i in data["items"]])
        resolved = [_resolve_item(foods, item, f"items[{n}].") for n, item in enumerate(data["items"])]
        try:
            meal = _meal_create_whole(user=user, data=data, resolved=resolved)
        except services.ConflictWarning as warning:
            return conflict_response(warning.messages)
        meal = selectors.meal_get_for_user(user=user, meal_id=meal.pk)
        return Response(MealSerializer(meal).data, status=status.HTTP_201_CREATED)


class MealDetailView(APIView):
    @extend_schema(responses={200: MealSerializer, 404: NOT_FOUND})
    def get(self, request, meal_id):
        return Response(MealSerializer(selectors.meal_get_for_user(user=request.user, meal_id=meal_id)).data)

    @extend_schema(request=MealFieldsIn, responses={200: MealSerializer, 400: INVALID, 404: NOT_FOUND})
    def patch(self, request, meal_id):
        meal = selectors.meal_get_for_user(user=request.user, meal_id=meal_id)
        serializer = MealFieldsIn(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        services.meal_update(user=request.user, meal=meal, **serializer.validated_data)
        return Response(MealSerializer(selectors.meal_get_for_user(user=request.user, meal_id=meal_id)).data)

    @extend_schema(responses={204: None, 404: NOT_FOUND})
    def delete(self, request, meal_id):
        services.meal_delete(user=request.user, meal=selectors.meal_get_for_user(user=request.user, meal_id=meal_id))
        return Response(status=status.HTTP_204_NO_CONTENT)


class MealItemsView(APIView):
    @extend_schema(request=ItemAddIn, responses={201: MealItemSerializer, 400: INVALID, 404: NOT_FOUND, 409: CONFLICT})
    def post(self, request, meal_id):
        meal = selectors.meal_get_for_user(user=request.user, meal_id=meal_id)
        serializer = ItemAddIn(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        item = _resolve_item(_foods(request.user, [data["food"]]), data)
        try:
            created = services.item_add(
                user=request.user, meal=meal, acknowledge_conflicts=data["acknowledge_conflicts"], **item
            )
        except services.ConflictWarning as warning:
            return conflict_response(warning.messages)
        created = selectors.item_get_for_user(user=request.user, item_id=created.pk)
        return Response(MealItemSerializer(created).data, status=status.HTTP_201_CREATED)


class MealItemDetailView(APIView):
    @extend_schema(request=ItemPatch, responses={200: MealItemSerializer, 400: INVALID, 404: NOT_FOUND})
    def patch(self, request, item_id):
        item = selectors.item_get_for_user(user=request.user, item_id=item_id)
        serializer = ItemPatch(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        portion = None
        if data.get("portion") is not None:
            portion = _portion(_foods(request.user, [item.food_id]).get(item.food_id) or item.food, data["portion"])
            if portion is False:
                raise DjangoValidationError({"portion": [f"Choose one of {item.food.name}'s portions."]})
        services.item_update(
            user=request.user, item=item, quantity=data.get("quantity"), unit=data.get("unit"), portion=portion
        )
        return Response(MealItemSerializer(selectors.item_get_for_user(user=request.user, item_id=item_id)).data)

    @extend_schema(responses={204: None, 404: NOT_FOUND})
    def delete(self, request, item_id):
        services.item_delete(user=request.user, item=selectors.item_get_for_user(user=request.user, item_id=item_id))
        return Response(status=status.HTTP_204_NO_CONTENT)


class DayView(APIView):
    @extend_schema(
        responses={200: DiaryDaySerializer, 404: error_schema("Not a date (YYYY-MM-DD) (`not_found`).")},
        operation_id="days_retrieve",
    )
    def get(self, request, day):
        date = date_from_path(day)
        if date is None:
            return error_response(404, "not_found", "Not found.")
        summary = selectors.day_summary(user=request.user, date=date)
        return Response(DiaryDaySerializer(summary, context={"who": request.user}).data)


class WaterListView(APIView):
    @extend_schema(
        parameters=[OpenApiParameter("date", OpenApiTypes.DATE, description="A local date; today when omitted.")],
        responses={200: WaterDaySerializer, 400: INVALID},
        operation_id="water_list",
    )
    def get(self, request):
        date = request.query_params.get("date")
        date = parse_query_date(date, field="date") if date else request.user.local_today()
        logs = selectors.water_logs_for_day(user=request.user, date=date)
        day = {"date": date, "total_ml": sum(w.amount_ml for w in logs), "logs": logs}
        return Response(WaterDaySerializer(day, context={"who": request.user}).data)

    @extend_schema(request=WaterIn, responses={201: WaterLogSerializer, 400: INVALID})
    def post(self, request):
        serializer = WaterIn(data=request.data)
        serializer.is_valid(raise_exception=True)
        log = services.water_log_add(user=request.user, **serializer.validated_data)
        return Response(WaterLogSerializer(log, context={"who": request.user}).data, status=status.HTTP_201_CREATED)


class WaterDetailView(APIView):
    @extend_schema(responses={204: None, 404: NOT_FOUND})
    def delete(self, request, water_log_id):
        log = selectors.water_log_get_for_user(user=request.user, water_log_id=water_log_id)
        services.water_log_delete(user=request.user, water_log=log)
        return Response(status=status.HTTP_204_NO_CONTENT)


urlpatterns = [
    path("meals/", MealListView.as_view(), name="meals"),
    path("meals/<uuid:meal_id>/", MealDetailView.as_view(), name="meal"),
    path("meals/<uuid:meal_id>/items/", MealItemsView.as_view(), name="meal-items"),
    path("meal-items/<uuid:item_id>/", MealItemDetailView.as_view(), name="meal-item"),
    path("days/<str:day>/", DayView.as_view(), name="diary-day"),
    path("water/", WaterListView.as_view(), name="water-logs"),
    path("water/<uuid:water_log_id>/", WaterDetailView.as_view(), name="water-log"),
]
