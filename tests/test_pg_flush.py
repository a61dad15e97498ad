"""The flush between transactional tests on PostgreSQL (tests/pg_flush.py) leaves what Django's
TRUNCATE left: every table empty, the append-only ledger and what refers to it included, and
the sequences where they were."""

import pytest
from django.apps import apps
from django.core.management import call_command
from django.db import connection

from leaderboard.models import PointEntry
from leaderboard.services import award_points
from tests.factories import UserFactory
from tests.pg_flush import sql_flush

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def _tables_with_rows() -> list[str]:
    return [
        model._meta.db_table
        for model in apps.get_models(include_auto_created=True)
        if model._meta.managed and not model._meta.proxy and model.objects.exists()
    ]


def test_the_flush_deletes_every_row_and_truncates_the_ledger():
    user = UserFactory()
    award_points(user=user, points=5, reason=PointEntry.Reason.CORRECTION, key="flush-test")
    assert {"portal_user", "leaderboard_pointentry"} <= set(_tables_with_rows())

    statements = connection.ops.sql_flush(
        _NoStyle(), connection.introspection.django_table_names(only_existing=True)
    )
    assert any(s.startswith("TRUNCATE") and "leaderboard_pointentry" in s for s in statements)
    assert 'DELETE FROM "portal_user";' in statements

    # as TransactionTestCase flushes after a test
    call_command(
        "flush",
        interactive=False,
        verbosity=0,
        reset_sequences=False,
        allow_cascade=False,
        inhibit_post_migrate=True,
    )

    assert _tables_with_rows() == []
    # the sequences go on (a flush without reset_sequences never restarted them)
    assert UserFactory().pk > user.pk


def test_a_flush_that_resets_sequences_keeps_djangos_truncate():
    statements = sql_flush(
        connection.ops, _NoStyle(), ["portal_user", "portal_orgunit"], reset_sequences=True
    )
    assert statements == ['TRUNCATE "portal_user", "portal_orgunit" RESTART IDENTITY;']


class _NoStyle:
    def __getattr__(self, name):
        return lambda text: text
