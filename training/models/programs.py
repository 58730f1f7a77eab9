"""Multi-week programs and enrolments (seed 002 workout_program, program_session_template,
program_exercise_template, user_program_enrollment; seed 004 programs and program_assignments).

A program is a grid of weeks × days. A "day" is the n-th session of its week (Day 1, Day 2…), not a
weekday, as in Strong's and Hevy's programs: people train on the days that suit them and the program
moves on when a day is done or skipped. Exercise templates carry the targets a session is pre-filled
with; a target weight is absolute or a percentage of the person's estimated 1RM at the time they start.
"""

from __future__ import annotations

import uuid

from django.contrib.auth.models import AnonymousUser
from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.indexes import GinIndex, OpClass
from django.contrib.postgres.search import SearchVector, SearchVectorField
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Lower

from accounts.models import Goal as GoalCategory
from accounts.models import User
from fitjourney.dates import date_range_check, datetime_range_check

from .library import ActivityType, Exercise, Visibility
from .sessions import Session

MAX_PROGRAM_WEEKS = 104
MAX_SESSIONS_PER_WEEK = 14
MAX_EXERCISES_PER_PROGRAM_SESSION = 30
MAX_TEMPLATE_SETS = 50
MAX_TEMPLATE_REPS = 1000
MAX_PERCENT_1RM = 110


class Difficulty(models.TextChoices):
    BEGINNER = "beginner", "Beginner"
    INTERMEDIATE = "intermediate", "Intermediate"
    ADVANCED = "advanced", "Advanced"


class ProgramStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    ACTIVE = "active", "Published"
    ARCHIVED = "archived", "Archived"


class ProgramQuerySet(models.QuerySet["Program"]):
    def alive(self) -> ProgramQuerySet:
        return self.filter(deleted_at__isnull=True)

    def published(self) -> ProgramQuerySet:
        """What anyone may browse and enrol in: active and public (official programs are public)."""
        return self.alive().filter(status=ProgramStatus.ACTIVE, visibility=Visibility.PUBLIC)

    def visible_to(self, user: User | AnonymousUser | None) -> ProgramQuerySet:
        """Published programs and, for a signed-in person, every program they wrote (drafts included)."""
        visible = Q(status=ProgramStatus.ACTIVE, visibility=Visibility.PUBLIC)
        if user is not None and user.is_authenticated:
            visible |= Q(author=user)
        return self.alive().filter(visible)


def program_cover_path(instance: Program, filename: str) -> str:
    return f"programs/{uuid.uuid4().hex}.jpg"


