"""Django settings for wushe.

Everything that differs between a laptop, CI and a street office's server comes from the
environment:

- ``DATABASE_URL``: defaults to SQLite in ``$WUSHE_DATA_DIR/wushe.sqlite3`` (WAL mode);
  ``postgres://user@host:5432/wushe`` for PostgreSQL.
- ``DATABASE_REPLICA_URL``: a read replica of it; dashboards, drill-downs, the work report and
  exports read from it (``wushe/core/replica.py``).
- ``WUSHE_DATA_DIR``: where the embedded database, the key file and uploads live (``var/``).
- ``WUSHE_FIELD_KEY`` / ``WUSHE_HASH_KEY``: base64 keys for field encryption and the keyed
  hash; without them a key file is created in the data directory with mode 0600.
- ``DJANGO_SECRET_KEY``, ``DJANGO_DEBUG``, ``DJANGO_ALLOWED_HOSTS``.
- With ``DJANGO_DEBUG=0`` (production) HTTPS is enforced: ``DJANGO_SECURE_SSL_REDIRECT`` (1),
  ``DJANGO_SECURE_HSTS_SECONDS`` (31536000), ``DJANGO_SECURE_HSTS_INCLUDE_SUBDOMAINS`` (1),
  ``DJANGO_SECURE_HSTS_PRELOAD`` (1), secure session and CSRF cookies; behind a reverse proxy
  that terminates TLS set ``DJANGO_SECURE_PROXY_SSL_HEADER=HTTP_X_FORWARDED_PROTO`` (the proxy
  must overwrite that header) and ``DJANGO_CSRF_TRUSTED_ORIGINS=https://host``.
"""

from __future__ import annotations

import datetime
import os
from pathlib import Path

import dj_database_url

BASE_DIR = Path(__file__).resolve().parent.parent
DATA_DIR = Path(os.environ.get("WUSHE_DATA_DIR", BASE_DIR / "var"))
DATA_DIR.mkdir(parents=True, exist_ok=True)


def _secret_key() -> str:
    """The secret key from the environment, or one kept in the data directory."""
    if key := os.environ.get("DJANGO_SECRET_KEY"):
        return key
    path = DATA_DIR / "secret_key"
    if not path.exists():
        import secrets

        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as fh:
            fh.write(secrets.token_urlsafe(50))
    return path.read_text().strip()


def _env_flag(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


SECRET_KEY = _secret_key()
DEBUG = os.environ.get("DJANGO_DEBUG", "1") == "1"
ALLOWED_HOSTS = os.environ.get("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost,testserver").split(",")

INSTALLED_APPS = [
    "wushe.core.apps.WusheAdminConfig",  # the admin: superusers only, read-only, scoped
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "ninja",  # serves Swagger UI from its own static files instead of a CDN
    "csp",
    "axes",
    "django_htmx",
    "simple_history",
    "django_tasks",
    "django_tasks_db",
    # two-factor sign-in (wushe/accounts/twofactor.py): TOTP authenticators, recovery codes
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "wushe.core",
    "wushe.accounts",
    "wushe.registry",
    "wushe.partners",
    "wushe.visits",
    "wushe.needs",
    "wushe.projects",
    "wushe.reports",
    "wushe.demo",
    "wushe.imports",
    "wushe.casework",
    "wushe.appeals",
    "wushe.volunteers",
    "wushe.funds",
    "wushe.policies",
    "wushe.care",
    "wushe.rentals",
    "wushe.subsidies",
    "wushe.poverty",
    "wushe.employment",
    "wushe.consent",
    "wushe.portal",
]

MIDDLEWARE = [
    "wushe.core.requestlog.RequestLogMiddleware",  # first: one JSON line per request (WUSHE_REQUEST_LOG)
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "wushe.core.middleware.SecurityHeadersMiddleware",
    "wushe.core.middleware.RejectNulMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "wushe.core.middleware.ChineseFirstLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "wushe.core.middleware.SessionLifetimeMiddleware",
    "django_otp.middleware.OTPMiddleware",  # request.user.is_verified()
    "wushe.accounts.twofactor.TwoFactorMiddleware",  # holds a session that owes its code
    "django.contrib.messages.middleware.MessageMiddleware",
    "wushe.core.middleware.SensitiveQueryMiddleware",  # no ID or phone number in a query string
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "wushe.core.middleware.NoStoreMiddleware",
    "axes.middleware.AxesMiddleware",  # last, as django-axes asks
]

ROOT_URLCONF = "wushe.urls"
WSGI_APPLICATION = "wushe.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{DATA_DIR / 'wushe.sqlite3'}",
        conn_max_age=60,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=5000;",
        "transaction_mode": "IMMEDIATE",
    }
    DATABASES["default"].setdefault("TEST", {})["NAME"] = ""  # in-memory for tests

