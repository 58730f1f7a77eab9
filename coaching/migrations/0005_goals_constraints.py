"""Goals, step 3: every goal has a start date; the goal rules hold from here on."""

from decimal import Decimal

import django.utils.timezone
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("coaching", "0004_goals_from_intake"),
    ]

    operations = [
        migrations.AlterField(
            model_name="goal",
            name="start_date",
            field=models.DateField(default=django.utils.timezone.localdate),
        ),
        migrations.AddConstraint(
            model_name="goal",
            constraint=models.CheckConstraint(
                condition=models.Q(("role__in", ["primary", "secondary", ""])), name="coaching_goal_role_valid"
            ),
        ),
        migrations.AddConstraint(
            model_name="goal",
            constraint=models.CheckConstraint(
                condition=models.Q(("status__in", ["active", "achieved", "abandoned", "expired"])),
                name="coaching_goal_status_valid",
            ),
        ),
        migrations.AddConstraint(
            model_name="goal",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("kind__in", ["frequency", "performance", "habit", "time_based", "body_composition"])
                ),
                name="coaching_goal_kind_valid",
            ),
        ),
        migrations.AddConstraint(
            model_name="goal",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    (
                        "metric__in",
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
                            "",
                        ],
                    )
                ),
                name="coaching_goal_metric_valid",
            ),
        ),
        migrations.AddConstraint(
            model_name="goal",
            constraint=models.CheckConstraint(
                condition=models.Q(("direction__in", ["up", "down", ""])), name="coaching_goal_direction_valid"
            ),
        ),
        migrations.AddConstraint(
            model_name="goal",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(("status", "achieved"), _negated=True), ("achieved_at__isnull", False), _connector="OR"
                ),
                name="coaching_goal_achieved_dated",
            ),
        ),
        migrations.AddConstraint(
            model_name="goal",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("target_date__isnull", True), ("target_date__gt", models.F("start_date")), _connector="OR"
                ),
                name="coaching_goal_target_after_start",
                violation_error_message="The target date must be after the start date.",
            ),
        ),
        migrations.AddConstraint(
            model_name="goal",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(("metric", ""), ("target_value__isnull", True)),
                    models.Q(
                        models.Q(("metric", ""), _negated=True),
                        ("target_value__isnull", False),
                        models.Q(("unit", ""), _negated=True),
                        models.Q(("direction", ""), _negated=True),
                    ),
                    _connector="OR",
                ),
                name="coaching_goal_measured_has_target",
            ),
        ),
        migrations.AddConstraint(
            model_name="goal",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(
                        ("target_value__isnull", True),
                        models.Q(("target_value__gte", 0), ("target_value__lt", Decimal("1000000000"))),
                        _connector="OR",
                    ),
                    models.Q(
                        ("start_value__isnull", True),
                        models.Q(("start_value__gte", 0), ("start_value__lt", Decimal("1000000000"))),
                        _connector="OR",
                    ),
                ),
                name="coaching_goal_values_range",
            ),
        ),
        migrations.AddConstraint(
            model_name="goal",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(("metric__in", ["exercise_e1rm", "exercise_max_weight"]), _negated=True),
                    ("exercise__isnull", False),
                    _connector="OR",
                ),
                name="coaching_goal_lift_has_exercise",
            ),
        ),
        migrations.AddConstraint(
            model_name="goal",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(("metric", "habit_completion"), _negated=True), ("habit__isnull", False), _connector="OR"
                ),
                name="coaching_goal_habit_metric_has_habit",
            ),
        ),
        migrations.AddConstraint(
            model_name="goal",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("frequency_per_week__isnull", True),
                    models.Q(("frequency_per_week__gte", 1), ("frequency_per_week__lte", 21)),
                    _connector="OR",
                ),
                name="coaching_goal_frequency_range",
            ),
        ),
        migrations.AddConstraint(
            model_name="goal",
            constraint=models.UniqueConstraint(
                condition=models.Q(("status", "active"), models.Q(("role", ""), _negated=True)),
                fields=("user", "role"),
                name="coaching_goal_one_active_per_role",
            ),
        ),
        migrations.AddConstraint(
            model_name="goal",
            constraint=models.UniqueConstraint(
                condition=models.Q(("status", "active"), models.Q(("metric", ""), _negated=True)),
                fields=("user", "metric", "exercise", "habit", "activity_type"),
                name="coaching_goal_one_active_per_subject",
                nulls_distinct=False,
                violation_error_message="There is already an active goal for this.",
            ),
        ),
    ]
