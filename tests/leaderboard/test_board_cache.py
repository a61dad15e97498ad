"""The ranking snapshot is cached under the latest seq: a new ledger entry must show at once,
and the query counts the ranking benchmark relies on must not grow with data."""

import re
from http import HTTPStatus

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from leaderboard import board
from leaderboard.services import award_points, give_recognition, revoke_recognition
from portal.models import OrgUnit
from tests.factories import OrgUnitFactory, UserFactory

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
    units = OrgUnit.objects.unit_map()
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


# --- the page: rendered parts are cached, and every change that shows on it drops them ---------

BOARD = "/papan/?musim=semua&lingkup=kota"


def _board(client, url=BOARD) -> str:
    response = client.get(url)
    assert response.status_code == HTTPStatus.OK
    return response.content.decode()


def _papan(html: str) -> str:
    """The board itself, without the per-request CSRF tokens of the page around it."""
    return html[html.index('<div id="papan"') : html.index("</main>")]


def _rows(html: str) -> list[str]:
    """Names in the top rows (not in the "Posisi Anda" footer)."""
    html = html[html.index("board-rows") : html.index("</ol>", html.index("board-rows"))]
    return re.findall(r'<span class="board-name fw-semibold">([^<]*)</span>', html)


def _thanks(giver, receiver, message):
    return give_recognition(
        giver=giver, receiver=receiver, value="kompeten", message=message, points=0
    )


def test_page_is_served_from_the_cache_until_a_new_award(client_for, staff, boss, bidang):
    award_points(user=boss, points=40, reason="correction", key="b1")
    client = client_for(staff)
    first = _papan(_board(client))
    with CaptureQueriesContext(connection) as warm:
        assert _papan(_board(client)) == first
    assert not any("leaderboard_score" in q["sql"] and "LIMIT" in q["sql"] for q in warm)
    award_points(user=staff, points=50, reason="correction", key="s1")
    assert _rows(_board(client)) == ["Staf Uji", "Atasan Uji"]


def test_rename_shows_at_once(client_for, staff, boss):
    award_points(user=boss, points=40, reason="correction", key="b1")
    client = client_for(staff)
    assert "Atasan Uji" in _rows(_board(client))
    boss.full_name = "Atasan Baru"
    boss.save()
    assert "Atasan Baru" in _rows(_board(client))


def test_a_login_does_not_drop_the_cache(staff):
    board.board_meta()
    token = board.board_meta()[0]
    staff.save(update_fields=["last_login"])
    assert board.board_meta()[0] == token
    staff.save(update_fields=["full_name"])
    assert board.board_meta()[0] != token


def test_unit_rename_shows_at_once(client_for, staff, boss, bidang):
    award_points(user=boss, points=40, reason="correction", key="b1")
    client = client_for(staff)
    assert "Bidang Uji" in _board(client)
    bidang.name = "Bidang Berganti Nama"
    bidang.save()
    assert "Bidang Berganti Nama" in _board(client)


def test_the_cached_unit_map_follows_a_unit_moved_renamed_or_deleted(opd, bidang):
    seksi = OrgUnitFactory(parent=bidang, kind=OrgUnit.Kind.SEKSI)
    kecamatan = OrgUnitFactory(kind=OrgUnit.Kind.KECAMATAN)
    assert board.board_meta()[1].opd_of(seksi.pk) == opd.pk
    bidang.parent = kecamatan
    bidang.save()
    units = board.board_meta()[1]
    assert units.opd_of(seksi.pk) == kecamatan.pk
    assert seksi.pk in units.units_of_opd(kecamatan.pk) - units.units_of_opd(opd.pk)
    seksi.short_name = "Seksi Baru"
    seksi.save()
    assert board.board_meta()[1].name_of(seksi.pk) == "Seksi Baru"
    seksi.delete()
    assert board.board_meta()[1].opd_of(seksi.pk) is None


def test_the_unit_map_is_cached_until_a_unit_changes(opd, django_assert_num_queries):
    board.board_meta()
    with django_assert_num_queries(0):
        token, _units = board.board_meta()
    OrgUnitFactory(parent=opd)
    with django_assert_num_queries(1):  # the unit map, read again
        assert board.board_meta()[0] != token