class Program(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    name = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    activity_types = models.ManyToManyField(ActivityType, related_name="programs", blank=True)
    difficulty = models.CharField(max_length=20, choices=Difficulty, default=Difficulty.BEGINNER)
    duration_weeks = models.PositiveSmallIntegerField()
    sessions_per_week = models.PositiveSmallIntegerField()
    goals = ArrayField(models.CharField(max_length=20, choices=GoalCategory), default=list, blank=True)
    equipment = ArrayField(models.CharField(max_length=40), default=list, blank=True)
    tags = ArrayField(models.CharField(max_length=40), default=list, blank=True)
    status = models.CharField(max_length=10, choices=ProgramStatus, default=ProgramStatus.DRAFT)
    visibility = models.CharField(max_length=10, choices=Visibility, default=Visibility.PRIVATE)
    is_official = models.BooleanField(default=False, help_text="Written by FitJourney staff.")
    # A person or a trainer (a person in the Trainer group). Empty for official programs. A deleted
    # author's published program stays for the people enrolled in it.
    author = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, blank=True, related_name="programs")
    # Official programs' natural key, so `load_reference_data` upserts them.
    slug = models.SlugField(max_length=100, null=True, blank=True, unique=True)
    cover_image = models.ImageField(upload_to=program_cover_path, blank=True)
    # Counted after commit, never inside an enrolment's transaction (many people enrol in one program).
    usage_count = models.PositiveIntegerField(default=0)
    search_vector = models.GeneratedField(
        expression=SearchVector("name", "description", config="english"),
        output_field=SearchVectorField(),
        db_persist=True,
    )
    published_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    deleted_at = models.DateTimeField(null=True, blank=True)

    objects = ProgramQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(duration_weeks__gte=1, duration_weeks__lte=MAX_PROGRAM_WEEKS),
                name="training_program_weeks_range",
                violation_error_message=f"A program lasts 1 to {MAX_PROGRAM_WEEKS} weeks.",
            ),
            models.CheckConstraint(
                condition=Q(sessions_per_week__gte=1, sessions_per_week__lte=MAX_SESSIONS_PER_WEEK),
                name="training_program_sessions_per_week_range",
                violation_error_message=f"A week has 1 to {MAX_SESSIONS_PER_WEEK} sessions.",
            ),
            models.CheckConstraint(
                condition=Q(difficulty__in=Difficulty.values), name="training_program_difficulty_valid"
            ),
            models.CheckConstraint(condition=Q(status__in=ProgramStatus.values), name="training_program_status_valid"),
            models.CheckConstraint(
                condition=Q(visibility__in=Visibility.values), name="training_program_visibility_valid"
            ),
            models.CheckConstraint(
                condition=Q(goals__contained_by=GoalCategory.values), name="training_program_goals_valid"
            ),
            # Official programs are for everyone.
            models.CheckConstraint(
                condition=Q(is_official=False) | Q(visibility=Visibility.PUBLIC),
                name="training_program_official_public",
            ),
            models.CheckConstraint(
                condition=Q(published_at__isnull=True) | datetime_range_check("published_at"),
                name="training_program_published_at_range",
            ),
        ]
        indexes = [
            # Browse: published programs (seed 002 idx_programs_public).
            models.Index(
                fields=["is_official", "name"],
                condition=Q(deleted_at__isnull=True, status=ProgramStatus.ACTIVE, visibility=Visibility.PUBLIC),
                name="training_program_published",
            ),
            # "My programs" (seed 002 idx_program_creator).
            models.Index(
                fields=["author", "-updated_at"], condition=Q(author__isnull=False), name="training_prog_author"
            ),
            # Search: full text on name and description, trigram on the name (typos).
            GinIndex(fields=["search_vector"], name="training_program_search"),
            GinIndex(OpClass(Lower("name"), name="gin_trgm_ops"), name="training_program_name_trgm"),
            GinIndex(fields=["equipment"], name="training_program_equipment"),
        ]

    def __str__(self) -> str:
        return self.name


