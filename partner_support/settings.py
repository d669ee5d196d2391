"""Settings, all overridable from the environment (see README, "Configuration").

With no environment at all this runs on the embedded default: SQLite and a file-system Celery broker under var/.
"""

import os
import secrets
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("VAR_DIR", BASE_DIR / "var"))
VAR_DIR.mkdir(parents=True, exist_ok=True)


def env_bool(name: str, default: bool = False) -> bool:
    return os.environ.get(name, str(default)).strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def dev_secret_key() -> str:
    """A random key kept under var/, so that sessions survive a restart of the development server."""
    key_file = VAR_DIR / "secret_key"
    if not key_file.exists():
        key_file.write_text(secrets.token_urlsafe(50))
    return key_file.read_text().strip()


DEBUG = env_bool("DEBUG")
# Without DEBUG the key must come from the environment. Django refuses an empty key when something uses it
# (sessions, tokens, signing), and the web entry points (wsgi.py, asgi.py) ask for it at start, so a server
# never runs without one; commands that sign nothing (makemigrations, migrate, sla_sweep) work without it.
SECRET_KEY = os.environ.get("SECRET_KEY") or (dev_secret_key() if DEBUG else "")

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_filters",
    "django_htmx",
    "rules",
    "pgtrigger",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "outbox",
    "idempotency",
    "accounts",
    "tickets",
    "billing",
    "notifications",
    "integrations",
    "inbound",
    "health",
    "staff",
    "documents",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "accounts.middleware.TwoFactorMiddleware",
    "idempotency.middleware.IdempotencyKeyMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "accounts.middleware.UserTimezoneMiddleware",
    "partner_support.middleware.DatabaseOutageMiddleware",
    "partner_support.middleware.MethodNotAllowedPageMiddleware",
]

ROOT_URLCONF = "partner_support.urls"
WSGI_APPLICATION = "partner_support.wsgi.application"

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
                "django.template.context_processors.i18n",
                "notifications.context_processors.unread",
            ],
        },
    },
]

# Database: PostgreSQL in production (DATABASE_URL), SQLite under var/ by default.
DATABASES = {"default": dj_database_url.parse(os.environ.get("DATABASE_URL", f"sqlite:///{VAR_DIR / 'db.sqlite3'}"))}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers work beside the one writer; IMMEDIATE takes the write lock at BEGIN, so that concurrent
    # requests wait (up to the timeout) instead of failing with "database is locked" halfway through.
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 20,
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;",
    }
else:
    DATABASES["default"]["CONN_MAX_AGE"] = int(os.environ.get("CONN_MAX_AGE", "60"))
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "rules.permissions.ObjectPermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
# Failed logins for one address from one client before the login page refuses it for the window (seconds).
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Cache: Redis when REDIS_URL is given (shared by every process), a file cache under var/ otherwise.
REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    # Redis, falling back to a per-process cache (logged) while Redis is unreachable: partner_support/cache.py.
    CACHES = {"default": {"BACKEND": "partner_support.cache.FailOverRedisCache", "LOCATION": REDIS_URL}}
else:
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.filebased.FileBasedCache", "LOCATION": VAR_DIR / "cache"}
    }

LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("uk", _("Ukrainian")), ("ru", _("Russian"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = os.environ.get("TIME_ZONE", "Europe/Kyiv")
USE_I18N = True
USE_TZ = True
# One date, time and number format per language (partner_support/formats/<language>/formats.py).
FORMAT_MODULE_PATH = ["partner_support.formats"]

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", VAR_DIR / "staticfiles"))
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", VAR_DIR / "media"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}

# Celery: Redis in production; kombu's file-system transport by default, so that a laptop needs no broker.
CELERY_BROKER_URL = os.environ.get("CELERY_BROKER_URL") or REDIS_URL or "filesystem://"
if CELERY_BROKER_URL == "filesystem://":
    BROKER_DIR = VAR_DIR / "broker"
    BROKER_DIR.mkdir(parents=True, exist_ok=True)
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(BROKER_DIR),
        "data_folder_out": str(BROKER_DIR),
        "control_folder": str(BROKER_DIR / "control"),
    }
elif CELERY_BROKER_URL.startswith(("redis://", "rediss://")):
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        # A message taken by a worker that died comes back after 5 minutes, not kombu's default hour; no task runs
        # that long (a webhook sender stops after WEBHOOK_SEND_SECONDS), and every task is safe to run twice.
        "visibility_timeout": 300,
        # A broker that hangs fails a publish in seconds instead of holding a worker.
        "socket_timeout": 5,
        "socket_connect_timeout": 5,
    }
