"""Fixtures of the journeys: the demo seeded as `make run` seeds it, and a `Journey` per test.

Reuses tests/e2e/conftest.py: the forked Daphne live server (one per module), Debian's
Chromium with its arguments, and the transactional database the server reads.
"""

import shutil

import pytest

from tests.e2e.demo_snapshot import seed_demo

from .harness import Journey

WIDTHS = [390, 1366]


@pytest.fixture
def demo(transactional_db):
    """The whole demo (`seed_demo`), as a new user who ran `make run` finds it (seeded once
    per worker, restored for the next test: tests/e2e/demo_snapshot.py)."""
    seed_demo()


@pytest.fixture
def journey(request, live_server_url, browser, demo, width):
    role = request.module.ROLE
    walk = Journey(browser=browser, base_url=live_server_url, role=role, width=width)
    shutil.rmtree(walk.directory, ignore_errors=True)  # this run's screenshots only
    yield walk
    walk.close()
    if walk.timings:  # where the minutes go, beside the screenshots
        (walk.directory / "timings.txt").write_text("\n".join(walk.timings) + "\n")