class ProgramSession(models.Model):
    """Day `day` of week `week` of a program (seed 002 program_session_template).

    Non-strength days carry their targets here: a duration, a distance, an intensity in words ("easy
    pace", "run 60 s / walk 90 s × 8") and any of the type's metrics (`target_metrics`, by metric name).
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="sessions")
    week = models.PositiveSmallIntegerField()
    day = models.PositiveSmallIntegerField(help_text="The n-th session of the week.")
    name = models.CharField(max_length=200, blank=True)
    activity_type = models.ForeignKey(ActivityType, on_delete=models.PROTECT, related_name="+")
    notes = models.TextField(blank=True)
    estimated_duration_minutes = models.PositiveSmallIntegerField(null=True, blank=True)
    target_duration_seconds = models.PositiveIntegerField(null=True, blank=True)
    target_distance_m = models.DecimalField(max_digits=9, decimal_places=2, null=True, blank=True)
    target_intensity = models.CharField(max_length=200, blank=True)
    target_metrics = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["week", "day"]
        constraints = [
            models.UniqueConstraint(fields=["program", "week", "day"], name="training_programsession_unique_day"),
            models.CheckConstraint(
                condition=Q(week__gte=1, week__lte=MAX_PROGRAM_WEEKS), name="training_programsession_week_range"
            ),
            models.CheckConstraint(
                condition=Q(day__gte=1, day__lte=MAX_SESSIONS_PER_WEEK), name="training_programsession_day_range"
            ),
            models.CheckConstraint(
                condition=Q(estimated_duration_minutes__isnull=True)
                | Q(estimated_duration_minutes__gte=1, estimated_duration_minutes__lte=24 * 60),
                name="training_programsession_estimate_range",
            ),
            models.CheckConstraint(
                condition=Q(target_duration_seconds__isnull=True)
                | Q(target_duration_seconds__gte=1, target_duration_seconds__lte=24 * 3600),
                name="training_programsession_duration_range",
            ),
            models.CheckConstraint(
                condition=Q(target_distance_m__isnull=True) | Q(target_distance_m__gt=0),
                name="training_programsession_distance_positive",
            ),
        ]

    def __str__(self) -> str:
        return self.name or f"Week {self.week}, day {self.day}"


class ProgramExercise(models.Model):
    """An exercise of a program day with its targets (seed 002 program_exercise_template)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    session = models.ForeignKey(ProgramSession, on_delete=models.CASCADE, related_name="exercises")
    exercise = models.ForeignKey(Exercise, on_delete=models.PROTECT, related_name="+")
    order = models.PositiveSmallIntegerField()
    superset_group = models.PositiveSmallIntegerField(null=True, blank=True)
    sets = models.PositiveSmallIntegerField(default=3)
    reps_min = models.PositiveSmallIntegerField(null=True, blank=True)
    reps_max = models.PositiveSmallIntegerField(null=True, blank=True)
    target_weight_kg = models.DecimalField(max_digits=6, decimal_places=2, null=True, blank=True)
    percent_1rm = models.DecimalField("% of 1RM", max_digits=5, decimal_places=2, null=True, blank=True)
    target_rpe = models.DecimalField("target RPE", max_digits=3, decimal_places=1, null=True, blank=True)
    rest_seconds = models.PositiveIntegerField(null=True, blank=True)
    target_duration_seconds = models.PositiveIntegerField(null=True, blank=True)
    target_distance_m = models.DecimalField(max_digits=9, decimal_places=2, null=True, blank=True)
    notes = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["order"]
        constraints = [
            models.UniqueConstraint(fields=["session", "order"], name="training_programexercise_unique_order"),
            models.CheckConstraint(condition=Q(order__gte=1), name="training_programexercise_order_positive"),
            models.CheckConstraint(
                condition=Q(sets__gte=1, sets__lte=MAX_TEMPLATE_SETS), name="training_programexercise_sets_range"
            ),
            models.CheckConstraint(
                condition=Q(reps_min__isnull=True) | Q(reps_min__gte=1, reps_min__lte=MAX_TEMPLATE_REPS),
                name="training_programexercise_reps_min_range",
            ),
            models.CheckConstraint(
                condition=Q(reps_max__isnull=True) | Q(reps_max__gte=1, reps_max__lte=MAX_TEMPLATE_REPS),
                name="training_programexercise_reps_max_range",
            ),
            models.CheckConstraint(
                condition=Q(reps_min__isnull=True) | Q(reps_max__isnull=True) | Q(reps_min__lte=F("reps_max")),
                name="training_programexercise_rep_range_ordered",
                violation_error_message="The lowest reps cannot be above the highest.",
            ),
            models.CheckConstraint(
                condition=Q(target_weight_kg__isnull=True) | Q(target_weight_kg__gte=0, target_weight_kg__lte=1000),
                name="training_programexercise_weight_range",
            ),
            models.CheckConstraint(
                condition=Q(percent_1rm__isnull=True) | Q(percent_1rm__gte=1, percent_1rm__lte=MAX_PERCENT_1RM),
                name="training_programexercise_percent_1rm_range",
                violation_error_message=f"A percentage of 1RM is 1 to {MAX_PERCENT_1RM}.",
            ),
            models.CheckConstraint(
                condition=Q(target_rpe__isnull=True) | Q(target_rpe__gte=1, target_rpe__lte=10),
                name="training_programexercise_rpe_range",
                violation_error_message="RPE is 1 to 10.",
            ),
            models.CheckConstraint(
                condition=Q(rest_seconds__isnull=True) | Q(rest_seconds__lte=3600),
                name="training_programexercise_rest_range",
            ),
            models.CheckConstraint(
                condition=Q(target_duration_seconds__isnull=True)
                | Q(target_duration_seconds__gte=1, target_duration_seconds__lte=24 * 3600),
                name="training_programexercise_duration_range",
            ),
            models.CheckConstraint(
                condition=Q(target_distance_m__isnull=True) | Q(target_distance_m__gt=0),
                name="training_programexercise_distance_positive",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.order}. {self.exercise_id}"


class EnrollmentStatus(models.TextChoices):
    ACTIVE = "active", "Active"
    PAUSED = "paused", "Paused"
    COMPLETED = "completed", "Completed"
    ABANDONED = "abandoned", "Left"


# A person follows one program at a time: an active or paused enrolment is "current".
CURRENT_ENROLLMENT_STATUSES = (EnrollmentStatus.ACTIVE, EnrollmentStatus.PAUSED)


class Enrollment(models.Model):
    """A person following a program (seed 002 user_program_enrollment), self-enrolled or assigned by
    someone else (seed 004 program_assignments: `assigned_by` is the trainer)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="program_enrollments")
    program = models.ForeignKey(Program, on_delete=models.PROTECT, related_name="enrollments")
    assigned_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    start_date = models.DateField()
    current_week = models.PositiveSmallIntegerField(default=1)
    current_day = models.PositiveSmallIntegerField(default=1)
    # The first day neither done nor skipped (None: every day is), kept with current_week/current_day by
    # the enrolment services and, after the program's days change, by a task: Today reads it joined.
    next_session = models.ForeignKey(
        "ProgramSession", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    status = models.CharField(max_length=10, choices=EnrollmentStatus, default=EnrollmentStatus.ACTIVE)
    sessions_done = models.PositiveSmallIntegerField(default=0)
    sessions_skipped = models.PositiveSmallIntegerField(default=0)
    sessions_planned = models.PositiveSmallIntegerField(default=0)
    progress_pct = models.DecimalField("progress (%)", max_digits=5, decimal_places=2, default=0)
    notes = models.TextField(blank=True)
    paused_at = models.DateTimeField(null=True, blank=True)
    ended_at = models.DateTimeField(null=True, blank=True, help_text="Completed or left.")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            # At most one current (active or paused) enrolment per person.
            models.UniqueConstraint(
                fields=["user"],
                condition=Q(status__in=CURRENT_ENROLLMENT_STATUSES),
                name="training_enrollment_one_current",
                violation_error_message="You already follow a program. Leave it first.",
            ),
            models.CheckConstraint(
                condition=Q(status__in=EnrollmentStatus.values), name="training_enrollment_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(progress_pct__gte=0, progress_pct__lte=100), name="training_enrollment_progress_range"
            ),
            models.CheckConstraint(
                condition=Q(current_week__gte=1, current_week__lte=MAX_PROGRAM_WEEKS),
                name="training_enrollment_week_range",
            ),
            models.CheckConstraint(
                condition=Q(current_day__gte=1, current_day__lte=MAX_SESSIONS_PER_WEEK),
                name="training_enrollment_day_range",
            ),
            models.CheckConstraint(
                condition=Q(sessions_done__lte=F("sessions_planned")) | Q(sessions_planned=0),
                name="training_enrollment_done_within_planned",
            ),
            models.CheckConstraint(condition=date_range_check("start_date"), name="training_enrollment_start_range"),
            models.CheckConstraint(
                condition=Q(ended_at__isnull=True)
                | Q(status__in=[EnrollmentStatus.COMPLETED, EnrollmentStatus.ABANDONED]),
                name="training_enrollment_ended_when_over",
            ),
        ]
        indexes = [
            # The person's current program, read by Today and Train (seed 002 idx_user_enrollments).
            models.Index(
                fields=["user"], condition=Q(status__in=CURRENT_ENROLLMENT_STATUSES), name="training_enroll_current"
            ),
            models.Index(fields=["user", "-created_at"], name="training_enroll_user"),
            # Who follows a program (seed 002 idx_program_enrollments).
            models.Index(fields=["program", "status"], name="training_enroll_program"),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} in {self.program_id}"


class ProgramDayStatus(models.TextChoices):
    DONE = "done", "Done"
    SKIPPED = "skipped", "Skipped"


class EnrollmentDay(models.Model):
    """A program day the person did (with the session that did it) or skipped: adherence is read here."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    enrollment = models.ForeignKey(Enrollment, on_delete=models.CASCADE, related_name="days")
    program_session = models.ForeignKey(ProgramSession, on_delete=models.CASCADE, related_name="+")
    week = models.PositiveSmallIntegerField()
    day = models.PositiveSmallIntegerField()
    status = models.CharField(max_length=10, choices=ProgramDayStatus)
    session = models.ForeignKey(Session, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    local_date = models.DateField(help_text="When it was done or skipped, in the person's time zone.")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["week", "day"]
        constraints = [
            models.UniqueConstraint(fields=["enrollment", "program_session"], name="training_enrollmentday_unique_day"),
            models.CheckConstraint(
                condition=Q(status__in=ProgramDayStatus.values), name="training_enrollmentday_status_valid"
            ),
            models.CheckConstraint(condition=date_range_check("local_date"), name="training_enrollmentday_date_range"),
        ]

    def __str__(self) -> str:
        return f"Week {self.week}, day {self.day}: {self.status}"
