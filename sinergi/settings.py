"""Sinergi settings: one module, driven by environment variables.

SQLite in ./var by default; set DATABASE_URL (postgres://...) for PostgreSQL.
"""

from __future__ import annotations

import datetime as dt
import importlib.util
import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent


def envbool(name: str, default: bool) -> bool:
    return os.environ.get(name, str(default)).strip().lower() in {"1", "true", "yes", "on"}


def envint(name: str, default: int) -> int:
    return int(os.environ.get(name, default))


def envstr(name: str, default: str) -> str:
    return os.environ.get(name, default)


DEBUG = envbool("DEBUG", False)
# DEMO unlocks the printed demo logins and lets admins skip two-factor; never on in production.
DEMO = envbool("DEMO", False)
# The key in the source is public: it may sign sessions only on a developer's machine or in the demo.
DEFAULT_SECRET_KEY = "dev-only-insecure-key-change-me"
SECRET_KEY = envstr("SECRET_KEY", DEFAULT_SECRET_KEY)
if SECRET_KEY == DEFAULT_SECRET_KEY and not (DEBUG or DEMO):
    raise ImproperlyConfigured(
        "SECRET_KEY is not set. Outside DEBUG or DEMO mode Sinergi refuses to start with the default key "
        "(anyone could forge sessions): set the SECRET_KEY environment variable to a long random value, e.g. "
        "python3 -c 'import secrets; print(secrets.token_urlsafe(50))'."
    )
ALLOWED_HOSTS = envstr("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver").split(",")
CSRF_TRUSTED_ORIGINS = [o for o in envstr("CSRF_TRUSTED_ORIGINS", "").split(",") if o]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_otp",
    "django_otp.plugins.otp_static",
    "django_otp.plugins.otp_totp",
    "two_factor",
    "axes",
    "csp",
    "django_htmx",
    "django_filters",
    "django_tables2",
    "ninja",
    "core",
    "regions",
    "elections",
    "agencies",
    "logistics",
    "meetings",
    "security",
    "violations",
    "participation",
    "budget",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "core.stampcache.StampedCacheMiddleware",  # cached public figures skip the rest
    "django.contrib.sessions.middleware.SessionMiddleware",
    "core.middleware.IndonesianByDefaultMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "core.middleware.NoStoreForPrivateResponsesMiddleware",
    "core.middleware.SlidingSessionMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "core.middleware.RequireTwoFactorForWritersMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "sinergi.urls"
WSGI_APPLICATION = "sinergi.wsgi.application"

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
                "core.context_processors.sinergi",
                "core.demo_views.clock_context",
            ],
        },
    },
]

DATA_DIR = Path(envstr("SINERGI_DATA_DIR", str(BASE_DIR / "var")))
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{DATA_DIR / 'sinergi.sqlite3'}",
        conn_max_age=envint("DB_CONN_MAX_AGE", 600),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers proceed during an import; IMMEDIATE avoids lock upgrades deadlocking.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_URL = "two_factor:login"
LOGIN_REDIRECT_URL = "core:home"
LOGOUT_REDIRECT_URL = "core:home"

