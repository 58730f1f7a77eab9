from __future__ import annotations

import json
import re

import pytest
from django.urls import reverse

from accounts.models import Notification, NotificationPreference, NotificationType, Priority
from accounts.services import notifications as services
from accounts.services.notifications import notify
from fitjourney.testing.access import assert_access
from fitjourney.testing.queries import assert_max_queries

pytestmark = pytest.mark.django_db

INBOX = reverse("accounts:notifications")
COUNT = reverse("accounts:notifications-unread-count")
READ_ALL = reverse("accounts:notifications-read-all")
PREFERENCES = reverse("accounts:notification-preferences")
HTMX = {"HTTP_HX_REQUEST": "true"}


def _notify(user, type=NotificationType.SOCIAL, **kwargs):
    kwargs.setdefault("title", "Ana liked your post")
    kwargs.setdefault("message", "Your 5 km run got a like.")
    return notify(user=user, type=type, **kwargs)


def _many(user, n):
    Notification.objects.bulk_create(
        Notification(user=user, type=NotificationType.SOCIAL, title=f"n{i}", message="m", channels=["in_app"])
        for i in range(n)
    )


def _read_url(notification):
    return reverse("accounts:notification-read", args=[notification.pk])


def _delete_url(notification):
    return reverse("accounts:notification-delete", args=[notification.pk])


def _notification_queries(ctx):
    return [q["sql"] for q in ctx.captured_queries if "accounts_notification" in q["sql"]]


# Access for every URL


def test_page_access(client, personas):
    everyone = {"anonymous": 302, "owner": 200, "other_member": 200, "trainer": 200, "staff": 200}
    assert_access(client, personas, lambda c: c.get(INBOX), everyone)
    assert_access(client, personas, lambda c: c.get(COUNT), everyone)
    assert_access(client, personas, lambda c: c.get(PREFERENCES), everyone)
    signed_in_redirect = {"anonymous": 302, "owner": 302, "other_member": 302, "trainer": 302, "staff": 302}
    assert_access(client, personas, lambda c: c.post(READ_ALL), signed_in_redirect)
    assert_access(client, personas, lambda c: c.post(PREFERENCES, {}), signed_in_redirect)
    assert client.get(INBOX).url.startswith(reverse("account_login"))


def test_another_persons_notification_is_a_404_for_everyone_but_the_owner(client, personas):
    notification = _notify(personas.owner)
    owner_only = {"anonymous": 302, "owner": 302, "other_member": 404, "trainer": 404, "staff": 404}
    assert_access(client, personas, lambda c: c.post(_read_url(notification)), owner_only)

    def delete_a_fresh_one(c):
        return c.post(_delete_url(_notify(personas.owner)))

    assert_access(client, personas, delete_a_fresh_one, owner_only)
    # Five were tried, only the owner's attempt deleted one; the first notification is untouched by others.
    assert Notification.objects.filter(user=personas.owner).count() == 1 + 5 - 1


def test_others_cannot_read_or_delete_my_notification(client, personas):
    notification = _notify(personas.owner)
    client.force_login(personas.staff)
    assert client.post(_read_url(notification)).status_code == 404
    assert client.post(_delete_url(notification)).status_code == 404
    client.post(READ_ALL)
    notification.refresh_from_db()
    assert notification.read_at is None


@pytest.mark.parametrize("url", ["read", "delete", "read-all"])
def test_state_changes_by_get_are_refused(client, member, url):
    notification = _notify(member)
    client.force_login(member)
    target = {"read": _read_url(notification), "delete": _delete_url(notification), "read-all": READ_ALL}[url]
    assert client.get(target).status_code == 405
    notification.refresh_from_db()
    assert notification.read_at is None


def test_the_unread_count_refuses_writes(client, member):
    client.force_login(member)
    assert client.post(COUNT).status_code == 405


# The inbox


def test_the_inbox_lists_my_notifications_newest_first_with_their_details(client, member, personas):
    _notify(personas.other_member, title="Not yours")
    _notify(member, title="Older one")
    newest = _notify(member, title="Trainer booked you", action_url="/community/", priority=Priority.HIGH)
    client.force_login(member)
    page = client.get(INBOX).content.decode()
    assert "Not yours" not in page
    assert page.index("Trainer booked you") < page.index("Older one")
    assert '<a href="/community/">Trainer booked you</a>' in page
    assert "High priority" in page
    assert re.search(r"<time datetime=\"[^\"]+\"[^>]*>0\xa0minutes ago</time>", page)
    assert f'action="{_read_url(newest)}"' in page and f'action="{_delete_url(newest)}"' in page
    assert f'hx-post="{_read_url(newest)}"' in page


