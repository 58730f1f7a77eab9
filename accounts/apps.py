from __future__ import annotations

from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = "Accounts"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from . import audit_signals  # noqa: F401  (connects the receivers)
        from .personal_data_accounts import register_all
        from .reference_accounts import register as register_reference_data

        register_all()

        from .media import register_accounts_media

        register_accounts_media()
        register_reference_data()
