"""A service's domain errors (fitjourney.errors) reach people as the 404/403 page on a page and the JSON
404/403 in the API, from one mapping each (issue 11, item 4)."""

from __future__ import annotations

import pytest
from django.urls import path
from rest_framework import permissions
from rest_framework.test import APIClient
from rest_framework.views import APIView

from fitjourney import urls as project_urls
from fitjourney.errors import NotAllowed, NotFound


def _service(kind: str):
    raise {"missing": NotFound("No such session."), "forbidden": NotAllowed("Not yours to change.")}[kind]


def page(request, kind):
    _service(kind)


class Api(APIView):
    authentication_classes: list = []
    permission_classes = [permissions.AllowAny]

    def get(self, request, kind):
        _service(kind)


urlpatterns = [
    path("domain/<str:kind>/", page),
    path("api/v1/domain/<str:kind>/", Api.as_view()),
    *project_urls.urlpatterns,
]
handler403 = project_urls.handler403
handler404 = project_urls.handler404
handler500 = project_urls.handler500


@pytest.mark.django_db
@pytest.mark.urls(__name__)
@pytest.mark.parametrize(("kind", "status"), [("missing", 404), ("forbidden", 403)])
def test_a_domain_error_is_the_right_page_and_the_right_api_error(client, kind, status):
    response = client.get(f"/domain/{kind}/")
    assert response.status_code == status
    assert response["Content-Type"].startswith("text/html")
    api = APIClient().get(f"/api/v1/domain/{kind}/")
    assert api.status_code == status
    assert api.json()["error"]["status"] == status