def test_the_inbox_filters_unread_and_by_type(client, member):
    read = _notify(member, title="Already seen")
    services.notification_mark_read(notification=read)
    _notify(member, title="Fresh like")
    _notify(member, NotificationType.PROGRESS, title="New record")
    client.force_login(member)
    unread = client.get(INBOX, {"filter": "unread"}).content.decode()
    assert "Fresh like" in unread and "New record" in unread and "Already seen" not in unread
    progress = client.get(INBOX, {"type": "progress"}).content.decode()
    assert "New record" in progress and "Fresh like" not in progress
    # An unknown type is ignored rather than an error.
    assert "Already seen" in client.get(INBOX, {"type": "nonsense"}).content.decode()


def test_the_inbox_is_paginated(client, member):
    _many(member, 25)
    client.force_login(member)
    first = client.get(INBOX, {"filter": "unread"})
    assert len(first.context["notifications"]) == 20
    assert 'href="?filter=unread&amp;page=2"' in first.content.decode()
    assert len(client.get(INBOX, {"filter": "unread", "page": 2}).context["notifications"]) == 5
    assert client.get(INBOX, {"page": "abc"}).status_code == 200


@pytest.mark.parametrize("count", [1, 50])
def test_the_inbox_takes_at_most_four_queries_however_many_notifications(client, member, count):
    _many(member, count)
    client.force_login(member)
    with assert_max_queries(4):  # session, person, the pager's count, the page
        response = client.get(INBOX)
    assert response.status_code == 200
    assert len(response.context["notifications"]) == min(count, 20)


def test_the_inbox_htmx_list_request_returns_only_the_list(client, member):
    _notify(member, title="Only the list")
    client.force_login(member)
    response = client.get(INBOX, HTTP_HX_TARGET="notification-list", **HTMX)
    body = response.content.decode()
    assert body.lstrip().startswith('<div id="notification-list">')
    assert "<html" not in body and "Only the list" in body


# Marking read and deleting, with and without htmx


def test_mark_read_without_js_redirects_back_to_the_same_inbox_view(client, member):
    notification = _notify(member)
    client.force_login(member)
    back = f"{INBOX}?filter=unread&page=1"
    response = client.post(_read_url(notification), {"next": back})
    assert response.status_code == 302 and response.url == back
    notification.refresh_from_db()
    assert notification.read_at is not None


@pytest.mark.parametrize("next_url", ["https://evil.example/", "//evil.example/", "/admin/", "javascript:alert(1)"])
def test_the_way_back_never_leaves_the_inbox(client, member, next_url):
    notification = _notify(member)
    client.force_login(member)
    assert client.post(_read_url(notification), {"next": next_url}).url == INBOX
    assert client.post(READ_ALL, {"next": next_url}).url == INBOX


def test_htmx_mark_read_returns_only_the_row_and_tells_the_badge(client, member):
    notification = _notify(member, title="Swap me")
    client.force_login(member)
    response = client.post(_read_url(notification), {"next": INBOX}, **HTMX)
    assert response.status_code == 200
    body = response.content.decode()
    assert body.lstrip().startswith(f'<li id="notification-{notification.pk}" class="notification read">')
    assert "data-focus-after-swap" in body  # the keyboard stays on the row whose button just went away
    assert "<html" not in body and "Mark read" not in body
    assert json.loads(response["HX-Trigger"]) == {"notificationsChanged": {}}


def test_htmx_delete_swaps_the_row_for_nothing(client, member):
    notification = _notify(member)
    client.force_login(member)
    response = client.post(_delete_url(notification), **HTMX)
    assert response.status_code == 200 and response.content == b""
    assert json.loads(response["HX-Trigger"]) == {"notificationsChanged": {}}
    assert not Notification.objects.exists()


def test_delete_without_js_redirects_with_a_message(client, member):
    notification = _notify(member, title="Bye")
    client.force_login(member)
    response = client.post(_delete_url(notification), {"next": INBOX}, follow=True)
    assert "Deleted “Bye”." in response.content.decode()
    assert not Notification.objects.exists()


def test_mark_all_read_with_htmx_returns_the_list_for_the_same_filter(client, member):
    _notify(member, title="One")
    _notify(member, NotificationType.PROGRESS, title="Two")
    client.force_login(member)
    response = client.post(READ_ALL, {"next": f"{INBOX}?type=progress"}, **HTMX)
    body = response.content.decode()
    assert body.lstrip().startswith('<div id="notification-list">')
    assert "Two" in body and ">One<" not in body and "Mark read" not in body
    assert json.loads(response["HX-Trigger"]) == {"notificationsChanged": {}}
    assert not Notification.objects.unread().exists()


def test_mark_all_read_without_js(client, member):
    _notify(member)
    client.force_login(member)
    response = client.post(READ_ALL, {"next": f"{INBOX}?filter=unread"})
    assert response.url == f"{INBOX}?filter=unread"
    assert not Notification.objects.unread().exists()


