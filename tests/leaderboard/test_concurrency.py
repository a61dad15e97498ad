"""Parallel writers on PostgreSQL: nothing lost, nothing doubled, budgets hold.

Each thread has its own database connection and transaction; a barrier starts them together.
Skipped on SQLite, which serialises writers anyway.
"""

import random
import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.core.exceptions import ValidationError
from django.db.models import Sum

from leaderboard.models import ALL_TIME, PointEntry, Recognition, Score
from leaderboard.services import award_points, give_recognition, revoke_recognition
from tests.factories import UserFactory

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def in_parallel(calls):
    """Run the callables at the same moment, each in its own thread and connection.
    Returns their results (or the exception each raised)."""
    barrier = threading.Barrier(len(calls))

    def run(call):
        from django.db import connections

        try:
            barrier.wait(timeout=10)
            return call()
        except Exception as error:  # collected and asserted by the test
            return error
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=len(calls)) as pool:
        return list(pool.map(run, calls))


def assert_ledger_matches_scores():
    ledger = PointEntry.objects.aggregate(s=Sum("points"))["s"] or 0
    all_time = Score.objects.filter(season=ALL_TIME).aggregate(s=Sum("total"))["s"] or 0
    seasons = Score.objects.exclude(season=ALL_TIME).aggregate(s=Sum("total"))["s"] or 0
    assert ledger == all_time == seasons
    for user_id, total in Score.objects.filter(season=ALL_TIME).values_list("user_id", "total"):
        assert total == PointEntry.objects.filter(user_id=user_id).aggregate(s=Sum("points"))["s"]


def test_parallel_writers_lose_nothing():
    people = [UserFactory() for _ in range(3)]  # few people: many writers hit the same rows
    rng = random.Random(7)
    plan = [(rng.choice(people), rng.randint(1, 50), f"par-{n}") for n in range(24)]
    results = in_parallel(
        [
            lambda u=u, p=p, k=k: award_points(user=u, points=p, reason="correction", key=k)
            for u, p, k in plan
        ]
    )
    assert not [r for r in results if isinstance(r, Exception)]
    assert PointEntry.objects.count() == 24
    assert_ledger_matches_scores()
    for person in people:
        expected = sum(p for u, p, _ in plan if u == person)
        assert Score.objects.get(user=person, season=ALL_TIME).total == expected


def test_first_score_row_insert_race():
    person = UserFactory()  # no Score rows yet: every writer races to create them
    in_parallel(
        [
            lambda n=n: award_points(user=person, points=3, reason="correction", key=f"new-{n}")
            for n in range(12)
        ]
    )
    assert Score.objects.filter(user=person).count() == 2
    assert Score.objects.get(user=person, season=ALL_TIME).total == 36
    assert_ledger_matches_scores()


def test_same_key_in_parallel_awards_once():
    person = UserFactory()
    results = in_parallel(
        [
            lambda: award_points(user=person, points=10, reason="correction", key="same")
            for _ in range(10)
        ]
    )
    assert not [r for r in results if isinstance(r, Exception)]
    assert len({r.pk for r in results}) == 1
    assert PointEntry.objects.count() == 1
    assert Score.objects.get(user=person, season=ALL_TIME).total == 10


def test_budget_holds_under_parallel_recognitions(settings):
    settings.LEADERBOARD_MONTHLY_BUDGET = 50
    boss = UserFactory()
    team = [UserFactory(atasan=boss) for _ in range(4)]
    results = in_parallel(
        [
            lambda n=n: give_recognition(
                giver=boss,
                receiver=team[n % 4],
                value="kompeten",
                message="Bagus",
                points=10,
                token=f"budget-{n}",
            )
            for n in range(12)
        ]
    )
    succeeded = [r for r in results if isinstance(r, Recognition)]
    refused = [r for r in results if isinstance(r, ValidationError)]
    assert len(succeeded) == 5 and len(refused) == 7
    assert Recognition.objects.filter(giver=boss).aggregate(s=Sum("points"))["s"] == 50
    assert_ledger_matches_scores()


def test_double_submission_in_parallel_gives_one_recognition():
    boss = UserFactory()
    staff = UserFactory(atasan=boss)
    results = in_parallel(
        [
            lambda: give_recognition(
                giver=boss, receiver=staff, value="kompeten", message="x", points=25, token="dup"
            )
            for _ in range(8)
        ]
    )
    assert not [r for r in results if isinstance(r, Exception)]
    assert Recognition.objects.count() == 1 and PointEntry.objects.count() == 1
    assert Score.objects.get(user=staff, season=ALL_TIME).total == 25


def test_parallel_revocations_revoke_once():
    admin = UserFactory(groups=["Admin BKPSDM"])
    staff = UserFactory(atasan=admin)
    recognition = give_recognition(
        giver=admin, receiver=staff, value="kompeten", message="x", points=25
    )
    results = in_parallel(
        [
            lambda: revoke_recognition(recognition=recognition, by=admin, reason="ganda")
            for _ in range(6)
        ]
    )
    assert len([r for r in results if isinstance(r, Recognition)]) == 1
    assert PointEntry.objects.filter(reason="recognition_revoked").count() == 1
    assert Score.objects.get(user=staff, season=ALL_TIME).total == 0
    assert_ledger_matches_scores()
