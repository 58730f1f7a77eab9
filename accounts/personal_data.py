"""How the accounts app's own models (and the libraries it uses) are exported and erased."""

from __future__ import annotations

from allauth.account.models import EmailAddress
from allauth.socialaccount.models import SocialAccount, SocialToken

from fitjourney.hooks import personal_data as pd

from .models import (
    ApiToken,
    AuditLog,
    BodyMetric,
    DataExport,
    LifestyleBaseline,
    Notification,
    NotificationPreference,
    PhysicalConstraint,
    Profile,
    ProfileVersion,
    User,
)


def register_all() -> None:
    pd.register(
        User,
        owner="pk",
        exclude=("password",),
        erase=pd.KEEP,
        reason="The erasure service anonymises the account itself; the purge deletes it after 90 days.",
    )
    pd.register(EmailAddress, owner="user", fields=("email", "verified", "primary"), erase=pd.DELETE_NOW)
    pd.register(
        SocialAccount, owner="user", fields=("provider", "uid", "date_joined", "last_login"), erase=pd.DELETE_NOW
    )
    pd.register(SocialToken, owner="account__user", fields=("app_id", "expires_at"), erase=pd.DELETE_NOW)
    pd.register(ApiToken, owner="user", exclude=("token_hash",), csv=True, erase=pd.DELETE_NOW)
    pd.register(Profile, owner="user", files=("avatar",), erase="accounts.services.profiles.profile_anonymise")
    pd.register(ProfileVersion, owner="user", csv=True, erase="accounts.services.profiles.profile_versions_anonymise")
    pd.register(Notification, owner="user", csv=True, erase=pd.DELETE_NOW)
    pd.register(BodyMetric, owner="user", csv=True, erase=pd.DELETE_NOW)
    pd.register(NotificationPreference, owner="user", erase=pd.DELETE_NOW)
    # Injuries and limitations are health data: deleted at erasure.
    pd.register(PhysicalConstraint, owner="user", csv=True, erase=pd.DELETE_NOW)
    pd.register(LifestyleBaseline, owner="user", csv=True, erase=pd.DELETE_NOW)
    pd.register(DataExport, owner="user", exclude=("file",), erase=pd.DELETE_NOW)
    pd.register(
        AuditLog,
        owner="subject_id",
        # The actor's e-mail may be a staff member's: their personal data, not the requester's.
        exclude=("actor_label",),
        csv=True,
        erase="accounts.services.audit.audit_erase",
    )
    # Libraries' models with a foreign key to User that are not the person's own data.
    pd.exempt(
        "admin.logentry",
        "Staff actions in the admin (its user is the staff member). Entries about an erased person or their "
        "rows are deleted at erasure; entries by an erased staff member go with their account at the purge.",
    )