CELERY_TASK_ALWAYS_EAGER = env_bool("CELERY_TASK_ALWAYS_EAGER")
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_IGNORE_RESULT = True
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")
OUTBOX_RELAY_SECONDS = float(os.environ.get("OUTBOX_RELAY_SECONDS", "5"))
# How often the worker recomputes the SLA audit's figures of its default period.
AUDIT_FIGURES_MINUTES = 1
# The schedule lives here, in version control, rather than in database rows (django-celery-beat): it is part of
# the product's behaviour and needs no administrator to edit it.
CELERY_BEAT_SCHEDULE = {
    "close-resolved-tickets": {"task": "tickets.tasks.close_resolved_tickets", "schedule": 600.0},
    "sla-sweep": {"task": "tickets.tasks.sla_sweep_task", "schedule": 60.0},
    "imap-poll": {"task": "inbound.tasks.imap_poll_task", "schedule": 60.0},
    # The outbox relay's safety net: whatever the after-commit task did not deliver (broker or worker down).
    "outbox-relay": {"task": "outbox.tasks.outbox_relay", "schedule": OUTBOX_RELAY_SECONDS},
    "outbox-prune": {"task": "outbox.tasks.outbox_prune_task", "schedule": 3600.0},
    "webhooks-due": {"task": "integrations.tasks.webhooks_due", "schedule": 15.0},
    "notification-emails-owed": {"task": "notifications.tasks.notification_emails_owed", "schedule": 60.0},
    "idempotency-prune": {"task": "idempotency.tasks.idempotency_prune_task", "schedule": 3600.0},
    "heartbeat": {"task": "health.tasks.heartbeat", "schedule": 30.0},
    # The SLA audit's figures of its default period (staff.models.AuditFigures), so the page need not compute them.
    "audit-figures": {"task": "staff.tasks.audit_figures_refresh_task", "schedule": 60.0 * AUDIT_FIGURES_MINUTES},
    # Last month's acts, from the first working day of the month on (hourly: it catches up after an outage).
    "acts-issue-due": {"task": "documents.tasks.acts_issue_due_task", "schedule": 3600.0},
}
# A periodic run that waited in the queue longer than its own period is dropped: the next one does its work, so
# a worker back from an outage does not work through a pile of identical sweeps.
for _entry in CELERY_BEAT_SCHEDULE.values():
    _entry["options"] = {"expires": _entry["schedule"]}
# Webhook senders have a queue of their own, so that a slow receiver never delays the sweep or the relay.
CELERY_TASK_ROUTES = {"integrations.tasks.webhook_send": {"queue": "webhooks"}}

# The stored outbox (outbox app): who is handed each event, in this order, and how long delivered events are kept
# (the events feed reaches back this far; undelivered events are never deleted).
OUTBOX_SUBSCRIBERS = {
    "notifications": "notifications.subscriber.handle_event",
    "webhooks": "integrations.subscriber.handle_event",
}
OUTBOX_RETENTION_DAYS = int(os.environ.get("OUTBOX_RETENTION_DAYS", "30"))
# /healthz calls the service unavailable when an event has waited longer than this for delivery.
OUTBOX_LAG_LIMIT_SECONDS = int(os.environ.get("OUTBOX_LAG_LIMIT_SECONDS", "300"))
# How long a sender that took an e-mail may hold it before another sends it (the first one died meanwhile).
EMAIL_CLAIM_SECONDS = int(os.environ.get("EMAIL_CLAIM_SECONDS", "120"))
# How long an API write's Idempotency-Key is remembered with its answer.
IDEMPOTENCY_TTL_HOURS = 24

