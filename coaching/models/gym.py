"""The gym (seed 004 trainers, trainees, locations, schedules, session_cards; seed 001's trainer role).

A `Trainer` is a member in the Trainer group with a professional profile. A `Client` is the link between a
member and a trainer (the seed's trainee), made with the member's consent and carrying the member's grants:
what the trainer may see and whether they may record on the member's behalf. A `Booking` is a session at a
`Location` in a time range that no other active booking of the same trainer or the same member overlaps
(exclusion constraints). A `SessionCard` is the trainer's record of a session: the exercises and sets live
in the training `Session` it links to, so records, streaks, summaries and programs see it like any other.

Cached numbers (a trainer's rating and active clients, a client's session count, attendance and streak)
are kept by the services in coaching.services that change their sources (the seed's triggers 1, 2, 4-7).
"""

from __future__ import annotations

import datetime as dt
import uuid

from django.contrib.postgres.constraints import ExclusionConstraint
from django.contrib.postgres.fields import ArrayField, DateTimeRangeField, IntegerRangeField, RangeOperators
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Func, Q
from django.db.models.functions import Cast, Extract

from accounts.models import User
from accounts.models.user import validate_timezone
from fitjourney.dates import date_range_check, datetime_range_check
from training.models import Enrollment, ProgramSession, Session

MAX_BOOKING_MINUTES = 8 * 60


class Level(models.TextChoices):
    BEGINNER = "beginner", "Beginner"
    INTERMEDIATE = "intermediate", "Intermediate"
    ADVANCED = "advanced", "Advanced"


class Weekday(models.IntegerChoices):
    MONDAY = 0, "Monday"
    TUESDAY = 1, "Tuesday"
    WEDNESDAY = 2, "Wednesday"
    THURSDAY = 3, "Thursday"
    FRIDAY = 4, "Friday"
    SATURDAY = 5, "Saturday"
    SUNDAY = 6, "Sunday"


def _seconds(field: str) -> Cast:
    """Seconds since midnight of a TIME column (immutable, so usable in an exclusion constraint)."""
    return Cast(Extract(F(field), "epoch"), models.IntegerField())


def _day_range(start: str, end: str) -> Func:
    """[start, end) of a day as an int4range: windows that only touch do not overlap."""
    return Func(_seconds(start), _seconds(end), function="int4range", output_field=IntegerRangeField())


# ---------------------------------------------------------------------------------------------------
# Places