def test_opting_out_hides_my_name_from_others_at_once(client_for, staff, boss, bidang):
    award_points(user=staff, points=50, reason="correction", key="s1")
    _thanks(boss, staff, "Terima kasih, Staf")
    watcher = client_for(boss)
    assert "Staf Uji" in _rows(_board(watcher))
    client_for(staff).post("/papan/saya/privasi/", {"board_opt_out": "on"})
    staff.refresh_from_db()
    assert staff.board_opt_out
    html = _board(client_for(boss))
    assert "Staf Uji" not in html and "Pegawai anonim" in _rows(html)
    mine = _board(client_for(staff))  # I still see my own name, in my row and in the feed
    assert _rows(mine)[0] == "Staf Uji"
    assert re.search(r"<strong>Staf Uji</strong>", mine)


def test_a_thank_you_and_its_revocation_show_at_once(client_for, admin, staff, boss):
    award_points(user=boss, points=40, reason="correction", key="b1")
    client = client_for(staff)
    assert "Makasih sudah membantu" not in _board(client)
    thanks = _thanks(boss, staff, "Makasih sudah membantu")  # no ledger entry, no new seq
    assert "Makasih sudah membantu" in _board(client)
    revoke_recognition(recognition=thanks, by=admin, reason="Salah kirim")
    assert "Makasih sudah membantu" not in _board(client)


def test_a_revoked_award_leaves_the_ranking_and_feed(client_for, admin, staff, boss):
    award_points(user=boss, points=10, reason="correction", key="b1")
    recognition = give_recognition(
        giver=boss, receiver=staff, value="kompeten", message="Bagus sekali", points=50
    )
    client = client_for(boss)
    html = _board(client)
    assert _rows(html)[0] == "Staf Uji" and "Bagus sekali" in html
    revoke_recognition(recognition=recognition, by=admin, reason="Keliru")
    html = _board(client)
    assert _rows(html)[0] == "Atasan Uji" and "Bagus sekali" not in html


def test_each_language_has_its_own_rendered_parts(client_for, staff):
    award_points(user=staff, points=10, reason="correction", key="s1")
    client = client_for(staff)
    assert "Poin/pegawai" in _board(client)
    client.cookies["django_language"] = "en"
    html = _board(client)
    assert "Points/employee" in html and "Poin/pegawai" not in html


def test_story_links_only_for_tim_komunikasi_from_shared_entries(
    client_for, komunikasi, staff, boss
):
    give_recognition(giver=boss, receiver=staff, value="kompeten", message="Hebat", points=10)
    assert "/admin/cerita/dari/recognition/" not in _board(client_for(staff))
    assert "/admin/cerita/dari/recognition/" in _board(client_for(komunikasi))
    assert "/admin/cerita/dari/recognition/" not in _board(client_for(staff))


def test_my_row_in_the_top_is_marked_for_me_only(client_for, staff, boss):
    award_points(user=staff, points=50, reason="correction", key="s1")
    award_points(user=boss, points=40, reason="correction", key="b1")
    mine = _board(client_for(staff))
    theirs = _board(client_for(boss))
    me = r'board-me" data-row="[0-9a-f]+" data-total="{}"'
    assert re.search(me.format(50), mine) and not re.search(me.format(40), mine)
    assert re.search(me.format(40), theirs) and not re.search(me.format(50), theirs)


def _page_queries(client, url) -> int:
    client.get(url)  # steady state: the session and site-wide caches filled
    return _queries(client, url)


@pytest.mark.parametrize("url", [BOARD, "/papan/?musim=bulan&lingkup=opd", "/papan/?lingkup=tim"])
def test_whole_page_is_two_queries_at_two_sizes(settings, client_for, staff, bidang, url):
    # Sessions as in production (REDIS_URL set): read from the cache.
    settings.SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
    client = client_for(staff)
    _people(3, 0, bidang)
    small = _page_queries(client, url)
    _people(30, 100, bidang)
    large = _page_queries(client, url)
    assert small == large <= 2  # the user with their groups, the board's latest seqs


def test_review_button_only_for_admin_bkpsdm_from_shared_entries(client_for, admin, staff):
    award_points(user=staff, points=10, reason="correction", key="s1")
    assert "/papan/tinjau/" not in _board(client_for(staff))
    assert "/papan/tinjau/" in _board(client_for(admin))
    assert "/papan/tinjau/" not in _board(client_for(staff))


