"""Tests: real PostgreSQL and Redis, fast hashing, mail kept in memory, tasks run in-process."""

from __future__ import annotations

from .base import *  # noqa: F403
from .base import DEV_DIR

DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
# A private in-process cache per test run, so throttles and rate limits never leak between tests.
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# Tasks run in-process unless a test starts a real worker (tests/test_celery_worker.py).
CELERY_TASK_ALWAYS_EAGER = True
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_DEFAULT_QUEUE = "fitjourney-test"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_AUTOREFRESH = True

# Exports are written under .dev/test-private (shared with a real Celery worker started by the tests).
PRIVATE_MEDIA_ROOT = DEV_DIR / "test-private"

# A real worker refreshes summaries a second after the first change (the debounce is tested on its own).
SUMMARY_REFRESH_DELAY_SECONDS = 1
GOAL_EVALUATION_DELAY_SECONDS = 1
GYM_DASHBOARD_DELAY_SECONDS = 1
