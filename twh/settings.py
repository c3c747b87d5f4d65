"""Settings for Together We Heal, read from the environment with safe development defaults.

Every variable is documented in README.md and .env.example.
"""

import json
import os
from datetime import date
from pathlib import Path

import dj_database_url
from csp.constants import NONCE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from twh.core.logs import init_sentry, logging_config

BASE_DIR = Path(__file__).resolve().parent.parent


def env(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    if value.lower() in {"1", "true", "yes", "on"}:
        return True
    if value.lower() in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {value!r}.")


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name, "")
    if value == "":
        return default
    try:
        return int(value)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {value!r}.") from exc


def env_date(name: str, default: date | None) -> date | None:
    value = os.environ.get(name)
    if value is None:
        return default
    if value == "":
        return None  # an empty value means "open-ended"
    try:
        return date.fromisoformat(value)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name} must be a date like 2026-12-01, not {value!r}.") from exc


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in env(name, default).split(",") if item.strip()]


def env_floats(name: str, default: str, *, count: int) -> tuple[float, ...] | None:
    """`count` comma-separated numbers, or None when empty."""
    value = env(name, default).strip()
    if not value:
        return None
    try:
        numbers = tuple(float(part) for part in value.split(","))
    except ValueError:
        numbers = ()
    if len(numbers) != count:
        raise ImproperlyConfigured(f"{name} must be {count} comma-separated numbers, not {value!r}.")
    return numbers


DEBUG = env_bool("DJANGO_DEBUG", True)
SECRET_KEY = env("DJANGO_SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("Set DJANGO_SECRET_KEY to a long random string when DEBUG is off.")
    # `make run` keeps a random development key in .dev-secret-key (gitignored), so staff stay
    # signed in across restarts without every checkout sharing one well-known key.
    _dev_key_file = BASE_DIR / ".dev-secret-key"
    SECRET_KEY = (_dev_key_file.read_text().strip() if _dev_key_file.is_file() else "") or (
        "django-insecure-development-only-key-never-use-in-production-0123456789"
    )
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost,[::1],testserver")
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")
# The public address of the site, used to build links in emails.
SITE_URL = env("SITE_URL", "http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    "modeltranslation",  # before the admin, so translated fields appear in its forms
    "twh.apps.TWHAdminConfig",  # registers named admin modules: leaflet.admin needs GDAL
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.sitemaps",
    "django.forms",
    "crispy_forms",
    "crispy_bootstrap5",
    "leaflet",
    "simple_history",
    "django_otp",
    "twh.apps.TwoFactorDevicesConfig",  # django_otp.plugins.otp_totp, named for staff
    "django_tasks",
    "django_tasks_db",
    "twh.apps.TWHConfig",
    "events",
    "healingmap",
    "summit",
]

MIDDLEWARE = [
    "twh.core.logs.RequestIdMiddleware",  # first, so every later log line carries the request id
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # After WhiteNoise (it serves its own pre-compressed files); pads against BREACH, leaves
    # already-encoded answers (the map's gzipped documents) alone, compresses streams too.
    "django.middleware.gzip.GZipMiddleware",
    "twh.core.middleware.UnreadableBodyMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "twh.core.security.IdleSessionMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "twh.core.middleware.DatabaseUnavailableMiddleware",
]

ROOT_URLCONF = "twh.urls"
WSGI_APPLICATION = "twh.wsgi.application"

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
                "csp.context_processors.nonce",
                "twh.context_processors.site",
            ],
        },
    },
]

