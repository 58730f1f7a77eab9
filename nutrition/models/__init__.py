from __future__ import annotations

from .diary import FoodUsage, Meal, MealItem, MealType, QuantityUnit, WaterLog
from .foods import NUTRIENTS, Food, FoodRecognitionCache, Portion
from .plans import (
    DietaryPreferences,
    DietType,
    HydrationPreferences,
    MealPlan,
    MealSchedule,
    PrepWillingness,
    ReminderTone,
    SkillLevel,
)

__all__ = [
    "NUTRIENTS",
    "DietType",
    "DietaryPreferences",
    "Food",
    "FoodRecognitionCache",
    "FoodUsage",
    "HydrationPreferences",
    "Meal",
    "MealItem",
    "MealPlan",
    "MealSchedule",
    "MealType",
    "Portion",
    "PrepWillingness",
    "QuantityUnit",
    "ReminderTone",
    "SkillLevel",
    "WaterLog",
]
