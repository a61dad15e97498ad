"""Settings for Portal Kinerja ASN Kota Bandung.

One module, driven by environment variables (see `.env.example`). The defaults are the
embedded ones: SQLite, an in-memory channel layer, a local-memory cache and console e-mail,
so that `make run` works on a bare machine. Production switches integrations on through
`DATABASE_URL`, `REDIS_URL`, `DJANGO_EMAIL_URL`-style variables and turns debugging off.
"""

import os
import sys
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


# pytest imports this module too; it needs no secret key of its own.
TESTING = "pytest" in sys.modules

DEBUG = env_bool("DJANGO_DEBUG", default=False)
SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
if not SECRET_KEY:
    if not (DEBUG or TESTING):
        raise ImproperlyConfigured(
            "DJANGO_SECRET_KEY must be set when DJANGO_DEBUG is off (see .env.example)."
        )
    SECRET_KEY = "dev-insecure-only-for-debug-and-tests"

ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "localhost,127.0.0.1")
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")
# The public address of the portal, used in e-mails, certificates and QR codes.
PORTAL_BASE_URL = os.environ.get("PORTAL_BASE_URL", "http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    # daphne first: it replaces runserver with an ASGI server (HTTP + websockets).
    "daphne",
    "portal",
    "cms",
    "leaderboard",
    "training",
    "performance",
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    "wagtail.embeds",
    "wagtail.sites",
    "portal.apps.PortalUsersAppConfig",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "channels",
    "django_htmx",
    "template_partials",
    "import_export",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "csp",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "portal.middleware.StripNulFromQueryMiddleware",
    "portal.middleware.PortalCSPMiddleware",
    "django_permissions_policy.PermissionsPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "portal.middleware.ChosenLanguageMiddleware",  # Indonesian unless the switcher says otherwise
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "portal.middleware.RequireMfaMiddleware",
    "cms.middleware.ConsentMissingMiddleware",
    "portal.middleware.PageCacheMiddleware",  # last: serves cached public pages before routing
]

ROOT_URLCONF = "portal.urls"
WSGI_APPLICATION = "portal.wsgi.application"
ASGI_APPLICATION = "portal.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wagtail.contrib.settings.context_processors.settings",
                "portal.context_processors.portal",
            ],
        },
    },
]

# --- Data ---------------------------------------------------------------------------

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        # 0 under ASGI (daphne runs each sync request in a new thread, so a kept connection
        # would be opened per request and left open); the WSGI workers set 60.
        conn_max_age=int(os.environ.get("DJANGO_CONN_MAX_AGE", "0")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    # Daphne serves each request in its own thread (and the browser tests fork a server
    # next to the test process): writers queue for the lock (up to 30 s) instead of failing
    # at once with "database is locked". IMMEDIATE takes the write lock when a transaction
    # starts, so two transactions that read and then write cannot deadlock on the upgrade
    # (SQLite gives up on that without waiting). Not WAL: a reader's snapshot would hide the
    # test process's new rows from the browser tests' server.
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 30,
        "transaction_mode": "IMMEDIATE",
        **DATABASES["default"].get("OPTIONS", {}),
    }
