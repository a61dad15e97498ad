"""Who heads an OPD and who is above its head, on a date (issue 17): `performance.services.leaders`
reads `portal.authority`, so a transfer and a Plt count from their first day and stop counting
after their last (service and pages), in a fixed number of queries."""

from http import HTTPStatus

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from performance.services import capaian, evaluation, leaders
from portal.models import OrgUnit
from portal.staffing import ActingAppointment
from portal.staffing.services import end_assignment, record_acting
from tests.factories import OrgUnitFactory, UserFactory
from tests.performance.factories import make_cycle
from tests.performance.transfer_world import day, freeze, post

pytestmark = pytest.mark.django_db

D = day(6, 1)  # the day of the change


@pytest.fixture
def city():
    """A Sekretariat Daerah (Sekda, an Asisten), a Dinas and a Badan whose heads report to the
    Sekda, all since 1 January; a Kepala Bidang in the Dinas."""
    setda = OrgUnitFactory(name="Sekretariat Daerah Uji", kind=OrgUnit.Kind.SEKRETARIAT)
    dinas = OrgUnitFactory(name="Dinas Uji Pimpinan")
    bidang = OrgUnitFactory(name="Bidang Uji Pimpinan", kind=OrgUnit.Kind.BIDANG, parent=dinas)
    badan = OrgUnitFactory(name="Badan Uji Pimpinan", kind=OrgUnit.Kind.BADAN)
    people = {
        key: UserFactory(org_unit=None, full_name=key.title())
        for key in ("sekda", "asisten", "kadis", "kaban", "kabid", "pengganti")
    }
    post(people["sekda"], setda, None, head=True, jenis="jpt")
    post(people["asisten"], setda, people["sekda"], jenis="jpt")
    post(people["kadis"], dinas, people["sekda"], head=True, jenis="jpt")
    post(people["kaban"], badan, people["sekda"], head=True, jenis="jpt")
    post(people["kabid"], bidang, people["kadis"], head=True, jenis="administrator")
    for person in people.values():
        person.refresh_from_db()
    return {"setda": setda, "dinas": dinas, "badan": badan, "bidang": bidang, **people}


def led(user, on):
    return set(leaders.opds_led_above(user, on).values_list("name", flat=True))


def test_a_transfer_moves_the_head_and_the_leader_above_on_its_day(city, monkeypatch):
    freeze(monkeypatch, day(5, 1))
    dinas = city["dinas"]
    # On D the Kepala Dinas moves to the Badan's staff and a successor, under the Asisten, heads
    # the Dinas.
    post(city["kadis"], city["badan"], city["kaban"], jenis="fungsional", start=D)
    post(city["pengganti"], dinas, city["asisten"], head=True, jenis="jpt", start=D)
    before, after = day(5, 31), D

    assert leaders.head_of_opd(dinas, before) == city["kadis"]
    assert leaders.leads_own_opd(city["kadis"], before) == dinas
    assert leaders.leader_above(dinas, before) == city["sekda"]
    assert led(city["sekda"], before) == {"Dinas Uji Pimpinan", "Badan Uji Pimpinan"}
    assert leaders.is_unit_head(city["kadis"], dinas, before)

    assert leaders.head_of_opd(dinas, after) == city["pengganti"]
    assert leaders.leads_own_opd(city["kadis"], after) is None
    assert leaders.leads_own_opd(city["pengganti"], after) == dinas
    assert leaders.leader_above(dinas, after) == city["asisten"]
    assert led(city["sekda"], after) == {"Badan Uji Pimpinan"}
    assert led(city["asisten"], after) == {"Dinas Uji Pimpinan"}
    assert not leaders.is_unit_head(city["kadis"], dinas, after)
    # the Sekda's own Sekretariat is never "led above" by him, nor the Asisten's
    assert "Sekretariat Daerah Uji" not in led(city["sekda"], after) | led(city["asisten"], after)


