"""performance.rights on their dates (issue 17): Plt/Plh and delegates act inside their window
only, with the history naming them; a designated rater rates a head without an atasan; the rule
for one SKP and the rule for lists agree; the lists' query counts stay flat as assignments grow."""

from http import HTTPStatus

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from performance import rights, services
from performance.models import PeriodicReport, ReportEvent, Skp, SkpEvent
from performance.services import evaluation
from portal.staffing.services import (
    delegate_rating,
    designate_rater,
    end_assignment,
    record_acting,
)
from tests.factories import UserFactory

from .factories import make_report
from .transfer_world import approved, approved_world, day, freeze, post

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(monkeypatch, commits):
    return approved_world(monkeypatch, commits)


def rate(actor, report):
    return services.rate_report(
        actor=actor, report=report, hasil_kerja="sesuai", perilaku_kerja="sesuai"
    )


def test_plt_rights_begin_and_end_on_their_dates(world, monkeypatch, commits, client_for):
    """Kadis Tujuan leaves at the end of May; a Plt (not a JPT) acts in June only."""
    plt = UserFactory(org_unit=None, full_name="Plt Kepala Dinas")
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
    freeze(monkeypatch, day(5, 30))
    report = make_report(world.kabid_skp, world.cycle.periods.get(number=2), status="diajukan")
    assert rights.capacity(plt, world.kabid_skp) is None
    assert report not in PeriodicReport.objects.waiting_for(plt)
    assert world.dinas_b.pk not in set(evaluation.managed_units(plt).values_list("pk", flat=True))
    freeze(monkeypatch, day(6, 10))
    assert rights.capacity(plt, world.kabid_skp) == "plt"
    assert list(PeriodicReport.objects.waiting_for(plt)) == [report]
    assert rights.team(plt) == {world.kabid_b.pk: "plt"}
    assert evaluation.is_unit_head(plt, world.dinas_b)  # a non-JPT Plt acts as head
    menu = client_for(plt).get(reverse("performance:home")).content.decode()
    assert reverse("performance:team") in menu and reverse("performance:monitoring") in menu
    freeze(monkeypatch, day(7, 1))
    assert rights.capacity(plt, world.kabid_skp) is None
    assert not evaluation.is_unit_head(plt, world.dinas_b)
    menu = client_for(plt).get(reverse("performance:home")).content.decode()
    assert reverse("performance:team") not in menu
    with pytest.raises(PermissionDenied):
        rate(plt, report)
    freeze(monkeypatch, day(6, 30))
    rate(plt, report)
    event = ReportEvent.objects.get(report=report, to_status="dinilai")
    assert event.actor == plt and f"oleh Plt {plt.full_name}" in event.note


def test_a_plh_acts_while_the_holder_is_away(world, monkeypatch):
    plh = world.kadis_a
    record_acting(
        actor=None,
        person=plh,
        kind="plh",
        org_unit=world.dinas_b,
        start=day(3, 1),
        end=day(3, 14),
        sk_number="800/Plh-1",
    )
    freeze(monkeypatch, day(3, 5))
    Skp.objects.filter(pk=world.kabid_skp.pk).update(status="diajukan")
    world.kabid_skp.refresh_from_db()
    services.return_skp(actor=plh, skp=world.kabid_skp, note="Lengkapi indikator waktu.")
    event = SkpEvent.objects.get(skp=world.kabid_skp, to_status="dikembalikan")
    assert f"oleh Plh {plh.full_name}" in event.note
    freeze(monkeypatch, day(3, 15))
    assert rights.capacity(plh, world.kabid_skp) is None
    assert rights.capacity(world.kadis_b, world.kabid_skp) == "atasan"


def test_a_delegate_rates_during_the_leave_only(world, monkeypatch):
    freeze(monkeypatch, day(4, 2))
    report = make_report(world.staff_skp, world.cycle.periods.get(number=1), status="diajukan")
    delegate_rating(actor=world.kabid_a, start=day(4, 5), end=day(4, 20), reason="Cuti tahunan")
    assert rights.capacity(world.kadis_a, world.staff_skp) is None
    freeze(monkeypatch, day(4, 10))
    assert rights.capacity(world.kadis_a, world.staff_skp) == "delegasi"
    assert rights.capacity(world.kabid_a, world.staff_skp) == "atasan"  # still theirs too
    assert list(PeriodicReport.objects.waiting_for(world.kadis_a)) == [report]
    rate(world.kadis_a, report)
    event = ReportEvent.objects.get(report=report, to_status="dinilai")
    assert f"oleh delegasi {world.kadis_a.full_name}" in event.note
    freeze(monkeypatch, day(4, 21))
    assert rights.capacity(world.kadis_a, world.staff_skp) is None


def test_a_designated_rater_rates_a_head_without_an_atasan(world, monkeypatch, client_for):
    sekda = UserFactory(org_unit=None, full_name="Sekretaris Daerah")
    designate_rater(
        actor=None,
        person=world.kadis_a,
        rater=sekda,
        document_ref="Kep. Wali Kota 800/1",
        start=day(1, 1),
    )
    skp = services.create_skp(employee=world.kadis_a, cycle=world.cycle)
    assert skp.pejabat_penilai == sekda and skp.pejabat_penilai_name == sekda.full_name
    Skp.objects.filter(pk=skp.pk).update(status="diajukan", submitted_at=skp.created_at)
    skp.refresh_from_db()
    assert rights.capacity(sekda, skp) == "penilai_ditunjuk"
    services.approve_skp(actor=sekda, skp=skp)
    event = SkpEvent.objects.get(skp=skp, to_status="disetujui")
    assert f"oleh penilai yang ditunjuk {sekda.full_name}" in event.note
    assert client_for(sekda).get(skp.get_absolute_url()).status_code == HTTPStatus.OK


