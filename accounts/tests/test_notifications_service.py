from __future__ import annotations

import smtplib
from datetime import timedelta

import pytest
from django.conf import settings
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import connection
from django.utils import timezone

from accounts.models import Channel, Notification, NotificationPreference, NotificationType, Priority
from accounts.selectors import notifications as selectors
from accounts.selectors.notifications import NOTIFICATION_DEFAULTS
from accounts.services import notifications as services
from accounts.services.notifications import notify
from accounts.tasks import purge_read_notifications, send_notification_email
from accounts.tests.factories import UserFactory
from fitjourney.testing.queries import assert_num_queries

pytestmark = pytest.mark.django_db


def _notify(user, type=NotificationType.SOCIAL, **kwargs):
    kwargs.setdefault("title", "Ana liked your post")
    kwargs.setdefault("message", "Your 5 km run got a like.")
    return notify(user=user, type=type, **kwargs)


def _prefer(user, type, *, in_app, email):
    NotificationPreference.objects.create(user=user, type=type, in_app=in_app, email=email)


# Defaults and preferences


def test_defaults_are_in_app_for_all_and_email_for_security_schedule_and_reminders():
    emailed = {kind for kind, default in NOTIFICATION_DEFAULTS.items() if default.email}
    assert emailed == {NotificationType.SECURITY, NotificationType.SCHEDULE, NotificationType.REMINDER}
    assert all(default.in_app for default in NOTIFICATION_DEFAULTS.values())
    assert set(NOTIFICATION_DEFAULTS) == set(NotificationType.values)


