"""Settings shared by every environment; everything that differs comes from the environment."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any

import environ
from celery.schedules import crontab

BASE_DIR = Path(__file__).resolve().parent.parent.parent
DEV_DIR = BASE_DIR / ".dev"

env = environ.Env()

SECRET_KEY = env("DJANGO_SECRET_KEY", default="dev-only-insecure-key-change-me-in-production-0123456789")
DEBUG = env.bool("DJANGO_DEBUG", default=False)
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["localhost", "127.0.0.1"])
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "django.contrib.sites",
    # Third party
    "allauth",
    "allauth.account",
    "allauth.socialaccount",
    "allauth.socialaccount.providers.google",
    "allauth.socialaccount.providers.apple",
    "allauth.socialaccount.providers.facebook",
    "axes",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_htmx",
    # FitJourney, base first (imports point down this list)
    "accounts",
    "training",
    "nutrition",
    "coaching",
    "social",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Outside everything that can answer: every error under /api/ leaves in the one JSON format, and
    # personal API responses are never kept by a shared cache.
    "fitjourney.middleware.ApiResponseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Right after the session and the person are known: loads them now, so a database outage is a 503
    # here rather than a 500 in the next middleware; and turns outages in views into 503s.
    "fitjourney.middleware.OutageMiddleware",
    # A service's NotFound/NotAllowed (fitjourney.errors) raised in a page's view: the 404/403 page.
    "fitjourney.middleware.DomainErrorMiddleware",
    "accounts.middleware.PersonPreferencesMiddleware",
    # Until a person has completed the intake, pages lead there (the API stays usable).
    "coaching.middleware.IntakeRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    # Last, as django-axes asks: it turns a lockout into its response.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "fitjourney.urls"
WSGI_APPLICATION = "fitjourney.wsgi.application"
ASGI_APPLICATION = "fitjourney.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "fitjourney.context_processors.navigation",
            ],
            # The units filters (fitjourney/units.py) in every template, without {% load %}.
            "builtins": ["fitjourney.templatetags.units"],
        },
    },
]

# Database: one URL, PostgreSQL only (the schema relies on its features).
DATABASES = {"default": env.db_url("DATABASE_URL", default="postgres://postgres@127.0.0.1:5432/fitjourney")}
DATABASES["default"]["ENGINE"] = "django.db.backends.postgresql"
DATABASES["default"]["ATOMIC_REQUESTS"] = False
DATABASES["default"]["CONN_MAX_AGE"] = env.int("DATABASE_CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = env("REDIS_URL", default="redis://127.0.0.1:6379/0")
CACHES = {
    "default": {
        # Fails open while Redis is down (throttles and rate limits let requests through, with a warning
        # in the log), and gives up on a silent Redis quickly rather than holding every request.
        "BACKEND": "fitjourney.cache.FailOpenRedisCache",
        "LOCATION": REDIS_URL,
        "KEY_PREFIX": "fitjourney",
        "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 2},
    }
}

AUTH_USER_MODEL = "accounts.User"
SILENCED_SYSTEM_CHECKS = [
    # User.email is unique through a UniqueConstraint on LOWER(email), which Django's check cannot see
    # and which is stricter than unique=True (it also refuses the same address in another case).
    "auth.W004",
]
AUTHENTICATION_BACKENDS = [
    # django-axes first: it refuses locked-out credentials before any other backend runs.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "coaching:today"
LOGOUT_REDIRECT_URL = "home"

# django-allauth: e-mail login, verified e-mail, usernames of at least 3 characters.
SITE_ID = 1
SITE_DOMAIN = env("DJANGO_SITE_DOMAIN", default="127.0.0.1:8000")
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "username*", "password1*", "password2*"]
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = False
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_PRESERVE_USERNAME_CASING = True
ACCOUNT_USERNAME_MIN_LENGTH = 3
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_ADAPTER = "accounts.adapters.AccountAdapter"
# A password change offers (default on) to revoke every API token; a reset always revokes them.
ACCOUNT_FORMS = {
    "change_password": "accounts.forms.auth.PasswordChangeForm",
    "reset_password_from_key": "accounts.forms.auth.PasswordResetFromKeyForm",
}
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[FitJourney] "
# Failed logins are limited by django-axes (below) for pages and API alike, so allauth's own
# login_failed limit is off; its other limits (sign-up, password reset, e-mail changes) stay.
ACCOUNT_RATE_LIMITS = {"login_failed": None}
SOCIALACCOUNT_ADAPTER = "accounts.adapters.SocialAccountAdapter"
SOCIALACCOUNT_EMAIL_AUTHENTICATION = False
# Providers are configured but stay inactive until their keys are given (see accounts.adapters).
SOCIALACCOUNT_PROVIDERS = {
    "google": {
        "APPS": [
            {
                "client_id": env("GOOGLE_CLIENT_ID", default=""),
                "secret": env("GOOGLE_CLIENT_SECRET", default=""),
            }
        ],
        "SCOPE": ["profile", "email"],
    },
    "apple": {
        "APPS": [
            {
                "client_id": env("APPLE_CLIENT_ID", default=""),
                "secret": env("APPLE_KEY_ID", default=""),
                "key": env("APPLE_TEAM_ID", default=""),
                "settings": {"certificate_key": env("APPLE_PRIVATE_KEY", default="")},
            }
        ],
    },
    "facebook": {
        "APPS": [
            {
                "client_id": env("FACEBOOK_APP_ID", default=""),
                "secret": env("FACEBOOK_APP_SECRET", default=""),
            }
        ],
        "SCOPE": ["email", "public_profile"],
    },
}

# Where a request comes from. X-Forwarded-For is written by the client, so it is believed only as far as
# our own proxies wrote it: set this to the number of reverse proxies in front of the application (each
# appends the address it received the request from). 0, the default, ignores the header: the socket's
# address is the client. The one setting for everything that asks: the API throttles and the audit trail
# (fitjourney.client_ip, which DRF's own NUM_PROXIES below matches), django-axes (AXES_CLIENT_IP_CALLABLE)
# and allauth's rate limits. The application must be reachable only through those proxies.
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)
ALLAUTH_TRUSTED_PROXY_COUNT = TRUSTED_PROXY_COUNT

# django-axes: brute-force protection shared by the login page and the API token endpoint.
# The failures and lockouts are rows in PostgreSQL (the database handler, axes' default, stated here so
# nobody swaps it for the cache handler: the cache fails open and would lose a lockout silently).
AXES_HANDLER = "axes.handlers.database.AxesDatabaseHandler"
AXES_CLIENT_IP_CALLABLE = "fitjourney.client_ip.client_ip"
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_USERNAME_FORM_FIELD = "login"
AXES_USERNAME_CALLABLE = "accounts.security.axes_username"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "accounts.security.lockout_response"
AXES_VERBOSE = False
# Successful logins are in our own audit trail; axes keeps only failures (for the lockout).
AXES_DISABLE_ACCESS_LOG = True

LANGUAGE_CODE = "en"
LANGUAGES = [("en", "English")]
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = env.path("DJANGO_STATIC_ROOT", default=str(DEV_DIR / "staticfiles"))
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = env.path("DJANGO_MEDIA_ROOT", default=str(DEV_DIR / "media"))
# Files only their owner may download through a view (data exports): never under MEDIA_ROOT/MEDIA_URL.
PRIVATE_MEDIA_ROOT = env.path("DJANGO_PRIVATE_MEDIA_ROOT", default=str(DEV_DIR / "private"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}

# Django 6.1 mailers: development prints mail to the console; production sends by SMTP.
MAILERS: dict[str, dict[str, Any]] = {"default": {"BACKEND": "fitjourney.mail.ReadableConsoleBackend"}}
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="FitJourney <hello@fitjourney.example>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

# Request bodies read into memory (JSON, form fields; not uploaded files, which stream to disk): Django's
# default, stated. More is refused: a 413 in the API's error format, a 413 page elsewhere.
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440

# REST API
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "accounts.api.authentication.PersonalAccessTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    # Signed in, and a personal access token only within its scopes (read, write, tokens).
    "DEFAULT_PERMISSION_CLASSES": [
        "rest_framework.permissions.IsAuthenticated",
        "accounts.api.permissions.TokenScopePermission",
    ],
    "DEFAULT_PAGINATION_CLASS": "fitjourney.api.pagination.PageNumberPagination",
    "PAGE_SIZE": 25,
    # DRF's, counting anonymous callers by fitjourney.client_ip (TRUSTED_PROXY_COUNT).
    "DEFAULT_THROTTLE_CLASSES": [
        "fitjourney.api.throttling.AnonRateThrottle",
        "fitjourney.api.throttling.UserRateThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {
        "anon": env("API_THROTTLE_ANON", default="60/minute"),
        "user": env("API_THROTTLE_USER", default="600/minute"),
        "token_obtain": env("API_THROTTLE_TOKEN_OBTAIN", default="10/minute"),
    },
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "NUM_PROXIES": TRUSTED_PROXY_COUNT,
    # JSON nested deeper than 32 levels is a 400 (fitjourney.api.parsers).
    "DEFAULT_PARSER_CLASSES": ["fitjourney.api.parsers.JSONParser"],
    "EXCEPTION_HANDLER": "fitjourney.api.errors.exception_handler",
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
    "DATETIME_FORMAT": "iso-8601",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "FitJourney API",
    "DESCRIPTION": (
        "The FitJourney REST API. Authenticate with a personal access token "
        "(`Authorization: Bearer fj_…`, created on the settings page or at `/api/v1/tokens/`) "
        "or with the browser session. Errors share one shape: "
        '`{"error": {"status": 400, "code": "invalid", "message": "…", "fields": {"name": ["…"]}}}`.'
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": r"/api/v1",
    "COMPONENT_SPLIT_REQUEST": True,
    # Swagger UI is served from our own static files (drf-spectacular-sidecar), never a CDN.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # Choice sets that share a field name with another ("status", "kind"): named after what they are.
    "ENUM_NAME_OVERRIDES": {
        "BookingKindEnum": "coaching.models.gym.BookingKind",
        "ClientStatusEnum": "coaching.models.gym.ClientStatus",
    },
}

# Celery: Redis broker, late acknowledgement, tasks enqueued after commit by the services.
CELERY_BROKER_URL = env("CELERY_BROKER_URL", default=REDIS_URL)
CELERY_RESULT_BACKEND = env("CELERY_RESULT_BACKEND", default=REDIS_URL)
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_RESULT_EXPIRES = timedelta(days=1)
CELERY_TASK_TIME_LIMIT = 15 * 60
CELERY_TASK_SOFT_TIME_LIMIT = 14 * 60
# Redis hands an unacknowledged task (its worker was killed, or lost Redis mid-task) to a worker again
# once it has been out this long. Just above the longest time limit, so a task still running is never
# delivered twice, and a lost one comes back in minutes rather than kombu's default hour. Every ETA and
# countdown must stay below it (a task waiting longer would be delivered again); ours are seconds.
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": CELERY_TASK_TIME_LIMIT + 60}
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TIMEZONE = "UTC"
CELERY_BEAT_SCHEDULE = {
    "accounts-purge-expired-tokens": {
        "task": "accounts.tasks.purge_expired_tokens",
        "schedule": crontab(hour=3, minute=15),
    },
    # Ready data exports older than 7 days expire and their files are deleted (accounts.services.privacy).
    "accounts-expire-data-exports": {
        "task": "accounts.tasks.expire_data_exports",
        "schedule": crontab(hour=2, minute=40),
    },
    # Accounts erased more than 90 days ago are deleted for good, with everything left of them.
    "accounts-purge-erased-accounts": {
        "task": "accounts.tasks.purge_erased_accounts",
        "schedule": crontab(hour=2, minute=50),
    },
    # Data exports that stopped moving (a worker died mid-build) are restarted, a few times at most.
    "accounts-requeue-stalled-exports": {
        "task": "accounts.tasks.requeue_stalled_exports",
        "schedule": crontab(minute="*/2"),
    },
    # Notification mail whose task was lost (a broker outage) is queued again.
    "accounts-sweep-unsent-notification-mail": {
        "task": "accounts.tasks.sweep_unsent_notification_mail",
        "schedule": crontab(minute="*/10"),
    },
    "accounts-purge-read-notifications": {
        "task": "accounts.tasks.purge_read_notifications",
        "schedule": crontab(hour=3, minute=30),
    },
    # Meal reminders at scheduled_time + offset in each person's time zone, once a day per meal.
    "nutrition-send-meal-reminders": {
        "task": "nutrition.tasks.send_meal_reminders",
        "schedule": crontab(minute="*/5"),
    },
    # Hydration reminders inside each person's window, spaced by their frequency, until the target is met.
    "nutrition-send-hydration-reminders": {
        "task": "nutrition.tasks.send_hydration_reminders",
        "schedule": crontab(minute="*/15"),
    },
    # Workout reminders before the preferred time on each scheduled workout day (training.services.schedule).
    "training-send-workout-reminders": {
        "task": "training.tasks.send_workout_reminders",
        "schedule": crontab(minute="*/5"),
    },
    # Habit reminders at each habit's reminder time in the person's time zone, unless already done.
    "coaching-send-habit-reminders": {
        "task": "coaching.tasks.send_habit_reminders",
        "schedule": crontab(minute="*/5"),
    },
    # Days whose debounced refresh task was lost (a worker restart, a Redis flush) are refreshed here.
    "coaching-sweep-pending-summaries": {
        "task": "coaching.tasks.sweep_pending_summaries",
        "schedule": crontab(minute="*/5"),
    },
    # Nightly repair: recompute the recent summaries of everybody and fix any that drifted.
    "coaching-repair-summaries": {
        "task": "coaching.tasks.repair_summaries",
        "schedule": crontab(hour=3, minute=45),
    },
    # Goals whose target date has passed are evaluated a last time and, unless reached, expire.
    "goals-expire": {
        "task": "coaching.tasks.expire_goals",
        "schedule": crontab(hour=4, minute=5),
    },
    # Every trainer's dashboard and clients' progress (also refreshed a little after each change).
    "trainer-dashboards": {
        "task": "coaching.tasks.refresh_all_trainer_dashboards",
        "schedule": crontab(hour=4, minute=20),
    },
    # Booking reminders 24 hours and 1 hour before the start, each claimed once (coaching.services.bookings).
    "coaching-send-booking-reminders": {
        "task": "coaching.tasks.send_booking_reminders",
        "schedule": crontab(minute="*/5"),
    },
}
# Daily summaries are refreshed this long after the first change to one of their sources; every change
# in between joins the same refresh ("many changes in a minute cause one refresh").
SUMMARY_REFRESH_DELAY_SECONDS = env.int("SUMMARY_REFRESH_DELAY_SECONDS", default=60)
# A person's goals are evaluated this long after the first change to their logs; changes in between join it.
GOAL_EVALUATION_DELAY_SECONDS = env.int("GOAL_EVALUATION_DELAY_SECONDS", default=30)
# A trainer's dashboard is refreshed this long after a card, a booking or a client's logs change.
GYM_DASHBOARD_DELAY_SECONDS = env.int("GYM_DASHBOARD_DELAY_SECONDS", default=60)
# How many past days the nightly repair recomputes for everybody.
SUMMARY_REPAIR_DAYS = env.int("SUMMARY_REPAIR_DAYS", default=14)

# Bookings (coaching.services.bookings): a member books at least this long ahead; a cancellation inside
# this many hours before the start is marked late.
BOOKING_MIN_NOTICE_MINUTES = env.int("BOOKING_MIN_NOTICE_MINUTES", default=120)
BOOKING_LATE_CANCEL_HOURS = env.int("BOOKING_LATE_CANCEL_HOURS", default=24)

# Meal photo recognition: a dotted path to a class implementing nutrition.services.recognition.FoodRecogniser.
# None ships: without one, meal photos are stored and the diary says recognition is not set up.
FOOD_RECOGNISER = env("FOOD_RECOGNISER", default=None)

API_TOKEN_DEFAULT_DAYS = env.int("API_TOKEN_DEFAULT_DAYS", default=90)
API_TOKEN_MAX_DAYS = 365
# Tokens are kept this long after they expire or are revoked, so people can see what happened.
API_TOKEN_RETENTION_DAYS = 30

# A data export whose build has not moved for this long is restarted by the sweep (and no longer stops
# the person from asking again); after this many builds started it is marked failed instead.
DATA_EXPORT_STALL_MINUTES = env.int("DATA_EXPORT_STALL_MINUTES", default=5)
DATA_EXPORT_MAX_ATTEMPTS = env.int("DATA_EXPORT_MAX_ATTEMPTS", default=3)

LOG_LEVEL = env("DJANGO_LOG_LEVEL", default="INFO")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
    "loggers": {"django.db.backends": {"level": "INFO"}, "axes": {"level": "WARNING"}},
}
