"""Browser tests: Playwright driving Debian's Chromium against Daphne in a forked process.

Why not pytest-django's live_server: it is WSGI, so websockets get a 404. The server here is
channels' DaphneProcess made fork-safe (STACK-NOTES §5). It serves the test database, so
tests that use it need `transactional_db` (data must be committed to be seen).
"""

import os
import shutil
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from functools import partial
from pathlib import Path

import pytest
from daphne.testing import DaphneProcess

# Playwright's sync API keeps an event loop in this thread; the ORM must not refuse to run.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "screenshots"
PHONE = {"width": 390, "height": 844}


# The longest browser modules (a walk of 10-50 steps after the demo, or a year's world),
# longest first as measured with --durations; the others follow in collection order.
LONGEST_FIRST = [
    "test_year_journey.py",
    "journeys/test_pegawai.py",
    "journeys/test_atasan.py",
    "journeys/test_bkpsdm.py",
    "journeys/test_transfer.py",
    "test_accessibility.py",
    "journeys/test_komunikasi.py",
    "test_cms.py",
    "journeys/test_staffing.py",
]


def _longest_first(item) -> int:
    path = str(item.fspath)
    return next(
        (n for n, name in enumerate(LONGEST_FIRST) if path.endswith(f"/e2e/{name}")),
        len(LONGEST_FIRST),
    )


def pytest_collection_modifyitems(items):
    """Mark browser tests and run them last: Playwright's sync API leaves an event loop
    in the main thread, which later asyncio tests would trip over.

    Among them the longest modules go first: pytest-xdist (`--dist load`) hands tests out in
    this order, so both workers start a long walk at once and end on short tests together,
    instead of one worker idling while the other finishes a journey that came last."""
    browser_tests = [item for item in items if "/e2e/" in str(item.fspath)]
    for item in browser_tests:
        item.add_marker(pytest.mark.e2e)
        items.remove(item)
    items.extend(sorted(browser_tests, key=_longest_first))


class ForkSafeDaphneProcess(DaphneProcess):
    """Drop state that does not survive fork before Daphne starts in the child."""

    db_blocker = None

    def run(self):
        if self.db_blocker is not None:
            self.db_blocker.unblock()  # pytest-django blocks the ORM outside DB tests
        from asgiref.sync import SyncToAsync
        from channels.layers import channel_layers
        from django.db import connections

        SyncToAsync.single_thread_executor = ThreadPoolExecutor(max_workers=1)
        channel_layers.backends = {}
        # Forget cache connections made before the fork (a test's LocMemCache would keep
        # Wagtail's site root paths across flushes); the server reads settings.CACHES anew.
        from asgiref.local import Local
        from django.core.cache import caches

        # `settings` re-reads settings.CACHES only when `_settings` is empty: without this the
        # server kept the parent's cache (Redis when REDIS_URL is set), shared across the
        # tests' flushes, and served Wagtail's site root paths of a Site the flush had deleted
        # (Site.DoesNotExist on /admin/ in the second test of a module, PostgreSQL only: SQLite
        # gives the new Site the old id).
        caches._settings = None
        caches.__dict__.pop("settings", None)
        caches._connections = Local(caches.thread_critical)
        # Tests flush the database between them and content types come back with new ids;
        # this process would otherwise keep the old ones in ContentType's cache.
        from django.core.signals import request_started

        request_started.connect(_clear_process_caches, weak=False)
        for connection in connections.all(initialized_only=True):
            connection.connection = None  # inherited sockets: forget, never close them
        super().run()


def _clear_process_caches(**kwargs) -> None:
    """Each request starts from the database: tests flush it between them (new ids for
    content types, sites...), and this long-lived server must not remember the old ones."""
    from django.contrib.contenttypes.models import ContentType
    from django.core.cache import caches

    ContentType.objects.clear_cache()
    # every alias, not only those this thread has touched: the signal and the view run in
    # different threads, and a cache's connection is per thread
    for alias in caches:
        caches[alias].clear()


def _make_application():
    from channels.routing import get_default_application
    from django.contrib.staticfiles.handlers import ASGIStaticFilesHandler

    return ASGIStaticFilesHandler(get_default_application())