# E-mail
# While developing, each message goes to a file under var/mail/ and the log gets one line about it.
EMAIL_BACKEND = os.environ.get(
    "EMAIL_BACKEND",
    "partner_support.mail.LoggedFileEmailBackend" if DEBUG else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_FILE_PATH = Path(os.environ.get("EMAIL_FILE_PATH", VAR_DIR / "mail"))
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS")
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Partner Support <support@partner-support.local>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# The vendor's own requisites, printed on every invoice and act (documents app). The defaults are a demo company:
# set them in production. An empty VENDOR_VAT_NUMBER means the vendor is not a VAT payer.
VENDOR_REQUISITES = {
    "legal_name": os.environ.get("VENDOR_LEGAL_NAME", "ТОВ «Демо CRM»"),  # noqa: RUF001
    "tax_code": os.environ.get("VENDOR_TAX_CODE", "39123451"),
    "vat_number": os.environ.get("VENDOR_VAT_NUMBER", ""),
    "legal_address": os.environ.get("VENDOR_ADDRESS", "01001, м. Київ, вул. Хрещатик, 1"),
    "iban": os.environ.get("VENDOR_IBAN", "UA213223130000026007233566001"),
    "bank": os.environ.get("VENDOR_BANK", "АТ «Демо Банк»"),  # noqa: RUF001
}
VENDOR_VAT_RATE = Decimal(os.environ.get("VENDOR_VAT_RATE", "20"))

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "integrations.auth.ApiTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_PAGINATION_CLASS": "partner_support.api.Pagination",
    "PAGE_SIZE": 50,
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "EXCEPTION_HANDLER": "partner_support.api.exception_handler",
    "DEFAULT_THROTTLE_CLASSES": ["rest_framework.throttling.UserRateThrottle"],
    "DEFAULT_THROTTLE_RATES": {
        "user": os.environ.get("API_THROTTLE_USER", "1200/min"),
        "auth": os.environ.get("API_THROTTLE_AUTH", "20/min"),
    },
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Partner Support API",
    "DESCRIPTION": "Requests, SLA and deposit of the partner support service.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "idempotency.schema.document_idempotency_key",
    ],
    "COMPONENT_SPLIT_REQUEST": True,
    # Swagger UI served from our own static files (drf-spectacular-sidecar), never from a CDN.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "ENUM_NAME_OVERRIDES": {
        "TicketKindEnum": "tickets.models.Kind",
        "TicketStatusEnum": "tickets.models.Status",
        "BreachClockEnum": "tickets.models.SlaBreach.Clock",
        "BreachReviewEnum": "tickets.models.SlaBreach.Review",
        "LanguageEnum": "partner_support.settings.LANGUAGES",
    },
}

# Security: strict unless DEBUG; behind a TLS-terminating proxy set SECURE_PROXY_SSL_HEADER via the env.
SESSION_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_SECURE = not DEBUG
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not DEBUG)
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "0" if DEBUG else "31536000"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_HSTS_PRELOAD = not DEBUG
SECURE_CONTENT_TYPE_NOSNIFF = True
if env_bool("USE_X_FORWARDED_PROTO"):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]

HOSTLESS = ("filesystem://", "memory://")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    # The file-system (or in-memory) broker has no host, which kombu warns of ("No hostname was supplied") on every
    # connection.
    "loggers": {"kombu.connection": {"level": "ERROR" if CELERY_BROKER_URL.startswith(HOSTLESS) else "WARNING"}},
}

# Attachments: checked by content (tickets/attachments.py), stored under MEDIA_ROOT, served only by a checked view.
ATTACHMENT_MAX_BYTES = int(os.environ.get("ATTACHMENT_MAX_BYTES", str(10 * 1024 * 1024)))
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# Outbound webhooks: endpoints are switched off after this many failed attempts in a row. Private and loopback
# targets are refused in production (a partner could otherwise make the server call its own network).
WEBHOOK_MAX_FAILURES = int(os.environ.get("WEBHOOK_MAX_FAILURES", "10"))
WEBHOOK_FAILING_MINUTES = int(os.environ.get("WEBHOOK_FAILING_MINUTES", "60"))
WEBHOOK_ALLOW_PRIVATE_TARGETS = env_bool("WEBHOOK_ALLOW_PRIVATE_TARGETS", DEBUG)
# The most one delivery attempt may take, connecting, sending and reading the answer included.
WEBHOOK_TIMEOUT_SECONDS = float(os.environ.get("WEBHOOK_TIMEOUT_SECONDS", "10"))
# One sender's turn on an endpoint; what is left is sent by the next turn.
WEBHOOK_SEND_SECONDS = 60

# Inbound e-mail by IMAP (the poller does nothing while IMAP_HOST is empty); `manage.py ingest_email` reads one
# message from stdin for a mail server's pipe instead.
IMAP_HOST = os.environ.get("IMAP_HOST", "")
IMAP_PORT = int(os.environ.get("IMAP_PORT", "0"))  # 0: 993 with SSL, 143 without
IMAP_USER = os.environ.get("IMAP_USER", "")
IMAP_PASSWORD = os.environ.get("IMAP_PASSWORD", "")
IMAP_SSL = env_bool("IMAP_SSL", True)
IMAP_MAILBOX = os.environ.get("IMAP_MAILBOX", "INBOX")

# Security: who may act as whom (see the README's Security section).
# Inbound e-mail acts as its sender only when it proves the sender: an Authentication-Results header written by
# our receiving mail server (identified by its authserv-id) with a DMARC pass or an aligned SPF/DKIM pass, or a
# DKIM signature of the sender's domain verified here.
INBOUND_AUTHSERV_ID = os.environ.get("INBOUND_AUTHSERV_ID", "")
INBOUND_DKIM_VERIFY = env_bool("INBOUND_DKIM_VERIFY", True)
# The address replies go to; set, each ticket e-mail to a person carries a signed reply address of its own
# (<local>+<ticket>.<user>.<signature>@<domain>) that proves the thread (notifications/reply_tokens.py).
INBOUND_REPLY_ADDRESS = os.environ.get("INBOUND_REPLY_ADDRESS", "")

