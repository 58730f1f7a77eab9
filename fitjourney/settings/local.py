"""Development on a laptop: debug on, mail printed to the console."""

from __future__ import annotations

from .base import *  # noqa: F403
from .base import env

DEBUG = env.bool("DJANGO_DEBUG", default=True)
MAILERS = {"default": {"BACKEND": env("DJANGO_EMAIL_BACKEND", default="fitjourney.mail.ReadableConsoleBackend")}}
