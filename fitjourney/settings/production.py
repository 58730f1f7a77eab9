"""Production: secrets and hosts must come from the environment; HTTPS everywhere."""

from __future__ import annotations

from .base import *  # noqa: F403
from .base import STORAGES, env

DEBUG = False
SECRET_KEY = env("DJANGO_SECRET_KEY")
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS")

# Hashed, compressed static files served by whitenoise.
STORAGES = {
    **STORAGES,
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.bool("DJANGO_SECURE_SSL_REDIRECT", default=True)
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_HSTS_SECONDS = env.int("DJANGO_SECURE_HSTS_SECONDS", default=60 * 60 * 24 * 365)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True

# SMTP from one URL, e.g. smtp+tls://user:password@smtp.example.com:587
_email = env.email_url("EMAIL_URL", default="smtp://localhost:25")
MAILERS = {
    "default": {
        "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "OPTIONS": {
            "host": _email.get("EMAIL_HOST", "localhost"),
            "port": _email.get("EMAIL_PORT", 25),
            "username": _email.get("EMAIL_HOST_USER", ""),
            "password": _email.get("EMAIL_HOST_PASSWORD", ""),
            "use_tls": bool(_email.get("EMAIL_USE_TLS", False)),
            "use_ssl": bool(_email.get("EMAIL_USE_SSL", False)),
            "timeout": 10,
        },
    }
}