def test_the_leader_above_who_has_left_leaves_the_capaian_to_bkpsdm(city, monkeypatch):
    freeze(monkeypatch, day(5, 1))
    end_assignment(actor=None, person=city["sekda"], end=day(5, 31), reason="Pensiun")
    assert leaders.leader_above(city["dinas"], day(5, 31)) == city["sekda"]
    assert leaders.leader_above(city["dinas"], D) is None  # the head's row still names him
    assert led(city["sekda"], D) == set()


def vacate_with_plt(city) -> None:
    """The Kepala Dinas retires on 31 May; the Kepala Bidang is Plt Kepala Dinas June-August."""
    end_assignment(actor=None, person=city["kadis"], end=day(5, 31), reason="Pensiun")
    record_acting(
        actor=None,
        person=city["kabid"],
        kind=ActingAppointment.Kind.PLT,
        org_unit=city["dinas"],
        start=D,
        end=day(8, 31),
        sk_number="800/17-Plt",
    )


def test_a_plt_has_the_head_rights_during_the_appointment_and_none_after(city, monkeypatch):
    freeze(monkeypatch, day(5, 1))
    dinas, kabid = city["dinas"], city["kabid"]
    vacate_with_plt(city)
    for on, acting in [(day(5, 31), False), (D, True), (day(8, 31), True), (day(9, 1), False)]:
        assert leaders.is_unit_head(kabid, dinas, on) is acting, on
        assert leaders.leads_own_opd(kabid, on) is None  # acting is not holding the post
    assert leaders.head_of_opd(dinas, D) is None  # the post is vacant
    assert leaders.leader_above(dinas, D) is None  # vacant: Admin BKPSDM records the capaian
    assert leaders.head_of_opd(dinas, day(5, 31)) == city["kadis"]


def test_the_plt_runs_the_unit_page_only_inside_the_appointment(
    city, monkeypatch, client_for, bkpsdm_admin
):
    dinas, kabid = city["dinas"], city["kabid"]
    freeze(monkeypatch, day(5, 1))
    cycle = make_cycle(2026)
    vacate_with_plt(city)
    url = reverse("performance:unit_detail", args=[cycle.year, dinas.pk])
    client = client_for(kabid)
    assert client.get(url).status_code == HTTPStatus.NOT_FOUND  # before: not the head
    freeze(monkeypatch, day(7, 1))
    client = client_for(kabid)  # signed in anew: a May session has expired by July
    assert client.get(url).status_code == HTTPStatus.OK
    assert evaluation.can_manage_unit(kabid, dinas)
    # a Plt does not set the capaian of the OPD they head
    with pytest.raises(PermissionDenied, match="tidak menetapkan capaian"):
        evaluation.set_capaian(actor=kabid, cycle=cycle, opd=dinas, capaian="istimewa")
    # the head post is vacant: Admin BKPSDM records it
    assert capaian.capaian_capacity(bkpsdm_admin, dinas) == "bkpsdm"
    freeze(monkeypatch, day(9, 1))
    client = client_for(kabid)
    assert client.get(url).status_code == HTTPStatus.NOT_FOUND  # after: the right has ended
    assert not evaluation.can_manage_unit(kabid, dinas)


def test_leader_reads_stay_flat_as_assignments_multiply(city, monkeypatch):
    freeze(monkeypatch, day(5, 1))

    def count():
        with CaptureQueriesContext(connection) as queries:
            leaders.head_of_opd(city["dinas"], D)
            leaders.leader_above(city["dinas"], D)
            list(leaders.opds_led_above(city["sekda"], D))
            leaders.leads_own_opd(city["kadis"], D)
            leaders.is_unit_head(city["kadis"], city["dinas"], D)
        return len(queries)

    few = count()
    for number in range(10):  # ten more OPDs under the Sekda, each head transferred once
        unit = OrgUnitFactory(name=f"Dinas Tambahan {number}")
        head, successor = UserFactory(org_unit=None), UserFactory(org_unit=None)
        post(head, unit, city["sekda"], head=True, jenis="jpt")
        post(head, city["badan"], city["kaban"], jenis="fungsional", start=day(3, 1))
        post(successor, unit, city["sekda"], head=True, jenis="jpt", start=day(3, 1))
    assert len(led(city["sekda"], D)) == 12
    assert count() == few
