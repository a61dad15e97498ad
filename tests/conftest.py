import threading

import pytest
from asgiref.sync import SyncToAsync
from django.conf import settings as django_settings
from django.db import connection, connections, transaction
from django.utils import translation

from portal.register.write import LOCK_KEY
from tests import pg_flush
from tests.db_template import (  # noqa: F401 (hooks and a fixture, found here by pytest)
    django_db_modify_db_settings,
    pytest_configure_node,
    pytest_sessionfinish,
    pytest_sessionstart,
)
from tests.factories import PASSWORD, OrgUnitFactory, UserFactory
from tests.helpers import ensure_base_data

pg_flush.install()


def pytest_collection_modifyitems(items):
    """Tests marked `postgres` (row locks, parallel writers, pg_dump) are skipped on SQLite."""
    if django_settings.DATABASES["default"]["ENGINE"].endswith("postgresql"):
        return
    skip = pytest.mark.skip(
        reason="needs PostgreSQL: run with DATABASE_URL=postgres://... (CI's second suite)"
    )
    for item in items:
        if item.get_closest_marker("postgres"):
            item.add_marker(skip)


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        ensure_base_data()
    yield
    # Async tests run their sync_to_async calls in asgiref's one shared thread, whose database
    # connection would otherwise still be open when the test database is dropped (PostgreSQL
    # then refuses: "database is being accessed by other users").
    # Run in that thread directly, not through asyncio.run(): a browser test's Playwright keeps
    # an event loop running in this thread until its session fixture ends.
    with django_db_blocker.unblock():
        SyncToAsync.single_thread_executor.submit(connections.close_all).result()


DB_FIXTURES = {
    "db",
    "transactional_db",
    "django_db_reset_sequences",
    "django_db_serialized_rollback",
}


@pytest.fixture(autouse=True)
def _test_settings(settings, request):
    """Fast hashing, outbox e-mail, a private empty cache per test (Wagtail caches site roots)."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": request.node.nodeid,
        }
    }
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    # A request in English (language cookie) leaves English active in this thread.
    translation.activate(settings.LANGUAGE_CODE)
    if request.node.get_closest_marker("django_db") or DB_FIXTURES & set(request.fixturenames):
        # Transactional tests flush every table, including what the data migrations made.
        request.getfixturevalue("_django_db_helper")
        ensure_base_data()


@pytest.fixture
def password() -> str:
    return PASSWORD


@pytest.fixture
def org_unit(db):
    return OrgUnitFactory()


@pytest.fixture
def supervisor(db, org_unit):
    return UserFactory(org_unit=org_unit, jabatan="Kepala Bidang", jenis_jabatan="administrator")


@pytest.fixture
def employee(db, supervisor):
    return UserFactory(org_unit=supervisor.org_unit, atasan=supervisor)


@pytest.fixture
def user(employee):
    return employee


@pytest.fixture
def commits(django_capture_on_commit_callbacks):
    """`with commits():` runs what waits for the commit (signal receivers after a staffing
    write, e-mail) when the block ends, inside the test's transaction."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


@pytest.fixture
def client_for(client):
    """client_for(user) -> a test client logged in as that user."""

    def login(user):
        client.force_login(user)
        return client

    return login


@pytest.fixture
def another_sync():
    """PostgreSQL: the register engine's sync lock held by another connection, as a sync
    writing elsewhere (the upload page, an API client) holds it; `release()` ends that sync."""
    holding, done = threading.Event(), threading.Event()

    def hold():
        try:
            with transaction.atomic(), connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_xact_lock(%s)", [LOCK_KEY])
                holding.set()
                done.wait(10)
        finally:
            holding.set()
            connections.close_all()

    thread = threading.Thread(target=hold)
    thread.start()
    assert holding.wait(10)

    def release():
        done.set()
        thread.join(10)

    yield release
    release()