# A PostgreSQL streaming replica for the figures and exports (wushe/core/replica.py; docs/scale.md).
if os.environ.get("DATABASE_REPLICA_URL"):
    DATABASES["replica"] = dj_database_url.parse(os.environ["DATABASE_REPLICA_URL"], conn_max_age=60)
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
DATABASE_ROUTERS = ["wushe.core.replica.ReplicaRouter"]  # reads stay on default without a replica

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    # refuses locked-out usernames before any password is checked (django-axes)
    "axes.backends.AxesStandaloneBackend",
    "wushe.accounts.backends.RoleBackend",
]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "wushe" / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = DATA_DIR / "static"  # collectstatic writes here for production
STATIC_ROOT.mkdir(exist_ok=True)
# Front-end packages come from the npm registry at set-up (`make assets`: npm ci, then the few
# files wushe serves are copied to assets/vendor/), never from a CDN. assets/ is not committed.
STATICFILES_DIRS = [BASE_DIR / "assets"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "wushe.core.staticfiles.WusheStaticFilesStorage"  # no manifest yet: not a 500
        )
    },
}
MEDIA_ROOT = DATA_DIR / "media"

# API lists: 100 rows a page by default, at most 500 (wushe.core.pagination).
NINJA_PAGINATION_PER_PAGE = 100
NINJA_PAGINATION_MAX_LIMIT = 500

TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
# A page that waits on a background task (an import's dry run or commit) says the task worker
# seems not to run when the task has waited, or made no progress, for this long.
WUSHE_TASK_STALE_SECONDS = int(os.environ.get("WUSHE_TASK_STALE_SECONDS", 180))

# Sessions end after 30 idle minutes (the expiry moves on with every request) and, whatever the
# activity, 12 hours after login (wushe.core.middleware.SessionLifetimeMiddleware).
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = 30 * 60
SESSION_SAVE_EVERY_REQUEST = True
WUSHE_SESSION_ABSOLUTE_SECONDS = 12 * 60 * 60
CSRF_COOKIE_HTTPONLY = False
CSRF_FAILURE_VIEW = "wushe.core.views.csrf_failure"  # wushe's layout, Chinese first with English

# Response headers (SecurityMiddleware, XFrameOptionsMiddleware, SecurityHeadersMiddleware).
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
WUSHE_PERMISSIONS_POLICY = (
    "accelerometer=(), camera=(), geolocation=(), gyroscope=(), magnetometer=(), "
    "microphone=(), payment=(), usb=(), interest-cohort=()"
)

# Content-Security-Policy (django-csp): no inline scripts or styles, no third-party origin.
# Pages hand data to app.js with json_script and data-* attributes instead.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
    }
}

# Login throttling (django-axes): the 6th failed attempt on a username within 15 minutes is
# refused, from whatever address it comes; the lock lifts 15 minutes after the last failure.
# API bearer tokens do not go through authenticate() and are not throttled.
AXES_FAILURE_LIMIT = 5
AXES_LOCKOUT_PARAMETERS = ["username"]
AXES_COOLOFF_TIME = datetime.timedelta(minutes=15)
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/lockout.html"
AXES_IPWARE_META_PRECEDENCE_ORDER = ["REMOTE_ADDR"]  # the address is only logged, never trusted
# axes.W006 asks for 'ip_address' among the lockout parameters. Not here: a street office's
# workers share one NAT address, so five typos in the office would lock everyone out; and a lock
# by username cannot be dodged by rotating user agents or cookies, which is what W006 is about.
SILENCED_SYSTEM_CHECKS = ["axes.W006"]

