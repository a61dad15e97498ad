"""What the pages say about who rates matches the rights (issue 17, walk gaps): the unit
evaluation page and the annual rating page read who may act through `rights.actors_of`, the
same rule as `rights.capacity`, and say "oleh Plt …" / "oleh Plh …" where an acting official
acts; the team count is the team list's, a designated rater's heads included."""

from http import HTTPStatus

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from performance import rights
from performance.models import Skp
from portal.staffing.services import (
    delegate_rating,
    designate_rater,
    end_assignment,
    record_acting,
)
from tests.factories import OrgUnitFactory, UserFactory

from .transfer_world import approved, approved_world, day, freeze, post

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(monkeypatch, commits):
    return approved_world(monkeypatch, commits)


def shown(skps, day_=None) -> dict[int, dict[int, str]]:
    found = rights.actors_of(skps, day_)
    return {pk: {a.user.pk: a.capacity for a in acting.actors} for pk, acting in found.items()}


def expected(users, skps) -> dict[int, dict[int, str]]:
    """Everyone `capacity` lets act, Admin BKPSDM aside (the pages say "di luar portal")."""
    result = {}
    for skp in skps:
        result[skp.pk] = {}
        for user in users:
            kind = rights.capacity(user, skp)
            if kind not in (None, rights.BKPSDM):
                result[skp.pk][user.pk] = kind
    return result


def test_the_page_list_of_who_acts_is_capacity_on_every_day(world, monkeypatch, commits):
    """A transfer, a Plt, a Plh beside the holder, a delegation, a designated rater in the
    portal and one outside it: `actors_of` names exactly whom `capacity` lets act, the recorded
    pejabat penilai first, on several days."""
    plt = UserFactory(org_unit=None, full_name="Plt Kabid Asal")
    plh = UserFactory(org_unit=None, full_name="Plh Kadis Tujuan")
    sekda = UserFactory(org_unit=None, full_name="Sekretaris Daerah")
    admin = UserFactory(groups=["Admin BKPSDM"])
    setda = OrgUnitFactory(name="Sekretariat Daerah")
    with commits():
        post(sekda, setda, None, head=True, jenis="jpt")
    designate_rater(
        actor=None, person=world.kadis_a, rater=sekda, document_ref="Kep. 1", start=day(1, 1)
    )
    designate_rater(
        actor=None,
        person=world.kadis_b,
        external_rater="Wali Kota Bandung",
        document_ref="Kep. 2",
        start=day(1, 1),
    )
    approved(world.kadis_a, world.cycle)
    approved(world.kadis_b, world.cycle)
    with commits():
        post(plt, world.dinas_a, world.kadis_a, jenis="administrator")
        freeze(monkeypatch, day(5, 1))
        world.move_staff(day(5, 1))
        end_assignment(actor=None, person=world.kabid_a, end=day(5, 31), reason="Mutasi keluar")
    record_acting(
        actor=None,
        person=plt,
        kind="plt",
        org_unit=world.bidang_a,
        start=day(6, 1),
        end=day(6, 30),
        sk_number="800/Plt-2",
    )
    record_acting(
        actor=None,
        person=plh,
        kind="plh",
        org_unit=world.dinas_b,
        start=day(6, 1),
        end=day(6, 12),
        sk_number="800/Plh-3",
    )
    delegate_rating(actor=world.kabid_b, start=day(6, 10), end=day(6, 20), reason="Diklat")
    approved(world.staff, world.cycle, skp=Skp.objects.get(employee=world.staff, ends_on=None))
    stays = UserFactory(org_unit=None, full_name="Staf Tetap")
    with commits():
        post(stays, world.bidang_a, world.kabid_a, start=day(5, 2))
    approved(stays, world.cycle)
    users = list(
        type(world.staff).objects.filter(
            pk__in=[
                world.kadis_a.pk,
                world.kabid_a.pk,
                world.staff.pk,
                world.kadis_b.pk,
                world.kabid_b.pk,
                plt.pk,
                plh.pk,
                sekda.pk,
                admin.pk,
                stays.pk,
            ]
        )
    )
    kinds = set()
    for when in (day(4, 1), day(6, 5), day(6, 11), day(6, 15), day(7, 1)):
        freeze(monkeypatch, when)
        skps = list(Skp.objects.select_related("employee", "assignment").order_by("pk"))
        want = expected(users, skps)
        assert shown(skps) == want, when
        kinds |= {kind for found in want.values() for kind in found.values()}
        for skp in skps:  # the recorded pejabat penilai first, while their record stands
            acting = rights.acting_on(skp)
            if acting.recorded_acts:
                assert acting.actors[0].user.pk == skp.pejabat_penilai_id
                assert not acting.actors[0].is_stand_in
    assert kinds >= {"atasan", "plt", "plh", "delegasi", "penilai_ditunjuk"}
    kadis_b_skp = Skp.objects.get(employee=world.kadis_b)
    assert rights.acting_on(kadis_b_skp).external == "Wali Kota Bandung"


