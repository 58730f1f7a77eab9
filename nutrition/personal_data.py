"""How nutrition's models are exported and erased (see fitjourney/hooks/personal_data.py)."""

from __future__ import annotations

from fitjourney.hooks import personal_data as pd

from .models import (
    DietaryPreferences,
    Food,
    FoodUsage,
    HydrationPreferences,
    Meal,
    MealItem,
    MealPlan,
    MealSchedule,
    WaterLog,
)


def register_all() -> None:
    pd.register(Meal, owner="user", files=("photo",), csv=True)
    pd.register(MealItem, owner="meal__user", csv=True)
    pd.register(WaterLog, owner="user", csv=True)
    pd.register(FoodUsage, owner="user", csv=True)
    pd.register(Food, owner="owner", exclude=("search_vector",), files=("image",), csv=True)
    pd.register(DietaryPreferences, owner="user", erase=pd.DELETE_NOW)
    pd.register(MealPlan, owner="user")
    pd.register(MealSchedule, owner="user")
    pd.register(HydrationPreferences, owner="user")
