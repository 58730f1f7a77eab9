"""Token scopes (tokens made before get read and write, so nothing breaks) and which token made which.

The "signed out everywhere" audit action records a password change or reset that revoked the tokens.
"""

import django.contrib.postgres.fields
import django.db.models.deletion
from django.db import migrations, models

import accounts.models.tokens


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0006_user_intake_completed_at_lifestylebaseline_and_more"),
    ]

    operations = [
        migrations.AddField(
            model_name="apitoken",
            name="created_by_token",
            field=models.ForeignKey(
                blank=True,
                editable=False,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="created_tokens",
                to="accounts.apitoken",
            ),
        ),
        migrations.AddField(
            model_name="apitoken",
            name="scopes",
            field=django.contrib.postgres.fields.ArrayField(
                base_field=models.CharField(
                    choices=[
                        ("read", "Read your data"),
                        ("write", "Change your data"),
                        ("tokens", "Manage API tokens"),
                    ],
                    max_length=20,
                ),
                default=accounts.models.tokens.default_token_scopes,
                help_text="What the token may do: read, write (includes read), tokens (manage tokens).",
            ),
        ),
        migrations.AlterField(
            model_name="auditlog",
            name="action",
            field=models.CharField(
                choices=[
                    ("login", "Logged in"),
                    ("login_failed", "Failed login"),
                    ("logout", "Logged out"),
                    ("password_change", "Changed password"),
                    ("settings_update", "Changed settings"),
                    ("profile_update", "Changed profile"),
                    ("token_create", "Created an API token"),
                    ("token_revoke", "Revoked an API token"),
                    ("sign_out_everywhere", "Signed out everywhere"),
                    ("export_request", "Requested a data export"),
                    ("export_download", "Downloaded a data export"),
                    ("account_erase", "Deleted the account"),
                    ("account_purge", "Account data removed for good"),
                    ("admin_add", "Staff added"),
                    ("admin_change", "Staff changed"),
                    ("admin_delete", "Staff deleted"),
                ],
                max_length=30,
            ),
        ),
        migrations.AddConstraint(
            model_name="apitoken",
            constraint=models.CheckConstraint(
                condition=models.Q(("scopes__contained_by", ["read", "write", "tokens"])),
                name="accounts_apitoken_scopes_known",
            ),
        ),
        migrations.AddConstraint(
            model_name="apitoken",
            constraint=models.CheckConstraint(
                condition=models.Q(("scopes__len__gt", 0)), name="accounts_apitoken_scopes_not_empty"
            ),
        ),
        migrations.AddConstraint(
            model_name="apitoken",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(("scopes__contains", ["write"]), _negated=True),
                    ("scopes__contains", ["read"]),
                    _connector="OR",
                ),
                name="accounts_apitoken_write_includes_read",
            ),
        ),
        migrations.AddConstraint(
            model_name="apitoken",
            constraint=models.CheckConstraint(
                condition=models.Q(("created_by_token", models.F("id")), _negated=True),
                name="accounts_apitoken_not_own_parent",
            ),
        ),
    ]