def test_actors_of_reads_a_fixed_number_of_queries(world, monkeypatch, commits):
    record_acting(
        actor=None,
        person=world.kadis_a,
        kind="plh",
        org_unit=world.bidang_b,
        start=day(1, 1),
        end=day(12, 31),
        sk_number="800/Plh-1",
    )

    def count(skps) -> int:
        with CaptureQueriesContext(connection) as captured:
            rights.actors_of(skps)
        return len(captured.captured_queries)

    few = count(list(Skp.objects.all()))
    for i in range(6):
        person = UserFactory(org_unit=None, full_name=f"Staf {i}")
        with commits():
            post(person, world.bidang_b, world.kabid_b)
        approved(person, world.cycle)
    many = list(Skp.objects.all())
    assert count(many) == few
    assert all(
        [a.text for a in rights.acting_on(skp).stand_ins] == ["oleh Plh Kadis Asal"]
        for skp in many
        if skp.employee.assignments.filter(org_unit=world.bidang_b, is_head=False).exists()
    )


# --- the pages ---------------------------------------------------------------------------------


@pytest.fixture
def plt_world(world, monkeypatch, commits):
    """Kadis Tujuan retires at the end of May; a Plt (an administrator) acts in June."""
    plt = UserFactory(org_unit=None, full_name="Yayah Plt")
    with commits():
        post(plt, world.dinas_b, world.kadis_b, jenis="administrator")
        end_assignment(actor=None, person=world.kadis_b, end=day(5, 31), reason="Pensiun")
    record_acting(
        actor=None,
        person=plt,
        kind="plt",
        org_unit=world.dinas_b,
        start=day(6, 1),
        end=day(6, 30),
        sk_number="800/Plt-1",
    )
    world.plt = plt
    freeze(monkeypatch, day(6, 10))
    return world


def test_the_unit_page_says_who_rates_today(plt_world, client_for):
    world = plt_world
    url = reverse("performance:unit_detail", args=[world.cycle.year, world.dinas_b.pk])
    html = client_for(world.plt).get(url).content.decode()
    cell = html.split(f'data-testid="penilai-{world.kabid_skp.pk}"', 1)[1].split("</td>", 1)[0]
    assert f"oleh Plt {world.plt.full_name}" in cell
    # the staff's own pejabat penilai acts; no stand-in on them
    cell = html.split(f'data-testid="penilai-{world.staff_skp.pk}"', 1)
    # (the staff is in Dinas Asal: not on this page)
    assert len(cell) == 1


def test_the_leader_above_reads_who_finalises_the_unit(world, monkeypatch, commits, client_for):
    """The head holds the post and a Plh acts in it while the head is away: the leader above
    (the rater designated for the head) reads both as who sets the predikat unit."""
    sekda = UserFactory(org_unit=None, full_name="Sekretaris Daerah")
    plh = UserFactory(org_unit=None, full_name="Plh Kadis Tujuan")
    with commits():
        post(sekda, OrgUnitFactory(name="Sekretariat Daerah"), None, head=True, jenis="jpt")
        post(plh, world.dinas_b, world.kadis_b, jenis="administrator")
    designate_rater(
        actor=None, person=world.kadis_b, rater=sekda, document_ref="Kep. 1", start=day(1, 1)
    )
    record_acting(
        actor=None,
        person=plh,
        kind="plh",
        org_unit=world.dinas_b,
        start=day(1, 10),
        end=day(1, 20),
        sk_number="800/Plh-1",
    )
    url = reverse("performance:unit_detail", args=[world.cycle.year, world.dinas_b.pk])
    html = client_for(sekda).get(url).content.decode()
    line = html.split('data-testid="penetap-predikat"', 1)[1].split("</p>", 1)[0]
    assert "Kadis Tujuan (kepala perangkat daerah)" in line and "Plh Plh Kadis Tujuan" in line
    freeze(monkeypatch, day(1, 21))
    html = client_for(sekda).get(url).content.decode()
    line = html.split('data-testid="penetap-predikat"', 1)[1].split("</p>", 1)[0]
    assert "Kadis Tujuan (kepala perangkat daerah)" in line and "Plh" not in line


