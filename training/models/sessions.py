from __future__ import annotations

import datetime as dt
import uuid

from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVector, SearchVectorField
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Cast, Extract

from accounts.models import Unit, User
from fitjourney import scales
from fitjourney.dates import date_range_check, datetime_range_check

from .library import ActivityType, Exercise

TEMPO_RE = r"^[0-9X]-[0-9X]-[0-9X]-[0-9X]$"

# The bounds every session obeys (the services refuse more with a field error, the database checks the
# duration). They also bound every stored total, so the columns below are sized from them.
MAX_SESSION_DURATION = dt.timedelta(hours=24)
MAX_EXERCISES_PER_SESSION = 50
MAX_SETS_PER_EXERCISE = 200
MAX_REPS = 10_000
MAX_WEIGHT_KG = 1_000
# Volume: reps × weight of a set, summed over an exercise's sets, then over the session's exercises.
MAX_SET_VOLUME_KG = MAX_REPS * MAX_WEIGHT_KG  # 10^7
MAX_EXERCISE_VOLUME_KG = MAX_SETS_PER_EXERCISE * MAX_SET_VOLUME_KG  # 2 × 10^9: numeric(12,2) holds < 10^10
MAX_SESSION_VOLUME_KG = MAX_EXERCISES_PER_SESSION * MAX_EXERCISE_VOLUME_KG  # 10^11: numeric(16,2) holds < 10^14
# Calories: MET × body weight × hours. A MET is below 25 (the types' and exercises' checks), a body weight
# below 500 kg (accounts' check), a session at most 24 h: below 3 × 10^5 kcal. numeric(10,2) holds < 10^8,
# room to spare if a bound moves (a year-long session once overflowed the old numeric(8,2)).
MAX_SESSION_CALORIES = 25 * 500 * 24


# The one mood scale of the platform (the journal uses it too).
Mood = scales.Mood


class SessionStatus(models.TextChoices):
    IN_PROGRESS = "in_progress", "In progress"
    FINISHED = "finished", "Finished"


def _one_to_ten(field: str) -> Q:
    return Q(**{f"{field}__isnull": True}) | Q(**{f"{field}__gte": 1, f"{field}__lte": 10})


class SessionQuerySet(models.QuerySet["Session"]):
    def for_user(self, user: User) -> SessionQuerySet:
        return self.filter(user=user, deleted_at__isnull=True)

    def performed(self) -> SessionQuerySet:
        return self.filter(is_template=False)

    def templates(self) -> SessionQuerySet:
        return self.filter(is_template=True)


