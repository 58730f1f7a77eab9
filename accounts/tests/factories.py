from __future__ import annotations

import factory
from factory.django import DjangoModelFactory

from accounts.models import ChangedBy, ConstraintType, Level, LifestyleBaseline, PhysicalConstraint, SleepQuality, User
from accounts.services.profiles import profile_create
from fitjourney.testing.factories import PASSWORD
from fitjourney.testing.factories import UserFactory as KitUserFactory

__all__ = ["PASSWORD", "LifestyleBaselineFactory", "PhysicalConstraintFactory", "UserFactory"]


class UserFactory(KitUserFactory):
    """The test kit's person (fitjourney.testing.factories) with the profile every account gets."""

    class Meta:
        model = User
        skip_postgeneration_save = True

    @factory.post_generation
    def profile(obj, create, extracted, **kwargs):
        """The profile every account gets (version 1), through the service; pass profile=False for none."""
        if create and extracted is not False:
            profile_create(user=obj, changed_by=ChangedBy.SYSTEM)


class PhysicalConstraintFactory(DjangoModelFactory):
    class Meta:
        model = PhysicalConstraint

    user = factory.SubFactory(UserFactory)
    constraint_type = ConstraintType.INJURY
    category = "knee"
    severity = "mild"


class LifestyleBaselineFactory(DjangoModelFactory):
    class Meta:
        model = LifestyleBaseline

    user = factory.SubFactory(UserFactory)
    energy_level = Level.MEDIUM
    stress_level = Level.MEDIUM
    sleep_quality = SleepQuality.GOOD
    sleep_hours = 7.5
