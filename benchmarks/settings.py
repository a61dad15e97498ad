"""Settings for benchmark servers only: the project's settings, served over plain HTTP on
127.0.0.1, with the baseline views mounted next to the project's URLs and a query-count
header. Never used in production or tests."""

import os

os.environ.setdefault("DJANGO_SECRET_KEY", "benchmark-only-secret-key-not-for-production")

from portal.settings import *  # noqa: F403
from portal.settings import MIDDLEWARE, STORAGES

DEBUG = False
SECURE_SSL_REDIRECT = False
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
SECURE_HSTS_SECONDS = 0
ROOT_URLCONF = "benchmarks.urls"
MIDDLEWARE = ["benchmarks.middleware.query_count", *MIDDLEWARE]
LOGGING = {"version": 1, "disable_existing_loggers": False, "root": {"level": "WARNING"}}
# The submission benchmark posts thousands of recognitions from one giver; the budget and
# thank-you quota are raised so every POST takes the success path (the checks still run).
LEADERBOARD_MONTHLY_BUDGET = 10**9
LEADERBOARD_MONTHLY_THANKS = 10**9
LEADERBOARD_GIVE_RATE = f"{10**9}/s"
# bench_story starts a second server with the page cache off (0) for `story-uncached`.
CMS_PAGE_CACHE_SECONDS = int(os.environ.get("BENCH_CMS_PAGE_CACHE_SECONDS", "300"))
# No collectstatic step before a benchmark: static URLs without the manifest.
STORAGES = {
    **STORAGES,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

import warnings  # noqa: E402

warnings.filterwarnings("ignore", message="No directory at")

# `manage.py generate_city` lives in the benchmarks app, installed here only.
from portal.settings import INSTALLED_APPS  # noqa: E402

INSTALLED_APPS = [*INSTALLED_APPS, "benchmarks"]
