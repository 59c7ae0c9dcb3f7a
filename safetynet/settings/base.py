"""Settings every environment shares. Everything that differs between installations comes from
the environment (see README.md, "Configuration")."""

from datetime import timedelta
from pathlib import Path

from django.utils.translation import gettext_lazy as _

import dj_database_url
from csp.constants import NONE, SELF

from .env import env_bool, env_int, env_list, env_str, require

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = Path(env_str("SAFETYNET_VAR_DIR", str(BASE_DIR / "var")))

DEBUG = env_bool("DEBUG", False)

SECRET_KEY = (env_str("SECRET_KEY") or "").strip()
if not SECRET_KEY and not DEBUG:
    SECRET_KEY = require(
        "SECRET_KEY",
        "when DEBUG is off, set it to a long random string, e.g. the output of "
        "python -c 'import secrets; print(secrets.token_urlsafe(50))'.",
    )

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", [])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "guardian",
    "simple_history",
    "django_tasks",
    "django_tasks_db",
    "django_otp",
    "django_otp.plugins.otp_static",
    "django_otp.plugins.otp_totp",
    "two_factor",
    "axes",
    # Ours last: their ready() runs after Django's (see SafetynetConfig.ready).
    "safetynet.apps.SafetynetConfig",
    "actors.apps.ActorsConfig",
    "coregroup.apps.CoregroupConfig",
    "plans.apps.PlansConfig",
]

MIDDLEWARE = [
    "safetynet.middleware.HealthCheckMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "safetynet.middleware.UserLanguageMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "safetynet.middleware.SessionPolicyMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, as django-axes asks: it turns a lockout into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "safetynet.urls"
WSGI_APPLICATION = "safetynet.wsgi.application"
ASGI_APPLICATION = "safetynet.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "safetynet.context_processors.navigation",
            ],
        },
    },
]

# Database: DATABASE_URL (postgres://user:password@host:5432/name), or a SQLite file under var/.
CONN_MAX_AGE = env_int("CONN_MAX_AGE", 60)
_database_url = env_str("DATABASE_URL", "")
if _database_url:
    DATABASES = {
        "default": dj_database_url.parse(
            _database_url, conn_max_age=CONN_MAX_AGE, conn_health_checks=True
        )
    }
    if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
        # A database that silently drops connections must not hang requests (or /healthz).
        DATABASES["default"].setdefault("OPTIONS", {}).setdefault(
            "connect_timeout", env_int("DATABASE_CONNECT_TIMEOUT", 5)
        )
else:
    VAR_DIR.mkdir(parents=True, exist_ok=True)  # a fresh clone has no var/ yet
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": VAR_DIR / "safetynet.sqlite3",
            "CONN_MAX_AGE": CONN_MAX_AGE,
            "CONN_HEALTH_CHECKS": True,
            "OPTIONS": {
                # Two people saving at once wait for each other instead of getting
                # "database is locked": writers take the lock when the transaction starts.
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
                "init_command": (
                    "PRAGMA journal_mode=WAL;PRAGMA synchronous=NORMAL;PRAGMA foreign_keys=ON;"
                ),
            },
        }
    }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "safetynet.User"

AUTHENTICATION_BACKENDS = [
    # First: refuses a locked-out username and address before the password is even checked.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
    "guardian.backends.ObjectPermissionBackend",
]
# Nobody is given anonymous object permissions: no anonymous user row is needed.
ANONYMOUS_USER_NAME = None
GUARDIAN_RAISE_403 = False
GUARDIAN_RENDER_403 = False

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "dashboard"
LOGOUT_REDIRECT_URL = "login"

# Sessions: a new key at every login (Django), at most SESSION_COOKIE_AGE long (a working day),
# ended after SAFETYNET_IDLE_MINUTES without a request (safetynet.middleware).
SESSION_ENGINE = "django.contrib.sessions.backends.db"
SESSION_COOKIE_AGE = env_int("SESSION_COOKIE_AGE", 60 * 60 * 8)
SAFETYNET_IDLE_MINUTES = env_int("SAFETYNET_IDLE_MINUTES", 30)

# The client's address: REMOTE_ADDR, or, behind SAFETYNET_PROXY_COUNT reverse proxies that each
# append to X-Forwarded-For, the address the outermost of them saw (safetynet.security). Used for
# lockouts, the security log and the consultation's rate limit.
SAFETYNET_PROXY_COUNT = env_int("SAFETYNET_PROXY_COUNT", 0)