class Session(models.Model):
    """One performed workout or activity, or a template (seeds 000 workouts, 001 workout_sessions,
    002 activity_session, 004 session_cards' workout part)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="training_sessions")
    activity_type = models.ForeignKey(ActivityType, on_delete=models.PROTECT, related_name="sessions")
    name = models.CharField(max_length=200, blank=True)
    status = models.CharField(max_length=20, choices=SessionStatus, default=SessionStatus.IN_PROGRESS)
    started_at = models.DateTimeField()
    ended_at = models.DateTimeField(null=True, blank=True)
    duration_seconds = models.GeneratedField(
        expression=Cast(
            Extract(
                models.ExpressionWrapper(F("ended_at") - F("started_at"), output_field=models.DurationField()), "epoch"
            ),
            models.IntegerField(),
        ),
        output_field=models.IntegerField(),
        db_persist=True,
    )
    local_date = models.DateField(help_text="The day it started, in the person's time zone.")
    location = models.CharField(max_length=100, blank=True)
    weather = models.CharField(max_length=100, blank=True)
    mood_before = models.CharField(max_length=10, choices=Mood, blank=True)
    mood_after = models.CharField(max_length=10, choices=Mood, blank=True)
    energy_level = models.PositiveSmallIntegerField(null=True, blank=True)
    rating = models.PositiveSmallIntegerField(null=True, blank=True)
    perceived_exertion = models.PositiveSmallIntegerField(null=True, blank=True)
    avg_heart_rate = models.PositiveSmallIntegerField(null=True, blank=True)
    max_heart_rate = models.PositiveSmallIntegerField(null=True, blank=True)
    injuries = models.TextField(blank=True)
    notes = models.TextField(blank=True)
    # Sized from MAX_SESSION_VOLUME_KG and MAX_SESSION_CALORIES above, with a wide margin.
    total_volume_kg = models.DecimalField(max_digits=16, decimal_places=2, default=0)
    calories_kcal = models.DecimalField(max_digits=10, decimal_places=2, null=True, blank=True)
    # The MET its calories were counted with, and the 2024 Compendium code it comes from (training.compendium;
    # empty: the type's or the exercises' own MET). Kept so the session page can cite it.
    met = models.DecimalField("MET", max_digits=4, decimal_places=2, null=True, blank=True)
    met_code = models.CharField("Compendium code", max_length=5, blank=True)
    is_personal_record = models.BooleanField(default=False)
    is_template = models.BooleanField(default=False)
    template_name = models.CharField(max_length=200, blank=True)
    source_template = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="+", help_text="Started from."
    )
    # A trainer who logged the session on the person's behalf (with the person's grant); empty otherwise.
    recorded_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", help_text="A trainer, or empty."
    )
    # A session started from a program day: finishing it marks the day done and moves the enrolment on.
    enrollment = models.ForeignKey(
        "training.Enrollment",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="sessions",
        db_index=False,  # the partial index below: most sessions follow no program
    )
    program_session = models.ForeignKey(
        "training.ProgramSession",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        db_index=False,  # read through the session; the program's deletion finds them by the partial index
    )
    search_vector = models.GeneratedField(
        expression=SearchVector("name", "notes", "template_name", "location", config="english"),
        output_field=SearchVectorField(),
        db_persist=True,
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    deleted_at = models.DateTimeField(null=True, blank=True)

    objects = SessionQuerySet.as_manager()

    class Meta:
        ordering = ["-started_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ended_at__isnull=True) | Q(ended_at__gte=F("started_at")),
                name="training_session_ended_after_started",
                violation_error_message="A session cannot end before it starts.",
            ),
            # No longer than a day: beyond it the minutes and calories of a day's summary mean nothing
            # (a year-long session once overflowed the calories column). On the generated duration in
            # seconds, not on started_at + interval '1 day', whose length follows the session's time zone.
            models.CheckConstraint(
                condition=Q(duration_seconds__isnull=True)
                | Q(duration_seconds__lte=int(MAX_SESSION_DURATION.total_seconds())),
                name="training_session_at_most_a_day",
                violation_error_message="A session lasts at most 24 hours.",
            ),
            # Dates people enter stay in the range every date shares (fitjourney.dates).
            models.CheckConstraint(condition=date_range_check("local_date"), name="training_session_date_range"),
            models.CheckConstraint(
                condition=datetime_range_check("started_at"), name="training_session_started_at_range"
            ),
            models.CheckConstraint(
                condition=datetime_range_check("ended_at", nullable=True), name="training_session_ended_at_range"
            ),
            models.CheckConstraint(condition=_one_to_ten("energy_level"), name="training_session_energy_1_10"),
            models.CheckConstraint(condition=_one_to_ten("rating"), name="training_session_rating_1_10"),
            models.CheckConstraint(condition=_one_to_ten("perceived_exertion"), name="training_session_rpe_1_10"),
            models.CheckConstraint(
                condition=Q(avg_heart_rate__isnull=True) | Q(avg_heart_rate__gte=20, avg_heart_rate__lte=250),
                name="training_session_avg_hr_range",
            ),
            models.CheckConstraint(
                condition=Q(max_heart_rate__isnull=True) | Q(max_heart_rate__gte=20, max_heart_rate__lte=250),
                name="training_session_max_hr_range",
            ),
            models.CheckConstraint(
                condition=Q(avg_heart_rate__isnull=True)
                | Q(max_heart_rate__isnull=True)
                | Q(avg_heart_rate__lte=F("max_heart_rate")),
                name="training_session_avg_hr_below_max",
            ),
            models.CheckConstraint(condition=Q(total_volume_kg__gte=0), name="training_session_volume_nonnegative"),
            models.CheckConstraint(
                condition=Q(calories_kcal__isnull=True) | Q(calories_kcal__gte=0),
                name="training_session_calories_nonnegative",
            ),
            models.CheckConstraint(
                condition=Q(met__isnull=True) | Q(met__gt=0, met__lt=25), name="training_session_met_range"
            ),
            models.CheckConstraint(
                condition=Q(met_code="") | Q(met_code__regex=r"^[0-9]{5}$"), name="training_session_met_code_form"
            ),
            models.CheckConstraint(
                condition=Q(is_template=False) | ~Q(template_name=""), name="training_session_template_named"
            ),
            models.CheckConstraint(condition=Q(status__in=SessionStatus.values), name="training_session_status_valid"),
            models.CheckConstraint(
                condition=Q(mood_before__in=[*Mood.values, ""]), name="training_session_mood_before"
            ),
            models.CheckConstraint(condition=Q(mood_after__in=[*Mood.values, ""]), name="training_session_mood_after"),
        ]
        indexes = [
            # History: a person's performed sessions, newest first (seed 002 idx_session_user_date).
            models.Index(
                fields=["user", "-started_at"],
                condition=Q(deleted_at__isnull=True, is_template=False),
                name="training_session_history",
            ),
            # Streaks and summaries by local day.
            models.Index(fields=["user", "local_date"], name="training_session_user_day"),
            models.Index(fields=["user", "activity_type", "-started_at"], name="training_session_user_type"),
            # Templates list (seed 002 idx_session_templates).
            models.Index(fields=["user"], condition=Q(is_template=True), name="training_session_templates"),
            # A program's sessions (its progress page) and SET NULL when an enrolment or program day goes.
            models.Index(
                fields=["enrollment"], condition=Q(enrollment__isnull=False), name="training_session_enrollment"
            ),
            models.Index(
                fields=["program_session"], condition=Q(program_session__isnull=False), name="training_session_progday"
            ),
            # Full-text search over names and notes (seed 002 idx_session_search).
            GinIndex(fields=["search_vector"], name="training_session_search"),
        ]

    def __str__(self) -> str:
        return self.name or self.template_name or f"{self.activity_type} {self.local_date}"


class SessionExercise(models.Model):
    """An exercise within a session, in order; exercises sharing a superset_group are done together."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="exercises")
    exercise = models.ForeignKey(Exercise, on_delete=models.PROTECT, related_name="session_exercises")
    order = models.PositiveSmallIntegerField()
    superset_group = models.PositiveSmallIntegerField(null=True, blank=True)
    notes = models.TextField(blank=True)
    form_notes = models.TextField(blank=True)
    # At most MAX_EXERCISE_VOLUME_KG (2 × 10^9) with MAX_SETS_PER_EXERCISE sets: numeric(12,2) holds < 10^10.
    total_volume_kg = models.DecimalField(max_digits=12, decimal_places=2, default=0)
    set_count = models.PositiveSmallIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["order"]
        constraints = [
            models.UniqueConstraint(fields=["session", "order"], name="training_sessionexercise_unique_order"),
            models.CheckConstraint(
                condition=Q(total_volume_kg__gte=0), name="training_sessionexercise_volume_nonnegative"
            ),
        ]
        indexes = [
            # The exercise page: a person's history of one exercise.
            models.Index(fields=["exercise", "session"], name="training_sessex_exercise"),
        ]

    def __str__(self) -> str:
        return f"{self.order}. {self.exercise_id}"