def test_an_external_designated_rater_is_recorded_by_admin_bkpsdm(world, monkeypatch):
    admin = UserFactory(groups=["Admin BKPSDM"])
    designate_rater(
        actor=admin,
        person=world.kadis_b,
        external_rater="Wali Kota Bandung",
        document_ref="Kep. Wali Kota 800/2",
        start=day(1, 1),
    )
    skp = approved(world.kadis_b, world.cycle)
    assert skp.pejabat_penilai is None and skp.pejabat_penilai_name == "Wali Kota Bandung"
    assert rights.capacity(admin, skp) == "bkpsdm"
    assert skp in Skp.objects.rated_by(admin)
    assert rights.capacity(UserFactory(), skp) is None
    freeze(monkeypatch, day(2, 1))
    report = make_report(skp, world.cycle.periods.get(number=1), status="diajukan")
    rate(admin, report)
    note = ReportEvent.objects.get(report=report, to_status="dinilai").note
    assert "atas nama Wali Kota Bandung" in note and "Kep. Wali Kota 800/2" in note


def people_and_skps(world):
    return [world.kadis_a, world.kabid_a, world.staff, world.kadis_b, world.kabid_b], list(
        Skp.objects.select_related("employee", "assignment")
    )


def test_the_rule_for_one_skp_and_the_rule_for_lists_agree(world, monkeypatch, commits):
    """After a transfer, a Plt, a delegation and a designation: `capacity` and `can_view_skp`
    say what `rated_by` and `visible_to` list, for everyone, on several days."""
    plt = UserFactory(org_unit=None, full_name="Plt")
    admin = UserFactory(groups=["Admin BKPSDM"])
    designate_rater(
        actor=None,
        person=world.kadis_b,
        external_rater="Wali Kota Bandung",
        document_ref="Kep. 3",
        start=day(1, 1),
    )
    approved(world.kadis_b, world.cycle)
    stays = UserFactory(org_unit=None, full_name="Staf Tetap")
    with commits():
        post(stays, world.bidang_a, world.kabid_a)
    approved(stays, world.cycle)
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
    delegate_rating(actor=world.kabid_b, start=day(6, 10), end=day(6, 20), reason="Diklat")
    approved(world.staff, world.cycle, skp=Skp.objects.get(employee=world.staff, ends_on=None))
    users = [*people_and_skps(world)[0], stays, plt, admin]
    kinds = set()
    for when in (day(4, 1), day(6, 5), day(6, 15), day(7, 1)):
        freeze(monkeypatch, when)
        _people, skps = people_and_skps(world)
        for user in users:
            kinds |= {rights.capacity(user, s) for s in skps}
            acting = {s.pk for s in skps if rights.can_act(user, s)}
            assert acting == set(Skp.objects.rated_by(user).values_list("pk", flat=True)), (
                user.full_name,
                when,
            )
            seen = {s.pk for s in skps if rights.can_view_skp(user, s)}
            assert seen == set(Skp.objects.visible_to(user).values_list("pk", flat=True)), (
                user.full_name,
                when,
            )
    assert kinds >= {"atasan", "plt", "delegasi", "bkpsdm"}  # every capacity was compared


def grow(world, n: int, monkeypatch, commits):
    """n more people under Kabid Tujuan, each with an SKP, a submitted report and nine earlier
    posts (ten assignments per person)."""
    q2 = world.cycle.periods.get(number=2)
    for i in range(n):
        person = UserFactory(org_unit=None)
        with commits():
            for month in range(1, 10):
                post(person, world.bidang_b, world.kabid_b, start=day(1, 1 + month))
            post(person, world.bidang_b, world.kabid_b, start=day(1, 12), jabatan=f"Staf {i}")
        make_report(approved(person, world.cycle), q2, status="diajukan")


def queries(client, url) -> int:
    client.get(url)  # steady state: site-wide caches filled
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == HTTPStatus.OK
    return len(captured.captured_queries)


def test_team_review_and_monitoring_query_counts_stay_flat(world, monkeypatch, commits, client_for):
    plt = UserFactory(org_unit=None, full_name="Plt Kabid")
    admin = UserFactory(groups=["Admin BKPSDM"])
    from allauth.mfa.models import Authenticator

    Authenticator.objects.create(user=admin, type="totp", data={"secret": "x"})
    record_acting(
        actor=None,
        person=plt,
        kind="plh",
        org_unit=world.bidang_b,
        start=day(1, 20),
        end=day(12, 31),
        sk_number="800/Plh-9",
    )
    freeze(monkeypatch, day(1, 15))
    grow(world, 2, monkeypatch, commits)
    freeze(monkeypatch, day(5, 20))
    first = PeriodicReport.objects.filter(skp__employee__assignments__org_unit=world.bidang_b)
    report_url = first.first().get_absolute_url()
    pages = [
        (client_for(world.kabid_b), reverse("performance:team")),
        (client_for(world.kabid_b), report_url),
        (client_for(plt), reverse("performance:team")),
        (client_for(admin), reverse("performance:monitoring")),
    ]
    small = [queries(client, url) for client, url in pages]
    freeze(monkeypatch, day(1, 15))
    grow(world, 20, monkeypatch, commits)
    freeze(monkeypatch, day(5, 20))
    large = [queries(client, url) for client, url in pages]
    assert small == large
    team = client_for(plt).get(reverse("performance:team")).content.decode()
    assert team.count('data-testid="anggota-') == 22