def test_a_social_notification_goes_to_the_inbox_only_by_default(member, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        notification = _notify(member)
    assert callbacks == []
    assert notification.channels == [Channel.IN_APP]
    assert notification.read_at is None
    assert mail.outbox == []
    assert list(selectors.notifications_inbox(user=member)) == [notification]


def test_a_security_notification_is_also_emailed_after_commit(member, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        notification = _notify(
            member,
            NotificationType.SECURITY,
            title="New sign-in",
            message="Someone signed in from Lisbon.",
            action_url="/settings/",
        )
    assert notification.channels == [Channel.IN_APP, Channel.EMAIL]
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [member.email]
    assert message.subject == "[FitJourney] New sign-in"
    assert "Someone signed in from Lisbon." in message.body
    assert f"{settings.SITE_DOMAIN}/settings/" in message.body
    notification.refresh_from_db()
    assert notification.emailed_at is not None


def test_nothing_is_mailed_before_the_transaction_commits(member, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        _notify(member, NotificationType.REMINDER, title="Leg day", message="Tomorrow 7:00.")
    assert mail.outbox == []
    assert len(callbacks) == 1
    callbacks[0]()
    assert len(mail.outbox) == 1


def test_a_stored_preference_overrides_the_default(member, django_capture_on_commit_callbacks):
    _prefer(member, NotificationType.SOCIAL, in_app=True, email=True)
    _prefer(member, NotificationType.SECURITY, in_app=True, email=False)
    with django_capture_on_commit_callbacks(execute=True):
        social = _notify(member, NotificationType.SOCIAL)
        security = _notify(member, NotificationType.SECURITY)
    assert social.channels == [Channel.IN_APP, Channel.EMAIL]
    assert security.channels == [Channel.IN_APP]
    assert [m.subject for m in mail.outbox] == ["[FitJourney] Ana liked your post"]


def test_email_only_is_stored_read_and_stays_out_of_the_inbox(member, django_capture_on_commit_callbacks):
    _prefer(member, NotificationType.SCHEDULE, in_app=False, email=True)
    with django_capture_on_commit_callbacks(execute=True):
        notification = _notify(member, NotificationType.SCHEDULE, title="Booking moved")
    assert notification.channels == [Channel.EMAIL]
    assert notification.read_at is not None
    assert len(mail.outbox) == 1
    assert list(selectors.notifications_inbox(user=member)) == []
    assert selectors.notifications_unread_count(user=member) == 0


def test_a_type_turned_off_everywhere_is_not_stored(member, django_capture_on_commit_callbacks):
    _prefer(member, NotificationType.SOCIAL, in_app=False, email=False)
    with django_capture_on_commit_callbacks(execute=True):
        assert _notify(member) is None
    assert not Notification.objects.exists()
    assert mail.outbox == []


def test_preferences_are_per_person(member):
    other = UserFactory()
    _prefer(other, NotificationType.SOCIAL, in_app=False, email=False)
    assert _notify(member) is not None


def test_the_related_object_priority_and_data_are_stored(member):
    booking = UserFactory()  # any model instance stands in for an app's object
    notification = _notify(member, related=booking, priority=Priority.HIGH, data={"kind": "like", "count": 2})
    notification.refresh_from_db()
    assert notification.related_object == booking
    assert notification.related_id == str(booking.pk)
    assert notification.priority == Priority.HIGH
    assert notification.data == {"kind": "like", "count": 2}


@pytest.mark.parametrize(
    "url",
    [
        "https://evil.example/phish",
        "http:/evil.example",
        "//evil.example/x",
        "/\\evil.example",
        "javascript:alert(1)",
        "JAVASCRIPT:alert(1)",
        "data:text/html,hi",
        "relative/path",
        " /leading-space",
        "/with space",
        "/line\nbreak",
        "/tab\there",
    ],
)
def test_it_refuses_an_action_url_that_is_not_a_path_on_our_site(member, url):
    with pytest.raises(ValidationError) as error:
        _notify(member, action_url=url)
    assert "action_url" in error.value.message_dict
    assert not Notification.objects.exists()


@pytest.mark.parametrize("url", ["", "/", "/train/", "/community/posts/42/?tab=comments#c7"])
def test_it_accepts_an_empty_action_url_or_a_local_path(member, url):
    assert _notify(member, action_url=url).action_url == url


@pytest.mark.parametrize(
    "changes",
    [{"type": "carrier-pigeon"}, {"priority": "urgent"}, {"title": ""}, {"title": "x" * 256}],
)
def test_it_refuses_bad_input(member, changes):
    with pytest.raises(ValidationError):
        _notify(member, **changes)
    assert not Notification.objects.exists()


def test_nobody_awaiting_erasure_is_notified(member):
    member.deleted_at = timezone.now()
    assert _notify(member) is None


# The mail task


def test_the_mail_task_is_idempotent(member, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        notification = _notify(member, NotificationType.SECURITY)
    assert len(mail.outbox) == 1
    assert send_notification_email.delay(str(notification.pk)).get() is False
    assert send_notification_email.delay(str(notification.pk)).get() is False
    assert len(mail.outbox) == 1


def test_the_mail_task_is_safe_when_the_notification_is_gone(member, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False):
        notification = _notify(member, NotificationType.SECURITY)
    notification_id = str(notification.pk)
    notification.delete()
    assert send_notification_email.delay(notification_id).get() is False
    assert mail.outbox == []


def test_the_mail_task_sends_nothing_for_an_in_app_only_notification(member):
    notification = _notify(member, NotificationType.SOCIAL)
    assert send_notification_email.delay(str(notification.pk)).get() is False
    assert mail.outbox == []


def test_the_mail_task_skips_a_deactivated_account(member, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False):
        notification = _notify(member, NotificationType.SECURITY)
    type(member).objects.filter(pk=member.pk).update(is_active=False)
    assert send_notification_email.delay(str(notification.pk)).get() is False
    assert mail.outbox == []


def test_a_failing_mail_server_leaves_it_unsent_and_the_task_retries(member, monkeypatch):
    notification = Notification.objects.create(
        user=member, type=NotificationType.SECURITY, title="t", message="m", channels=[Channel.EMAIL]
    )
    real_send_mail = services.send_mail
    failures = [smtplib.SMTPServerDisconnected("try later")] * 2

    def flaky_send_mail(**kwargs):
        if failures:
            raise failures.pop()
        return real_send_mail(**kwargs)

    monkeypatch.setattr(services, "send_mail", flaky_send_mail)
    with pytest.raises(smtplib.SMTPServerDisconnected):
        services.notification_email_send(notification_id=notification.pk)
    notification.refresh_from_db()
    assert notification.emailed_at is None  # rolled back with the failed send
    # The task retries on mail errors (eagerly at once here; with a growing delay in a worker).
    result = send_notification_email.apply(args=[str(notification.pk)], throw=False)
    assert failures == [] and result.get() is True
    notification.refresh_from_db()
    assert notification.emailed_at is not None
    assert len(mail.outbox) == 1
    assert send_notification_email.max_retries == 5 and send_notification_email.retry_backoff


def test_a_title_cannot_inject_mail_headers(member, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        _notify(member, NotificationType.SECURITY, title="Hello\nBcc: everyone@example.com")
    assert mail.outbox[0].subject == "[FitJourney] Hello Bcc: everyone@example.com"
    assert mail.outbox[0].bcc == []


# Reading, deleting, preferences


def test_mark_read_keeps_the_first_reading_time(member):
    notification = _notify(member)
    services.notification_mark_read(notification=notification)
    first = notification.read_at
    assert first is not None
    services.notification_mark_read(notification=notification)
    assert notification.read_at == first


def test_mark_all_read_touches_only_my_unread_ones(member):
    other = UserFactory()
    mine = [_notify(member), _notify(member), _notify(member, NotificationType.PROGRESS)]
    theirs = _notify(other)
    services.notification_mark_read(notification=mine[0])
    assert services.notifications_mark_all_read(user=member, type=NotificationType.SOCIAL) == 1
    assert selectors.notifications_unread_count(user=member) == 1
    assert services.notifications_mark_all_read(user=member) == 1
    assert selectors.notifications_unread_count(user=member) == 0
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_delete_removes_only_that_notification(member):
    keep, gone = _notify(member), _notify(member)
    services.notification_delete(notification=gone)
    assert list(Notification.objects.all()) == [keep]


def test_preferences_update_stores_choices_and_the_table_shows_defaults_for_the_rest(member):
    table = services.notification_preferences_update(
        user=member,
        preferences={"social": {"in_app": False, "email": True}, "security": {"in_app": True, "email": False}},
    )
    rows = {row.type: row for row in table}
    assert [row.type for row in table] == NotificationType.values
    assert (rows["social"].in_app, rows["social"].email, rows["social"].is_default) == (False, True, False)
    assert (rows["security"].email, rows["security"].is_default) == (False, False)
    assert (rows["schedule"].in_app, rows["schedule"].email, rows["schedule"].is_default) == (True, True, True)
    # Saving again updates the same rows.
    services.notification_preferences_update(user=member, preferences={"social": {"in_app": True, "email": True}})
    assert NotificationPreference.objects.filter(user=member).count() == 2
    assert NotificationPreference.objects.get(user=member, type="social").in_app is True


@pytest.mark.parametrize(
    "preferences",
    [
        {"pigeon": {"in_app": True, "email": True}},
        {"social": {"in_app": True}},
        {"social": {"in_app": "yes", "email": True}},
        {"social": {"in_app": True, "email": True, "push": True}},
    ],
)
def test_preferences_update_refuses_bad_input(member, preferences):
    with pytest.raises(ValidationError):
        services.notification_preferences_update(user=member, preferences=preferences)
    assert not NotificationPreference.objects.exists()


def test_the_preference_table_is_one_query(member):
    with assert_num_queries(1):
        table = selectors.notification_preferences_table(user=member)
    assert len(table) == len(NotificationType.values)


# The unread count


def test_the_unread_count_is_one_query_on_the_partial_index(member):
    now = timezone.now()
    Notification.objects.bulk_create(
        Notification(user=member, type="social", title="t", message="m", channels=["in_app"], read_at=now)
        for _ in range(50)
    )
    for _ in range(3):
        _notify(member)
    with assert_num_queries(1) as queries:
        assert selectors.notifications_unread_count(user=member) == 3
    count_sql = queries.captured_queries[0]["sql"]
    assert count_sql.startswith("SELECT COUNT(*)")
    with connection.cursor() as cursor:
        # On a test-sized table the planner's pick among equally cheap indexes is noise, so take the other
        # indexes away (inside the test's transaction, rolled back after it) and forbid reading the table:
        # what remains shows that the query's WHERE matches the partial index's predicate.
        cursor.execute(
            "SELECT indexname FROM pg_indexes WHERE tablename = 'accounts_notification'"
            " AND indexname NOT IN ('accounts_notification_pkey', 'accounts_notif_unread')"
        )
        for (index,) in cursor.fetchall():
            cursor.execute(f'DROP INDEX "{index}"')
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("EXPLAIN " + count_sql)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "accounts_notif_unread" in plan and "Seq Scan" not in plan, plan


# The nightly purge


def _age(notification, days, *, read_days_ago=None):
    now = timezone.now()
    Notification.objects.filter(pk=notification.pk).update(
        created_at=now - timedelta(days=days),
        read_at=None if read_days_ago is None else now - timedelta(days=read_days_ago),
    )


def test_the_purge_deletes_only_read_notifications_older_than_30_days(member):
    old_read, old_unread, recent_read, just_inside = (_notify(member) for _ in range(4))
    _age(old_read, 31, read_days_ago=20)
    _age(old_unread, 90)
    _age(recent_read, 10, read_days_ago=1)
    _age(just_inside, 29, read_days_ago=29)
    assert services.notifications_purge_read() == 1
    assert set(Notification.objects.values_list("pk", flat=True)) == {old_unread.pk, recent_read.pk, just_inside.pk}


def test_the_purge_takes_another_age_and_refuses_nonsense(member):
    notification = _notify(member)
    _age(notification, 8, read_days_ago=8)
    assert services.notifications_purge_read(older_than_days=30) == 0
    assert services.notifications_purge_read(older_than_days=7) == 1
    with pytest.raises(ValidationError):
        services.notifications_purge_read(older_than_days=0)


def test_the_purge_runs_nightly_from_celery_beat(member):
    notification = _notify(member)
    _age(notification, 45, read_days_ago=40)
    entries = [e for e in settings.CELERY_BEAT_SCHEDULE.values() if e["task"] == purge_read_notifications.name]
    assert len(entries) == 1
    assert purge_read_notifications.delay().get() == 1
    assert not Notification.objects.exists()