if not DEBUG:
    SECURE_SSL_REDIRECT = _env_flag("DJANGO_SECURE_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = int(os.environ.get("DJANGO_SECURE_HSTS_SECONDS", str(365 * 24 * 60 * 60)))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = _env_flag("DJANGO_SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
    SECURE_HSTS_PRELOAD = _env_flag("DJANGO_SECURE_HSTS_PRELOAD", True)
    # DJANGO_SECURE_COOKIES=0 only for `make serve` and its load test on 127.0.0.1 over plain HTTP
    SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = _env_flag("DJANGO_SECURE_COOKIES", True)
    if proxy_header := os.environ.get("DJANGO_SECURE_PROXY_SSL_HEADER"):
        SECURE_PROXY_SSL_HEADER = (proxy_header, "https")
    if trusted := os.environ.get("DJANGO_CSRF_TRUSTED_ORIGINS"):
        CSRF_TRUSTED_ORIGINS = trusted.split(",")

# Every line wushe logs has ID and phone numbers removed (a logged URL may carry one someone
# typed), the development server's request lines included.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"redact_personal_numbers": {"()": "wushe.core.sensitive.RedactPersonalNumbers"}},
    "formatters": {
        "django.server": {
            "()": "django.utils.log.ServerFormatter",
            "format": "[{server_time}] {message}",
            "style": "{",
        },
        "json": {"()": "wushe.core.requestlog.JsonLineFormatter"},
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler", "filters": ["redact_personal_numbers"]},
        "django.server": {
            "class": "logging.StreamHandler",
            "formatter": "django.server",
            "filters": ["redact_personal_numbers"],
        },
        "json": {
            "class": "logging.StreamHandler",
            "formatter": "json",
            "filters": ["redact_personal_numbers"],
        },
    },
    "loggers": {
        # One JSON line per request on stderr when WUSHE_REQUEST_LOG=1 (production: docs/deploy.md).
        "wushe.request": {
            "handlers": ["json"],
            "level": "INFO" if _env_flag("WUSHE_REQUEST_LOG", False) else "WARNING",
            "propagate": False,
        },
        "django": {"handlers": ["console"], "level": "INFO", "propagate": False},
        "django.server": {"handlers": ["django.server"], "level": "INFO", "propagate": False},
    },
    "root": {"handlers": ["console"], "level": "WARNING"},
}

# Field encryption (see wushe/core/crypto.py): "aes-256-gcm" or "sm4-gcm" (商用密码) for new
# writes, unless the key file pins one (manage.py rotate_field_key --cipher).
WUSHE_KEY_FILE = DATA_DIR / "keys.json"
WUSHE_FIELD_CIPHER = os.environ.get("WUSHE_FIELD_CIPHER", "aes-256-gcm")

# Two-factor sign-in: required for superusers and street administrators when on (by default in
# production, DJANGO_DEBUG=0), optional for everyone otherwise (wushe/accounts/twofactor.py).
WUSHE_2FA_REQUIRED = _env_flag("WUSHE_2FA_REQUIRED", not DEBUG)
OTP_TOTP_ISSUER = "五社联动服务平台"

# How many rows a list page shows.
WUSHE_PAGE_SIZE = 25

# An export of more rows than this is written by the task worker (its progress on a page of its
# own, the workbook kept sealed under WUSHE_EXPORT_ROOT for WUSHE_EXPORT_KEEP_HOURS, then deleted);
# smaller ones are written while the browser waits (2,000–4,000 rows a second: a few seconds).
WUSHE_EXPORT_INLINE_ROWS = int(os.environ.get("WUSHE_EXPORT_INLINE_ROWS", 10_000))
WUSHE_EXPORT_KEEP_HOURS = int(os.environ.get("WUSHE_EXPORT_KEEP_HOURS", 24))
WUSHE_EXPORT_ROOT = DATA_DIR / "exports"