DATABASES["default"]["TEST"] = {
    # An explicit name: the Channels live server (a forked Daphne) needs a file on
    # SQLite, and on PostgreSQL it otherwise connects to "test_test_..." (channels#2176).
    "NAME": os.environ.get("DJANGO_TEST_DB_NAME")
    or (
        str(BASE_DIR / ".pytest-db.sqlite3")
        if DATABASES["default"]["ENGINE"].endswith("sqlite3")
        else "test_portal"
    )
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "portal.User"

REDIS_URL = os.environ.get("REDIS_URL", "")
# Each pytest-xdist worker (gw0, gw1...) gets its own keys and groups in a shared Redis, as it
# gets its own test database (pytest-django adds the worker to the TEST NAME).
_XDIST_WORKER = os.environ.get("PYTEST_XDIST_WORKER", "") if TESTING else ""
_KEY_SUFFIX = f"-{_XDIST_WORKER}" if _XDIST_WORKER else ""

if REDIS_URL:
    CACHES = {
        "default": {
            # Django's RedisCache, sharing its Redis client objects (portal/cache.py).
            "BACKEND": "portal.cache.PortalRedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": os.environ.get("DJANGO_CACHE_PREFIX", "portal") + _KEY_SUFFIX,
        }
    }
    CHANNEL_LAYERS = {
        "default": {
            # The pub/sub layer: board events are fire-and-forget broadcasts (a client
            # that misses one resyncs from the snapshot), which is what it is built for.
            "BACKEND": "channels_redis.pubsub.RedisPubSubChannelLayer",
            "CONFIG": {
                "hosts": [REDIS_URL],
                "prefix": os.environ.get("CHANNELS_PREFIX", "portal") + _KEY_SUFFIX,
            },
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    CHANNEL_LAYERS = {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}}

# Sessions are read on every logged-in request. With Redis they are read from the cache and
# written through to the database (a flushed cache logs nobody out; logging out deletes both).
# A process-local cache could keep a session that another process ended, so without Redis
# they stay in the database only.
SESSION_ENGINE = (
    "django.contrib.sessions.backends.cached_db"
    if REDIS_URL
    else "django.contrib.sessions.backends.db"
)

# --- People and accounts --------------------------------------------------------------

# Django's and allauth's, each loading the user with their groups in one query. A session
# keeps the path of the backend that logged it in: renaming one logs everybody out once.
AUTHENTICATION_BACKENDS = [
    "portal.backends.ModelBackend",
    "portal.backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "portal:beranda"
LOGOUT_REDIRECT_URL = "/"

# allauth: accounts come from the staff register; nobody signs up.
ACCOUNT_ADAPTER = "portal.adapters.AccountAdapter"
ACCOUNT_USER_MODEL_USERNAME_FIELD = "nip"
ACCOUNT_USER_DISPLAY = "portal.adapters.user_display"
ACCOUNT_LOGIN_METHODS = {"username", "email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "username*", "password1*", "password2*"]
ACCOUNT_EMAIL_VERIFICATION = "none"
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_PRESERVE_USERNAME_CASING = False
ACCOUNT_LOGOUT_ON_GET = False
ACCOUNT_LOGIN_ON_PASSWORD_RESET = False
ACCOUNT_PASSWORD_RESET_BY_CODE_ENABLED = False
ACCOUNT_SESSION_REMEMBER = None
ACCOUNT_RATE_LIMITS_ENABLED = True
# Failed logins (issue 14): per real client address (offices share one NAT address, hence 20
# a minute, not allauth's 10) and 5 per 5 minutes per account; a NIP and the e-mail of one
# person are one account (portal.adapters). The other limits are allauth's defaults.
ACCOUNT_RATE_LIMITS = {"login_failed": "20/m/ip,5/300s/key"}
# The client address behind the proxy (allauth's rate limits are keyed on it). nginx appends
# the address it sees to X-Forwarded-For (deploy/nginx.conf): with one proxy in front, 1 —
# then only the last entry, the one nginx wrote, is trusted. 0 (default): nothing in front,
# REMOTE_ADDR is the client. Or name a header that the proxy overwrites on every request.
ALLAUTH_TRUSTED_PROXY_COUNT = int(os.environ.get("DJANGO_TRUSTED_PROXY_COUNT", "0"))
ALLAUTH_TRUSTED_CLIENT_IP_HEADER = os.environ.get("DJANGO_TRUSTED_CLIENT_IP_HEADER") or None
ACCOUNT_FORMS = {"login": "portal.forms.LoginForm", "add_email": "portal.forms.AddEmailForm"}
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[Portal Kinerja ASN] "
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "Portal Kinerja ASN Kota Bandung"
# Roles that must have TOTP before they may use the portal (portal.middleware).
PORTAL_MFA_REQUIRED_GROUPS = ["Admin BKPSDM"]

# --- Wagtail ----------------------------------------------------------------------------

WAGTAIL_SITE_NAME = "Portal Kinerja ASN Kota Bandung"
WAGTAILADMIN_BASE_URL = PORTAL_BASE_URL
WAGTAIL_ENABLE_UPDATE_CHECK = False  # the city's network may be closed
WAGTAIL_GRAVATAR_PROVIDER_URL = None
WAGTAILADMIN_LOGIN_URL = "account_login"
WAGTAIL_FRONTEND_LOGIN_URL = "/accounts/login/"
WAGTAIL_I18N_ENABLED = False
WAGTAIL_CONTENT_LANGUAGES = [("id", "Bahasa Indonesia")]
# Nobody sets another person's password (issue 14): the user forms have no password fields; a
# new account gets the "Lupa kata sandi" e-mail and chooses its own (portal.people).
WAGTAILUSERS_PASSWORD_ENABLED = False
WAGTAILUSERS_PASSWORD_REQUIRED = False
WAGTAILADMIN_PERMITTED_LANGUAGES = [("id", "Bahasa Indonesia"), ("en", "English")]
# The database backend picks PostgreSQL full-text search on PostgreSQL (with the Indonesian
# stemmer: "layanan" finds "pelayanan") and SQLite FTS otherwise.
WAGTAILSEARCH_BACKENDS = {
    "default": {"BACKEND": "wagtail.search.backends.database", "SEARCH_CONFIG": "indonesian"}
}
WAGTAILDOCS_EXTENSIONS = ["pdf", "docx", "xlsx", "pptx", "odt", "ods", "odp", "txt", "csv"]
WAGTAILEMBEDS_RESPONSIVE_HTML = True
# Public pages for anonymous visitors are served from the cache (portal/page_cache.py), refreshed
# on every content change; this bounds what changes with time alone. 0 switches it off.
CMS_PAGE_CACHE_SECONDS = int(os.environ.get("CMS_PAGE_CACHE_SECONDS", "300"))

# --- Training ------------------------------------------------------------------------------

# Yearly target of training hours (JP) shown on the beranda: "JP tahun ini: 12 dari 20".
TRAINING_JP_TARGET_PER_YEAR = int(os.environ.get("TRAINING_JP_TARGET_PER_YEAR", "20"))
# Points awarded once per completed module whose JP Admin BKPSDM confirmed (leaderboard ledger).
TRAINING_POINTS_PER_MODULE = int(os.environ.get("TRAINING_POINTS_PER_MODULE", "50"))
# Training points per person per calendar year, however many modules exist (local choice:
# two modules' worth), so points cannot be farmed by publishing many small modules.
TRAINING_POINTS_MAX_PER_YEAR = int(os.environ.get("TRAINING_POINTS_MAX_PER_YEAR", "100"))
# Upper bound of JP for one self-paced online module (local choice: /work/shared/domain has no
# rule on JP per module; a day of classroom training is well above what a web module is worth).
TRAINING_JP_MAX_PER_MODULE = int(os.environ.get("TRAINING_JP_MAX_PER_MODULE", "8"))
# Quiz retake policy: after the attempts of a round are used up, a new round of
# `attempt_limit` attempts opens this many hours later, once the lessons are re-read.
TRAINING_QUIZ_RETRY_WAIT_HOURS = int(os.environ.get("TRAINING_QUIZ_RETRY_WAIT_HOURS", "24"))
# Who an employee contacts about training (quiz and module pages). Without an e-mail here the
# pages show the e-mail of the first active Admin BKPSDM account.
TRAINING_CONTACT_NAME = os.environ.get("TRAINING_CONTACT_NAME", "Admin BKPSDM")
TRAINING_CONTACT_EMAIL = os.environ.get("TRAINING_CONTACT_EMAIL", "")
TRAINING_CONTACT_PHONE = os.environ.get("TRAINING_CONTACT_PHONE", "")

# --- Language and time -------------------------------------------------------------------

LANGUAGE_CODE = "id"
LANGUAGES = [("id", _("Bahasa Indonesia")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale", BASE_DIR / "locale" / "wagtail-admin"]
TIME_ZONE = "Asia/Jakarta"
USE_I18N = True
USE_TZ = True

# --- Static and media ----------------------------------------------------------------------

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [
    BASE_DIR / "static",
    # Front-end packages come from npm (package.json + package-lock.json).
    ("vendor/bootstrap", BASE_DIR / "node_modules" / "bootstrap" / "dist"),
    ("vendor/bootstrap-icons", BASE_DIR / "node_modules" / "bootstrap-icons" / "font"),
    ("vendor/htmx", BASE_DIR / "node_modules" / "htmx.org" / "dist"),
    ("vendor/chartjs", BASE_DIR / "node_modules" / "chart.js" / "dist"),
]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("DJANGO_MEDIA_ROOT", BASE_DIR / "media"))
# Private files (evidence, certificates) live outside MEDIA_ROOT and are only served
# through views that check permissions.
PRIVATE_MEDIA_ROOT = Path(os.environ.get("DJANGO_PRIVATE_MEDIA_ROOT", BASE_DIR / "private_media"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "private": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": PRIVATE_MEDIA_ROOT, "base_url": None},
    },
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if TESTING
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
DATA_UPLOAD_MAX_MEMORY_SIZE = 12 * 1024 * 1024

# --- E-mail ----------------------------------------------------------------------------------

EMAIL_BACKEND = os.environ.get(
    "DJANGO_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend"
)
EMAIL_HOST = os.environ.get("DJANGO_EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("DJANGO_EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("DJANGO_EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("DJANGO_EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("DJANGO_EMAIL_USE_TLS")
DEFAULT_FROM_EMAIL = os.environ.get(
    "DJANGO_DEFAULT_FROM_EMAIL", "Portal Kinerja ASN <noreply@localhost>"
)
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# Seconds an SMTP call may take: a hung mail server must not hold a sender (or a request) forever.
EMAIL_TIMEOUT = int(os.environ.get("DJANGO_EMAIL_TIMEOUT", "30"))

# --- Security (production) --------------------------------------------------------------------

SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False  # htmx reads the token from the page, not the cookie
CSRF_FAILURE_VIEW = "portal.views.csrf_failure"  # Indonesian page, the portal layout
X_FRAME_OPTIONS = "DENY"  # Wagtail's preview views override it to SAMEORIGIN themselves
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

# Content-Security-Policy (django-csp 4; README "Security headers"). The public site runs no
# inline script or style: JS lives in static/js/, data goes through data-* or json_script.
_csp_frame_src = env_list(
    # Video embeds in stories and lessons (Wagtail embeds are third-party iframes).
    "DJANGO_CSP_FRAME_SRC",
    "https://www.youtube.com,https://www.youtube-nocookie.com,https://player.vimeo.com",
)
# Websockets go to the same host: CSP Level 3 lets 'self' match ws:/wss: on it; the explicit
# origins below are for browsers that predate that rule.
_csp_connect_src = [
    "'self'",
    *(
        f"{scheme}://{host}"
        for host in ALLOWED_HOSTS
        if host and not host.startswith(".") and host != "*"
        for scheme in (("ws", "wss") if DEBUG else ("wss",))
    ),
]
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": _csp_connect_src,
        "frame-src": ["'self'", *_csp_frame_src],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}
# The editor workspace gets its own, looser policy, for those paths only (portal.middleware):
# Wagtail 8's admin runs inline scripts and injects inline styles (measured in Chromium:
# page and user listings, the page editor), and its preview frames admin URLs from the same
# origin. The Django admin (/django-admin/) works under the strict policy.
PORTAL_CSP_ADMIN_PATH_PREFIXES = ("/admin/",)
PORTAL_CSP_ADMIN_DIRECTIVES = {
    **CONTENT_SECURITY_POLICY["DIRECTIVES"],
    "script-src": ["'self'", "'unsafe-inline'"],
    "style-src": ["'self'", "'unsafe-inline'"],
    "img-src": ["'self'", "data:", "blob:"],
    "frame-ancestors": ["'self'"],
}
# Permissions-Policy (django-permissions-policy): the portal uses none of these.
PERMISSIONS_POLICY = {
    feature: []
    for feature in (
        "accelerometer",
        "ambient-light-sensor",
        "autoplay",
        "bluetooth",
        "browsing-topics",
        "camera",
        "display-capture",
        "geolocation",
        "gyroscope",
        "hid",
        "idle-detection",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "publickey-credentials-get",
        "screen-wake-lock",
        "serial",
        "usb",
        "xr-spatial-tracking",
    )
}
if not DEBUG:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", default=not TESTING)
    SESSION_COOKIE_SECURE = not TESTING
    CSRF_COOKIE_SECURE = not TESTING
    SECURE_HSTS_SECONDS = int(os.environ.get("DJANGO_SECURE_HSTS_SECONDS", "31536000"))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("DJANGO_SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
    SECURE_HSTS_PRELOAD = env_bool("DJANGO_SECURE_HSTS_PRELOAD", True)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": os.environ.get("DJANGO_LOG_LEVEL", "INFO")},
    "loggers": {
        "django.request": {"handlers": ["console"], "level": "ERROR", "propagate": False},
        "daphne": {"level": "WARNING"},
        "django_tasks": {"level": "WARNING"},
    },
}

# --- Recognition and the board (leaderboard) --------------------------------------------------

# Points a supervisor may give in one recognition (0 is a thank-you, outside this list).
LEADERBOARD_POINT_LEVELS = [5, 10, 25, 50]
# Points one giver may hand out per calendar month (revoked awards still count).
LEADERBOARD_MONTHLY_BUDGET = int(os.environ.get("LEADERBOARD_MONTHLY_BUDGET", "200"))
# Thank-yous (no points) one person may send per calendar month.
LEADERBOARD_MONTHLY_THANKS = int(os.environ.get("LEADERBOARD_MONTHLY_THANKS", "10"))
# Burst guard on "Beri Apresiasi": submissions per giver per second/minute/hour ("10/m"), counted
# in the cache (shared through Redis in production); beyond it HTTP 429 and nothing is saved.
LEADERBOARD_GIVE_RATE = os.environ.get("LEADERBOARD_GIVE_RATE", "10/m")
# Named levels by all-time points: (minimum points, name). Never lowered once reached.
LEADERBOARD_LEVELS = [
    (0, _("Pemula")),
    (25, _("Penggerak")),
    (100, _("Teladan")),
    (250, _("Inspirator")),
    (500, _("Panutan")),
    (1000, _("Duta BerAKHLAK")),
]
# Rows shown at the top of the board.
LEADERBOARD_TOP_N = 10
# A pair that rewarded each other at least this often (both ways, 90 days) is listed for review.
LEADERBOARD_RECIPROCAL_MIN = 2

# --- Performance management ---------------------------------------------------------------

# The first periodic report of an employee waits for every confirmed mandatory training module
# (performance.services, training's Certificate.objects.has_completed_mandatory); 0 switches it off.
PERFORMANCE_TRAINING_GATE = env_bool("PERFORMANCE_TRAINING_GATE", default=True)
# Points for a periodic report submitted on or before its due date (once per report).
PERFORMANCE_ON_TIME_POINTS = int(os.environ.get("PERFORMANCE_ON_TIME_POINTS", "10"))
# `manage.py send_notification_emails` tries a notification e-mail this many times, then gives up
# and logs (the portal notification stays the record).
PERFORMANCE_EMAIL_MAX_ATTEMPTS = int(os.environ.get("PERFORMANCE_EMAIL_MAX_ATTEMPTS", "5"))
# Bukti dukung caps beside the 10 MB per file (performance.services, every path): items (files
# and links) and megabytes per report; files and megabytes one person uploads per day (Jakarta).
PERFORMANCE_EVIDENCE_MAX_PER_REPORT = int(
    os.environ.get("PERFORMANCE_EVIDENCE_MAX_PER_REPORT", "20")
)
PERFORMANCE_EVIDENCE_MAX_MB_PER_REPORT = int(
    os.environ.get("PERFORMANCE_EVIDENCE_MAX_MB_PER_REPORT", "50")
)
PERFORMANCE_EVIDENCE_MAX_FILES_PER_DAY = int(
    os.environ.get("PERFORMANCE_EVIDENCE_MAX_FILES_PER_DAY", "30")
)
PERFORMANCE_EVIDENCE_MAX_MB_PER_DAY = int(
    os.environ.get("PERFORMANCE_EVIDENCE_MAX_MB_PER_DAY", "100")
)

# --- Annual evaluation and monitoring (issue 7) ---------------------------------------------

# Days after a unit's predikat are finalised during which an employee may lodge a keberatan.
# A local choice: the regulation text on the objection window was not retrieved.
PERFORMANCE_KEBERATAN_DAYS = int(os.environ.get("PERFORMANCE_KEBERATAN_DAYS", "14"))
# `manage.py send_reminders` reminds this many days before a period's due date.
PERFORMANCE_REMINDER_DAYS_BEFORE = int(os.environ.get("PERFORMANCE_REMINDER_DAYS_BEFORE", "3"))
