"""The trainer dashboard's summary tables (seed 004 mv_trainer_dashboard and mv_trainee_progress), kept by
coaching.services.dashboard from a Celery task after the gym's data changes and nightly, so the dashboard
reads a handful of rows whatever the number of bookings, cards and logs behind them."""

from __future__ import annotations

from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.db.models import Q

from .gym import Client, Trainer


class AttentionReason(models.TextChoices):
    """Why a client needs the trainer's attention (the dashboard's list)."""

    NO_SESSION = "no_session", "No session for 14 days"
    LOW_ADHERENCE = "low_adherence", "Program adherence under 50 %"
    FALLING_E1RM = "falling_e1rm", "Estimated 1RM of a main lift falling"
    WEIGHT_AGAINST_GOAL = "weight_against_goal", "Body weight moving against the goal"


class ClientProgress(models.Model):
    """One row per trainer–client link (mv_trainee_progress). Values that rest on an area the member did
    not grant stay empty: the trainer learns nothing the grants do not allow."""

    client = models.OneToOneField(Client, on_delete=models.CASCADE, primary_key=True, related_name="progress")
    trainer = models.ForeignKey(Trainer, on_delete=models.CASCADE, related_name="client_progress")
    last_session_date = models.DateField(null=True, blank=True)
    sessions_28d = models.PositiveIntegerField(null=True, blank=True)
    adherence_pct = models.DecimalField(max_digits=5, decimal_places=2, null=True, blank=True)
    e1rm_change_pct = models.DecimalField(
        max_digits=7, decimal_places=2, null=True, blank=True, help_text="Main lifts, last 4 weeks vs the 4 before."
    )
    weight_change_kg = models.DecimalField(
        max_digits=6, decimal_places=2, null=True, blank=True, help_text="Over the last 28 days."
    )
    attention = ArrayField(models.CharField(max_length=24, choices=AttentionReason), default=list, blank=True)
    refreshed_at = models.DateTimeField()

    class Meta:
        verbose_name_plural = "client progress"
        constraints = [
            models.CheckConstraint(
                condition=Q(adherence_pct__isnull=True) | Q(adherence_pct__gte=0, adherence_pct__lte=100),
                name="coaching_clientprogress_adherence_range",
            ),
        ]
        indexes = [
            # The dashboard's "needs attention" list of one trainer.
            models.Index(fields=["trainer"], condition=~Q(attention=[]), name="coaching_progress_attention"),
        ]

    def __str__(self) -> str:
        return f"progress of {self.client_id}"


class TrainerDashboard(models.Model):
    """One row per trainer (mv_trainer_dashboard): the numbers that would otherwise scan their history."""

    trainer = models.OneToOneField(Trainer, on_delete=models.CASCADE, primary_key=True, related_name="dashboard")
    active_clients = models.PositiveIntegerField(default=0)
    sessions_month = models.PositiveIntegerField(default=0, help_text="Session cards this calendar month.")
    completed_90d = models.PositiveIntegerField(default=0)
    cancelled_90d = models.PositiveIntegerField(default=0)
    no_show_90d = models.PositiveIntegerField(default=0)
    completion_rate = models.DecimalField(max_digits=5, decimal_places=2, default=0)
    no_show_rate = models.DecimalField(max_digits=5, decimal_places=2, default=0)
    rating_average = models.DecimalField(max_digits=3, decimal_places=2, default=0)
    rating_count = models.PositiveIntegerField(default=0)
    clients_needing_attention = models.PositiveIntegerField(default=0)
    refreshed_at = models.DateTimeField()

    class Meta:
        # One page in the admin (coaching/admin/dashboard.py), listed as "Trainer dashboard".
        verbose_name = "trainer dashboard"
        verbose_name_plural = "trainer dashboard"
        constraints = [
            models.CheckConstraint(
                condition=Q(
                    completion_rate__gte=0, completion_rate__lte=100, no_show_rate__gte=0, no_show_rate__lte=100
                ),
                name="coaching_trainerdashboard_rates_range",
            ),
            models.CheckConstraint(
                condition=Q(rating_average__gte=0, rating_average__lte=5),
                name="coaching_trainerdashboard_rating_range",
            ),
        ]

    def __str__(self) -> str:
        return f"dashboard of {self.trainer_id}"