@pytest.fixture(scope="session")
def browser_executable() -> str:
    if not Path(CHROMIUM).exists():
        message = f"Chromium not found at {CHROMIUM}: install Debian's chromium (apt-get install chromium)"
        if os.environ.get("E2E_REQUIRED") == "1":
            pytest.fail(message)
        pytest.skip(message)
    return CHROMIUM


@pytest.fixture(scope="module")
def live_server_url(django_db_setup, django_db_blocker, browser_executable) -> Iterator[str]:
    """A fresh Daphne per test module: a long-lived server process keeps state (content
    types, Wagtail's site paths...) that the tests' database flushes make stale."""
    from django.conf import settings
    from django.db import connections

    for connection in connections.all():
        if connection.vendor == "sqlite" and connection.is_in_memory_db():
            pytest.fail("browser tests need a file database (DATABASES TEST NAME)")
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "localhost"]
    # the server forks now, before the per-test settings fixture: give it the test hasher
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # ...and no cache: it would keep Wagtail's Site and settings across the tests' flushes
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}
    process = ForkSafeDaphneProcess("localhost", partial(_make_application))
    process.db_blocker = django_db_blocker
    process.start()
    while not process.ready.wait(timeout=1):
        if not process.is_alive():
            raise RuntimeError("Daphne test server stopped during start-up")
    yield f"http://localhost:{process.port.value}"
    process.terminate()
    process.join()
    with django_db_blocker.unblock():
        _wait_for_server_connections_to_close()


def _wait_for_server_connections_to_close(timeout: float = 5.0) -> None:
    """The killed server's PostgreSQL session lingers a moment; DROP DATABASE would fail."""
    import time

    from django.db import connection

    if connection.vendor != "postgresql":
        return
    deadline = time.monotonic() + timeout
    with connection.cursor() as cursor:
        while time.monotonic() < deadline:
            cursor.execute(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()"
            )
            if cursor.fetchone()[0] == 0:
                return
            time.sleep(0.1)


@pytest.fixture(scope="session")
def browser(browser_executable):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=browser_executable, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def new_page(browser, live_server_url, transactional_db):
    """new_page(phone=False, locale="id-ID") -> a fresh page in its own browser context."""
    contexts = []

    def make(*, phone: bool = False, locale: str = "id-ID"):
        context = browser.new_context(
            base_url=live_server_url,
            locale=locale,
            viewport=PHONE if phone else {"width": 1280, "height": 900},
            timezone_id="Asia/Jakarta",
        )
        context.set_default_timeout(15_000)
        contexts.append(context)
        return context.new_page()

    yield make
    for context in contexts:
        context.close()


def screenshot(page, name: str) -> Path:
    """Write a full-page screenshot to test-artifacts/screenshots/ for review."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def login(page, login: str, password: str) -> None:
    page.goto("/accounts/login/")
    page.get_by_label("NIP atau e-mail").fill(login)
    page.get_by_label("Kata sandi").fill(password)
    page.get_by_role("button", name="Masuk").click()


def enter_totp(page, secret: str) -> None:
    """On the two-factor step: type the code of the current 30-second window and submit.

    A code typed in the last moments of its window can reach the server in the next one and be
    refused: wait for the next window then, and when the window turned between typing and the
    server's check all the same, try once more with the new window's code. A code refused
    within its own window is a real failure and is left to the caller's assertions.
    """
    from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value

    for _attempt in range(2):
        remaining = 30 - time.time() % 30
        if remaining < 3:
            time.sleep(remaining + 0.1)
        window = int(time.time()) // 30
        page.get_by_label("Kode").fill(format_hotp_value(hotp_value(secret, window)))
        with page.expect_navigation():
            page.get_by_role("button", name="Masuk").click()
        if "/2fa/" not in page.url or int(time.time()) // 30 == window:
            return


def seed_evaluation_world() -> str:
    """The demo's people, this year's reports and last year's evaluation, with a TOTP for
    Admin BKPSDM (whose pages ask for it); returns the TOTP secret."""
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

    from performance.demo import seed_performance_demo
    from performance.evaluation_demo import seed_evaluation_demo
    from portal.demo import demo_user, seed_people

    seed_people()
    seed_performance_demo()
    seed_evaluation_demo()
    secret = generate_totp_secret()
    TOTP.activate(demo_user("bkpsdm"), secret)
    return secret
