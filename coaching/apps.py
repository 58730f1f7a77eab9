from __future__ import annotations

from django.apps import AppConfig


class CoachingConfig(AppConfig):
    name = "coaching"
    verbose_name = "Coaching"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from . import receivers, reference  # noqa: F401  (receivers connect on import)
        from .personal_data import register_all

        register_all()
        reference.register()
        self._register_intake()
        self._register_trainers()

    def _register_trainers(self) -> None:
        from fitjourney.hooks.scoping import register_trainer_clients_resolver

        from .selectors.clients import trainer_clients_people

        # Trainers see the people whose active link grants the kind of data asked for (admin, selectors).
        register_trainer_clients_resolver(trainer_clients_people)

    def _register_intake(self) -> None:
        from fitjourney.hooks import roles
        from fitjourney.hooks.me import register_me_section

        from .api.intake import IntakeMeSerializer
        from .selectors.intake import intake_progress

        # /api/v1/me/ says whether the intake is complete and where to continue (accounts never imports us).
        register_me_section("intake", intake_progress, IntakeMeSerializer)
        # Gym staff see the intake funnel and may reset a person's intake, and may set a goal's status.
        # Trainers get nothing here yet; when they do, GoalAdmin shows them only clients who share their
        # training on an active link (ScopedAdmin.access_area, fitjourney.hooks.scoping).
        roles.register_role_permissions(
            roles.GYM_STAFF,
            [
                "coaching.view_onboardingstate",
                "coaching.change_onboardingstate",
                "coaching.view_goal",
                "coaching.change_goal",
            ],
        )
