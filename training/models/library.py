from __future__ import annotations

import uuid

from django.contrib.auth.models import AnonymousUser
from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.indexes import GinIndex, OpClass
from django.contrib.postgres.search import SearchVector, SearchVectorField
from django.db import models
from django.db.models import Func, Q, TextField, Value
from django.db.models.functions import Concat, Lower

from accounts.models import Unit, User


class ActivityCategory(models.Model):
    """Physical, Creative, Wellness, Cognitive, Social (seed 002)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    slug = models.SlugField(max_length=50, unique=True)
    name = models.CharField(max_length=50, unique=True)
    description = models.TextField(blank=True)
    icon = models.CharField(max_length=50, blank=True)
    display_order = models.PositiveSmallIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["display_order", "name"]
        verbose_name_plural = "activity categories"

    def __str__(self) -> str:
        return self.name


class ActivityTypeQuerySet(models.QuerySet["ActivityType"]):
    def visible_to(self, user: User | AnonymousUser | None) -> ActivityTypeQuerySet:
        """The public types and the person's own private ones."""
        if user is None or not user.is_authenticated:
            return self.filter(is_public=True)
        return self.filter(Q(is_public=True) | Q(owner=user))


class ActivityTypeManager(models.Manager["ActivityType"]):
    def get_queryset(self) -> ActivityTypeQuerySet:
        return ActivityTypeQuerySet(self.model, using=self._db)

    def visible_to(self, user: User | AnonymousUser | None) -> ActivityTypeQuerySet:
        return self.get_queryset().visible_to(user)


class PublicActivityTypeManager(ActivityTypeManager):
    """`ActivityType.objects`: the public types only, so no list anywhere shows somebody's private type by
    accident; `ActivityType.all_types.visible_to(user)` adds the person's own."""

    def get_queryset(self) -> ActivityTypeQuerySet:
        return super().get_queryset().filter(is_public=True)


class ActivityType(models.Model):
    """Weight Training, Running, Yoga, Painting, Chess… A new type is a row, never a schema change.

    People define their own (issue 14): private to them (`owner`, not public) until staff make a good one
    public. Public names are unique, and each person's own names."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    category = models.ForeignKey(ActivityCategory, on_delete=models.PROTECT, related_name="activity_types")
    slug = models.SlugField(max_length=100, unique=True)
    name = models.CharField(max_length=100)
    owner = models.ForeignKey(
        User,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="activity_types",
        help_text="Who defined it (empty: FitJourney's own).",
    )
    is_public = models.BooleanField(default=True, help_text="Offered to everyone (a person's own type: only to them).")
    description = models.TextField(blank=True)
    icon = models.CharField(max_length=50, blank=True)
    is_physical = models.BooleanField(default=True)
    has_duration = models.BooleanField(default=True)
    has_intensity = models.BooleanField(default=False)
    uses_exercises = models.BooleanField(default=False, help_text="Logged as exercises with sets (strength).")
    met = models.DecimalField("MET", max_digits=4, decimal_places=2, null=True, blank=True)
    display_order = models.PositiveSmallIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = PublicActivityTypeManager()
    all_types = ActivityTypeManager()

    class Meta:
        ordering = ["display_order", "name"]
        base_manager_name = "all_types"
        constraints = [
            models.CheckConstraint(
                condition=Q(met__isnull=True) | Q(met__gt=0, met__lt=25), name="training_activitytype_met_range"
            ),
            models.UniqueConstraint(
                Lower("name"),
                condition=Q(is_public=True),
                name="training_activitytype_public_name_unique",
                violation_error_message="There is a public activity type of that name already.",
            ),
            models.UniqueConstraint(
                Lower("name"),
                "owner",
                condition=Q(owner__isnull=False),
                name="training_activitytype_own_name_unique",
                violation_error_message="You have an activity type of that name already.",
            ),
        ]
        indexes = [
            models.Index(fields=["category"], name="training_acttype_category"),
            models.Index(fields=["owner"], condition=Q(owner__isnull=False), name="training_acttype_owner"),
        ]

    def __str__(self) -> str:
        return self.name


class InputType(models.TextChoices):
    NUMBER = "number", "Number"
    DURATION = "duration", "Duration"
    TEXT = "text", "Text"


# The metric that holds a session's distance (in metres): records and the imperial pages read it.
DISTANCE_METRIC = "distance"


class MetricTemplate(models.Model):
    """What a session of a type records (seed 002 activity_type_metric_template)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    activity_type = models.ForeignKey(ActivityType, on_delete=models.CASCADE, related_name="metric_templates")
    name = models.SlugField(max_length=50, help_text="Key, e.g. distance, avg_heart_rate, pieces, moves.")
    label = models.CharField(max_length=80)
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    input_type = models.CharField(max_length=10, choices=InputType, default=InputType.NUMBER)
    is_required = models.BooleanField(default=False)
    display_order = models.PositiveSmallIntegerField(default=0)
    min_value = models.DecimalField(max_digits=12, decimal_places=3, null=True, blank=True)
    max_value = models.DecimalField(max_digits=12, decimal_places=3, null=True, blank=True)
    validation_regex = models.CharField(max_length=200, blank=True)
    help_text = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["activity_type", "display_order"]
        constraints = [
            models.UniqueConstraint(fields=["activity_type", "name"], name="training_metrictemplate_unique_name"),
            models.CheckConstraint(
                condition=Q(input_type__in=InputType.values), name="training_metrictemplate_input_type_valid"
            ),
            models.CheckConstraint(
                condition=Q(min_value__isnull=True)
                | Q(max_value__isnull=True)
                | Q(min_value__lte=models.F("max_value")),
                name="training_metrictemplate_range",
            ),
        ]
        indexes = [models.Index(fields=["activity_type", "display_order"], name="training_metrictpl_order")]

    def __str__(self) -> str:
        return f"{self.activity_type}: {self.label}"


