"""Days with a finished non-physical session (painting, chess…) were summarised with it as a workout, its
minutes as active minutes. Mark those days for a refresh: the periodic sweep recounts them (and their weeks)
under the new rule (issue 14, point 3) after the deployment, in batches, without a long migration. Other
days are unchanged by the rule and keep their rows."""

from django.db import migrations

MARK = """
INSERT INTO coaching_pendingsummary (user_id, date, queued_at, attempts, error)
SELECT DISTINCT s.user_id, s.local_date, now(), 0, ''
FROM training_session s
JOIN training_activitytype t ON t.id = s.activity_type_id
WHERE NOT t.is_physical AND s.status = 'finished' AND s.deleted_at IS NULL AND NOT s.is_template
"""


class Migration(migrations.Migration):
    dependencies = [
        ("coaching", "0011_other_activities"),
        ("training", "0011_session_met"),
    ]

    operations = [migrations.RunSQL(MARK, migrations.RunSQL.noop)]
