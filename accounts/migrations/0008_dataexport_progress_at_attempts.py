"""When an export last moved and how many builds it took, for the sweep that restarts stalled ones."""

import django.utils.timezone
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0007_token_scopes_and_lineage"),
    ]

    operations = [
        migrations.AddField(
            model_name="dataexport",
            name="attempts",
            field=models.PositiveSmallIntegerField(default=0),
        ),
        migrations.AddField(
            model_name="dataexport",
            name="progress_at",
            field=models.DateTimeField(default=django.utils.timezone.now),
        ),
        # Exports made before: their last known movement, so a lost one is restarted at the next sweep.
        migrations.RunSQL(
            "UPDATE accounts_dataexport SET progress_at = COALESCE(started_at, requested_at)",
            migrations.RunSQL.noop,
        ),
        migrations.AddIndex(
            model_name="dataexport",
            index=models.Index(
                condition=models.Q(("status__in", ["pending", "running"])),
                fields=["progress_at"],
                name="accounts_export_in_progress",
            ),
        ),
    ]
