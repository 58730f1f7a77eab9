"""The person the test kit needs: a verified account that has done the intake, made from the project's
user model (settings.AUTH_USER_MODEL) without importing the app that defines it.

Apps' own factories build on it (accounts.tests.factories.UserFactory adds the profile every account gets).
"""

from __future__ import annotations

import datetime as dt

import factory
from allauth.account.models import EmailAddress
from django.conf import settings
from django.utils import timezone
from factory.django import DjangoModelFactory

PASSWORD = "correct-horse-battery-staple"


class UserFactory(DjangoModelFactory):
    class Meta:
        model = settings.AUTH_USER_MODEL
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
