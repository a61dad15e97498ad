"""What the portal talks to, switched on by the environment: the database, Redis (cache,
channel layer, sessions) and e-mail. Without them: SQLite, process memory, the console."""

import os

import dj_database_url

from .core import BASE_DIR, TESTING, env_bool

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
elif DATABASES["default"]["ENGINE"].endswith("postgresql"):
    # No JIT compilation: the portal's statements are short, and PostgreSQL's cost estimate
    # switches JIT on for the city-wide aggregates, where compiling took 5.8 s of an 8.8 s
    # monitoring query at 16,000 people (benchmarks/bench_city_pages.py; README, Benchmarks).
    DATABASES["default"]["OPTIONS"] = {
        "options": "-c jit=off",
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