# Lockout after repeated failures: per user name across addresses (password guessing from many
# machines) and, separately, per address across user names (password spraying).
AXES_FAILURE_LIMIT = envint("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = dt.timedelta(minutes=envint("AXES_COOLOFF_MINUTES", 30))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_LOCKOUT_TEMPLATE = "core/locked_out.html"
AXES_ENABLED = envbool("AXES_ENABLED", True)
# How many reverse proxies in front of Sinergi append to X-Forwarded-For. 0: the client is REMOTE_ADDR
# and the header is ignored (anyone can write it); 1 behind one nginx, and so on.
TRUSTED_PROXY_COUNT = envint("TRUSTED_PROXY_COUNT", 0)
AXES_CLIENT_IP_CALLABLE = "core.middleware.client_ip"
# Sessions end after a working day without activity (the expiry slides while the user works).
SESSION_COOKIE_AGE = envint("SESSION_IDLE_HOURS", 9) * 3600
# Two-factor is required of everyone who can change data (operators and admins) unless this is the
# demo. REQUIRE_2FA_FOR_ADMINS is the older name of the variable, still read.
REQUIRE_2FA_FOR_WRITERS = envbool("REQUIRE_2FA_FOR_WRITERS", envbool("REQUIRE_2FA_FOR_ADMINS", not DEMO))

LANGUAGE_CODE = "id"
LANGUAGES = [("id", _("Bahasa Indonesia")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = envstr("TIME_ZONE", "Asia/Makassar")
USE_I18N = True
USE_TZ = True
USE_THOUSAND_SEPARATOR = True
# Dates written out ("18 November 2024 14.30") in both languages; see core/formats.py.
FORMAT_MODULE_PATH = ["sinergi.formats"]

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
# Leaflet's JS/CSS come from the django-leaflet package; the app itself is not installed
# (it would pull in GeoDjango/GDAL, which we do not need: boundaries are plain GeoJSON).
_leaflet_spec = importlib.util.find_spec("leaflet")
STATICFILES_DIRS = [BASE_DIR / "static"]
if _leaflet_spec and _leaflet_spec.origin:
    STATICFILES_DIRS.append(Path(_leaflet_spec.origin).parent / "static")
MEDIA_ROOT = DATA_DIR / "media"
# Change stamps shared by the processes of this host (core.stamps): cached public figures follow them.
SINERGI_STAMP_DIR = DATA_DIR / "stamps"
MEDIA_URL = "/media/"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG

# The demo's "today": the date the countdown, current stage and deadlines are computed from.
# Empty means the real date; the demo replays 18 Nov 2024, the day of the last Kukar rakor.
SINERGI_TODAY = envstr("SINERGI_TODAY", "2024-11-18" if DEMO else "")
# Where anonymous visitors (and users without a membership) start: a region code.
SINERGI_HOME_REGION = envstr("SINERGI_HOME_REGION", "64")
# Optional background tiles for maps, e.g. https://tile.example/{z}/{x}/{y}.png. Empty = none:
# the shipped boundaries alone draw the map, so no internet is needed.
MAP_TILE_URL = envstr("MAP_TILE_URL", "")
TPS_IMPORT_MAX_BYTES = envint("TPS_IMPORT_MAX_BYTES", 50 * 1024 * 1024)
# A meeting's document (invitation, presentation, signed minutes, photo): PDF, pictures, Office files.
MEETING_ATTACHMENT_MAX_BYTES = envint("MEETING_ATTACHMENT_MAX_BYTES", 10 * 1024 * 1024)
INCIDENT_PHOTO_MAX_BYTES = envint("INCIDENT_PHOTO_MAX_BYTES", 5 * 1024 * 1024)
# Evidence of a violation case (a statement, a photo, a letter): PDF, pictures, Office files.
VIOLATION_EVIDENCE_MAX_BYTES = envint("VIOLATION_EVIDENCE_MAX_BYTES", 10 * 1024 * 1024)
# A photo of an outreach (sosialisasi) event.
OUTREACH_PHOTO_MAX_BYTES = envint("OUTREACH_PHOTO_MAX_BYTES", 5 * 1024 * 1024)
DATA_UPLOAD_MAX_MEMORY_SIZE = TPS_IMPORT_MAX_BYTES
# An import that reads more than this (a CSV's bytes, an XLSX's parts unpacked; 2 MB is some
# 25,000 TPS rows of CSV) runs as a background job with a status page; a smaller one at once.
IMPORT_INLINE_MAX_BYTES = envint("IMPORT_INLINE_MAX_BYTES", 2 * 1024 * 1024)
# Uploads waiting for their background import: private (never under MEDIA_ROOT), deleted after.
SINERGI_UPLOAD_DIR = Path(envstr("SINERGI_UPLOAD_DIR", str(DATA_DIR / "uploads")))

# Content Security Policy: nothing inline, nothing from elsewhere.
_img_src = ["'self'", "data:"]
if MAP_TILE_URL:
    from urllib.parse import urlsplit

    _tiles = urlsplit(MAP_TILE_URL)
    _img_src.append(f"{_tiles.scheme}://{_tiles.netloc.replace('{s}', '*')}")
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": _img_src,
        "connect-src": ["'self'"],
        "font-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}

SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
# The demo (make run) is served over plain HTTP on this machine and signs with the public dev key, so
# secure-only cookies and the HTTPS redirect would only lock its users out; INSECURE_HTTP=0 restores them.
if not DEBUG and not envbool("INSECURE_HTTP", DEMO):
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = envint("SECURE_HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_SSL_REDIRECT = envbool("SECURE_SSL_REDIRECT", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

DJANGO_TABLES2_TEMPLATE = "core/table.html"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": envstr("LOG_LEVEL", "WARNING")},
}
