"""A small organisation for the transfer tests (issue 17), with dated posts through
`portal.staffing.services` and the clock frozen inside one year.

Two OPDs, each with a head (a JPT holding the head post) and a bidang whose Kepala Bidang holds
the bidang's head post; one employee in the first bidang. Every post since 1 January of
`YEAR`; the cycle of `YEAR` with four quarterly periods (due ten days after their end).
"""

from __future__ import annotations

import datetime as dt
import zoneinfo
from dataclasses import dataclass
from decimal import Decimal

from django.utils import timezone

from performance import services
from performance.models import Cycle, Indicator, Rhk, Skp
from portal.models import OrgUnit, User
from portal.staffing import Assignment
from portal.staffing.services import assign
from tests.factories import OrgUnitFactory, UserFactory

from .factories import make_cycle

YEAR = 2026
JAKARTA = zoneinfo.ZoneInfo("Asia/Jakarta")


def day(month: int, number: int, year: int = YEAR) -> dt.date:
    return dt.date(year, month, number)


def freeze(monkeypatch, when: dt.date, hour: int = 10) -> dt.date:
    """Move the server's clock (timezone.now, hence every "today") to `when` in Jakarta."""
    moment = dt.datetime.combine(when, dt.time(hour, 0), tzinfo=JAKARTA)
    monkeypatch.setattr(timezone, "now", lambda: moment.astimezone(dt.UTC))
    return timezone.localdate()


def post(
    person: User,
    unit: OrgUnit,
    atasan: User | None,
    *,
    head: bool = False,
    jenis: str = "pelaksana",
    start: dt.date | None = None,
    jabatan: str = "",
) -> Assignment:
    return assign(
        actor=None,
        person=person,
        org_unit=unit,
        jabatan=jabatan or f"Jabatan {person.full_name}",
        jenis_jabatan=jenis,
        atasan=atasan,
        is_head=head,
        start=start or day(1, 1),
        source=Assignment.Source.SK,
        sk_number="800/1-BKPSDM",
    )


def approved(employee: User, cycle: Cycle, *, skp: Skp | None = None) -> Skp:
    """The employee's SKP (made by `services.create_skp` unless given), with one RHK and one
    indicator, approved."""
    skp = skp or services.create_skp(employee=employee, cycle=cycle)
    rhk = Rhk.objects.create(skp=skp, jenis="utama", text=f"RHK {employee.full_name}")
    Indicator.objects.create(
        rhk=rhk, aspek="kuantitas", text="Dokumen", target=Decimal("4"), unit="dokumen"
    )
    now = timezone.now()
    Skp.objects.filter(pk=skp.pk).update(status="disetujui", submitted_at=now, approved_at=now)
    skp.refresh_from_db()
    return skp


@dataclass
class World:
    dinas_a: OrgUnit
    bidang_a: OrgUnit
    dinas_b: OrgUnit
    bidang_b: OrgUnit
    kadis_a: User
    kabid_a: User
    staff: User
    kadis_b: User
    kabid_b: User
    cycle: Cycle

    def move_staff(self, start: dt.date, **kwargs) -> Assignment:
        """The transfer: the employee to the second OPD's bidang, under its Kepala Bidang."""
        return post(self.staff, self.bidang_b, self.kabid_b, start=start, **kwargs)


def build_world() -> World:
    """Call with the clock frozen in `YEAR` and on_commit callbacks executed."""
    dinas_a = OrgUnitFactory(name="Dinas Asal")
    bidang_a = OrgUnitFactory(name="Bidang Asal", kind=OrgUnit.Kind.BIDANG, parent=dinas_a)
    dinas_b = OrgUnitFactory(name="Dinas Tujuan")
    bidang_b = OrgUnitFactory(name="Bidang Tujuan", kind=OrgUnit.Kind.BIDANG, parent=dinas_b)
    people = {
        key: UserFactory(org_unit=None, full_name=name)
        for key, name in [
            ("kadis_a", "Kadis Asal"),
            ("kabid_a", "Kabid Asal"),
            ("staff", "Staf Pindahan"),
            ("kadis_b", "Kadis Tujuan"),
            ("kabid_b", "Kabid Tujuan"),
        ]
    }
    post(people["kadis_a"], dinas_a, None, head=True, jenis="jpt")
    post(people["kabid_a"], bidang_a, people["kadis_a"], head=True, jenis="administrator")
    post(people["staff"], bidang_a, people["kabid_a"], jabatan="Pranata Komputer")
    post(people["kadis_b"], dinas_b, None, head=True, jenis="jpt")
    post(people["kabid_b"], bidang_b, people["kadis_b"], head=True, jenis="administrator")
    for person in people.values():
        person.refresh_from_db()
    return World(
        dinas_a=dinas_a,
        bidang_a=bidang_a,
        dinas_b=dinas_b,
        bidang_b=bidang_b,
        cycle=make_cycle(YEAR),
        **people,
    )


def approved_world(monkeypatch, commits) -> World:
    """The world on 10 January with the Kabid's and the staff member's SKPs approved (the rights
    tests start here)."""
    freeze(monkeypatch, day(1, 10))
    with commits():
        built = build_world()
    built.kabid_skp = approved(built.kabid_b, built.cycle)
    built.staff_skp = approved(built.staff, built.cycle)
    return built
