"""The ranking snapshot is cached under the latest seq: a new ledger entry must show at once,
and the query counts the ranking benchmark relies on must not grow with data."""

from http import HTTPStatus

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from leaderboard import board
from leaderboard.rules import UnitMap
from leaderboard.services import award_points
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

SNAPSHOT = "/papan/snapshot/?musim=semua&lingkup=kota"


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == HTTPStatus.OK
    return len(captured)


def _people(n, start, unit):
    for i in range(n):
        award_points(
            user=UserFactory(org_unit=unit), points=5 + i, reason="correction", key=f"p{start + i}"
        )


def _total_of(body, name):
    rows = body["panels"][0]["rows"]
    return next((row["total"] for row in rows if row["name"] == name), None)


def test_new_award_changes_the_cached_snapshot(client_for, staff, bidang):
    _people(3, 0, bidang)
    award_points(user=staff, points=50, reason="correction", key="s1")
    client = client_for(staff)
    first = client.get(SNAPSHOT).json()
    assert client.get(SNAPSHOT).json() == first  # served again from the cache entry
    assert _total_of(first, staff.full_name) == 50
    award_points(user=staff, points=25, reason="correction", key="s2")
    second = client.get(SNAPSHOT).json()
    assert second["seq"] > first["seq"]
    assert _total_of(second, staff.full_name) == 75
    opd = next(row for row in second["opds"] if row["opd"] == bidang.parent_id)
    assert opd["total"] == sum(5 + i for i in range(3)) + 75


def test_warm_snapshot_runs_fewer_queries_than_a_cold_one(client_for, staff, bidang):
    _people(5, 0, bidang)
    client = client_for(staff)
    cold = _queries(client, SNAPSHOT)
    warm = _queries(client, SNAPSHOT)
    assert warm <= cold - 3  # top rows and the two OPD aggregates come from the cache


def test_others_see_their_own_me_flag_from_a_shared_cache_entry(client_for, staff, boss, bidang):
    award_points(user=staff, points=50, reason="correction", key="s1")
    award_points(user=boss, points=40, reason="correction", key="b1")
    mine = client_for(staff).get(SNAPSHOT).json()["panels"][0]["rows"]
    theirs = client_for(boss).get(SNAPSHOT).json()["panels"][0]["rows"]
    assert [row["me"] for row in mine] == [True, False]
    assert [row["me"] for row in theirs] == [False, True]


def test_board_query_count_is_the_same_at_two_sizes(client_for, staff, bidang):
    client = client_for(staff)
    _people(3, 0, bidang)
    client.get("/papan/")  # warm the snapshot for this seq
    small = _queries(client, "/papan/")
    _people(30, 100, bidang)
    client.get("/papan/")
    large = _queries(client, "/papan/")
    assert small == large


def test_warm_ranking_is_at_most_three_queries(django_assert_max_num_queries, staff, bidang):
    _people(30, 0, bidang)
    units = UnitMap.load()
    opd_id = units.opd_of(staff.org_unit_id)

    def ranking():
        seq = board.latest_seq()
        return board.ranking_panel(
            season="semua", scope="kota", units=units, viewer=staff, opd_id=opd_id, seq=seq
        )

    ranking()
    award_points(user=staff, points=1, reason="correction", key="low")  # staff is not in the top
    ranking()
    with django_assert_max_num_queries(3):
        panel = ranking()
    assert panel.me is not None and panel.me["rank"] == 31
    assert len(panel.rows) == 10 and not any(row["me"] for row in panel.rows)