# The dashboards' figures counted ahead of time (wushe/reports/services.py), for a deployment whose
# dashboards count too many records to count on every request (a million people: about a second).
# 0 (the default): every dashboard is counted when it is asked for, so it always holds the latest
# record. N > 0: a dashboard counted less than N seconds ago is shown as it was counted (the page
# says when, and offers to count again now); older, it is shown while the task worker counts it
# again; older than WUSHE_FIGURES_MAX_STALE it is counted while the page waits. deploy/env.example
# sets 300.
WUSHE_FIGURES_MAX_AGE = int(os.environ.get("WUSHE_FIGURES_MAX_AGE", 0))
WUSHE_FIGURES_MAX_STALE = int(os.environ.get("WUSHE_FIGURES_MAX_STALE", 3600))

# Uploaded photos (activities): at most this size, stored under DATA_DIR / "uploads".
WUSHE_UPLOAD_MAX_BYTES = 5 * 1024 * 1024
WUSHE_UPLOAD_ROOT = DATA_DIR / "uploads"

# The admin's history pages offer no revert: a past version is read there, never written back
# (writes go through the services; see wushe/core/adminsite.py).
SIMPLE_HISTORY_REVERT_DISABLED = True
# Bounds on the counts and durations people type (issue 14, item 6). The services read them
# from here (their only defaults), so pages, the API and imports refuse the same values with a
# message naming the field and the limit; the forms show them.
WUSHE_VOLUNTEER_DAY_MAX_HOURS = 24  # a volunteer's records of one day, together (rejected ones not counted)
WUSHE_VOLUNTEER_DAY_WARN_HOURS = 12  # above this the record is saved with a warning
WUSHE_CASE_SERVICE_MAX_MINUTES = 24 * 60  # one case service record
WUSHE_CASE_SERVICE_DAY_MAX_MINUTES = 24 * 60  # one worker's case service records of one day
WUSHE_GROUP_MAX_MEMBERS = 100  # members of a group, and so attendees of one session
WUSHE_ACTIVITY_MAX_PARTICIPANTS = 20_000  # participants (and the disabled among them) of one activity
WUSHE_ACTIVITY_MAX_VOLUNTEERS = 2_000
WUSHE_ACTIVITY_MAX_LEAFLETS = 100_000
WUSHE_ACTIVITY_MAX_QUESTIONS = 20_000
WUSHE_VISIT_MAX_LEAFLETS = 500  # leaflets handed over at one home visit
WUSHE_VISIT_MAX_POLICIES = 50  # policies explained at one home visit

# ---- Uploads and the data directory (issue 14, items 2 and 3; README "Limits / 限制") ----------
# The data directory and everything wushe keeps in it are private (0700 / 0600) whatever the
# umask: brought there at start, and created so (uploads, the SQLite database and its -wal/-shm).
from wushe.imports import storage as _storage  # noqa: E402 — no Django import at its top

