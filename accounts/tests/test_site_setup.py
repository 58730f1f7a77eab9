"""Set-up details a newcomer meets (issue 14, point 16): the site's domain follows the served address, and
/favicon.ico is not a 404."""

from __future__ import annotations

import pytest
from django.contrib.sites.models import Site
from django.contrib.staticfiles import finders

from accounts import services

pytestmark = pytest.mark.django_db


def test_the_site_domain_follows_the_setting_at_each_load(settings):
    """load_reference_data (run by `make run` with DJANGO_SITE_DOMAIN set to the port it serves) syncs it."""
    settings.SITE_DOMAIN = "127.0.0.1:8123"
    assert services.site_domain_sync() == "127.0.0.1:8123"
    assert Site.objects.get(pk=settings.SITE_ID).domain == "127.0.0.1:8123"


def test_the_favicon_is_the_logo(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 301 and response.url.endswith("img/logo.svg")
    assert finders.find("img/logo.svg")  # the static file it points to exists (served by whitenoise)