class Set(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    session_exercise = models.ForeignKey(SessionExercise, on_delete=models.CASCADE, related_name="sets")
    number = models.PositiveSmallIntegerField()
    reps = models.PositiveSmallIntegerField(null=True, blank=True)
    weight_kg = models.DecimalField(max_digits=6, decimal_places=2, null=True, blank=True)
    duration_seconds = models.PositiveIntegerField(null=True, blank=True)
    distance_m = models.DecimalField(max_digits=10, decimal_places=2, null=True, blank=True)
    rest_seconds = models.PositiveIntegerField(null=True, blank=True)
    rpe = models.PositiveSmallIntegerField("RPE", null=True, blank=True)
    tempo = models.CharField(
        max_length=7, blank=True, validators=[RegexValidator(TEMPO_RE, "Write tempo as four digits, e.g. 3-1-1-0.")]
    )
    is_warmup = models.BooleanField(default=False)
    is_failure = models.BooleanField(default=False)
    is_drop_set = models.BooleanField(default=False)
    is_completed = models.BooleanField(default=True)
    is_personal_record = models.BooleanField(default=False)
    notes = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["number"]
        constraints = [
            models.UniqueConstraint(fields=["session_exercise", "number"], name="training_set_unique_number"),
            models.CheckConstraint(condition=Q(number__gte=1), name="training_set_number_positive"),
            models.CheckConstraint(condition=Q(reps__isnull=True) | Q(reps__gt=0), name="training_set_reps_positive"),
            models.CheckConstraint(
                condition=Q(weight_kg__isnull=True) | Q(weight_kg__gte=0, weight_kg__lte=1000),
                name="training_set_weight_range",
            ),
            models.CheckConstraint(condition=_one_to_ten("rpe"), name="training_set_rpe_1_10"),
            models.CheckConstraint(
                condition=Q(distance_m__isnull=True) | Q(distance_m__gte=0), name="training_set_distance_nonnegative"
            ),
            models.CheckConstraint(condition=Q(tempo="") | Q(tempo__regex=TEMPO_RE), name="training_set_tempo_format"),
        ]
        indexes = [
            # Records: heaviest sets and most reps (seed 002 idx_set_weight / idx_set_reps).
            models.Index(fields=["-weight_kg"], condition=Q(weight_kg__isnull=False), name="training_set_weight"),
            models.Index(fields=["-reps"], condition=Q(reps__isnull=False), name="training_set_reps"),
        ]

    def __str__(self) -> str:
        return f"Set {self.number}"


class SessionMetric(models.Model):
    """A flexible metric of a session (seed 002 activity_metric): numeric xor text, with a unit."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="metrics")
    name = models.SlugField(max_length=50)
    value_numeric = models.DecimalField(max_digits=14, decimal_places=3, null=True, blank=True)
    value_text = models.TextField(null=True, blank=True)
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(value_numeric__isnull=False) & Q(value_text__isnull=True))
                | (Q(value_numeric__isnull=True) & Q(value_text__isnull=False)),
                name="training_sessionmetric_numeric_xor_text",
            ),
            models.CheckConstraint(
                condition=Q(value_numeric__isnull=True) | Q(value_numeric__gte=0),
                name="training_sessionmetric_nonnegative",
            ),
            models.UniqueConstraint(fields=["session", "name"], name="training_sessionmetric_unique_name"),
        ]
        indexes = [
            # Seed 002 idx_metric_name_value: best values of one metric (records for distance activities).
            models.Index(fields=["name", "-value_numeric"], name="training_metric_name_value"),
        ]

    def __str__(self) -> str:
        return self.name


class MediaType(models.TextChoices):
    IMAGE = "image", "Image"
    VIDEO = "video", "Video"
    AUDIO = "audio", "Audio"


def media_path(instance: SessionMedia, filename: str) -> str:
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return f"training/{uuid.uuid4().hex}.{extension}"


class SessionMedia(models.Model):
    """A photo, video or audio on a session xor on one of its exercises (seed 002 session_media)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="training_media")
    session = models.ForeignKey(Session, on_delete=models.CASCADE, null=True, blank=True, related_name="media")
    session_exercise = models.ForeignKey(
        SessionExercise, on_delete=models.CASCADE, null=True, blank=True, related_name="media"
    )
    media_type = models.CharField(max_length=10, choices=MediaType, default=MediaType.IMAGE)
    file = models.FileField(upload_to=media_path)
    file_size_bytes = models.PositiveBigIntegerField(default=0)
    caption = models.TextField(blank=True)
    tags = ArrayField(models.CharField(max_length=40), default=list, blank=True)
    is_progress_photo = models.BooleanField(default=False)
    is_form_check = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name_plural = "session media"
        constraints = [
            models.CheckConstraint(
                condition=(Q(session__isnull=False) & Q(session_exercise__isnull=True))
                | (Q(session__isnull=True) & Q(session_exercise__isnull=False)),
                name="training_sessionmedia_session_xor_exercise",
            ),
            models.CheckConstraint(
                condition=Q(media_type__in=MediaType.values), name="training_sessionmedia_type_valid"
            ),
        ]
        indexes = [GinIndex(fields=["tags"], name="training_media_tags")]

    def __str__(self) -> str:
        return self.caption or self.file.name or ""
