"""Approving many submitted SKPs at once from the team page (issue 17): each through
`approve_skp`, asked before anything changes, a summary of what was refused and why."""

import datetime as dt
from http import HTTPStatus

import pytest
from django.contrib.messages import get_messages
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from performance import services
from performance.models import Notification, Skp, SkpEvent
from portal.staffing.services import designate_rater
from tests.factories import UserFactory

from .factories import make_skp

pytestmark = pytest.mark.django_db

TEAM = reverse("performance:team")
BULK = reverse("performance:skp_bulk_approve")


@pytest.fixture(autouse=True)
def _sessions_in_the_database(settings):
    """Query counts read the session from the database (with REDIS_URL it is the cache)."""
    settings.SESSION_ENGINE = "django.contrib.sessions.backends.db"


def submitted(supervisor, cycle, n: int) -> list[Skp]:
    return [
        make_skp(
            UserFactory(org_unit=supervisor.org_unit, atasan=supervisor), cycle, status="diajukan"
        )
        for _ in range(n)
    ]


@pytest.fixture
def team(supervisor, cycle):
    """Three submitted SKPs, one already approved, and another supervisor's submitted one."""
    waiting = submitted(supervisor, cycle, 3)
    approved = make_skp(UserFactory(org_unit=supervisor.org_unit, atasan=supervisor), cycle)
    other = submitted(UserFactory(), cycle, 1)[0]
    return waiting, approved, other


def statuses(skps) -> list[str]:
    return [Skp.objects.get(pk=skp.pk).status for skp in skps]


