"""The team page, monitoring (city and one OPD) and an OPD's evaluation page read the same
number of queries when the staffing history multiplies tenfold (issue 17): transfers in and
out, acting appointments and rating delegations, ten of each instead of one.

Two OPDs with the same people and posts today: the first has one round of history, the second
ten. Each page is read for the first OPD, then for the second (the city page after both)."""

from http import HTTPStatus

import pytest
from allauth.mfa.models import Authenticator
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from performance.models import Cycle
from portal.models import OrgUnit
from portal.staffing import ActingAppointment, Assignment, RatingDelegation
from portal.staffing.services import delegate_rating, record_acting
from tests.factories import OrgUnitFactory, UserFactory
from tests.performance.factories import make_cycle, make_report
from tests.performance.transfer_world import YEAR, approved, day, freeze, post

pytestmark = pytest.mark.django_db

STAFF = 3


def build_opd(name: str, rounds: int, origin) -> dict:
    """An OPD (head, Kepala Bidang, STAFF staff, a Plh of the bidang today) whose staff came in
    `rounds` times from `origin` (and went back between), with `rounds` past Plh appointments
    of the bidang and `rounds` past delegations of the Kepala Bidang. Clock: 25 January."""
    dinas = OrgUnitFactory(name=f"Dinas {name}")
    bidang = OrgUnitFactory(name=f"Bidang {name}", kind=OrgUnit.Kind.BIDANG, parent=dinas)
    kadis = UserFactory(org_unit=None, full_name=f"Kadis {name}")
    kabid = UserFactory(org_unit=None, full_name=f"Kabid {name}")
    plh = UserFactory(org_unit=None, full_name=f"Plh {name}")
    staff = [UserFactory(org_unit=None, full_name=f"Staf {name} {i}") for i in range(STAFF)]
    post(kadis, dinas, None, head=True, jenis="jpt")
    post(kabid, bidang, kadis, head=True, jenis="administrator")
    post(plh, dinas, kadis, jenis="administrator")
    for person in staff:  # transfers: out to the origin OPD and back, `rounds` times
        for number in range(rounds):
            post(person, origin["bidang"], origin["kabid"], start=day(1, 1 + 2 * number))
            post(person, bidang, kabid, start=day(1, 2 + 2 * number))
    for number in range(rounds):
        record_acting(
            actor=None,
            person=plh,
            kind=ActingAppointment.Kind.PLH,
            org_unit=bidang,
            start=day(2, 1 + number),
            end=day(2, 1 + number),
            sk_number=f"800/Plh-{number}",
        )
        delegate_rating(
            actor=kabid, start=day(3, 1 + number), end=day(3, 1 + number), reason="Cuti"
        )
    record_acting(  # today's Plh (the page reader too)
        actor=None,
        person=plh,
        kind=ActingAppointment.Kind.PLH,
        org_unit=bidang,
        start=day(5, 1),
        end=day(6, 30),
        sk_number="800/Plh-kini",
    )
    return {
        "dinas": dinas,
        "bidang": bidang,
        "kadis": kadis,
        "kabid": kabid,
        "plh": plh,
        "staff": staff,
    }


def fill(opd: dict, cycle: Cycle) -> None:
    """Approved SKPs and a submitted report for the first quarter."""
    q1 = cycle.periods.get(kind="quarterly", number=1)
    for person in [opd["kabid"], *opd["staff"]]:
        make_report(approved(person, cycle), q1, status="diajukan")
    approved(opd["kadis"], cycle)


def queries(client, url) -> int:
    client.get(url)  # steady state: site-wide caches filled
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == HTTPStatus.OK, url
    return len(captured.captured_queries)


def pages(opd: dict, admin, client_for, cycle: Cycle) -> list[int]:
    q1 = cycle.periods.get(kind="quarterly", number=1)
    monitoring = reverse("performance:monitoring") + f"?periode={q1.pk}"
    late = reverse("performance:monitoring_late", args=[opd["dinas"].pk]) + f"?periode={q1.pk}"
    unit = reverse("performance:unit_detail", args=[cycle.year, opd["dinas"].pk])
    return [
        queries(client_for(opd["kabid"]), reverse("performance:team")),
        queries(client_for(opd["plh"]), reverse("performance:team")),
        queries(client_for(opd["kadis"]), reverse("performance:team")),
        queries(client_for(opd["kadis"]), monitoring),  # one OPD: the head's own
        queries(client_for(admin), late),  # one OPD's names
        queries(client_for(admin), monitoring),  # the city
        queries(client_for(opd["kadis"]), unit),  # the OPD's evaluation page
        queries(client_for(admin), unit),
    ]


def test_pages_read_the_same_queries_with_ten_times_the_staffing_history(monkeypatch, client_for):
    freeze(monkeypatch, day(1, 25))
    cycle = make_cycle(YEAR)
    admin = UserFactory(groups=["Admin BKPSDM"])
    Authenticator.objects.create(user=admin, type="totp", data={"secret": "x"})
    origin_unit = OrgUnitFactory(name="Dinas Asal")
    origin_bidang = OrgUnitFactory(name="Bidang Asal", kind=OrgUnit.Kind.BIDANG, parent=origin_unit)
    origin_head = UserFactory(org_unit=None)
    origin_kabid = UserFactory(org_unit=None)
    post(origin_head, origin_unit, None, head=True, jenis="jpt")
    post(origin_kabid, origin_bidang, origin_head, head=True, jenis="administrator")
    origin = {"bidang": origin_bidang, "kabid": origin_kabid}

    once = build_opd("Sekali", 1, origin)
    fill(once, cycle)
    freeze(monkeypatch, day(5, 20))
    small = pages(once, admin, client_for, cycle)

    freeze(monkeypatch, day(1, 25))
    tenfold = build_opd("Sepuluh", 10, origin)
    fill(tenfold, cycle)
    freeze(monkeypatch, day(5, 20))
    history = {
        model.__name__: model.objects.filter(**{field: tenfold[who]}).count()
        for model, field, who in [
            (ActingAppointment, "org_unit", "bidang"),
            (RatingDelegation, "delegator", "kabid"),
        ]
    }
    assert history == {"ActingAppointment": 11, "RatingDelegation": 10}
    assert Assignment.objects.filter(person=tenfold["staff"][0]).count() >= 20
    large = pages(tenfold, admin, client_for, cycle)
    assert small == large
    team = client_for(tenfold["plh"]).get(reverse("performance:team")).content.decode()
    assert team.count('data-testid="anggota-') == STAFF