class Location(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    name = models.CharField(max_length=120)
    address = models.TextField(blank=True)
    timezone = models.CharField("time zone", max_length=64, default="UTC", validators=[validate_timezone])
    capacity = models.PositiveIntegerField(default=20, help_text="How many people train here at once.")
    facilities = ArrayField(models.CharField(max_length=60), default=list, blank=True)
    phone = models.CharField(max_length=30, blank=True)
    email = models.EmailField(blank=True)
    is_active = models.BooleanField(default=True)
    staff = models.ManyToManyField(
        User, blank=True, related_name="gym_locations", help_text="Gym staff who run this location."
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(condition=Q(capacity__gte=1), name="coaching_location_capacity_positive"),
            models.UniqueConstraint(fields=["name"], name="coaching_location_name_unique"),
        ]

    def __str__(self) -> str:
        return self.name


class OpeningHours(models.Model):
    """One opening window of a location on a weekday (a weekday without a row is closed)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    location = models.ForeignKey(Location, on_delete=models.CASCADE, related_name="opening_hours")
    weekday = models.PositiveSmallIntegerField(choices=Weekday)
    opens = models.TimeField()
    closes = models.TimeField()

    class Meta:
        ordering = ["weekday", "opens"]
        verbose_name_plural = "opening hours"
        constraints = [
            models.CheckConstraint(condition=Q(weekday__gte=0, weekday__lte=6), name="coaching_openinghours_weekday"),
            models.CheckConstraint(
                condition=Q(opens__lt=F("closes")),
                name="coaching_openinghours_order",
                violation_error_message="A location closes after it opens.",
            ),
            ExclusionConstraint(
                name="coaching_openinghours_no_overlap",
                expressions=[
                    ("location", RangeOperators.EQUAL),
                    ("weekday", RangeOperators.EQUAL),
                    (_day_range("opens", "closes"), RangeOperators.OVERLAPS),
                ],
                violation_error_message="These hours overlap other hours of the same day.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_weekday_display()} {self.opens:%H:%M}–{self.closes:%H:%M}"


# ---------------------------------------------------------------------------------------------------
# People


class Trainer(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = models.OneToOneField(User, on_delete=models.CASCADE, related_name="trainer_profile")
    bio = models.TextField(blank=True)
    specialities = ArrayField(models.CharField(max_length=60), default=list, blank=True)
    certifications = ArrayField(models.CharField(max_length=80), default=list, blank=True)
    years_experience = models.PositiveSmallIntegerField(default=0)
    hourly_rate = models.DecimalField(max_digits=7, decimal_places=2, null=True, blank=True)
    currency = models.CharField(max_length=3, default="EUR")
    languages = ArrayField(models.CharField(max_length=40), default=list, blank=True)
    max_active_clients = models.PositiveSmallIntegerField(default=30)
    locations = models.ManyToManyField(Location, blank=True, related_name="trainers")
    accepting_clients = models.BooleanField(default=True)
    # Kept by coaching.services when a card is rated and when a link starts or ends (seed triggers 5, 6).
    rating_average = models.DecimalField(max_digits=3, decimal_places=2, default=0)
    rating_count = models.PositiveIntegerField(default=0)
    active_clients = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["user__first_name", "user__last_name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(rating_average__gte=0, rating_average__lte=5), name="coaching_trainer_rating_range"
            ),
            models.CheckConstraint(condition=Q(years_experience__lte=70), name="coaching_trainer_experience_range"),
            models.CheckConstraint(
                condition=Q(hourly_rate__isnull=True) | Q(hourly_rate__gte=0), name="coaching_trainer_rate_positive"
            ),
            models.CheckConstraint(
                condition=Q(max_active_clients__gte=1), name="coaching_trainer_max_clients_positive"
            ),
        ]
        indexes = [
            # The directory: trainers accepting clients, best rated first.
            models.Index(
                fields=["-rating_average"], condition=Q(accepting_clients=True), name="coaching_trainer_directory"
            ),
        ]

    def __str__(self) -> str:
        return self.user.get_full_name() or self.user.username


class ClientStatus(models.TextChoices):
    INVITED = "invited", "Invited"
    ACTIVE = "active", "Active"
    PAUSED = "paused", "Paused"
    ENDED = "ended", "Ended"


# A link that still stands (the trainer sees the granted data of an active one only).
OPEN_CLIENT_STATUSES = (ClientStatus.INVITED, ClientStatus.ACTIVE, ClientStatus.PAUSED)


class InvitedBy(models.TextChoices):
    MEMBER = "member", "The member"
    TRAINER = "trainer", "The trainer"


class Grant(models.TextChoices):
    """What a member lets their trainer see; each is a boolean on the link (`grant_<value>`)."""

    TRAINING = "training", "Training (sessions, records, programs)"
    BODY = "body", "Body metrics"
    NUTRITION = "nutrition", "Nutrition (diary, plan)"
    HABITS = "habits", "Habits"
    CHECKINS = "checkins", "Check-ins (sleep, energy, stress)"
    JOURNAL = "journal", "Journal"


class Client(models.Model):
    """A member coached by a trainer (seed 004 trainees), with the member's consent and grants."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    # Empty once the member erased their account: the link's history stays with the trainer, anonymised.
    member = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, blank=True, related_name="trainer_links")
    trainer = models.ForeignKey(Trainer, on_delete=models.CASCADE, related_name="clients")
    status = models.CharField(max_length=10, choices=ClientStatus, default=ClientStatus.INVITED)
    invited_by = models.CharField(max_length=10, choices=InvitedBy)
    invitation_message = models.TextField(blank=True)
    level = models.CharField(max_length=12, choices=Level, blank=True)
    membership_type = models.CharField(max_length=40, blank=True)
    membership_start = models.DateField(null=True, blank=True)
    membership_end = models.DateField(null=True, blank=True)
    medical_notes = models.TextField(blank=True)
    injuries = ArrayField(models.CharField(max_length=120), default=list, blank=True)
    allergies = ArrayField(models.CharField(max_length=120), default=list, blank=True)
    emergency_contact_name = models.CharField(max_length=120, blank=True)
    emergency_contact_phone = models.CharField(max_length=30, blank=True)
    emergency_contact_relationship = models.CharField(max_length=60, blank=True)
    # The member's grants: what the trainer may see (journal off unless the member turns it on) ...
    grant_training = models.BooleanField(default=False)
    grant_body = models.BooleanField(default=False)
    grant_nutrition = models.BooleanField(default=False)
    grant_habits = models.BooleanField(default=False)
    grant_checkins = models.BooleanField(default=False)
    grant_journal = models.BooleanField(default=False)
    # ... and whether they may record sessions and body metrics on the member's behalf.
    grant_write = models.BooleanField(default=False)
    # Cached by the services (seed triggers 1 and 5).
    sessions_count = models.PositiveIntegerField(default=0)
    last_session_date = models.DateField(null=True, blank=True)
    attendance_pct = models.DecimalField(max_digits=5, decimal_places=2, default=0)
    current_streak = models.PositiveIntegerField(default=0, help_text="Weeks in a row with a session.")
    accepted_at = models.DateTimeField(null=True, blank=True)
    ended_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(condition=Q(status__in=ClientStatus.values), name="coaching_client_status_valid"),
            models.CheckConstraint(
                condition=Q(level="") | Q(level__in=Level.values), name="coaching_client_level_valid"
            ),
            models.CheckConstraint(
                condition=Q(invited_by__in=InvitedBy.values), name="coaching_client_invited_by_valid"
            ),
            # One standing link per (member, trainer).
            models.UniqueConstraint(
                fields=["member", "trainer"],
                condition=Q(status__in=OPEN_CLIENT_STATUSES),
                name="coaching_client_one_open_link",
                violation_error_message="This member and trainer are already linked.",
            ),
            models.CheckConstraint(
                condition=Q(membership_end__isnull=True)
                | Q(membership_start__isnull=True)
                | Q(membership_end__gt=F("membership_start")),
                name="coaching_client_membership_order",
                violation_error_message="The membership ends after it starts.",
            ),
            models.CheckConstraint(condition=date_range_check("membership_start"), name="coaching_client_start_range"),
            models.CheckConstraint(condition=date_range_check("membership_end"), name="coaching_client_end_range"),
            models.CheckConstraint(
                condition=Q(attendance_pct__gte=0, attendance_pct__lte=100), name="coaching_client_attendance_range"
            ),
            models.CheckConstraint(
                condition=Q(ended_at__isnull=True) | Q(status=ClientStatus.ENDED),
                name="coaching_client_ended_when_ended",
            ),
        ]
        indexes = [
            # A trainer's clients (the scoping resolver and the trainer's lists).
            models.Index(fields=["trainer", "status"], name="coaching_client_trainer"),
            # A member's trainers.
            models.Index(fields=["member", "status"], name="coaching_client_member"),
        ]

    def __str__(self) -> str:
        return f"{self.member} with {self.trainer}"

    def grants(self, area: str) -> bool:
        return self.status == ClientStatus.ACTIVE and bool(getattr(self, f"grant_{area}"))


