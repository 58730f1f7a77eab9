from __future__ import annotations

from django.apps import AppConfig


class SocialConfig(AppConfig):
    name = "social"
    verbose_name = "Social"
    default_auto_field = "django.db.models.BigAutoField"