# --- Databases: SQLite by default, PostgreSQL (psycopg 3) through DATABASE_URL.
DATABASE_URL = env("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}")
DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=env_int("DB_CONN_MAX_AGE", 60), conn_health_checks=True)}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Waiting on a lock beats failing with "database is locked" under concurrent requests.
    DATABASES["default"].setdefault("OPTIONS", {}).update({"timeout": 20, "transaction_mode": "IMMEDIATE"})
    DATABASES["default"]["CONN_MAX_AGE"] = 0
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache: local memory by default; Redis (shared by every app server) with REDIS_URL.
# The rate limits (public forms, admin sign-in) count in it, so with more than one worker it
# must be Redis: `manage.py check --deploy` fails otherwise (twh/checks.py), and `make serve`
# starts a Redis of its own when REDIS_URL is empty. Caches of public data need no Redis to be
# right: they are keyed on the public-data version in the database (twh/core/publication.py).
REDIS_URL = env("REDIS_URL")
if REDIS_URL:
    CACHES = {"default": {"BACKEND": "twh.core.redis_cache.RedisCache", "LOCATION": REDIS_URL}}
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "twh"}}
RATELIMIT_USE_CACHE = "default"
# Rate limits count per client address (twh/core/client_ip.py): the peer's, or behind
# TRUSTED_PROXY_COUNT proxies of our own the right-most address they did not add to
# X-Forwarded-For.
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0)
if env("RATELIMIT_IP_META_KEY"):
    raise ImproperlyConfigured(
        "RATELIMIT_IP_META_KEY is no longer read: a raw X-Forwarded-For can hold a list or "
        "anything a client sends. Unset it and set TRUSTED_PROXY_COUNT to the number of proxies "
        "in front of the app servers (1 behind one load balancer)."
    )
RATELIMIT_IP_META_KEY = "twh.core.client_ip.client_ip"

# Anonymous visitors' copies of public pages, kept until public data changes (0 = off).
PAGE_CACHE_SECONDS = env_int("PAGE_CACHE_SECONDS", 300)

# --- Sessions and auth
SESSION_COOKIE_AGE = 12 * 60 * 60  # staff sessions end after 12 hours at the most
SESSION_IDLE_SECONDS = env_int("SESSION_IDLE_SECONDS", 30 * 60)
SESSION_SAVE_EVERY_REQUEST = False
LOGIN_URL = "admin:login"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# --- Internationalization
LANGUAGE_CODE = "en"
# The six languages the catalogs in locale/ ship (Chicago's Language Access Ordinance
# languages); SITE_LANGUAGES chooses which of them the site offers, English always first.
SHIPPED_LANGUAGES = [
    ("en", _("English")),
    ("es", _("Spanish")),
    ("pl", _("Polish")),
    ("zh-hans", _("Simplified Chinese")),
    ("ar", _("Arabic")),
    ("hi", _("Hindi")),
]
_site_languages = env_list("SITE_LANGUAGES", ",".join(code for code, _name in SHIPPED_LANGUAGES))
_unknown_languages = sorted(set(_site_languages) - {code for code, _name in SHIPPED_LANGUAGES})
if _unknown_languages or "en" not in _site_languages:
    raise ImproperlyConfigured(
        f"SITE_LANGUAGES must be a comma-separated list of en, es, pl, zh-hans, ar, hi including "
        f"en, not {env('SITE_LANGUAGES')!r}."
    )
LANGUAGES = [(code, name) for code, name in SHIPPED_LANGUAGES if code in _site_languages]
LOCALE_PATHS = [BASE_DIR / "locale"]
# Arabic and Hindi have no date-and-time format in Django: ours, day first (twh/formats/).
FORMAT_MODULE_PATH = ["twh.formats"]
# Content staff enter (the summit's title, description, agenda and prompts) has a column per
# language (django-modeltranslation); an empty translation falls back to the English.
MODELTRANSLATION_DEFAULT_LANGUAGE = "en"
MODELTRANSLATION_FALLBACK_LANGUAGES = ("en",)
# Staff content keeps a column for every shipped language, whichever the site offers, so the
# database schema does not depend on SITE_LANGUAGES.
MODELTRANSLATION_LANGUAGES = tuple(code for code, _name in SHIPPED_LANGUAGES)
# The city's time zone: every date and time on the site and in emails is in it.
TIME_ZONE = env("TIME_ZONE", "America/Chicago")
USE_I18N = True
USE_TZ = True

