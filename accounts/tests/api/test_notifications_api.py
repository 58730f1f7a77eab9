from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from accounts.models import Notification, NotificationPreference, NotificationType, Priority
from accounts.services import notifications as services
from accounts.services.notifications import notify
from accounts.tests.factories import UserFactory
from fitjourney.testing.access import assert_access
from fitjourney.testing.queries import assert_max_queries

pytestmark = pytest.mark.django_db

LIST = "/api/v1/notifications/"
READ_ALL = "/api/v1/notifications/read-all/"
UNREAD_COUNT = "/api/v1/notifications/unread-count/"
PREFERENCES = "/api/v1/notifications/preferences/"


def _detail(notification):
    return f"/api/v1/notifications/{notification.pk}/"


def _read(notification):
    return f"/api/v1/notifications/{notification.pk}/read/"


def _notify(user, type=NotificationType.SOCIAL, **kwargs):
    kwargs.setdefault("title", "Ana liked your post")
    kwargs.setdefault("message", "Your 5 km run got a like.")
    return notify(user=user, type=type, **kwargs)


def _full_table(**overrides):
    rows = []
    for kind in NotificationType.values:
        in_app, email = overrides.get(kind, (True, False))
        rows.append({"type": kind, "in_app": in_app, "email": email})
    return {"preferences": rows}


@pytest.fixture
def owner_client(member):
    client = APIClient()
    client.force_login(member)
    return client


# Access for every operation


def test_access_to_collection_operations(personas):
    client = APIClient()
    everyone = {"anonymous": 401, "owner": 200, "other_member": 200, "trainer": 200, "staff": 200}
    assert_access(client, personas, lambda c: c.get(LIST), everyone)
    assert_access(client, personas, lambda c: c.get(UNREAD_COUNT), everyone)
    assert_access(client, personas, lambda c: c.post(READ_ALL, {}, format="json"), everyone)
    assert_access(client, personas, lambda c: c.get(PREFERENCES), everyone)
    assert_access(client, personas, lambda c: c.put(PREFERENCES, _full_table(), format="json"), everyone)


def test_another_persons_notification_is_a_404(personas):
    notification = _notify(personas.owner)
    client = APIClient()
    owner_only = {"anonymous": 401, "owner": 200, "other_member": 404, "trainer": 404, "staff": 404}
    assert_access(client, personas, lambda c: c.get(_detail(notification)), owner_only)
    assert_access(client, personas, lambda c: c.post(_read(notification)), owner_only)

    def delete_a_fresh_one(c):
        return c.delete(_detail(_notify(personas.owner)))

    assert_access(
        client,
        personas,
        delete_a_fresh_one,
        {"anonymous": 401, "owner": 204, "other_member": 404, "trainer": 404, "staff": 404},
    )
    assert Notification.objects.filter(user=personas.owner).count() == 1 + 5 - 1


def test_others_cannot_mark_my_notifications_read(personas):
    notification = _notify(personas.owner)
    client = APIClient()
    client.force_login(personas.other_member)
    assert client.post(READ_ALL, {}, format="json").json() == {"marked_read": 0}
    notification.refresh_from_db()
    assert notification.read_at is None


def test_a_token_works_too(token_client, member):
    _notify(member)
    assert token_client.get(UNREAD_COUNT).json() == {"unread": 1}


# Reading


def test_the_list_shows_my_inbox_newest_first(owner_client, member):
    _notify(UserFactory(), title="Not yours")
    _notify(member, title="Older")
    booking = UserFactory()
    _notify(member, title="Newer", related=booking, action_url="/today/", priority=Priority.HIGH, data={"k": 1})
    body = owner_client.get(LIST).json()
    assert body["count"] == 2
    assert [n["title"] for n in body["results"]] == ["Newer", "Older"]
    newest = body["results"][0]
    assert newest["related"] == {"type": "accounts.user", "id": str(booking.pk)}
    assert newest["action_url"] == "/today/" and newest["priority"] == "high" and newest["data"] == {"k": 1}
    assert newest["is_read"] is False and newest["read_at"] is None and newest["channels"] == ["in_app"]
    assert body["results"][1]["related"] is None


def test_the_list_filters_unread_and_type(owner_client, member):
    services.notification_mark_read(notification=_notify(member, title="Seen"))
    _notify(member, title="Like")
    _notify(member, NotificationType.PROGRESS, title="Record")
    titles = lambda params: [n["title"] for n in owner_client.get(LIST, params).json()["results"]]  # noqa: E731
    assert titles({"unread": "true"}) == ["Record", "Like"]
    assert titles({"unread": "false"}) == ["Record", "Like", "Seen"]
    assert titles({"type": "progress"}) == ["Record"]
    assert titles({"unread": "true", "type": "social"}) == ["Like"]


@pytest.mark.parametrize("params", [{"type": "pigeon"}, {"unread": "maybe"}])
def test_a_bad_filter_is_a_400(owner_client, params):
    response = owner_client.get(LIST, params)
    assert response.status_code == 400
    assert set(response.json()["error"]["fields"]) == set(params)


def test_email_only_records_are_not_in_the_api(owner_client, member):
    NotificationPreference.objects.create(user=member, type="schedule", in_app=False, email=True)
    notification = _notify(member, NotificationType.SCHEDULE)
    assert owner_client.get(LIST).json()["count"] == 0
    assert owner_client.get(_detail(notification)).status_code == 404