# Login throttling (django-axes): after SAFETYNET_LOGIN_FAILURES failed logins for one username
# from one address, that pair waits SAFETYNET_LOCKOUT_MINUTES. The page says so without telling
# whether the username exists.
AXES_FAILURE_LIMIT = env_int("SAFETYNET_LOGIN_FAILURES", 5)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("SAFETYNET_LOCKOUT_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "safetynet.account_views.lockout_response"
AXES_USERNAME_CALLABLE = "safetynet.security.login_username"
AXES_CLIENT_IP_CALLABLE = "safetynet.security.client_address_of"
AXES_VERBOSE = False
# Successful logins are in the security log (safetynet.security); axes only counts failures.
AXES_DISABLE_ACCESS_LOG = True

# The security log (safetynet.security): lines older than this are removed by
# `manage.py security_events_prune` (daily; SECURITY.md).
SAFETYNET_SECURITY_LOG_DAYS = env_int("SAFETYNET_SECURITY_LOG_DAYS", 365)

# Two factors (django-otp, screens by django-two-factor-auth): TOTP from an authenticator app and
# single-use recovery codes. Who must use them: safetynet.auth.two_factor_required.
OTP_TOTP_ISSUER = env_str("SAFETYNET_OTP_ISSUER", "SafetyNet")
TWO_FACTOR_LOGIN_TIMEOUT = 600
TWO_FACTOR_QR_FACTORY = "qrcode.image.svg.SvgPathImage"

# Content-Security-Policy (django-csp): nothing inline, nothing from elsewhere.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF],
        "font-src": [SELF],
        "connect-src": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        "base-uri": [NONE],
        "object-src": [NONE],
    }
}
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"

# Languages: Dutch first. English source strings in the code.
LANGUAGE_CODE = "nl"
LANGUAGES = [
    ("nl", _("Dutch")),
    ("fr", _("French")),
    ("en", _("English")),
]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
USE_TZ = True
TIME_ZONE = "Europe/Brussels"
FORMAT_MODULE_PATH = ["safetynet.formats"]

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(VAR_DIR / "media")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
DATA_UPLOAD_MAX_MEMORY_SIZE = 5_242_880

EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend")
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "SafetyNet <safetynet@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# The public consultation: remarks accepted per connection per hour, and how long after a plan's
# adoption the senders' personal data are kept (manage.py remarks_purge removes them).
SAFETYNET_REMARKS_PER_HOUR = env_int("SAFETYNET_REMARKS_PER_HOUR", 5)
SAFETYNET_REMARK_RETENTION_DAYS = env_int("SAFETYNET_REMARK_RETENTION_DAYS", 365)
# Phase 4: a progress report is due this many days after its period ends; reminders go out
# this many days before (manage.py report_reminders, daily).
SAFETYNET_REPORT_GRACE_DAYS = env_int("SAFETYNET_REPORT_GRACE_DAYS", 14)
SAFETYNET_REPORT_REMINDER_DAYS = env_int("SAFETYNET_REPORT_REMINDER_DAYS", 7)
# Where people reach the site: links in e-mails (a vote waiting, a decision) start with it.
SAFETYNET_BASE_URL = env_str("SAFETYNET_BASE_URL", "http://127.0.0.1:8000").rstrip("/")

# History: reverting from the admin would bypass the services and the workflow.
SIMPLE_HISTORY_REVERT_DISABLED = True
SIMPLE_HISTORY_HISTORY_CHANGE_REASON_USE_TEXT_FIELD = True

X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "INFO"},
        # weasyprint logs every rendering step and every CSS property it ignores.
        "weasyprint": {"level": "ERROR"},
        "fontTools": {"level": "WARNING"},
        "axes": {"level": "WARNING"},
    },
}

# Only what is keyed by the version of what it shows is cached (plans.versions), so each
# process keeps its own copy: a plan page of 200 action plans is ~2 MB per language and set of
# editing rights. Django's local-memory cache, bounded in entries (docs/deploy.md).
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "OPTIONS": {"MAX_ENTRIES": env_int("CACHE_MAX_ENTRIES", 100)},
    }
}

# Background tasks (django-tasks): documents are rendered off the request. Production runs
# the database backend with a worker beside the web workers (`manage.py documents_worker`, see
# the README); development and the tests run each task at once, in the request.
TASKS = {
    "default": {
        "BACKEND": env_str("TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
        "QUEUES": ["default", "documents"],
    }
}