def texts(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


# --- service -----------------------------------------------------------------------------------


def test_approve_skps_approves_what_it_may_and_says_why_not_for_the_rest(supervisor, team):
    waiting, approved, other = team
    result = services.approve_skps(actor=supervisor, skps=[*waiting, approved, other])
    assert [s.pk for s in result.done] == [s.pk for s in waiting]
    assert statuses(waiting) == ["disetujui"] * 3
    assert statuses([other]) == ["diajukan"]
    reasons = {skp.pk: reason for skp, reason in result.refused}
    assert reasons == {
        approved.pk: "Hanya SKP yang diajukan yang bisa disetujui.",
        other.pk: "Hanya pejabat penilai yang dapat menyetujui SKP ini.",
    }
    assert SkpEvent.objects.filter(to_status="disetujui").count() == 3
    assert Notification.objects.filter(recipient__in=[s.employee for s in waiting]).count() == 3


def test_admin_approves_only_skps_whose_rater_is_outside_the_portal(bkpsdm_admin, cycle, team):
    waiting, _approved, _other = team
    head = UserFactory()  # no atasan in the portal: rated by the Wali Kota, outside it
    designate_rater(
        actor=None,
        person=head,
        external_rater="Wali Kota Bandung",
        document_ref="Kep. 800/1",
        start=dt.date(cycle.year, 1, 1),
    )
    top = make_skp(head, cycle, status="diajukan")
    nobody = make_skp(UserFactory(), cycle, status="diajukan")  # no rater designated yet
    assert top.pejabat_penilai_id is None
    result = services.approve_skps(actor=bkpsdm_admin, skps=[top, waiting[0], nobody])
    assert [s.pk for s in result.done] == [top.pk]
    assert [s.pk for s, _reason in result.refused] == [waiting[0].pk, nobody.pk]
    assert "satu per satu" in result.refused[1][1]  # on behalf of nobody: one by one, documented
    event = SkpEvent.objects.get(skp=top, to_status="disetujui")
    assert event.actor == bkpsdm_admin and "atas nama Wali Kota Bandung (Kep. 800/1)" in event.note
    assert statuses([waiting[0]]) == ["diajukan"]
    with pytest.raises(Exception, match="pejabat penilai"):
        services.approve_skp(
            actor=UserFactory(), skp=make_skp(UserFactory(), cycle, status="diajukan")
        )


# --- pages -------------------------------------------------------------------------------------


def test_team_page_lists_the_submitted_skps_to_tick(client_for, supervisor, team):
    waiting, approved, other = team
    html = client_for(supervisor).get(TEAM).content.decode()
    for skp in waiting:
        assert f'name="skp" value="{skp.pk}"' in html
    assert f'name="skp" value="{approved.pk}"' not in html
    assert f'name="skp" value="{other.pk}"' not in html
    assert "3 SKP menunggu persetujuan Anda" in html


def test_confirmation_first_then_a_summary(client_for, supervisor, team):
    waiting, approved, _other = team
    client = client_for(supervisor)
    picked = [waiting[0].pk, waiting[1].pk, approved.pk]
    response = client.post(BULK, {"skp": picked})
    assert response.status_code == HTTPStatus.OK
    html = response.content.decode()
    assert 'id="konfirmasi-setujui"' in html and "Setujui 2 SKP?" in html
    assert "tidak bisa disetujui: Hanya SKP yang diajukan yang bisa disetujui." in html
    assert statuses(waiting) == ["diajukan"] * 3  # nothing approved yet

    back = client.post(BULK, {"skp": picked, "konfirmasi": "ya", "ubah": "1"})
    html = back.content.decode()
    assert f'value="{waiting[0].pk}" id="pilih-skp-{waiting[0].pk}" checked' in html
    assert f'value="{waiting[2].pk}" id="pilih-skp-{waiting[2].pk}">' in html
    assert statuses(waiting) == ["diajukan"] * 3

    response = client.post(BULK, {"skp": picked, "konfirmasi": "ya"})
    assert response.status_code == HTTPStatus.FOUND and response.url == TEAM
    assert statuses(waiting) == ["disetujui", "disetujui", "diajukan"]
    shown = texts(response)
    names = sorted([waiting[0].employee.full_name, waiting[1].employee.full_name])
    assert f"2 SKP disetujui: {', '.join(names)}." in shown
    assert any(approved.employee.full_name in m and "yang diajukan" in m for m in shown)


def test_pick_all_works_without_javascript(client_for, supervisor, team):
    waiting, _approved, _other = team
    client = client_for(supervisor)
    html = client.post(BULK, {"semua": "1"}).content.decode()
    assert "Setujui 3 SKP?" in html
    for skp in waiting:
        assert f'<input type="hidden" name="skp" value="{skp.pk}">' in html
    client.post(BULK, {"semua": "1", "konfirmasi": "ya"})
    assert statuses(waiting) == ["disetujui"] * 3


def test_nothing_picked_or_junk_is_refused_with_the_reason(client_for, supervisor, team):
    client = client_for(supervisor)
    response = client.post(BULK, {"konfirmasi": "ya"})
    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert "Pilih minimal satu SKP yang akan disetujui." in response.content.decode()
    response = client.post(BULK, {"skp": ["abc"], "konfirmasi": "ya"})
    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert "Pilihan SKP tidak dikenal." in response.content.decode()
    assert statuses(team[0]) == ["diajukan"] * 3


def test_someone_elses_skp_is_refused_without_naming_it(client_for, supervisor, team):
    waiting, _approved, other = team
    client = client_for(supervisor)
    html = client.post(BULK, {"skp": [other.pk]}).content.decode()
    assert "1 pilihan tidak ditemukan atau bukan wewenang Anda." in html
    assert other.employee.full_name not in html and "Ya, setujui" not in html
    response = client.post(BULK, {"skp": [other.pk, 10**12], "konfirmasi": "ya"})
    assert texts(response) == ["2 pilihan tidak ditemukan atau bukan wewenang Anda."]
    assert statuses([other]) == ["diajukan"]


@pytest.mark.parametrize("who", ["employee", "other_supervisor", "admin"])
def test_others_cannot_approve_the_team_skps(client_for, team, who, employee, bkpsdm_admin):
    waiting, _approved, other = team
    actor = {
        "employee": employee,
        "other_supervisor": other.pejabat_penilai,
        "admin": bkpsdm_admin,
    }[who]
    own = make_skp(employee, waiting[0].cycle, status="diajukan") if who == "employee" else None
    picked = [s.pk for s in waiting] + ([own.pk] if own else [])
    response = client_for(actor).post(BULK, {"skp": picked, "konfirmasi": "ya"})
    assert response.status_code == HTTPStatus.FOUND
    assert statuses(waiting) == ["diajukan"] * 3
    if own:
        assert statuses([own]) == ["diajukan"]


def test_anonymous_is_sent_to_log_in(client, team):
    response = client.post(BULK, {"skp": [team[0][0].pk], "konfirmasi": "ya"})
    assert response.status_code == HTTPStatus.FOUND and "/accounts/login/" in response.url
    assert statuses(team[0]) == ["diajukan"] * 3


# --- queries -----------------------------------------------------------------------------------


def count_queries(client, method, *args) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = getattr(client, method)(*args)
    assert response.status_code in (HTTPStatus.OK, HTTPStatus.FOUND)
    return len(queries)


def test_team_page_and_confirmation_do_not_grow_with_the_skps(client_for, supervisor, cycle):
    client = client_for(supervisor)
    client.get(TEAM)  # the first request of a session reads a little more (warm caches)
    counts = {}
    for n in (3, 9):
        submitted(supervisor, cycle, n - Skp.objects.filter(status="diajukan").count())
        picked = list(Skp.objects.filter(status="diajukan").values_list("pk", flat=True))
        counts[n] = (
            count_queries(client, "get", TEAM),
            count_queries(client, "post", BULK, {"skp": picked}),
        )
    assert counts[3] == counts[9]


def test_approval_costs_the_same_per_skp(client_for, supervisor, cycle):
    """Each SKP goes through approve_skp (lock, update, event, notification): a fixed cost per
    SKP on top of a fixed cost per request."""
    client = client_for(supervisor)
    client.get(TEAM)
    costs = []
    for n in (2, 4, 8):
        picked = [s.pk for s in submitted(supervisor, cycle, n)]
        costs.append(count_queries(client, "post", BULK, {"skp": picked, "konfirmasi": "ya"}))
    per_skp = (costs[1] - costs[0]) / 2
    assert costs[2] - costs[1] == 4 * per_skp
    assert per_skp <= 8
