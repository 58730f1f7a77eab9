from django.db import migrations

AUDIT = """
CREATE OR REPLACE FUNCTION accounts_auditlog_append_only() RETURNS trigger AS $$
BEGIN
    -- Erasure may blank the personal values of a row, nothing else (see accounts/erasure_guard.py).
    IF TG_OP = 'UPDATE'
       AND current_setting('fitjourney.erasure', true) = 'on'
       AND NEW.id = OLD.id AND NEW.action = OLD.action AND NEW.created_at = OLD.created_at
       AND NEW.actor_id IS NOT DISTINCT FROM OLD.actor_id
       AND NEW.subject_id IS NOT DISTINCT FROM OLD.subject_id
       AND NEW.entity_type = OLD.entity_type AND NEW.entity_id = OLD.entity_id
       AND NEW.old_values IS NULL AND NEW.new_values IS NULL AND NEW.ip_address IS NULL
       AND NEW.user_agent = '' AND NEW.actor_label = '' AND NEW.redacted_at IS NOT NULL THEN
        RETURN NEW;
    END IF;
    RAISE EXCEPTION 'the audit trail is append-only: % refused', TG_OP USING ERRCODE = 'integrity_constraint_violation';
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER accounts_auditlog_append_only
    BEFORE UPDATE OR DELETE ON accounts_auditlog
    FOR EACH ROW EXECUTE FUNCTION accounts_auditlog_append_only();
"""

VERSIONS = """
CREATE OR REPLACE FUNCTION accounts_profileversion_immutable() RETURNS trigger AS $$
BEGIN
    IF current_setting('fitjourney.erasure', true) = 'on' THEN
        RETURN COALESCE(NEW, OLD);
    END IF;
    -- The one ordinary change: closing the current version when the next one starts.
    IF TG_OP = 'UPDATE' AND OLD.valid_until IS NULL AND NEW.valid_until IS NOT NULL
       AND NEW.id = OLD.id AND NEW.user_id = OLD.user_id AND NEW.version = OLD.version
       AND NEW.snapshot = OLD.snapshot AND NEW.changed_fields = OLD.changed_fields
       AND NEW.change_reason = OLD.change_reason AND NEW.changed_by = OLD.changed_by
       AND NEW.changed_by_user_id IS NOT DISTINCT FROM OLD.changed_by_user_id
       AND NEW.valid_from = OLD.valid_from AND NEW.created_at = OLD.created_at THEN
        RETURN NEW;
    END IF;
    RAISE EXCEPTION 'profile versions are immutable: % refused', TG_OP USING ERRCODE = 'integrity_constraint_violation';
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER accounts_profileversion_immutable
    BEFORE UPDATE OR DELETE ON accounts_profileversion
    FOR EACH ROW EXECUTE FUNCTION accounts_profileversion_immutable();
"""


class Migration(migrations.Migration):
    dependencies = [("accounts", "0003_privacy_profile_notifications_audit")]

    operations = [
        migrations.RunSQL(
            AUDIT,
            "DROP TRIGGER accounts_auditlog_append_only ON accounts_auditlog;"
            " DROP FUNCTION accounts_auditlog_append_only();",
        ),
        migrations.RunSQL(
            VERSIONS,
            "DROP TRIGGER accounts_profileversion_immutable ON accounts_profileversion;"
            " DROP FUNCTION accounts_profileversion_immutable();",
        ),
    ]
