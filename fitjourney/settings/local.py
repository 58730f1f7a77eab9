"""Development on a laptop: debug on, mail printed to the console."""

from __future__ import annotations

from .base import *  # noqa: F403
from .base import env

DEBUG = env.bool("DJANGO_DEBUG", default=True)
# Summaries refresh a few seconds after a change, so Today catches up quickly while developing.
SUMMARY_REFRESH_DELAY_SECONDS = env.int("SUMMARY_REFRESH_DELAY_SECONDS", default=5)
MAILERS = {"default": {"BACKEND": env("DJANGO_EMAIL_BACKEND", default="fitjourney.mail.ReadableConsoleBackend")}}