@pytest.mark.parametrize("scope", ["kota", "opd", "tim"])
def test_my_rank_leaves_out_deactivated_people(staff, bidang, scope):
    _people(12, 0, bidang)  # 5..16 points
    award_points(user=staff, points=10, reason="correction", key="mine")
    gone = UserFactory(org_unit=bidang, is_active=False)
    award_points(user=gone, points=99, reason="correction", key="gone")
    _token, units = board.board_meta()
    opd_id = units.opd_of(staff.org_unit_id)
    args = {"season": "semua", "scope": scope, "units": units, "opd_id": opd_id}
    standing = board.viewer_standing(viewer=staff, unit_id=staff.org_unit_id, **args)
    panel = board.ranking_panel(viewer=staff, unit_id=staff.org_unit_id, top_n=1, **args)
    assert (standing.total, standing.ahead + 1) == (10, 7) == (panel.me["total"], panel.me["rank"])


# --- my own standing: counted once per seq, then from the cache --------------------------------


def _me(client, url=SNAPSHOT) -> tuple[int, int] | None:
    me = client.get(url).json()["panels"][0]["me"]
    return me and (me["rank"], me["total"])


def _counts(queries) -> list[str]:
    return [q["sql"] for q in queries if "COUNT(" in q["sql"].upper()]


def test_my_rank_below_the_top_is_counted_once_per_seq(settings, client_for, staff, bidang):
    settings.LEADERBOARD_TOP_N = 3
    _people(5, 0, bidang)  # 5..9 points
    award_points(user=staff, points=1, reason="correction", key="mine")
    client = client_for(staff)
    with CaptureQueriesContext(connection) as cold:
        assert _me(client) == (6, 1)
    with CaptureQueriesContext(connection) as warm:
        assert _me(client) == (6, 1)
    assert _counts(cold) and not _counts(warm)  # the rank count ran once
    # A new ledger entry (a new seq) shows at once: one more person above me...
    award_points(user=UserFactory(org_unit=bidang), points=3, reason="correction", key="up")
    assert _me(client) == (7, 1)
    # ...and my own points.
    award_points(user=staff, points=3, reason="correction", key="mine2")
    assert _me(client) == (6, 4)


def test_my_cached_rank_is_mine_alone_per_scope_and_season(settings, client_for, staff, boss):
    settings.LEADERBOARD_TOP_N = 1
    award_points(user=boss, points=50, reason="correction", key="b1")
    award_points(user=staff, points=20, reason="correction", key="s1")
    junior = UserFactory(org_unit=staff.org_unit, atasan=staff)
    award_points(user=junior, points=10, reason="correction", key="j1")
    assert _me(client_for(staff)) == (2, 20)
    assert _me(client_for(junior)) == (3, 10)
    assert _me(client_for(staff), "/papan/snapshot/?musim=semua&lingkup=tim") == (2, 20)
    outsider = UserFactory()  # in a unit of their own
    award_points(user=outsider, points=5, reason="correction", key="o1")
    assert _me(client_for(outsider), "/papan/snapshot/?musim=semua&lingkup=tim") == (1, 5)
    assert _me(client_for(outsider)) == (4, 5)
    assert _me(client_for(staff), "/papan/snapshot/?musim=bulan&lingkup=kota") == (2, 20)


def test_a_deactivation_above_me_shows_in_my_rank_at_once(settings, client_for, staff, bidang):
    settings.LEADERBOARD_TOP_N = 1
    above = [UserFactory(org_unit=bidang) for _ in range(3)]
    for n, person in enumerate(above):
        award_points(user=person, points=50 + n, reason="correction", key=f"a{n}")
    award_points(user=staff, points=10, reason="correction", key="mine")
    client = client_for(staff)
    assert _me(client) == (4, 10)
    above[0].is_active = False
    above[0].save()  # no new seq: `forget_board()` gives a new token
    assert _me(client) == (3, 10)


def test_my_rank_on_the_page_follows_a_new_entry(settings, client_for, staff, bidang):
    settings.LEADERBOARD_TOP_N = 2
    _people(3, 0, bidang)  # 5..7 points
    award_points(user=staff, points=1, reason="correction", key="mine")
    client = client_for(staff)
    me = r'board-me" data-row="[0-9a-f]+" data-total="{}"'
    assert re.search(me.format(1), _board(client))
    award_points(user=staff, points=2, reason="correction", key="mine2")
    assert re.search(me.format(3), _board(client))


def test_in_the_top_my_rank_needs_no_count(client_for, staff, bidang):
    _people(3, 0, bidang)
    award_points(user=staff, points=50, reason="correction", key="mine")
    client = client_for(staff)
    with CaptureQueriesContext(connection) as cold:
        assert _me(client) == (1, 50)
    assert not [sql for sql in _counts(cold) if "leaderboard_score" in sql and "<" in sql]
