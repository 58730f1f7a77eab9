from __future__ import annotations

import datetime as dt

import factory
from allauth.account.models import EmailAddress
from django.utils import timezone
from factory.django import DjangoModelFactory

from accounts.models import ChangedBy, ConstraintType, Level, LifestyleBaseline, PhysicalConstraint, SleepQuality, User
from accounts.services.profiles import profile_create

PASSWORD = "correct-horse-battery-staple"


class UserFactory(DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.com")
    username = factory.Sequence(lambda n: f"person{n}")
    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    password = factory.django.Password(PASSWORD)
    # People in tests have done the intake unless a test says otherwise (intake_completed_at=None):
    # until then every page leads to the intake.
    intake_completed_at = factory.LazyFunction(lambda: timezone.now() - dt.timedelta(days=30))

    @factory.post_generation
    def verified(obj, create, extracted, **kwargs):
        """A verified primary e-mail, as after sign-up; pass verified=False for a fresh sign-up."""
        if create and extracted is not False:
            EmailAddress.objects.create(user=obj, email=obj.email, verified=True, primary=True)

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
