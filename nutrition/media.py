"""Who may open a meal photo (its owner) or a food image (whoever may see the food); see fitjourney/hooks/media.py."""

from __future__ import annotations

from fitjourney.hooks.media import register_media


def _meal_photo_visible(request, name: str) -> bool:
    from .models import Meal

    return Meal.objects.filter(photo=name, user=request.user, deleted_at__isnull=True).exists()


def _food_image_visible(request, name: str) -> bool:
    from .models import Food

    return Food.objects.visible_to(request.user).filter(image=name).exists()


def register() -> None:
    register_media("meals", _meal_photo_visible)
    register_media("foods", _food_image_visible)