_storage.secure_data_dir(DATA_DIR)
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    _storage.private_sqlite(DATABASES["default"]["NAME"])
FILE_UPLOAD_PERMISSIONS = 0o600
FILE_UPLOAD_DIRECTORY_PERMISSIONS = 0o700
# A request body other than files: at most this in memory (then 400). An uploaded file above
# FILE_UPLOAD_MAX_MEMORY_SIZE goes to a temporary file (0600) while the request lasts.
DATA_UPLOAD_MAX_MEMORY_SIZE = int(os.environ.get("WUSHE_DATA_UPLOAD_MAX_BYTES", 2_621_440))
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
# The first handler stops reading an upload as soon as it passes the limit (wushe/imports/uploads.py).
FILE_UPLOAD_HANDLERS = [
    "wushe.imports.uploads.LimitedUploadHandler",
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "django.core.files.uploadhandler.TemporaryFileUploadHandler",
]
MIDDLEWARE.insert(1, "wushe.imports.uploads.UploadLimitMiddleware")
# Ledgers: what a file may be (see wushe/imports/limits.py for what each refuses).
WUSHE_IMPORT_MAX_BYTES = int(os.environ.get("WUSHE_IMPORT_MAX_BYTES", 200 * 1024 * 1024))
WUSHE_IMPORT_MAX_ROWS = int(os.environ.get("WUSHE_IMPORT_MAX_ROWS", 1_048_576))
WUSHE_IMPORT_MAX_COLUMNS = int(os.environ.get("WUSHE_IMPORT_MAX_COLUMNS", 200))
WUSHE_IMPORT_MAX_CELLS = int(os.environ.get("WUSHE_IMPORT_MAX_CELLS", 50_000_000))
WUSHE_IMPORT_MAX_UNCOMPRESSED_BYTES = int(os.environ.get("WUSHE_IMPORT_MAX_UNCOMPRESSED_BYTES", 2 * 1024**3))
WUSHE_IMPORT_MAX_ZIP_RATIO = int(os.environ.get("WUSHE_IMPORT_MAX_ZIP_RATIO", 200))
WUSHE_IMPORT_MAX_ZIP_MEMBERS = int(os.environ.get("WUSHE_IMPORT_MAX_ZIP_MEMBERS", 2000))
WUSHE_IMPORT_MAX_LINE_BYTES = int(os.environ.get("WUSHE_IMPORT_MAX_LINE_BYTES", 1024 * 1024))
# The reading of an upload runs in a child process: its memory (beyond what it inherits) and time.
WUSHE_IMPORT_READER_MEMORY_MB = int(os.environ.get("WUSHE_IMPORT_READER_MEMORY_MB", 4096))
WUSHE_IMPORT_READER_TIMEOUT = int(os.environ.get("WUSHE_IMPORT_READER_TIMEOUT", 300))
# A ledger never confirmed is deleted after this many days (manage.py purge_uploads).
WUSHE_IMPORT_RETENTION_DAYS = int(os.environ.get("WUSHE_IMPORT_RETENTION_DAYS", 7))

# /healthz reports tasks as "waiting" when the oldest task has waited longer than this (seconds).
WUSHE_HEALTH_TASK_WARN_SECONDS = int(os.environ.get("WUSHE_HEALTH_TASK_WARN_SECONDS", 300))

# The residents' public pages (wushe/portal). The address the household card's QR code and the
# one-time rating links are built on; rate limits as (count, window in seconds), counted in the
# cache: Redis when WUSHE_CACHE_URL names one (redis://…, the `redis` package installed), else
# the local-memory cache of each process (the embedded default and the tests).
WUSHE_PUBLIC_BASE_URL = os.environ.get("WUSHE_PUBLIC_BASE_URL", "http://127.0.0.1:8000").rstrip("/")
WUSHE_PUBLIC_RATE_IP = (10, 3600)  # submissions from one IP address an hour
WUSHE_PUBLIC_RATE_PHONE = (3, 86400)  # submissions with one phone number a day
WUSHE_PUBLIC_RATE_CHECK = (5, 3600)  # wrong check codes from one IP address, and for one number
WUSHE_PUBLIC_MAX_BODY_BYTES = 16 * 1024  # a public form's whole body
WUSHE_PUBLIC_RATING_DAYS = 14  # a one-time rating link works this many days
# Behind wushe's reverse proxy (deploy/nginx.conf.example sets X-Forwarded-For to the client's
# address): the client is the last address of X-Forwarded-For, not the proxy (core.web.client_ip).
WUSHE_BEHIND_PROXY = os.environ.get("WUSHE_BEHIND_PROXY", "") in ("1", "true", "yes")
if os.environ.get("WUSHE_CACHE_URL"):
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": os.environ["WUSHE_CACHE_URL"],
        }
    }
