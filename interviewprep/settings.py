"""InterviewPrep settings: one module, configured from the environment (12-factor).

Every variable is listed, with its default, in the README's configuration table.
Debug is off unless DJANGO_DEBUG says otherwise; `make run` turns it on for local development.
"""

import os
from datetime import timedelta
from email.utils import getaddresses
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from dotenv import load_dotenv

BASE_DIR = Path(__file__).resolve().parent.parent

# A local `.env` (written once by `make run`: debug on, a generated secret key) fills in what the environment
# does not set, so every manage.py command works after `make run`. The real environment always wins.
load_dotenv(os.environ.get("DJANGO_ENV_FILE") or BASE_DIR / ".env", override=False)


def envbool(name: str, default: bool) -> bool:
    value = os.environ.get(name, "").strip().lower()
    if not value:
        return default
    if value in ("1", "true", "yes", "on"):
        return True
    if value in ("0", "false", "no", "off"):
        return False
    raise ImproperlyConfigured(f"{name} must be a boolean (1/0, true/false, yes/no, on/off), not {value!r}.")


def envint(name: str, default: int) -> int:
    value = os.environ.get(name, "").strip()
    if not value:
        return default
    try:
        return int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be an integer, not {value!r}.") from None


def envlist(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def redis_caches(url: str) -> dict:
    """The caches on the Redis server at `url`: "default" ignores connection errors, "strict" raises them."""
    strict = {
        "BACKEND": "django_redis.cache.RedisCache",
        "LOCATION": url,
        # Short timeouts: a dead or unreachable server costs a page little time, never a hang.
        "OPTIONS": {"SOCKET_CONNECT_TIMEOUT": 0.25, "SOCKET_TIMEOUT": 0.5},
    }
    return {"default": {**strict, "OPTIONS": {**strict["OPTIONS"], "IGNORE_EXCEPTIONS": True}}, "strict": strict}


DEBUG = envbool("DJANGO_DEBUG", False)

SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "DJANGO_SECRET_KEY is not set. It is required when DJANGO_DEBUG is off: "
            "set it to a long random string (for example the output of "
            "`python -c 'import secrets; print(secrets.token_urlsafe(50))'`)."
        )
    SECRET_KEY = "django-insecure-development-only-key-never-use-in-production"

ALLOWED_HOSTS = envlist("DJANGO_ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]")
CSRF_TRUSTED_ORIGINS = envlist("DJANGO_CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.postgres",
    "axes",
    "csp",
    "crispy_forms",
    "crispy_bootstrap5",
    "accounts",
    "questions",
    "practice",
    "reviews",
]

MIDDLEWARE = [
    "interviewprep.middleware.RequestIdMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "interviewprep.middleware.PermissionsPolicyMiddleware",
    # With debug on, the product's own 404 page for a missing question or attempt (not Django's yellow one).
    "interviewprep.middleware.DebugNotFoundMiddleware",
    "csp.middleware.CSPMiddleware",
    # Answers /healthz with the security headers above but no session, redirect or anything else in the way.
    "interviewprep.middleware.HealthCheckMiddleware",
    # A session cookie that cannot be a session key is no session (it would reach the database otherwise).
    "interviewprep.middleware.SessionCookieCheckMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # After authentication: dates on every page in the candidate's own time zone.
    "accounts.middleware.TimezoneMiddleware",
    # Last, as django-axes requires: turns a locked-out login into the 429 page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "interviewprep.urls"
WSGI_APPLICATION = "interviewprep.wsgi.application"

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
                "interviewprep.context_processors.navigation",
                "reviews.context_processors.due_count",
            ],
        },
    },
]