def test_the_annual_page_says_oleh_plt_and_the_plt_reads_their_capacity(
    plt_world, client_for, monkeypatch
):
    world = plt_world
    url = reverse("performance:annual_detail", args=[world.kabid_skp.pk])
    html = client_for(world.plt).get(url).content.decode()
    header = html.split('data-testid="penilai"', 1)[1].split("Atasan pejabat penilai", 1)[0]
    assert f"oleh Plt {world.plt.full_name}" in header
    assert rights.capacity(world.plt, world.kabid_skp) == "plt"
    # after the appointment the page no longer names the Plt
    freeze(monkeypatch, day(7, 2))
    assert rights.capacity(world.plt, world.kabid_skp) is None
    html = client_for(world.kabid_b).get(url).content.decode()
    header = html.split('data-testid="penilai"', 1)[1].split("Atasan pejabat penilai", 1)[0]
    assert world.plt.full_name not in header


def test_unit_page_queries_stay_flat_with_more_people_under_a_plt(plt_world, commits, client_for):
    world = plt_world
    url = reverse("performance:unit_detail", args=[world.cycle.year, world.dinas_b.pk])
    client = client_for(world.plt)

    def queries() -> int:
        client.get(url)
        with CaptureQueriesContext(connection) as captured:
            response = client.get(url)
        assert response.status_code == HTTPStatus.OK
        return len(captured.captured_queries)

    def grow(n):
        for i in range(n):
            person = UserFactory(org_unit=None, full_name=f"Staf Dinas {n}-{i}")
            with commits():  # under the vacant head post: the Plt rates them
                post(person, world.dinas_b, world.kadis_b, start=day(6, 1))
            approved(person, world.cycle)

    grow(1)
    few = queries()
    grow(5)
    assert queries() == few
    html = client.get(url).content.decode()
    # the Kabid and six staff, each on the phone line and the desktop column
    assert html.count(f"oleh Plt {world.plt.full_name}") == 2 * 7


# --- the team count ----------------------------------------------------------------------------


def test_the_sekdas_team_count_includes_the_heads_she_rates(world, commits, client_for):
    """The Sekda rates her bawahan (posts naming her atasan) and the heads she is the designated
    rater of: /kinerja/tim/ lists them all, and the page and the beranda say the same number;
    the team page's queries stay flat as both groups grow."""
    setda = OrgUnitFactory(name="Sekretariat Daerah")
    sekda = UserFactory(org_unit=None, full_name="Sekretaris Daerah")
    with commits():
        post(sekda, setda, None, head=True, jenis="jpt")

    def grow(n: int, start: int) -> None:
        for i in range(start, start + n):
            asisten = UserFactory(org_unit=None, full_name=f"Asisten {i}")
            with commits():
                post(asisten, setda, sekda, jenis="jpt")
            approved(asisten, world.cycle)
            opd = OrgUnitFactory(name=f"Dinas {i}")
            kadis = UserFactory(org_unit=None, full_name=f"Kepala Dinas {i}")
            with commits():
                post(kadis, opd, None, head=True, jenis="jpt")
            designate_rater(
                actor=None, person=kadis, rater=sekda, document_ref=f"Kep. {i}", start=day(1, 1)
            )
            approved(kadis, world.cycle)

    for head in (world.kadis_a, world.kadis_b):  # two heads of the world too
        designate_rater(
            actor=None, person=head, rater=sekda, document_ref="Kep. 0", start=day(1, 1)
        )
    grow(1, 0)
    client = client_for(sekda)
    team_url = reverse("performance:team")

    def queries() -> int:
        client.get(team_url)
        with CaptureQueriesContext(connection) as captured:
            response = client.get(team_url)
        assert response.status_code == HTTPStatus.OK
        return len(captured.captured_queries)

    few = queries()
    grow(4, 1)
    assert queries() == few
    expected_ids = set(rights.team(sekda))
    assert len(expected_ids) == 5 + 5 + 2  # five Asisten, five Kepala Dinas, two world heads
    html = client.get(team_url).content.decode()
    listed = {int(part.split('"', 1)[0]) for part in html.split('data-testid="anggota-')[1:]}
    assert listed == expected_ids
    assert 'data-testid="jumlah-tim">Anda menilai 12 pegawai hari ini.' in html
    beranda = client.get(reverse("portal:beranda")).content.decode()
    assert "Anda menilai 12 pegawai hari ini." in beranda
    # the profile card keeps its own fact: the posts naming her atasan today (five Asisten)
    assert "<dt>Bawahan langsung</dt><dd>5</dd>" in beranda