# --- Static files: our own, the npm-installed libraries copied to static_vendor/, and Leaflet.
STATIC_URL = "/static/"
# Where collectstatic puts the files that nginx (deploy/nginx/twh.conf) and WhiteNoise serve.
STATIC_ROOT = Path(env("STATIC_ROOT") or BASE_DIR / "staticfiles")
STATICFILES_DIRS = [BASE_DIR / "static", BASE_DIR / "static_vendor"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "twh.core.storage.StaticFilesStorage"  # WhiteNoise, compressed and hashed
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
# Uploads (report photos) go through STORAGES["default"]; approved ones are served by
# twh.media (under make run, make serve and behind nginx alike).
MEDIA_ROOT = Path(env("MEDIA_ROOT") or BASE_DIR / "media")
MEDIA_URL = "/media/"

# --- Email: printed to the console unless an SMTP server is configured.
EMAIL_BACKEND = env("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = env("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 10)
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", "Together We Heal <healing@example.org>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
STAFF_NOTIFICATION_EMAILS = env_list("STAFF_NOTIFICATION_EMAILS", "oerj-staff@example.org")
# A failed send is tried again after EMAIL_RETRY_SECONDS, then twice as long each time (at most
# six hours apart), EMAIL_MAX_ATTEMPTS times in all; staff see every email in the admin.
EMAIL_RETRY_SECONDS = env_int("EMAIL_RETRY_SECONDS", 60)
EMAIL_MAX_ATTEMPTS = env_int("EMAIL_MAX_ATTEMPTS", 12)

# --- Tasks: Django's tasks API (the django-tasks backport) on the database backend, so a task
# is a row written in the caller's transaction and any number of `manage.py db_worker`
# processes, on any number of machines, run them. Emails are sent there, never in a request.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

# --- The campaign. Dates are settings: the healing journey never ends.
CAMPAIGN_NAME = env("CAMPAIGN_NAME", "Together We Heal")
CAMPAIGN_CITY = env("CAMPAIGN_CITY", "Chicago")
# Chicago's own defaults (its map view, geocoder box, areas) apply only while the city is Chicago:
# another city gets them derived from the areas it loads.
_CHICAGO = CAMPAIGN_CITY == "Chicago"
CAMPAIGN_START = env_date("CAMPAIGN_START", date(2026, 12, 1))
CAMPAIGN_END = env_date("CAMPAIGN_END", date(2027, 1, 31))
# Submissions are accepted from SUBMISSIONS_OPEN to SUBMISSIONS_CLOSE (inclusive); empty = no limit.
SUBMISSIONS_OPEN = env_date("SUBMISSIONS_OPEN", None)
SUBMISSIONS_CLOSE = env_date("SUBMISSIONS_CLOSE", None)
# These four dates are only the defaults of the first campaign edition (twh/core/editions.py):
# later editions, and the first one once created, are edited in the admin.

# The licence stated in each edition's open-data archive (manage.py export_open_data); empty: the default.
OPEN_DATA_LICENCE = env("OPEN_DATA_LICENCE") or (
    f"Published under the open-data terms of use of the City of {CAMPAIGN_CITY}, as listed on its data portal.")

# --- Input: every date on the site (forms, admin, query strings) falls within these years.
DATE_YEAR_MIN = env_int("DATE_YEAR_MIN", 2000)
DATE_YEAR_MAX = env_int("DATE_YEAR_MAX", 2100)

# --- Anti-spam on public forms.
FORM_MIN_FILL_SECONDS = env_int("FORM_MIN_FILL_SECONDS", 3)
FORM_MAX_AGE_SECONDS = env_int("FORM_MAX_AGE_SECONDS", 24 * 60 * 60)
SUBMIT_RATE_LIMIT = env("SUBMIT_RATE_LIMIT", "10/h")
# The same content from the same person within this many minutes is one submission, even from
# a fresh form (a retry after an error page).
DUPLICATE_WINDOW_MINUTES = env_int("DUPLICATE_WINDOW_MINUTES", 10)

# --- Private links sent to submitters (view, edit while pending, withdraw).
MANAGE_LINK_MAX_AGE_DAYS = env_int("MANAGE_LINK_MAX_AGE_DAYS", 90)
# After the event: `manage.py request_event_reports` asks hosts of events that ended less than
# REPORT_REQUEST_MAX_AGE_DAYS ago; their private report link works for REPORT_LINK_MAX_AGE_DAYS.
REPORT_REQUEST_MAX_AGE_DAYS = env_int("REPORT_REQUEST_MAX_AGE_DAYS", 30)
REPORT_LINK_MAX_AGE_DAYS = env_int("REPORT_LINK_MAX_AGE_DAYS", 60)
REPORT_PHOTO_MAX_BYTES = env_int("REPORT_PHOTO_MAX_BYTES", 8 * 1024 * 1024)
REPORT_PHOTO_MAX_SIDE = env_int("REPORT_PHOTO_MAX_SIDE", 1600)

# --- Geocoding (events/geocoding.py): "nominatim" (default), "fake" (tests and offline demos),
# "none", or any geopy geocoder by service or class name, with GEOCODER_OPTIONS (JSON) for it.
GEOCODER = env("GEOCODER", "nominatim")
try:
    GEOCODER_OPTIONS = json.loads(env("GEOCODER_OPTIONS") or "{}")
except ValueError as exc:
    raise ImproperlyConfigured('GEOCODER_OPTIONS must be a JSON object, like {"api_key": "..."}.') from exc
if not isinstance(GEOCODER_OPTIONS, dict):
    raise ImproperlyConfigured('GEOCODER_OPTIONS must be a JSON object, like {"api_key": "..."}.')
GEOCODER_TIMEOUT = float(env("GEOCODER_TIMEOUT", "3"))
GEOCODER_USER_AGENT = env("GEOCODER_USER_AGENT", "together-we-heal/0.1 (oerj-staff@example.org)")
# Seconds between two calls from one process (geopy's RateLimiter): Nominatim allows one a second.
GEOCODER_MIN_DELAY_SECONDS = float(env("GEOCODER_MIN_DELAY_SECONDS", "1"))
GEOCODER_CACHE_SECONDS = env_int("GEOCODER_CACHE_SECONDS", 30 * 24 * 60 * 60)
# The city's extent (min lon, min lat, max lon, max lat): geocoding is bounded to it, and a pin
# or a geocoded address outside it is refused. None = the extent of the loaded areas.
CITY_BBOX = env_floats("CITY_BBOX", "-87.9402,41.6445,-87.5240,42.0231" if _CHICAGO else "", count=4)
# ISO 3166-1 alpha-2 code(s), comma-separated, the geocoder searches in (Nominatim's
# country_codes); empty = no restriction beyond CITY_BBOX.
GEOCODER_COUNTRY = env("GEOCODER_COUNTRY", "us" if _CHICAGO else "").lower()

# --- The map.
MAP_TILES_URL = env("MAP_TILES_URL", "https://tile.openstreetmap.org/{z}/{x}/{y}.png")
MAP_TILES_ATTRIBUTION = env(
    "MAP_TILES_ATTRIBUTION",
    '&copy; <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a> contributors',
)
MAP_SMALL_COUNT_K = env_int("MAP_SMALL_COUNT_K", 3)
# After an approval, keep serving the previous map documents while one background rebuild runs
# (never after a rejection, withdrawal, edit or deletion: see healingmap/documents.py).
MAP_SERVE_STALE = env_bool("MAP_SERVE_STALE", True)
# How long each process remembers which edition is current (twh/core/editions.py; 0 = ask each time).
EDITION_MEMO_SECONDS = env_int("EDITION_MEMO_SECONDS", 5)
# The task worker's CPU priority offset (manage.py task_worker): background work yields to visitors.
TASK_WORKER_NICE = env_int("TASK_WORKER_NICE", 10)
# The maps' first view: a centre (latitude, longitude) and a zoom level; an empty MAP_CENTER
# fits the maps to the loaded areas instead (events/city.py).
MAP_CENTER = env_floats("MAP_CENTER", "41.8362,-87.6847" if _CHICAGO else "", count=2)
MAP_ZOOM = env_int("MAP_ZOOM", 11)
LEAFLET_CONFIG = {
    "DEFAULT_CENTER": MAP_CENTER,
    "DEFAULT_ZOOM": MAP_ZOOM,
    "MIN_ZOOM": 9,
    "MAX_ZOOM": 18,
    "TILES": [(_("Streets"), MAP_TILES_URL, {"attribution": MAP_TILES_ATTRIBUTION, "maxZoom": 18})],
    "ATTRIBUTION_PREFIX": "Leaflet",
    "RESET_VIEW": False,
}

# Form widgets render through TEMPLATES, so templates/admin/widgets/ can label the admin's
# split date/time inputs (WCAG 1.3.1); "django.forms" supplies the default widget templates.
FORM_RENDERER = "django.forms.renderers.TemplatesSetting"

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# --- Security: a nonce-based Content-Security-Policy, and HTTPS everywhere when DEBUG is off.
_tile_origin = "/".join(MAP_TILES_URL.split("/")[:3]).replace("{s}.", "")
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF, NONCE],
        "img-src": [SELF, "data:", _tile_origin],
        "connect-src": [SELF],
        "font-src": [SELF],
        "object-src": ["'none'"],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": ["'none'"],
    }
}
X_FRAME_OPTIONS = "DENY"  # only /map/embed/ may be framed; it says so itself
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
SESSION_COOKIE_HTTPONLY = True
if not DEBUG:
    SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = env_int("DJANGO_HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]

# --- Logging: to the console, each line with its request id; contact details are never logged.
LOG_FORMAT = env("LOG_FORMAT", "plain")
if LOG_FORMAT not in {"plain", "json"}:
    raise ImproperlyConfigured(f"LOG_FORMAT must be plain or json, not {LOG_FORMAT!r}.")
LOGGING = logging_config(log_format=LOG_FORMAT, level=env("LOG_LEVEL", "INFO"))

# --- Error tracking: events go to Sentry (or a compatible service) only when SENTRY_DSN is set,
# with contact details removed before they leave (twh.core.logs.scrub_sentry_event).
SENTRY_DSN = env("SENTRY_DSN")
if SENTRY_DSN:
    try:
        _traces = float(env("SENTRY_TRACES_SAMPLE_RATE", "0"))
    except ValueError as exc:
        raise ImproperlyConfigured("SENTRY_TRACES_SAMPLE_RATE must be a number from 0 to 1.") from exc
    init_sentry(dsn=SENTRY_DSN, environment=env("SENTRY_ENVIRONMENT"), traces_sample_rate=_traces)

# --- Staff accounts: two-factor admin login (TOTP), login throttling, idle sessions.
# Staff enrol with `manage.py enrol_totp USERNAME`; on by default whenever DEBUG is off.
ADMIN_REQUIRE_2FA = env_bool("ADMIN_REQUIRE_2FA", not DEBUG)
# Admin sign-in attempts per client address and per username (counted in the shared cache).
ADMIN_LOGIN_RATE = env("ADMIN_LOGIN_RATE", "10/15m")
OTP_TOTP_ISSUER = CAMPAIGN_NAME
# Error reports (admin email, logs) hide contact details in local variables too.
DEFAULT_EXCEPTION_REPORTER_FILTER = "twh.core.security.PrivateExceptionReporterFilter"

# --- Summit
# How long before the start the meeting link appears on a registrant's private page.
SUMMIT_LINK_VISIBLE_MINUTES_BEFORE = env_int("SUMMIT_LINK_VISIBLE_MINUTES_BEFORE", 60)
# send_summit_reminders reminds registrants of a summit that starts within this many hours.
SUMMIT_REMINDER_HOURS_BEFORE = env_int("SUMMIT_REMINDER_HOURS_BEFORE", 48)
# How long the private view/cancel link in registration emails works.
SUMMIT_LINK_MAX_AGE_DAYS = env_int("SUMMIT_LINK_MAX_AGE_DAYS", 180)
# Signing up again with a registered email re-sends its confirmation at most once this often.
SUMMIT_RESEND_MINUTES = env_int("SUMMIT_RESEND_MINUTES", 15)

# --- The city's areas: what they are called on every page and in every message
# (twh/core/area_words.py: community_area, ward, neighbourhood or district), and which areas a
# fresh database starts with ("chicago": the 77 community areas; empty: none, load your own
# with `manage.py load_areas PATH --replace`).
AREA_WORD = env("AREA_WORD", "community_area")
if AREA_WORD not in {"community_area", "ward", "neighbourhood", "district"}:
    raise ImproperlyConfigured(
        f"AREA_WORD must be community_area, ward, neighbourhood or district, not {AREA_WORD!r}."
    )
DEFAULT_AREAS = env("DEFAULT_AREAS", "chicago" if _CHICAGO else "")
if DEFAULT_AREAS not in {"chicago", ""}:
    raise ImproperlyConfigured(f"DEFAULT_AREAS must be chicago or empty, not {DEFAULT_AREAS!r}.")

# --- Neighbourhood boundaries (issue 5)
# A GeoJSON file or URL that `manage.py load_areas` (and `make run`) reads by default;
# empty = the City of Chicago Data Portal's export of the community areas.
BOUNDARIES_PATH = env("BOUNDARIES_PATH", "")

# --- Healing Map
# Sites allowed to frame /map/embed/ (every other page sends frame-ancestors 'none' and DENY).
# A comma-separated list of origins such as https://partner.example.org; "*" allows any site.
MAP_EMBED_FRAME_ANCESTORS = env_list("MAP_EMBED_FRAME_ANCESTORS", "*")

# --- The Office: how residents and hosts reach the campaign (issue 17)
# Shown on the about, FAQ, accessibility, privacy and contact pages and in every email's footer.
# The Office that runs the campaign, as written on every page and email; empty = the translated
# "Office of Equity and Racial Justice".
OFFICE_NAME = env("OFFICE_NAME") or _("Office of Equity and Racial Justice")
OFFICE_EMAIL = env("OFFICE_EMAIL", "healing@example.org")
OFFICE_PHONE = env("OFFICE_PHONE", "311")
OFFICE_ADDRESS = env("OFFICE_ADDRESS", "City Hall, 121 N LaSalle St, Chicago, IL 60602")
# The public health department whose guidance for gatherings the host toolkit points to; empty =
# "your public health department".
HEALTH_DEPARTMENT = env("HEALTH_DEPARTMENT", "Chicago Department of Public Health" if _CHICAGO else "")
# Where to find support after a hard conversation: a JSON list of {"name", "phone", "url",
# "description"} objects (phone, url and description optional); empty = the defaults: 988, and
# while the city is Chicago its own mental health centers and NAMI Chicago.
DEFAULT_SUPPORT_RESOURCES = [
    {"name": _("988 Suicide & Crisis Lifeline"), "phone": "988", "url": "https://988lifeline.org/",
     "description": _("Call or text 988, any time of day or night, free and confidential.")},
] + ([
    {"name": _("Chicago Department of Public Health mental health centers"), "phone": "312-747-1020",
     "url": "https://www.chicago.gov/city/en/depts/cdph/provdrs/behavioral_health.html",
     "description": _("Free counselling at the City's mental health centers, whatever your insurance or immigration status.")},
    {"name": _("NAMI Chicago helpline"), "phone": "833-626-4244", "url": "https://www.namichicago.org/",
     "description": _("Someone to talk to, and help finding mental health care.")},
] if _CHICAGO else [])


def env_support_resources(name: str) -> list[dict]:
    import json

    value = env(name)
    if not value:
        return DEFAULT_SUPPORT_RESOURCES
    try:
        resources = json.loads(value)
        if not isinstance(resources, list) or not all(isinstance(r, dict) and r.get("name") for r in resources):
            raise ValueError
    except ValueError as exc:
        raise ImproperlyConfigured(
            f'{name} must be a JSON list like [{{"name": "988 Suicide & Crisis Lifeline", "phone": "988", '
            f'"url": "https://988lifeline.org/"}}], or empty for the defaults.'
        ) from exc
    return resources


SUPPORT_RESOURCES = env_support_resources("SUPPORT_RESOURCES")
