"""Fixtures of the journeys: the demo seeded as `make run` seeds it, and a `Journey` per test.

Reuses tests/e2e/conftest.py: the forked Daphne live server (one per module), Debian's
Chromium with its arguments, and the transactional database the server reads.
"""

import io
import shutil
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.core.management import call_command
from django.db import connections

from .harness import Journey

WIDTHS = [390, 1366]


@pytest.fixture
def demo(transactional_db):
    """The whole demo (`seed_demo`), as a new user who ran `make run` finds it.

    Seeded in a worker thread: Playwright keeps an event loop in this one, where the board's
    broadcasts (async_to_sync) would fail and log a traceback per point entry."""

    def seed():
        try:
            call_command("seed_demo", force=True, stdout=io.StringIO())
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=1) as pool:
        pool.submit(seed).result()


@pytest.fixture
def journey(request, live_server_url, browser, demo, width):
    role = request.module.ROLE
    walk = Journey(browser=browser, base_url=live_server_url, role=role, width=width)
    shutil.rmtree(walk.directory, ignore_errors=True)  # this run's screenshots only
    yield walk
    walk.close()
    if walk.timings:  # where the minutes go, beside the screenshots
        (walk.directory / "timings.txt").write_text("\n".join(walk.timings) + "\n")
