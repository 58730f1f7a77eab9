"""Demo accounts for a development site (`make run`). Never used in production."""

from __future__ import annotations

from typing import Any

from allauth.account.models import EmailAddress
from django.db import transaction
from django.utils import timezone

from fitjourney.hooks import roles

from ..models import ChangedBy, User
from .profiles import profile_create
from .users import user_assign_role

DEMO_PASSWORD = "fitjourney-demo"

DEMO_ACCOUNTS: dict[str, dict[str, Any]] = {
    # Dana has eight weeks of history (coaching's demo loader completes her intake); Nico starts with the
    # intake, as every new person does.
    "member": {"email": "demo@fitjourney.test", "username": "demo", "first_name": "Dana", "last_name": "Demo"},
    "newcomer": {"email": "new@fitjourney.test", "username": "new", "first_name": "Nico", "last_name": "New"},
    "trainer": {
        "email": "trainer@fitjourney.test",
        "username": "trainer",
        "first_name": "Theo",
        "last_name": "Trainer",
        "role": roles.TRAINER,
    },
    "staff": {
        "email": "staff@fitjourney.test",
        "username": "staff",
        "first_name": "Sam",
        "last_name": "Staff",
        "role": roles.GYM_STAFF,
    },
    "admin": {
        "email": "admin@fitjourney.test",
        "username": "admin",
        "first_name": "Ada",
        "last_name": "Admin",
        "superuser": True,
    },
}

# What the demo member's profile starts with, so the profile pages have something to show.
DEMO_PROFILES: dict[str, dict[str, Any]] = {
    "member": {
        "birth_date": "1992-04-18",
        "height_m": "1.680",
        "activity_level": "moderately_active",
        "fitness_level": "intermediate",
        "primary_goal": "general_fitness",
        "secondary_goal": "strength",
        "energy_level": "medium",
        "stress_level": "medium",
        "sleep_quality": "good",
    },
}


@transaction.atomic
def demo_accounts_ensure() -> dict[str, User]:
    accounts: dict[str, User] = {}
    for label, spec in DEMO_ACCOUNTS.items():
        spec = dict(spec)
        role = spec.pop("role", None)
        superuser = spec.pop("superuser", False)
        user = User.all_objects.filter(email=spec["email"]).first()
        if user is None:
            create = User.objects.create_superuser if superuser else User.objects.create_user
            user = create(password=DEMO_PASSWORD, **spec)
        else:
            user.set_password(DEMO_PASSWORD)
            user.save(update_fields=["password"])
        EmailAddress.objects.update_or_create(user=user, email=user.email, defaults={"verified": True, "primary": True})
        if role:
            user_assign_role(user=user, role=role)
        if (role or superuser) and user.intake_completed_at is None:
            # Staff accounts work in the admin and are not trainees: no intake. The newcomer starts with it,
            # as every new person does; the demo member's is completed with her history (--demo's loaders).
            user.intake_completed_at = timezone.now()
            user.save(update_fields=["intake_completed_at"])
        # Idempotent: an existing profile (and its history) is left as it is.
        profile_create(user=user, changed_by=ChangedBy.SYSTEM, values=DEMO_PROFILES.get(label))
        accounts[label] = user
    return accounts
