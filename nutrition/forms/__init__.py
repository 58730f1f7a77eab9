"""Forms of nutrition's pages, one module per area: validation only; the services do the writes."""

from __future__ import annotations

from .diary import DayCopyForm, ItemForm, MealCopyForm, MealFieldsForm, MealPhotoForm, WaterForm, unit_choices
from .foods import FoodCreateForm, FoodSearchForm
from .plans import (
    SCHEDULE_FIELDS,
    DietaryPreferencesForm,
    HydrationPreferencesForm,
    MealScheduleFormSet,
    MealScheduleRowForm,
    MealsPerDayForm,
    PlanAdjustForm,
    RecalculateForm,
)

__all__ = [
    "SCHEDULE_FIELDS",
    "DayCopyForm",
    "DietaryPreferencesForm",
    "FoodCreateForm",
    "FoodSearchForm",
    "HydrationPreferencesForm",
    "ItemForm",
    "MealCopyForm",
    "MealFieldsForm",
    "MealPhotoForm",
    "MealScheduleFormSet",
    "MealScheduleRowForm",
    "MealsPerDayForm",
    "PlanAdjustForm",
    "RecalculateForm",
    "WaterForm",
    "unit_choices",
]
