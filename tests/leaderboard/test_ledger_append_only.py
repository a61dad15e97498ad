"""The points ledger is append-only in the database (PostgreSQL trigger, migration 0004): UPDATE
and DELETE are refused; the one erasure path (`leaderboard.ledger.erase_entries`) still works."""

from importlib import import_module

import pytest
from django.db import IntegrityError, connection, transaction

from leaderboard.ledger import ERASURE_SETTING, erase_entries
from leaderboard.models import PointEntry
from leaderboard.services import award_points
from portal.models import User
from tests.factories import UserFactory

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]

MIGRATION = import_module("leaderboard.migrations.0004_pointentry_append_only")


@pytest.fixture
def entry(employee):
    return award_points(user=employee, points=5, reason="recognition", key="ledger-1")


def refused(statement):
    """Run `statement` in a savepoint; True when the database refused it as append-only."""
    try:
        with transaction.atomic():
            statement()
    except IntegrityError as error:
        assert "append-only" in str(error)
        return True
    return False


def raw(sql: str, params=()):
    def run():
        with connection.cursor() as cursor:
            cursor.execute(sql, params)

    return run


def test_update_is_refused_by_the_orm_and_by_hand(entry):
    assert refused(lambda: PointEntry.objects.filter(pk=entry.pk).update(points=500))
    entry.points = 500
    assert refused(entry.save)
    assert refused(raw("UPDATE leaderboard_pointentry SET points = 500 WHERE id = %s", [entry.pk]))
    assert PointEntry.objects.get(pk=entry.pk).points == 5


def test_delete_is_refused_by_the_orm_and_by_hand(entry):
    assert refused(lambda: PointEntry.objects.filter(pk=entry.pk).delete())
    assert refused(raw("DELETE FROM leaderboard_pointentry WHERE id = %s", [entry.pk]))
    assert PointEntry.objects.filter(pk=entry.pk).exists()


def test_the_erasure_setting_never_allows_an_update(entry):
    def update_with_erasure_on():
        with connection.cursor() as cursor:
            cursor.execute("SELECT set_config(%s, 'on', true)", [ERASURE_SETTING])
            cursor.execute("UPDATE leaderboard_pointentry SET points = 1 WHERE id = %s", [entry.pk])

    assert refused(update_with_erasure_on)


def test_the_ledger_still_grows_and_corrects_with_entries(employee, supervisor):
    award_points(user=employee, points=5, reason="recognition", key="same")
    award_points(user=employee, points=5, reason="recognition", key="same")  # ON CONFLICT
    award_points(
        user=employee, points=-5, reason="correction", key="fix-same", created_by=supervisor
    )
    assert list(PointEntry.objects.order_by("pk").values_list("points", flat=True)) == [5, -5]


def test_erase_entries_removes_only_those_people_then_the_rule_holds_again(entry, employee):
    gone = UserFactory(email="pergi@bench.local")
    award_points(user=gone, points=10, reason="recognition", key="gone-1")
    award_points(user=gone, points=25, reason="recognition", key="gone-2")
    with transaction.atomic():
        assert erase_entries(users=User.objects.filter(pk=gone.pk)) == 2
        # the permission ended with its own statement, even inside the caller's transaction
        assert refused(lambda: PointEntry.objects.filter(pk=entry.pk).delete())
    assert list(PointEntry.objects.values_list("user", flat=True)) == [employee.pk]
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_setting(%s, true)", [ERASURE_SETTING])
        assert cursor.fetchone()[0] in (None, "", "off")


def test_the_benchmark_data_can_be_generated_again(employee):
    from benchmarks.board_data import generate

    generate(users=4, entries=12)
    generate(users=3, entries=9)  # deletes the first run's entries through erase_entries
    assert PointEntry.objects.count() == 9


def _trigger_exists() -> bool:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_trigger WHERE tgrelid = 'leaderboard_pointentry'::regclass "
            "AND tgname = %s",
            [MIGRATION.FUNCTION],
        )
        return cursor.fetchone()[0] == 1


def test_the_migration_reverses_and_applies_again(entry):
    [operation] = MIGRATION.Migration.operations
    assert _trigger_exists()
    with transaction.atomic():
        with connection.schema_editor() as editor:
            operation.database_backwards("leaderboard", editor, None, None)
        assert not _trigger_exists()
        assert not refused(lambda: PointEntry.objects.filter(pk=entry.pk).update(points=6))
        with connection.schema_editor() as editor:
            operation.database_forwards("leaderboard", editor, None, None)
        assert _trigger_exists()
        assert refused(lambda: PointEntry.objects.filter(pk=entry.pk).update(points=7))
        transaction.set_rollback(True)
    assert _trigger_exists()
