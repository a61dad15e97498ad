"""Two requests that read then write at the same time (Daphne runs each in its own thread; the
browser tests' server is another process) queue for SQLite's lock instead of one failing with
"database is locked"."""

import threading

import pytest
from django.db import connection, connections, transaction

from portal.models import OrgUnit

pytestmark = pytest.mark.skipif(
    connection.vendor != "sqlite", reason="SQLite's locking (PostgreSQL has row locks)"
)


@pytest.mark.django_db(transaction=True)
def test_concurrent_read_then_write_transactions_wait_for_each_other():
    unit = OrgUnit.objects.create(name="Unit uji kunci", short_name="UUK", kind="bidang")
    first_has_read = threading.Event()
    errors = []

    def first():
        try:
            with transaction.atomic():
                OrgUnit.objects.get(pk=unit.pk)  # a read opens the transaction...
                first_has_read.set()
                threading.Event().wait(0.5)  # ...the other request starts meanwhile
                OrgUnit.objects.filter(pk=unit.pk).update(short_name="A")
        except Exception as exc:
            errors.append(f"first: {exc}")
        finally:
            first_has_read.set()
            connections.close_all()

    def second():
        first_has_read.wait(5)
        try:
            with transaction.atomic():
                OrgUnit.objects.get(pk=unit.pk)
                OrgUnit.objects.filter(pk=unit.pk).update(short_name="B")
        except Exception as exc:
            errors.append(f"second: {exc}")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert errors == []
    assert OrgUnit.objects.get(pk=unit.pk).short_name == "B"  # the second waited for the first