# ---------------------------------------------------------------------------------------------------
# Availability


class WorkingHours(models.Model):
    """A trainer's weekly working window at a location."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    trainer = models.ForeignKey(Trainer, on_delete=models.CASCADE, related_name="working_hours")
    location = models.ForeignKey(Location, on_delete=models.CASCADE, related_name="working_hours")
    weekday = models.PositiveSmallIntegerField(choices=Weekday)
    starts = models.TimeField()
    ends = models.TimeField()

    class Meta:
        ordering = ["weekday", "starts"]
        verbose_name_plural = "working hours"
        constraints = [
            models.CheckConstraint(condition=Q(weekday__gte=0, weekday__lte=6), name="coaching_workinghours_weekday"),
            models.CheckConstraint(
                condition=Q(starts__lt=F("ends")),
                name="coaching_workinghours_order",
                violation_error_message="Working hours end after they start.",
            ),
            # A trainer is in one place at a time.
            ExclusionConstraint(
                name="coaching_workinghours_no_overlap",
                expressions=[
                    ("trainer", RangeOperators.EQUAL),
                    ("weekday", RangeOperators.EQUAL),
                    (_day_range("starts", "ends"), RangeOperators.OVERLAPS),
                ],
                violation_error_message="These hours overlap other working hours of the same day.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_weekday_display()} {self.starts:%H:%M}–{self.ends:%H:%M}"


class TimeOff(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    trainer = models.ForeignKey(Trainer, on_delete=models.CASCADE, related_name="time_off")
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    reason = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["starts_at"]
        verbose_name_plural = "time off"
        constraints = [
            models.CheckConstraint(
                condition=Q(starts_at__lt=F("ends_at")),
                name="coaching_timeoff_order",
                violation_error_message="Time off ends after it starts.",
            ),
            models.CheckConstraint(condition=datetime_range_check("starts_at"), name="coaching_timeoff_start_range"),
            models.CheckConstraint(condition=datetime_range_check("ends_at"), name="coaching_timeoff_end_range"),
        ]
        indexes = [models.Index(fields=["trainer", "starts_at"], name="coaching_timeoff_trainer")]

    def __str__(self) -> str:
        return f"{self.starts_at:%Y-%m-%d %H:%M} – {self.ends_at:%Y-%m-%d %H:%M}"


# ---------------------------------------------------------------------------------------------------
# Bookings


class BookingStatus(models.TextChoices):
    SCHEDULED = "scheduled", "Scheduled"
    CONFIRMED = "confirmed", "Confirmed"
    COMPLETED = "completed", "Completed"
    CANCELLED = "cancelled", "Cancelled"
    NO_SHOW = "no_show", "No show"


# Bookings that hold their time: no other booking of the same trainer or member may overlap them.
HOLDING_BOOKING_STATUSES = (BookingStatus.SCHEDULED, BookingStatus.CONFIRMED, BookingStatus.COMPLETED)
UPCOMING_BOOKING_STATUSES = (BookingStatus.SCHEDULED, BookingStatus.CONFIRMED)


class BookingKind(models.TextChoices):
    TRAINING = "training", "Training session"
    ASSESSMENT = "assessment", "Assessment"
    CONSULTATION = "consultation", "Consultation"


class TsTzRange(Func):
    function = "TSTZRANGE"
    output_field = DateTimeRangeField()


class Booking(models.Model):
    """A session booked with a trainer (seed 004 schedules). `member` repeats the client's member so one
    exclusion constraint keeps a person out of two places at once across trainers."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    trainer = models.ForeignKey(Trainer, on_delete=models.CASCADE, related_name="bookings")
    client = models.ForeignKey(Client, on_delete=models.CASCADE, related_name="bookings")
    member = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, blank=True, related_name="gym_bookings")
    location = models.ForeignKey(Location, on_delete=models.PROTECT, related_name="bookings")
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    # ends_at - starts_at in whole minutes (timestamptz minus timestamptz is immutable).
    duration_minutes = models.GeneratedField(
        expression=Func(
            F("ends_at") - F("starts_at"), function="", template="(EXTRACT(EPOCH FROM %(expressions)s) / 60)::integer"
        ),
        output_field=models.IntegerField(),
        db_persist=True,
    )
    kind = models.CharField(max_length=14, choices=BookingKind, default=BookingKind.TRAINING)
    title = models.CharField(max_length=120, blank=True)
    notes = models.TextField(blank=True)
    enrollment = models.ForeignKey(
        Enrollment, on_delete=models.SET_NULL, null=True, blank=True, related_name="bookings"
    )
    program_session = models.ForeignKey(
        ProgramSession,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="bookings",
        help_text="The program day this session serves.",
    )
    status = models.CharField(max_length=10, choices=BookingStatus, default=BookingStatus.SCHEDULED)
    created_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    cancelled_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    cancelled_at = models.DateTimeField(null=True, blank=True)
    cancellation_reason = models.TextField(blank=True)
    late_cancellation = models.BooleanField(default=False)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    reminder_day_sent_at = models.DateTimeField(null=True, blank=True)
    reminder_hour_sent_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["starts_at"]
        constraints = [
            models.CheckConstraint(condition=Q(status__in=BookingStatus.values), name="coaching_booking_status_valid"),
            models.CheckConstraint(condition=Q(kind__in=BookingKind.values), name="coaching_booking_kind_valid"),
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")),
                name="coaching_booking_duration_positive",
                violation_error_message="A booking lasts more than zero minutes.",
            ),
            models.CheckConstraint(
                condition=Q(ends_at__lte=F("starts_at") + dt.timedelta(minutes=MAX_BOOKING_MINUTES)),
                name="coaching_booking_duration_max",
                violation_error_message=f"A booking lasts at most {MAX_BOOKING_MINUTES // 60} hours.",
            ),
            models.CheckConstraint(condition=datetime_range_check("starts_at"), name="coaching_booking_start_range"),
            models.CheckConstraint(
                condition=Q(cancelled_at__isnull=True) | Q(status=BookingStatus.CANCELLED),
                name="coaching_booking_cancelled_when_cancelled",
            ),
            # No double booking (seed 004): PostgreSQL refuses a second active booking of the same trainer,
            # or of the same member, in an overlapping time range — also for two concurrent requests.
            ExclusionConstraint(
                name="coaching_booking_trainer_no_overlap",
                expressions=[
                    ("trainer", RangeOperators.EQUAL),
                    (TsTzRange("starts_at", "ends_at"), RangeOperators.OVERLAPS),
                ],
                condition=Q(status__in=HOLDING_BOOKING_STATUSES),
                violation_error_message="The trainer already has a booking at this time.",
            ),
            ExclusionConstraint(
                name="coaching_booking_member_no_overlap",
                expressions=[
                    ("member", RangeOperators.EQUAL),
                    (TsTzRange("starts_at", "ends_at"), RangeOperators.OVERLAPS),
                ],
                condition=Q(status__in=HOLDING_BOOKING_STATUSES),
                violation_error_message="This member already has a booking at this time.",
            ),
        ]
        indexes = [
            # A member's upcoming bookings (seed idx_schedules_upcoming).
            models.Index(
                fields=["member", "starts_at"],
                condition=Q(status__in=UPCOMING_BOOKING_STATUSES),
                name="coaching_booking_upcoming",
            ),
            # A trainer's day and week (seed idx_schedules_trainer_date).
            models.Index(fields=["trainer", "starts_at"], name="coaching_booking_trainer"),
            models.Index(fields=["location", "starts_at"], name="coaching_booking_location"),
            # Reminders still to send.
            models.Index(
                fields=["starts_at"],
                condition=Q(status__in=UPCOMING_BOOKING_STATUSES, reminder_hour_sent_at__isnull=True),
                name="coaching_booking_reminders",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.starts_at:%Y-%m-%d %H:%M} {self.trainer} / {self.member}"


# ---------------------------------------------------------------------------------------------------
# Session cards


class SessionCard(models.Model):
    """The trainer's record of a session (seed 004 session_cards): the workout itself is `session`."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    booking = models.OneToOneField(Booking, on_delete=models.SET_NULL, null=True, blank=True, related_name="card")
    trainer = models.ForeignKey(Trainer, on_delete=models.CASCADE, related_name="cards")
    client = models.ForeignKey(Client, on_delete=models.CASCADE, related_name="cards")
    session = models.OneToOneField(Session, on_delete=models.SET_NULL, null=True, blank=True, related_name="card")
    date = models.DateField(help_text="The client's local date of the session.")
    title = models.CharField(max_length=120)
    duration_minutes = models.PositiveSmallIntegerField()
    feedback = models.TextField(blank=True)
    next_session_goals = ArrayField(models.CharField(max_length=200), default=list, blank=True)
    effort_rating = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(5)],
        help_text="The trainer's rating of the client's effort, 1–5.",
    )
    client_rating = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(5)],
        help_text="The client's rating of the trainer, 1–5.",
    )
    client_comment = models.TextField(blank=True)
    rated_at = models.DateTimeField(null=True, blank=True)
    # From the linked session when the card is written (seed trigger 2).
    total_exercises = models.PositiveSmallIntegerField(default=0)
    total_sets = models.PositiveSmallIntegerField(default=0)
    total_volume_kg = models.DecimalField(max_digits=10, decimal_places=2, default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-date", "-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(effort_rating__isnull=True) | Q(effort_rating__gte=1, effort_rating__lte=5),
                name="coaching_sessioncard_effort_range",
            ),
            models.CheckConstraint(
                condition=Q(client_rating__isnull=True) | Q(client_rating__gte=1, client_rating__lte=5),
                name="coaching_sessioncard_client_rating_range",
            ),
            models.CheckConstraint(
                condition=Q(duration_minutes__gte=1, duration_minutes__lte=MAX_BOOKING_MINUTES),
                name="coaching_sessioncard_duration_range",
            ),
            models.CheckConstraint(condition=date_range_check("date"), name="coaching_sessioncard_date_range"),
        ]
        indexes = [
            models.Index(fields=["client", "-date"], name="coaching_card_client"),
            models.Index(fields=["trainer", "-date"], name="coaching_card_trainer"),
        ]

    def __str__(self) -> str:
        return f"{self.date} {self.title}"
