"""The environment of a benchmark run as a subprocess by a test: the test's PostgreSQL database
and Redis, with channel and cache prefixes of its own."""

import os

from django.conf import settings
from django.db import connection


def bench_env(name: str) -> dict:
    db = connection.settings_dict
    url = f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "REDIS_URL": settings.REDIS_URL,
        "CHANNELS_PREFIX": f"{os.environ.get('CHANNELS_PREFIX', 'test')}-{name}",
        "DJANGO_CACHE_PREFIX": f"{os.environ.get('DJANGO_CACHE_PREFIX', 'test')}-{name}",
    }
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = db["PASSWORD"]
    return env