@pytest.mark.parametrize("count", [1, 50])
def test_the_list_query_count_does_not_grow(owner_client, member, count):
    Notification.objects.bulk_create(
        Notification(user=member, type="social", title=f"n{i}", message="m", channels=["in_app"]) for i in range(count)
    )
    with assert_max_queries(4):  # session, person, count, page (the content type is joined)
        response = owner_client.get(LIST)
    assert len(response.json()["results"]) == min(count, 25)


def test_the_unread_count_is_one_query_after_authentication(owner_client, member):
    for _ in range(3):
        _notify(member)
    with assert_max_queries(3) as ctx:  # session, person, the count
        response = owner_client.get(UNREAD_COUNT)
    assert response.json() == {"unread": 3}
    assert len([q for q in ctx.captured_queries if "accounts_notification" in q["sql"]]) == 1


# Writing


def test_read_marks_it_read_and_keeps_the_first_time(owner_client, member):
    notification = _notify(member)
    first = owner_client.post(_read(notification))
    assert first.status_code == 200 and first.json()["is_read"] is True
    again = owner_client.post(_read(notification))
    assert again.json()["read_at"] == first.json()["read_at"]
    assert owner_client.get(UNREAD_COUNT).json() == {"unread": 0}


def test_read_by_get_is_refused(owner_client, member):
    notification = _notify(member)
    response = owner_client.get(_read(notification))
    assert response.status_code == 405
    assert response.json()["error"]["status"] == 405
    assert owner_client.get(READ_ALL).status_code == 405
    notification.refresh_from_db()
    assert notification.read_at is None


def test_read_refuses_a_body(owner_client, member):
    notification = _notify(member)
    response = owner_client.post(_read(notification), {"read_at": "2020-01-01T00:00:00Z"}, format="json")
    assert response.status_code == 400
    assert response.json()["error"]["fields"] == {"read_at": ["Unknown field."]}


def test_read_all_marks_all_or_one_type(owner_client, member):
    _notify(member)
    _notify(member)
    _notify(member, NotificationType.PROGRESS)
    assert owner_client.post(READ_ALL, {"type": "progress"}, format="json").json() == {"marked_read": 1}
    assert owner_client.post(READ_ALL, format="json").json() == {"marked_read": 2}
    assert owner_client.post(READ_ALL, format="json").json() == {"marked_read": 0}


@pytest.mark.parametrize("body", [{"type": "pigeon"}, {"user": "someone"}, {"type": "social", "all": True}])
def test_read_all_refuses_bad_input(owner_client, member, body):
    _notify(member)
    response = owner_client.post(READ_ALL, body, format="json")
    assert response.status_code == 400
    assert Notification.objects.unread().count() == 1


def test_delete_removes_it(owner_client, member):
    notification = _notify(member)
    assert owner_client.delete(_detail(notification)).status_code == 204
    assert owner_client.get(_detail(notification)).status_code == 404


def test_preferences_round_trip(owner_client, member):
    table = owner_client.get(PREFERENCES).json()
    assert [row["type"] for row in table["preferences"]] == NotificationType.values
    security = next(row for row in table["preferences"] if row["type"] == "security")
    assert security == {"type": "security", "in_app": True, "email": True}
    for row in table["preferences"]:
        if row["type"] == "social":
            row["email"] = True
    response = owner_client.put(PREFERENCES, table, format="json")
    assert response.status_code == 200
    assert response.json() == table
    assert NotificationPreference.objects.get(user=member, type="social").email is True
    assert owner_client.get(PREFERENCES).json() == table


@pytest.mark.parametrize(
    "body",
    [
        {},
        {"preferences": []},
        {"preferences": _full_table()["preferences"][:-1]},
        {"preferences": [*_full_table()["preferences"], {"type": "social", "in_app": True, "email": True}]},
        {"preferences": [{"type": "pigeon", "in_app": True, "email": True}, *_full_table()["preferences"]]},
        {"preferences": [{**row, "label": "x"} for row in _full_table()["preferences"]]},
        {"preferences": [{**row, "email": "often"} for row in _full_table()["preferences"]]},
        {**_full_table(), "user": "someone-else"},
    ],
)
def test_bad_preferences_are_a_400_and_change_nothing(owner_client, member, body):
    response = owner_client.put(PREFERENCES, body, format="json")
    assert response.status_code == 400, response.json()
    assert response.json()["error"]["fields"]
    assert not NotificationPreference.objects.exists()


def test_preferences_refuse_patch_and_post(owner_client):
    assert owner_client.patch(PREFERENCES, {}, format="json").status_code == 405
    assert owner_client.post(PREFERENCES, {}, format="json").status_code == 405


def test_the_schema_documents_every_operation():
    from drf_spectacular.generators import SchemaGenerator

    paths = SchemaGenerator().get_schema(request=None, public=True)["paths"]
    assert set(paths["/api/v1/notifications/"]) == {"get"}
    assert set(paths["/api/v1/notifications/{id}/"]) == {"get", "delete"}
    assert set(paths["/api/v1/notifications/{id}/read/"]) == {"post"}
    assert set(paths["/api/v1/notifications/read-all/"]) == {"post"}
    assert set(paths["/api/v1/notifications/unread-count/"]) == {"get"}
    assert set(paths["/api/v1/notifications/preferences/"]) == {"get", "put"}
    parameters = {p["name"] for p in paths["/api/v1/notifications/"]["get"]["parameters"]}
    assert {"unread", "type", "page", "page_size"} <= parameters
