"""Enrolments keep their next program day as a row (Today reads it joined); existing enrolments get
the first day of their program neither done nor skipped."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("training", "0005_programs_and_enrollments"),
    ]

    operations = [
        migrations.AddField(
            model_name="enrollment",
            name="next_session",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to="training.programsession",
            ),
        ),
        migrations.RunSQL(
            """
            UPDATE training_enrollment e SET next_session_id = (
                SELECT ps.id FROM training_programsession ps
                WHERE ps.program_id = e.program_id
                  AND NOT EXISTS (
                      SELECT 1 FROM training_enrollmentday d
                      WHERE d.enrollment_id = e.id AND d.program_session_id = ps.id
                  )
                ORDER BY ps.week, ps.day LIMIT 1
            )
            """,
            migrations.RunSQL.noop,
        ),
    ]
