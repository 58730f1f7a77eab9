"""API: the food database. Ends with `urlpatterns`.

Reads go through nutrition.selectors.foods (the same search as the page), the write through the same
service the page uses (nutrition.services.foods.food_create).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.response import Response
from rest_framework.routers import SimpleRouter

from fitjourney.api.serializers import StrictSerializer, error_schema

from ..models import NUTRIENTS, Food, Portion
from ..portions import default_amount, portion_label
from ..selectors import foods as selectors
from ..services import foods as services

FOOD_FIELDS = ["id", "name", "brand", "category", "serving_size", "serving_unit", *NUTRIENTS, "tags",
               "is_system", "is_verified", "is_own"]  # fmt: skip


class PortionSerializer(serializers.ModelSerializer):
    class Meta:
        model = Portion
        fields = ["id", "seq", "amount", "description", "gram_weight"]  # id: what a meal item's `portion` takes
        read_only_fields = fields


class ListedPortionSerializer(serializers.Serializer):
    """A portion as the search returns it (JSON inside the one search query)."""

    id = serializers.UUIDField(read_only=True)
    label = serializers.SerializerMethodField(help_text='With its count and grams: "1 medium (118 g)".')  # type: ignore[assignment]
    amount = serializers.DecimalField(max_digits=8, decimal_places=3, read_only=True)
    description = serializers.CharField(read_only=True)
    gram_weight = serializers.DecimalField(max_digits=9, decimal_places=2, read_only=True)

    def get_label(self, obj: dict) -> str:
        return portion_label(obj["amount"], obj["description"], obj["gram_weight"])


class DefaultAmountSerializer(serializers.Serializer):
    """What to log by default: the caller's last quantity of the food, else its most natural portion."""

    quantity = serializers.DecimalField(max_digits=8, decimal_places=2, read_only=True)
    unit = serializers.CharField(read_only=True, help_text='"g", "ml" or "portion" (then `portion` is its id).')
    portion = serializers.UUIDField(read_only=True, allow_null=True)
    label = serializers.CharField(read_only=True)  # type: ignore[assignment]


class _OwnMixin(serializers.ModelSerializer):
    is_own = serializers.SerializerMethodField()

    def get_is_own(self, obj: Food) -> bool:
        request = self.context.get("request")
        return bool(request and obj.owner_id is not None and obj.owner_id == request.user.pk)


class FoodListSerializer(_OwnMixin):
    """Nutrients per 100 g; null means "not reported"."""

    portions = ListedPortionSerializer(source="portion_list", many=True, read_only=True)
    times_eaten = serializers.IntegerField(read_only=True, help_text="Your items of it in the last 90 days.")
    default_amount = serializers.SerializerMethodField()

    class Meta:
        model = Food
        fields = [*FOOD_FIELDS, "times_eaten", "portions", "default_amount"]
        read_only_fields = fields

    @extend_schema_field(DefaultAmountSerializer)
    def get_default_amount(self, obj: Any) -> dict:
        # `obj` is a search row: portions, usage and the last quantity travel as annotations.
        amount = default_amount(
            portions=obj.portion_list,
            energy_kcal=obj.energy_kcal,
            last_quantity=obj.last_quantity,
            last_unit=obj.last_unit,
            last_portion_id=obj.last_portion_id,
        )
        portion = amount.portion["id"] if amount.portion is not None else None
        return DefaultAmountSerializer(
            {"quantity": amount.quantity, "unit": amount.unit, "portion": portion, "label": amount.label}
        ).data


class FoodSerializer(_OwnMixin):
    portions = PortionSerializer(many=True, read_only=True)

    class Meta:
        model = Food
        fields = [*FOOD_FIELDS, "ndb_no", "short_name", "description", "portions", "created_at"]
        read_only_fields = fields


class FoodFilterSerializer(serializers.Serializer):
    """Query parameters of the list (not strict: `page` and `page_size` travel with them)."""

    q = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=100,
        help_text="Search as you type, best match first; empty: every food (your recent ones first), by name.",
    )
    category = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=60,
        help_text='The USDA food group, e.g. "Fruits and Fruit Juices".',
    )


def _nutrient_field(name: str) -> serializers.DecimalField:
    return serializers.DecimalField(
        max_digits=10, decimal_places=3, min_value=Decimal(0), required=False, allow_null=True,
        help_text="Per 100 g, or per serving when serving_grams is given; null or absent: not reported.",
    )  # fmt: skip


class FoodCreateSerializer(StrictSerializer):
    name = serializers.CharField(max_length=200)
    brand = serializers.CharField(max_length=100, required=False, allow_blank=True, default="")
    category = serializers.CharField(max_length=60, required=False, allow_blank=True, default="")
    description = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")
    serving_grams = serializers.DecimalField(
        max_digits=7, decimal_places=2, required=False, allow_null=True, min_value=Decimal("0.01"),
        help_text="When the values are per serving: its weight in grams (converted to per 100 g).",
    )  # fmt: skip
    energy_kcal = _nutrient_field("energy_kcal")
    protein_g = _nutrient_field("protein_g")
    carbohydrate_g = _nutrient_field("carbohydrate_g")
    fat_g = _nutrient_field("fat_g")
    fiber_g = _nutrient_field("fiber_g")
    sugars_g = _nutrient_field("sugars_g")
    sodium_mg = _nutrient_field("sodium_mg")
    saturated_fat_g = _nutrient_field("saturated_fat_g")
    cholesterol_mg = _nutrient_field("cholesterol_mg")
    potassium_mg = _nutrient_field("potassium_mg")

    def service_kwargs(self) -> dict:
        data = dict(self.validated_data)
        nutrients = {field: data.pop(field, None) for field in NUTRIENTS}
        return {**data, "nutrients": nutrients}


INVALID = error_schema("A field is not valid, or the values do not add up (`invalid`).")


class FoodViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Foods the caller may see: the system's and their own. Another person's food is a 404."""

    lookup_value_converter = "uuid"

    def get_serializer_class(self):
        if self.action == "list":
            return FoodListSerializer
        if self.action == "create":
            return FoodCreateSerializer
        return FoodSerializer

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # schema generation has no person
            return Food.objects.none()
        if self.action == "list":
            filters = FoodFilterSerializer(data=self.request.query_params)
            filters.is_valid(raise_exception=True)
            data = filters.validated_data
            return selectors.foods_search(
                user=self.request.user, q=data.get("q") or "", category=data.get("category") or None, limit=None
            )
        return selectors.foods_visible(user=self.request.user).prefetch_related("portions")

    @extend_schema(parameters=[FoodFilterSerializer], responses={200: FoodListSerializer(many=True), 400: INVALID})
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    @extend_schema(responses={200: FoodSerializer, 404: error_schema("No such food that you may see (`not_found`).")})
    def retrieve(self, request, *args, **kwargs):
        food = selectors.food_get_visible(user=request.user, food_id=kwargs["pk"])
        return Response(FoodSerializer(food, context=self.get_serializer_context()).data)

    @extend_schema(request=FoodCreateSerializer, responses={201: FoodSerializer, 400: INVALID})
    def create(self, request, *args, **kwargs):
        incoming = FoodCreateSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        food = services.food_create(owner=request.user, **incoming.service_kwargs())
        food = selectors.food_get_visible(user=request.user, food_id=food.pk)
        body = FoodSerializer(food, context=self.get_serializer_context()).data
        return Response(body, status=status.HTTP_201_CREATED)


router = SimpleRouter(use_regex_path=False)
router.register("foods", FoodViewSet, basename="food")

urlpatterns = router.urls
