"""Goals, step 1: the new columns, goal kinds and milestones (constraints come after the data, 0005)."""

import uuid
from decimal import Decimal

import django.core.validators
import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("coaching", "0002_entry_dates_in_range"),
        ("training", "0005_programs_and_enrollments"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="GoalKind",
            fields=[
                (
                    "slug",
                    models.CharField(
                        choices=[
                            ("frequency", "Frequency"),
                            ("performance", "Performance"),
                            ("habit", "Habit"),
                            ("time_based", "Time based"),
                            ("body_composition", "Body composition"),
                        ],
                        max_length=20,
                        primary_key=True,
                        serialize=False,
                    ),
                ),
                ("name", models.CharField(max_length=50, unique=True)),
                ("description", models.TextField(blank=True)),
                ("icon_name", models.CharField(blank=True, max_length=50)),
                (
                    "default_metric",
                    models.CharField(
                        choices=[
                            ("body_weight", "Body weight"),
                            ("body_fat", "Body fat"),
                            ("exercise_e1rm", "Estimated 1RM of an exercise"),
                            ("exercise_max_weight", "Heaviest weight of an exercise"),
                            ("sessions_per_week", "Sessions a week"),
                            ("habit_completion", "Habit completion (last 4 weeks)"),
                            ("distance_month", "Distance this month"),
                            ("energy_day", "Energy eaten a day"),
                            ("protein_day", "Protein eaten a day"),
                        ],
                        max_length=30,
                    ),
                ),
                ("default_unit", models.CharField(max_length=10)),
                ("display_order", models.PositiveSmallIntegerField(default=0)),
            ],
            options={
                "ordering": ["display_order", "name"],
            },
        ),
        migrations.CreateModel(
            name="GoalMilestone",
            fields=[
                ("id", models.UUIDField(default=uuid.uuid4, editable=False, primary_key=True, serialize=False)),
                ("value", models.DecimalField(decimal_places=3, max_digits=13)),
                ("percent", models.PositiveSmallIntegerField(help_text="How far along the way from start to target.")),
                ("target_date", models.DateField(blank=True, null=True)),
                ("achieved_at", models.DateTimeField(blank=True, null=True)),
                ("created_at", models.DateTimeField(auto_now_add=True)),
            ],
            options={
                "ordering": ["goal", "percent"],
            },
        ),
        migrations.RemoveConstraint(
            model_name="goal",
            name="coaching_goal_role_valid",
        ),
        migrations.RemoveConstraint(
            model_name="goal",
            name="coaching_goal_status_valid",
        ),
        migrations.RemoveConstraint(
            model_name="goal",
            name="coaching_goal_completed_dated",
        ),
        migrations.RemoveConstraint(
            model_name="goal",
            name="coaching_goal_one_active_per_role",
        ),
        migrations.RenameField(
            model_name="goal",
            old_name="completed_at",
            new_name="achieved_at",
        ),
        migrations.AddField(
            model_name="goal",
            name="activity_type",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="training.activitytype",
            ),
        ),
        migrations.AddField(
            model_name="goal",
            name="current_value",
            field=models.DecimalField(
                blank=True, decimal_places=3, help_text="Cache of the last evaluation.", max_digits=13, null=True
            ),
        ),
        migrations.AddField(
            model_name="goal",
            name="direction",
            field=models.CharField(blank=True, choices=[("up", "Increase to"), ("down", "Decrease to")], max_length=4),
        ),
        migrations.AddField(
            model_name="goal",
            name="evaluated_at",
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name="goal",
            name="exercise",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="goals",
                to="training.exercise",
            ),
        ),
        migrations.AddField(
            model_name="goal",
            name="frequency_per_week",
            field=models.PositiveSmallIntegerField(
                blank=True,
                null=True,
                validators=[django.core.validators.MinValueValidator(1), django.core.validators.MaxValueValidator(21)],
            ),
        ),
        migrations.AddField(
            model_name="goal",
            name="habit",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="goals",
                to="coaching.habit",
            ),
        ),
        migrations.AddField(
            model_name="goal",
            name="kind",
            field=models.CharField(
                choices=[
                    ("frequency", "Frequency"),
                    ("performance", "Performance"),
                    ("habit", "Habit"),
                    ("time_based", "Time based"),
                    ("body_composition", "Body composition"),
                ],
                default="frequency",
                max_length=20,
            ),
        ),
        migrations.AddField(
            model_name="goal",
            name="metric",
            field=models.CharField(
                blank=True,
                choices=[
                    ("body_weight", "Body weight"),
                    ("body_fat", "Body fat"),
                    ("exercise_e1rm", "Estimated 1RM of an exercise"),
                    ("exercise_max_weight", "Heaviest weight of an exercise"),
                    ("sessions_per_week", "Sessions a week"),
                    ("habit_completion", "Habit completion (last 4 weeks)"),
                    ("distance_month", "Distance this month"),
                    ("energy_day", "Energy eaten a day"),
                    ("protein_day", "Protein eaten a day"),
                ],
                help_text="Blank: not measured.",
                max_length=30,
            ),
        ),
        migrations.AddField(
            model_name="goal",
            name="start_date",
            field=models.DateField(null=True),
        ),
        migrations.AddField(
            model_name="goal",
            name="start_value",
            field=models.DecimalField(blank=True, decimal_places=3, max_digits=13, null=True),
        ),
        migrations.AddField(
            model_name="goal",
            name="target_date",
            field=models.DateField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name="goal",
            name="target_value",
            field=models.DecimalField(blank=True, decimal_places=3, max_digits=13, null=True),
        ),
        migrations.AddField(
            model_name="goal",
            name="title",
            field=models.CharField(blank=True, max_length=200),
        ),
        migrations.AddField(
            model_name="goal",
            name="unit",
            field=models.CharField(
                blank=True, help_text="The SI unit of the values (kg, m, kcal, g, %).", max_length=10
            ),
        ),
        migrations.AlterField(
            model_name="goal",
            name="category",
            field=models.CharField(
                choices=[
                    ("fat_loss", "Fat loss"),
                    ("muscle_gain", "Muscle gain"),
                    ("general_fitness", "General fitness"),
                    ("strength", "Strength"),
                    ("endurance", "Endurance"),
                    ("flexibility", "Flexibility and mobility"),
                ],
                default="general_fitness",
                max_length=20,
            ),
        ),
        migrations.AlterField(
            model_name="goal",
            name="role",
            field=models.CharField(
                blank=True, choices=[("primary", "Primary"), ("secondary", "Secondary")], default="", max_length=10
            ),
        ),
        migrations.AlterField(
            model_name="goal",
            name="status",
            field=models.CharField(
                choices=[
                    ("active", "Active"),
                    ("achieved", "Achieved"),
                    ("abandoned", "Abandoned"),
                    ("expired", "Expired"),
                ],
                default="active",
                max_length=10,
            ),
        ),
        migrations.AddIndex(
            model_name="goal",
            index=models.Index(
                condition=models.Q(("status", "active")), fields=["target_date"], name="coaching_goal_active_due"
            ),
        ),
        migrations.AddConstraint(
            model_name="goalkind",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("slug__in", ["frequency", "performance", "habit", "time_based", "body_composition"])
                ),
                name="coaching_goalkind_slug_valid",
            ),
        ),
        migrations.AddConstraint(
            model_name="goalkind",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    (
                        "default_metric__in",
                        [
                            "body_weight",
                            "body_fat",
                            "exercise_e1rm",
                            "exercise_max_weight",
                            "sessions_per_week",
                            "habit_completion",
                            "distance_month",
                            "energy_day",
                            "protein_day",
                        ],
                    )
                ),
                name="coaching_goalkind_metric_valid",
            ),
        ),
        migrations.AddField(
            model_name="goalmilestone",
            name="goal",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE, related_name="milestones", to="coaching.goal"
            ),
        ),
        migrations.AddConstraint(
            model_name="goalmilestone",
            constraint=models.UniqueConstraint(fields=("goal", "value"), name="coaching_goalmilestone_unique_value"),
        ),
        migrations.AddConstraint(
            model_name="goalmilestone",
            constraint=models.CheckConstraint(
                condition=models.Q(("percent__gte", 1), ("percent__lte", 100)),
                name="coaching_goalmilestone_percent_range",
            ),
        ),
        migrations.AddConstraint(
            model_name="goalmilestone",
            constraint=models.CheckConstraint(
                condition=models.Q(("value__gte", 0), ("value__lt", Decimal("1000000000"))),
                name="coaching_goalmilestone_value_range",
            ),
        ),
    ]