# Database: a SQLite file by default so a newcomer needs nothing installed;
# postgres://user:pass@host:port/name selects PostgreSQL with persistent, health-checked connections.
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=envint("DJANGO_CONN_MAX_AGE", 600),
        conn_health_checks=True,
    )
}
# No ATOMIC_REQUESTS: every write goes through a service (or Django code) that opens its own transaction, so
# the many read-only requests pay no BEGIN/COMMIT round trips.
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",  # refuses logins of a locked-out username and IP pair
    "accounts.backends.UsernameOrEmailBackend",
]
# Argon2 (Django's recommended hasher) with OWASP's parameters: a log-in costs about 0.03 s of CPU instead of
# PBKDF2's 0.3 s. Older hashes still verify and are re-hashed with Argon2 at the next successful log-in.
PASSWORD_HASHERS = [
    "accounts.hashers.OwaspArgon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
    "django.contrib.auth.hashers.BCryptSHA256PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "home"

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "UTC"
# English only: translation machinery off (it costs about a millisecond per page), with the British formats
# it would have picked set here (where they differ from Django's defaults).
USE_I18N = False
DATE_FORMAT = "j M Y"
TIME_FORMAT = "H:i"
DATETIME_FORMAT = "j M Y, H:i"
SHORT_DATE_FORMAT = "d/m/Y"
SHORT_DATETIME_FORMAT = "d/m/Y H:i"
MONTH_DAY_FORMAT = "j F"
FIRST_DAY_OF_WEEK = 1
NUMBER_GROUPING = 3

FIXTURE_DIRS = [BASE_DIR / "fixtures"]

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
# Hashed file names are immutable: whitenoise serves them with a one-year cache lifetime.
WHITENOISE_MAX_AGE = 3600

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# Email: printed to the console unless an SMTP host is configured.
EMAIL_HOST = os.environ.get("EMAIL_HOST", "")
EMAIL_BACKEND = (
    "django.core.mail.backends.smtp.EmailBackend" if EMAIL_HOST else "django.core.mail.backends.console.EmailBackend"
)
EMAIL_PORT = envint("EMAIL_PORT", 587)
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = envbool("EMAIL_USE_TLS", True)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "InterviewPrep <noreply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# HTTPS and cookies. In production (debug off) everything is secure by default; behind a proxy
# that terminates TLS, set DJANGO_SECURE_SSL_REDIRECT=0 or DJANGO_SECURE_PROXY_SSL_HEADER=1.
SECURE_SSL_REDIRECT = envbool("DJANGO_SECURE_SSL_REDIRECT", not DEBUG)
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]  # load balancers probe over plain HTTP
if envbool("DJANGO_SECURE_PROXY_SSL_HEADER", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = envint("DJANGO_SECURE_HSTS_SECONDS", 0 if DEBUG else 31_536_000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = envbool("DJANGO_SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
SECURE_HSTS_PRELOAD = envbool("DJANGO_SECURE_HSTS_PRELOAD", True)
# Django's defaults do the rest: nosniff, Referrer-Policy and Cross-Origin-Opener-Policy same-origin,
# X-Frame-Options DENY, HttpOnly and SameSite=Lax session cookies that last two weeks.
SESSION_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_SECURE = not DEBUG
if not DEBUG:
    # The __Host- prefix makes browsers refuse the cookie unless it is Secure, host-only and path=/.
    SESSION_COOKIE_NAME = "__Host-sessionid"
    CSRF_COOKIE_NAME = "__Host-csrftoken"

# Cache (rate limits, the question bank, cached sessions): shared by every process. Redis when REDIS_URL is set,
# else a database table (`manage.py createcachetable`). A Redis outage degrades, it never breaks: the default
# cache ignores connection errors (a miss, a write dropped), so sessions and the bank come from the database;
# the "strict" alias raises them, for what must not pass silently (the rate limits refuse, /healthz reports).
REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = redis_caches(REDIS_URL)
    # Sessions read from Redis, written through to the database: no session query on most requests.
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
else:
    _database_cache = {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": "interviewprep_cache"}
    CACHES = {"default": _database_cache, "strict": _database_cache}
# A cache read costs far less than a query only with Redis; with the database cache it is a query itself. So
# only then is the question bank's data cached (invalidated on every edit).
BANK_CACHE = envbool("DJANGO_BANK_CACHE", bool(REDIS_URL))

# Login throttling (django-axes): an account and IP pair is locked for 15 minutes after 5 failures. Every
# spelling of an account (username, email in any case) counts against the same account (accounts.throttle).
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_USERNAME_CALLABLE = "accounts.throttle.lockout_username"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
# Renders that template with the cool-off in words and the time to retry.
AXES_LOCKOUT_CALLABLE = "accounts.lockout.locked_out"
AXES_VERBOSE = False
# The client address, from X-Forwarded-For behind DJANGO_PROXY_COUNT trusted proxies (interviewprep/client_ip.py):
# the same for login throttling, the rate limits and the logs.
PROXY_COUNT = envint("DJANGO_PROXY_COUNT", 0)
if PROXY_COUNT < 0:
    raise ImproperlyConfigured(f"DJANGO_PROXY_COUNT must be 0 or more, not {PROXY_COUNT}.")
AXES_CLIENT_IP_CALLABLE = "interviewprep.client_ip.client_ip"

# Per-IP limits (interviewprep/ratelimit.py), per hour: sign-ups, password-reset requests, and failed password
# checks (log-ins, password change, account deletion) whatever the username, against password spraying.
SIGNUP_RATE_PER_HOUR = envint("DJANGO_SIGNUP_RATE_PER_HOUR", 10)
PASSWORD_RESET_RATE_PER_HOUR = envint("DJANGO_PASSWORD_RESET_RATE_PER_HOUR", 5)
LOGIN_FAILURES_PER_IP_PER_HOUR = envint("DJANGO_LOGIN_FAILURES_PER_IP_PER_HOUR", 30)

# Content Security Policy (django-csp 4): no inline script or style anywhere, no framing.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "frame-ancestors": [NONE],
        "form-action": [SELF],
    }
}
PERMISSIONS_POLICY = (
    "accelerometer=(), camera=(), geolocation=(), gyroscope=(), magnetometer=(), microphone=(), "
    "payment=(), usb=(), interest-cohort=()"
)

# "Ops <ops@example.com>, dev@example.com": names are optional.
ADMINS = [(name, address) for name, address in getaddresses([os.environ.get("DJANGO_ADMINS", "")]) if address]

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "interviewprep.logging.RequestIdFilter"}},
    "formatters": {"json": {"()": "interviewprep.logging.JsonFormatter"}},
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": "json", "filters": ["request_id"]},
        "mail_admins": {
            "class": "django.utils.log.AdminEmailHandler",
            "level": "ERROR",
            "filters": ["request_id"],
        },
    },
    "root": {"handlers": ["console"], "level": os.environ.get("DJANGO_LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        "django.request": {"handlers": ["console", "mail_admins"], "level": "WARNING", "propagate": False},
    },
}
