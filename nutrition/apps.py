from __future__ import annotations

from django.apps import AppConfig


class NutritionConfig(AppConfig):
    name = "nutrition"
    verbose_name = "Nutrition"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from fitjourney.hooks import roles

        from . import media, reference
        from .personal_data import register_all

        register_all()
        reference.register()
        media.register()
        # Gym staff look after the food database: they verify and correct foods and their portions.
        # Trainers get nothing here: people's own foods are private, and system foods are on the site.
        roles.register_role_permissions(
            roles.GYM_STAFF,
            [
                "nutrition.view_food",
                "nutrition.change_food",
                "nutrition.view_portion",
                "nutrition.add_portion",
                "nutrition.change_portion",
                "nutrition.delete_portion",
            ],
        )
