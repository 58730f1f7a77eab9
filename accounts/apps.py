from __future__ import annotations

from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = "Accounts"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from fitjourney.hooks import roles

        from . import audit_signals, media, personal_data, reference  # noqa: F401  (audit_signals connects)

        personal_data.register_all()
        media.register()
        reference.register()
        # Trainers see the people they coach (fitjourney.hooks.scoping); gym staff look after accounts.
        roles.register_role_permissions(roles.TRAINER, ["accounts.view_user"])
        roles.register_role_permissions(
            roles.GYM_STAFF,
            [
                "accounts.view_user",
                "accounts.change_user",
                "accounts.view_apitoken",
                "accounts.view_auditlog",
                "axes.view_accessattempt",
            ],
        )
