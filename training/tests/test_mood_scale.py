"""One mood scale for sessions and the journal (issue 14, point 4), and the migration that moved sessions'
old steps onto it."""

from __future__ import annotations

import importlib

import pytest
from django.apps import apps as django_apps
from django.db import connection

from accounts.tests.factories import UserFactory
from coaching.models import JournalMood
from fitjourney.scales import Mood
from training.models import Mood as SessionMood
from training.models import Session
from training.tests.factories import SessionFactory

pytestmark = pytest.mark.django_db


def test_sessions_and_the_journal_share_the_scale():
    assert SessionMood is Mood and JournalMood is Mood
    assert Mood.values == ["excellent", "good", "neutral", "bad", "terrible"]


def test_the_migration_maps_the_old_steps_in_order():
    migration = importlib.import_module("training.migrations.0010_one_mood_scale")
    user = UserFactory()
    old = [("great", "low"), ("okay", "bad"), ("good", "")]
    sessions = [SessionFactory(user=user) for _ in old]
    # As the migration runs: the constraints are gone (rolled back with the test's transaction) and the
    # rows hold the old values.
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # no pending deferred checks before the ALTER
        cursor.execute("ALTER TABLE training_session DROP CONSTRAINT training_session_mood_before")
        cursor.execute("ALTER TABLE training_session DROP CONSTRAINT training_session_mood_after")
    for session, (before, after) in zip(sessions, old, strict=True):
        Session.objects.filter(pk=session.pk).update(mood_before=before, mood_after=after)
    migration._remap(migration.FORWARD)(django_apps, None)
    moved = [Session.objects.values_list("mood_before", "mood_after").get(pk=s.pk) for s in sessions]
    assert moved == [("excellent", "bad"), ("neutral", "terrible"), ("good", "")]