# The bell in the navigation


def test_the_unread_count_fragment_is_one_query_and_only_the_fragment(client, member):
    for _ in range(3):
        _notify(member)
    client.force_login(member)
    with assert_max_queries(3) as ctx:  # session, person, and the one count
        response = client.get(COUNT, **HTMX)
    assert len(_notification_queries(ctx)) == 1
    body = response.content.decode()
    assert body == (
        '<span class="badge active" aria-hidden="true">3</span><span class="visually-hidden">, 3 unread</span>'
    )


def test_the_unread_count_fragment_is_empty_with_nothing_unread(client, member):
    services.notification_mark_read(notification=_notify(member))
    client.force_login(member)
    assert client.get(COUNT, **HTMX).content.strip() == b""


def test_a_signed_out_badge_stops_polling(client):
    response = client.get(COUNT, **HTMX)
    assert response.status_code == 286 and response.content == b""


def test_every_page_has_the_bell_but_pays_no_query_for_it(client, member):
    # The Today page shows notifications itself (a card); any other page only has the bell.
    _notify(member)
    client.force_login(member)
    with assert_max_queries(10) as ctx:
        page = client.get(reverse("coaching:progress")).content.decode()
    assert _notification_queries(ctx) == []
    bell = re.search(r'<a class="notification-bell" href="([^"]+)"[^>]*>(.*?)</a>', page, re.S)
    assert bell and bell.group(1) == INBOX
    assert '<span class="visually-hidden">Notifications</span>' in bell.group(2)
    assert f'hx-get="{COUNT}"' in bell.group(2)
    assert 'hx-trigger="load, every 30s, notificationsChanged from:body"' in bell.group(2)


def test_the_bell_is_the_current_page_on_the_inbox(client, member):
    client.force_login(member)
    page = client.get(INBOX).content.decode()
    assert re.search(r'<a class="notification-bell" href="[^"]+" aria-current="page">', page)
    assert f'<a href="{reverse("accounts:settings")}" aria-current="page">' not in page


def test_anonymous_visitors_get_no_bell(client):
    assert "notification-bell" not in client.get(reverse("home")).content.decode()


# Preferences


def test_the_preferences_page_shows_every_type_with_its_defaults(client, member):
    NotificationPreference.objects.create(user=member, type="social", in_app=False, email=True)
    client.force_login(member)
    with assert_max_queries(3):
        page = client.get(PREFERENCES).content.decode()
    for value, label in NotificationType.choices:
        assert f'<th scope="row" id="row-{value}">{label}</th>' in page
    assert re.search(r'name="security-email"[^>]*checked', page)
    assert not re.search(r'name="workout-email"[^>]*checked', page)
    assert not re.search(r'name="social-in_app"[^>]*checked', page)
    assert re.search(r'name="social-email"[^>]*checked', page)
    assert 'aria-labelledby="row-social col-email"' in page


def test_saving_preferences_stores_the_whole_table(client, member):
    client.force_login(member)
    response = client.post(PREFERENCES, {"social-email": "on", "security-in_app": "on"}, follow=True)
    assert "Your notification settings are saved." in response.content.decode()
    stored = {p.type: (p.in_app, p.email) for p in NotificationPreference.objects.filter(user=member)}
    assert len(stored) == len(NotificationType.values)
    assert stored["social"] == (False, True)
    assert stored["security"] == (True, False)
    assert stored["workout"] == (False, False)
    assert _notify(member, NotificationType.WORKOUT) is None


def test_the_inbox_links_to_the_preferences(client, member):
    client.force_login(member)
    assert f'href="{PREFERENCES}"' in client.get(INBOX).content.decode()


# Admin


def test_notifications_in_the_admin_are_read_only_and_scoped(client, personas):
    from accounts.models import User

    _notify(personas.owner, title="Admin sees me")
    admin_user = User.objects.create_superuser(email="root@example.com", password="a-long-password", username="root")
    client.force_login(admin_user)
    changelist = reverse("admin:accounts_notification_changelist")
    assert "Admin sees me" in client.get(changelist).content.decode()
    assert client.get(reverse("admin:accounts_notification_add")).status_code == 403
    notification = Notification.objects.get()
    change = client.get(reverse("admin:accounts_notification_change", args=[notification.pk]))
    assert change.status_code == 200 and 'name="_save"' not in change.content.decode()
    # Trainers and gym staff are not given notifications: they stay between FitJourney and the person.
    for persona in (personas.trainer, personas.staff):
        client.force_login(persona)
        assert client.get(changelist).status_code == 403


def test_the_next_field_carries_the_current_view(client, member):
    _notify(member)
    client.force_login(member)
    page = client.get(INBOX, {"filter": "unread", "type": "social"}).content.decode()
    assert f'name="next" value="{INBOX}?filter=unread&amp;type=social"' in page
