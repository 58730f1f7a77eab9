from __future__ import annotations

from django.apps import AppConfig


class TrainingConfig(AppConfig):
    name = "training"
    verbose_name = "Training"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from fitjourney.hooks import roles

        from . import media, receivers, reference  # noqa: F401 (receivers connect on import)
        from .personal_data import register_all

        register_all()
        reference.register()
        media.register()
        # Gym staff look after the exercise library: they verify what people share with everyone.
        roles.register_role_permissions(
            roles.GYM_STAFF,
            [
                "training.view_exercise",
                "training.change_exercise",
                "training.view_activitycategory",
                "training.view_activitytype",
                "training.view_metrictemplate",
            ],
        )
        # ...and the official programs (training.selectors.programs.can_edit_official): they archive and
        # mark programs official, edit days and their exercises, and read enrolments.
        roles.register_role_permissions(
            roles.GYM_STAFF,
            [
                "training.view_program",
                "training.change_program",
                "training.view_programsession",
                "training.change_programsession",
                "training.view_programexercise",
                "training.add_programexercise",
                "training.change_programexercise",
                "training.delete_programexercise",
                "training.view_enrollment",
            ],
        )
