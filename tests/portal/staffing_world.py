"""A small organisation for the staffing tests: two OPDs, a bidang under the first, their heads
and staff, with assignments since 1 January of last year (`portal.staffing.services.assign`)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.contrib.auth.models import Group
from django.utils import timezone

from portal.models import ADMIN_BKPSDM, OrgUnit, User
from portal.staffing import Assignment
from portal.staffing.services import assign
from tests.factories import OrgUnitFactory, UserFactory

DAY = dt.timedelta(days=1)


def today() -> dt.date:
    return timezone.localdate()


def since() -> dt.date:
    return dt.date(today().year - 1, 1, 1)


def post(
    person: User,
    unit: OrgUnit,
    atasan: User | None,
    *,
    head: bool = False,
    start: dt.date | None = None,
    jenis: str = "pelaksana",
    actor: User | None = None,
    source: str = Assignment.Source.SK,
    sk_number: str = "800/1-BKPSDM",
) -> Assignment:
    return assign(
        actor=actor,
        person=person,
        org_unit=unit,
        jabatan=f"Jabatan {person.full_name}",
        jenis_jabatan=jenis,
        atasan=atasan,
        is_head=head,
        start=start or since(),
        source=source,
        sk_number=sk_number,
    )


@dataclass
class World:
    dinas: OrgUnit
    bidang: OrgUnit
    badan: OrgUnit
    kadis: User
    kabid: User
    staff: User
    kaban: User
    analis: User
    admin: User


def build_world() -> World:
    dinas = OrgUnitFactory(name="Dinas Uji Staffing")
    bidang = OrgUnitFactory(name="Bidang Uji Staffing", kind=OrgUnit.Kind.BIDANG, parent=dinas)
    badan = OrgUnitFactory(name="Badan Uji Staffing", kind=OrgUnit.Kind.BADAN)
    people = {
        key: UserFactory(org_unit=None, full_name=name)
        for key, name in [
            ("kadis", "Kadis Uji"),
            ("kabid", "Kabid Uji"),
            ("staff", "Staf Uji"),
            ("kaban", "Kaban Uji"),
            ("analis", "Analis Uji"),
            ("admin", "Admin Uji"),
        ]
    }
    people["admin"].groups.add(Group.objects.get_or_create(name=ADMIN_BKPSDM)[0])
    post(people["kadis"], dinas, None, head=True, jenis="jpt")
    post(people["kabid"], bidang, people["kadis"], head=True, jenis="administrator")
    post(people["staff"], bidang, people["kabid"])
    post(people["kaban"], badan, None, head=True, jenis="jpt")
    post(people["analis"], badan, people["kaban"], jenis="fungsional")
    for person in people.values():
        person.refresh_from_db()
    return World(dinas=dinas, bidang=bidang, badan=badan, **people)