# The real client address for throttles and lock-outs: X-Forwarded-For counts only as far as this many proxies of
# ours wrote it (0: the TCP peer is the client). Password guessing is slowed per account, per client address and
# per trusted device (accounts/login_guard.py): past the free failures, a back-off doubling from
# LOGIN_BACKOFF_BASE up to LOGIN_BACKOFF_MAX seconds; counts are forgotten LOGIN_FAILURE_WINDOW after the first.
TRUSTED_PROXY_COUNT = int(os.environ.get("TRUSTED_PROXY_COUNT", "0"))
REST_FRAMEWORK["NUM_PROXIES"] = TRUSTED_PROXY_COUNT
REST_FRAMEWORK["DEFAULT_THROTTLE_CLASSES"] = ["partner_support.throttling.UserThrottle"]
# Bodies that cannot be read answer 400 (JSON nested too deep included); the schema documents every error status.
REST_FRAMEWORK["DEFAULT_PARSER_CLASSES"] = [
    "partner_support.parsers.SafeJSONParser",
    "rest_framework.parsers.FormParser",
    "rest_framework.parsers.MultiPartParser",
]
REST_FRAMEWORK["DEFAULT_SCHEMA_CLASS"] = "partner_support.schema.ApiSchema"
LOGIN_FAILURE_LIMIT = int(os.environ.get("LOGIN_FAILURE_LIMIT", "10"))
LOGIN_CLIENT_FAILURE_LIMIT = int(os.environ.get("LOGIN_CLIENT_FAILURE_LIMIT", "30"))
LOGIN_FAILURE_WINDOW = int(os.environ.get("LOGIN_FAILURE_WINDOW", str(60 * 60)))
LOGIN_BACKOFF_BASE = 30
LOGIN_BACKOFF_MAX = 15 * 60
PASSWORD_RESET_MAILS_PER_HOUR = int(os.environ.get("PASSWORD_RESET_MAILS_PER_HOUR", "3"))
# API login tokens (accounts.credentials) expire and are refreshed by rotation.
REST_FRAMEWORK["DEFAULT_AUTHENTICATION_CLASSES"] = [
    "accounts.auth.LoginTokenAuthentication",
    "integrations.auth.ApiTokenAuthentication",
    "rest_framework.authentication.SessionAuthentication",
]
LOGIN_TOKEN_TTL = timedelta(hours=int(os.environ.get("LOGIN_TOKEN_TTL_HOURS", "12")))
# Two-factor authentication (TOTP with recovery codes): required for these roles, optional for the others.
TWO_FACTOR_REQUIRED_ROLES = env_list("TWO_FACTOR_REQUIRED_ROLES", "manager,admin")
TWO_FACTOR_PENDING_SECONDS = 10 * 60  # between the password and the code of one login
TWO_FACTOR_SESSION_KEY = "two_factor_for"
OTP_TOTP_ISSUER = os.environ.get("OTP_TOTP_ISSUER", "Partner Support")
# Guessing codes is slowed by the login guard, which keeps the owner's own browser apart; django-otp's per-device
# throttle would let anyone with the password lock the owner out of their authenticator for ever longer.
OTP_TOTP_THROTTLE_FACTOR = 0
OTP_STATIC_THROTTLE_FACTOR = 0
# The audit log of administrative changes (audit app): written by the admin and by the services that change
# money and assignments, append-only, searched by administrators at /staff/changes/.
INSTALLED_APPS.append("audit")
# Headers and sessions: a Content-Security-Policy on every answer (our own scripts and styles only, no inline
# code); no caching of money, integration and API answers; a session ends after SESSION_IDLE_MINUTES without a
# request; one request's body (all its files) is at most REQUEST_MAX_BYTES.
MIDDLEWARE.insert(MIDDLEWARE.index("django.middleware.security.SecurityMiddleware") + 1, "csp.middleware.CSPMiddleware")
MIDDLEWARE.insert(0, "partner_support.middleware.RequestSizeLimitMiddleware")
MIDDLEWARE.append("partner_support.middleware.NoStoreMiddleware")
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}
SESSION_COOKIE_AGE = int(os.environ.get("SESSION_IDLE_MINUTES", "120")) * 60  # pushed on by activity: an idle timeout
MIDDLEWARE.insert(
    MIDDLEWARE.index("django.contrib.sessions.middleware.SessionMiddleware") + 1,
    "partner_support.middleware.IdleSessionMiddleware",
)
REQUEST_MAX_BYTES = int(
    os.environ.get("REQUEST_MAX_BYTES", str(max(25 * 1024 * 1024, ATTACHMENT_MAX_BYTES + 1024 * 1024)))
)