class Level(models.TextChoices):
    BEGINNER = "beginner", "Beginner"
    INTERMEDIATE = "intermediate", "Intermediate"
    EXPERT = "expert", "Expert"


class Visibility(models.TextChoices):
    PRIVATE = "private", "Only me"
    PUBLIC = "public", "Everyone"


class AliasText(Func):
    """The aliases as one space-separated text, for the generated search columns.

    PostgreSQL's array_to_string is only STABLE (array output may depend on settings), and a generated
    column needs IMMUTABLE: migration 0008 wraps it, for text[] only, in training_alias_text()."""

    function = "training_alias_text"
    output_field = TextField()


class ExerciseQuerySet(models.QuerySet["Exercise"]):
    def visible_to(self, user: User | AnonymousUser | None) -> ExerciseQuerySet:
        """System exercises, public ones staff verified or anyone shared, and the person's own."""
        visible = Q(owner__isnull=True) | Q(visibility=Visibility.PUBLIC)
        if user is not None and user.is_authenticated:
            visible |= Q(owner=user)
        return self.filter(visible, deleted_at__isnull=True)


class Exercise(models.Model):
    """An exercise or sub-activity (seeds 000 exercise_types, 001 exercises, 002 activity_subtype,
    004 exercise_library). System exercises have no owner; people and trainers add their own."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    name = models.CharField(max_length=120)
    activity_type = models.ForeignKey(ActivityType, on_delete=models.PROTECT, related_name="exercises")
    category = models.CharField(max_length=40, blank=True, help_text="strength, stretching, cardio, plyometrics…")
    description = models.TextField(blank=True)
    instructions = ArrayField(models.TextField(), default=list, blank=True)
    primary_muscles = ArrayField(models.CharField(max_length=40), default=list, blank=True)
    secondary_muscles = ArrayField(models.CharField(max_length=40), default=list, blank=True)
    equipment = models.CharField(max_length=40, blank=True)
    level = models.CharField(max_length=20, choices=Level, blank=True)
    mechanic = models.CharField(max_length=20, blank=True)
    force = models.CharField(max_length=20, blank=True)
    images = ArrayField(models.CharField(max_length=200), default=list, blank=True)
    met = models.DecimalField("MET", max_digits=4, decimal_places=2, null=True, blank=True)
    tracks_sets = models.BooleanField(default=True)
    tracks_reps = models.BooleanField(default=True)
    tracks_weight = models.BooleanField(default=True)
    tracks_duration = models.BooleanField(default=False)
    tracks_distance = models.BooleanField(default=False)
    default_sets = models.PositiveSmallIntegerField(null=True, blank=True)
    default_reps = models.PositiveSmallIntegerField(null=True, blank=True)
    default_weight_kg = models.DecimalField(max_digits=6, decimal_places=2, null=True, blank=True)
    owner = models.ForeignKey(
        User, on_delete=models.CASCADE, null=True, blank=True, related_name="exercises", help_text="Empty: system."
    )
    visibility = models.CharField(max_length=10, choices=Visibility, default=Visibility.PRIVATE)
    is_verified = models.BooleanField(default=False)
    source = models.CharField(max_length=30, blank=True, help_text="free-exercise-db, seed-000, user…")
    external_id = models.CharField(max_length=100, null=True, blank=True, unique=True)
    usage_count = models.PositiveIntegerField(default=0)
    # Other names people search by ("ohp", "skull crusher", "pull up"), lowercase; the reference data
    # fills them for library exercises (training/data/exercise-search.json).
    aliases = ArrayField(models.CharField(max_length=80), default=list, blank=True)
    # How common the exercise is in gyms, 0-100, from the reference data (the staple lifts): ranks a back
    # squat above a squat jerk. usage_count is the other half of popularity, counted from people's logs.
    popularity = models.PositiveSmallIntegerField(default=0)
    # Name words weigh most, aliases next, equipment and category least (SearchRank's A, B, D).
    search_vector = models.GeneratedField(
        expression=SearchVector("name", config="english", weight="A")
        + SearchVector(AliasText("aliases"), config="english", weight="B")
        + SearchVector("equipment", "category", config="english", weight="D"),
        output_field=SearchVectorField(),
        db_persist=True,
    )
    # Name and aliases in lowercase, for typo-tolerant word similarity over both ("skul crusher").
    search_text = models.GeneratedField(
        expression=Lower(Concat("name", Value(" "), AliasText("aliases"), output_field=TextField())),
        output_field=TextField(),
        db_persist=True,
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    deleted_at = models.DateTimeField(null=True, blank=True)

    objects = ExerciseQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        constraints = [
            # Seed 000 UNIQUE(name, created_by_user_id): one system "Bench Press", and one per person.
            models.UniqueConstraint(
                Lower("name"), "owner", name="training_exercise_unique_name_per_owner", nulls_distinct=False
            ),
            models.CheckConstraint(
                condition=Q(met__isnull=True) | Q(met__gt=0, met__lt=25), name="training_exercise_met_range"
            ),
            models.CheckConstraint(
                condition=Q(default_weight_kg__isnull=True) | Q(default_weight_kg__gte=0),
                name="training_exercise_default_weight_nonnegative",
            ),
            models.CheckConstraint(
                condition=Q(visibility__in=Visibility.values), name="training_exercise_visibility_valid"
            ),
            models.CheckConstraint(condition=Q(level__in=[*Level.values, ""]), name="training_exercise_level_valid"),
            models.CheckConstraint(condition=Q(popularity__lte=100), name="training_exercise_popularity_range"),
        ]
        indexes = [
            # Search as you type: full-text on name/aliases/equipment/category, trigram similarity on the
            # name (`%`, typos in the whole name) and word similarity on name and aliases (`%>`).
            GinIndex(fields=["search_vector"], name="training_exercise_search"),
            GinIndex(OpClass(Lower("name"), name="gin_trgm_ops"), name="training_exercise_name_trgm"),
            GinIndex(OpClass("search_text", name="gin_trgm_ops"), name="training_exercise_text_trgm"),
            # Filters by muscle.
            GinIndex(fields=["primary_muscles"], name="training_exercise_muscles"),
            models.Index(fields=["activity_type", "name"], name="training_exercise_type_name"),
            models.Index(fields=["owner"], condition=Q(owner__isnull=False), name="training_exercise_owner"),
        ]

    def __str__(self) -> str:
        return self.name
