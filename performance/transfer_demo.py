"""Demo data for a year that changes under the portal (issue 17; `seed_demo`, order 50, after the
performance and evaluation demos). Idempotent; relative to today like the rest of the demo. The
people side goes through `portal.staffing.services`, the SKPs through `services.transfer`.

- A transfer between two OPDs: Rudi Hartono (mutasi@demo.local), Pranata Komputer in
  Diskominfo's Bidang Aplikasi Informatika under Rina Marlina (atasan@demo.local), moves on the
  first day of the current quarter to Dinas Kesehatan's Bidang Pelayanan Kesehatan under
  dr. Bambang Hermawan (bambang@demo.local). The previous quarter's report is on his old SKP,
  rated by Rina; the current quarter's on his new SKP, waiting for Bambang, who reads the old
  SKP read-only.
- A Plt Kepala Dinas: Dinas Perhubungan's head post is vacant and its Sekretaris, an
  administrator (plt.dishub@demo.local), is Plt for the quarter (SK recorded by Admin BKPSDM):
  the Kepala Bidang Lalu Lintas's report waits for the Plt, who also runs Dishub's evaluation.
The Camat with his kecamatan team (Coblong) and the heads rated by the designated rater (the
Wali Kota, recorded by Admin BKPSDM) are in the people and evaluation demos.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from portal import authority
from portal.demo import Person, demo_user, seed_person
from portal.models import OrgUnit, User
from portal.staffing import ActingAppointment, Assignment
from portal.staffing.services import assign, record_acting

from . import rules
from .demo import (
    add_plan,
    approval_events,
    at,
    current_quarter,
    previous_period,
    quarterly_cycle,
    seed_report,
    seed_skp,
)
from .models import AnnualRating, ExpectationKhusus, Rhk, Skp, SkpEvent, value_choices
from .services import transfer

DISHUB = "dinas-perhubungan"
# (code, name, kind, parent code)
UNITS = [
    ("dishub-sekretariat", "Sekretariat Dinas Perhubungan", "bagian", DISHUB),
    ("dishub-lalin", "Bidang Lalu Lintas", "bidang", DISHUB),
]
MUTASI = Person(
    "mutasi",
    "Rudi Hartono, S.Kom.",
    "diskominfo-aptika",
    "Pranata Komputer Ahli Muda",
    "fungsional",
    "Penata (III/c)",
    "19870612",
    "201103",
    1,
    "atasan",
)
NEW_POST = ("dinkes-yankes", "Pranata Komputer Ahli Muda", "bambang")
# (person, is_head)
DISHUB_PEOPLE = [
    (
        Person(
            "plt.dishub",
            "Hj. Yayah Rokayah, S.T., M.T.",
            "dishub-sekretariat",
            "Sekretaris Dinas Perhubungan",
            "administrator",
            "Pembina (IV/a)",
            "19760910",
            "200103",
            2,
        ),
        True,
    ),
    (
        Person(
            "kabid.lalin",
            "Deni Kurniawan, S.SiT., M.M.",
            "dishub-lalin",
            "Kepala Bidang Lalu Lintas",
            "administrator",
            "Pembina (IV/a)",
            "19800114",
            "200412",
            1,
        ),
        True,
    ),
    (
        Person(
            "staf.lalin",
            "Asep Saepudin",
            "dishub-lalin",
            "Pengatur Lalu Lintas",
            "pelaksana",
            "Pengatur (II/c)",
            "19920503",
            "201503",
            1,
            "kabid.lalin",
        ),
        False,
    ),
]

PLANS = {
    "bambang": [
        (
            "utama",
            "Meningkatnya mutu layanan kesehatan rujukan di puskesmas",
            None,
            "",
            [("kuantitas", "Puskesmas yang terakreditasi paripurna", "20", "puskesmas")],
        ),
        (
            "utama",
            "Terintegrasinya data layanan kesehatan dalam satu sistem",
            None,
            "",
            [("kuantitas", "Puskesmas yang tersambung ke sistem informasi", "80", "puskesmas")],
        ),
    ],
    "mutasi-lama": [
        (
            "utama",
            "Terpeliharanya aplikasi perizinan daring",
            0,
            "",
            [("kualitas", "Ketersediaan aplikasi perizinan (uptime)", "99", "persen")],
        ),
    ],
    "mutasi-baru": [
        (
            "utama",
            "Tersambungnya sistem informasi puskesmas ke data kesehatan kota",
            0,
            "",
            [("kuantitas", "Puskesmas yang tersambung", "20", "puskesmas")],
        ),
    ],
    "kabid.lalin": [
        (
            "utama",
            "Meningkatnya kelancaran lalu lintas di simpang utama",
            None,
            "",
            [("kuantitas", "Simpang dengan lampu lalu lintas adaptif", "12", "simpang")],
        ),
    ],
}


def _approve(skp: Skp, plan: list, parents: list[Rhk], day: dt.date) -> None:
    """Fill the draft SKP the transfer made with `plan` and approve it (as its people would)."""
    if not skp.is_editable:
        return
    add_plan(skp, plan, parents)
    skp.status = Skp.Status.DISETUJUI
    skp.submitted_at = at(day, hour=9)
    skp.approved_at = at(day, hour=14)
    skp.save()
    approval_events(skp, skp.pejabat_penilai)
    for code, _name in value_choices():
        ExpectationKhusus.objects.create(
            skp=skp,
            value_code=code,
            text="Menjaga kerahasiaan data kesehatan warga dan bekerja tuntas.",
            written_by=skp.pejabat_penilai,
        )


def seed_transfer(cycle, current, previous) -> Skp:
    """Rudi's transfer on the first day of the current quarter (see the module docstring)."""
    rina = demo_user("atasan")
    bambang = demo_user(NEW_POST[2])
    rudi = seed_person(MUTASI, is_head=False, atasan=rina, update=False)
    unit, jabatan, _key = NEW_POST
    day = current.start
    moved = Assignment.objects.filter(person=rudi, org_unit__code=unit).first()
    if moved is None:  # first run: his year before the transfer, then the transfer
        rina_rhks = list(
            Skp.objects.filter(employee=rina, cycle=previous.cycle).get().rhks.order_by("order")
        )
        old_skp, _rhks = seed_skp(rudi, previous.cycle, rina_rhks, PLANS["mutasi-lama"])
        seed_report(
            old_skp,
            previous,
            submitted=previous.end - dt.timedelta(days=3),
            rating=("sesuai", "sesuai"),
        )
        if not previous.cycle.is_open:  # January: last year is over and rated, his too
            AnnualRating.objects.create(
                skp=old_skp,
                rating_hasil_kerja="sesuai",
                rating_perilaku_kerja="sesuai",
                predikat=rules.predikat("sesuai", "sesuai"),
                rated_by=rina,
            )
        old = authority.assignment_on(rudi, day - dt.timedelta(days=1))
        moved = assign(
            actor=demo_user("bkpsdm"),
            person=rudi,
            org_unit=OrgUnit.objects.get(code=unit),
            jabatan=jabatan,
            jenis_jabatan="fungsional",
            atasan=bambang,
            start=day,
            source=Assignment.Source.SK,
            sk_number=f"821.2/{day.year}-BKPSDM",
            note="Mutasi antar perangkat daerah (data demo).",
        )
        # What the receiver of assignment_changed does after commit (it then finds it done).
        closed, opened = transfer.transfer_skps(person=rudi, old=old, new=moved, day=day)
        # recorded on the day of the SK, before the new SKP was filled in
        SkpEvent.objects.filter(skp__in=[closed, opened], note__contains="mutasi/promosi").update(
            at=at(day, hour=8)
        )
    day = moved.start
    bambang_skp, bambang_rhks = seed_skp(bambang, cycle, [], PLANS["bambang"])
    new_skp = Skp.objects.get(employee=rudi, cycle=cycle, starts_on=day)
    _approve(new_skp, PLANS["mutasi-baru"], bambang_rhks, day)
    submitted = max(day, current.start + dt.timedelta(days=2))
    seed_report(new_skp, current, submitted=min(submitted, authority.today()), rating=None)
    return new_skp


def seed_acting_head(cycle, current) -> ActingAppointment:
    """Dinas Perhubungan's vacant head post with its Sekretaris as Plt for the quarter."""
    dishub = OrgUnit.objects.get(code=DISHUB)
    for code, name, kind, parent in UNITS:
        OrgUnit.objects.get_or_create(
            code=code,
            defaults={"name": name, "kind": kind, "parent": OrgUnit.objects.get(code=parent)},
        )
    people: dict[str, User] = {}
    for person, is_head in DISHUB_PEOPLE:
        atasan = people.get(person.atasan) if person.atasan else None
        people[person.key] = seed_person(person, is_head=is_head, atasan=atasan, update=False)
    plt = people["plt.dishub"]
    acting = (
        ActingAppointment.objects.filter(person=plt, org_unit=dishub).order_by("-start").first()
    )
    if acting is None or acting.end < current.start:
        acting = record_acting(
            actor=demo_user("bkpsdm"),
            person=plt,
            kind=ActingAppointment.Kind.PLT,
            org_unit=dishub,
            start=max(current.start, acting.end + dt.timedelta(days=1))
            if acting
            else current.start,
            end=current.end,
            sk_number=f"800.1.3/Plt.{current.start:%m}-{current.start.year}-BKPSDM",
        )
    kabid = people["kabid.lalin"]
    skp, _rhks = seed_skp(kabid, cycle, [], PLANS["kabid.lalin"])
    submitted = min(max(acting.start, current.start + dt.timedelta(days=3)), authority.today())
    seed_report(skp, current, submitted=submitted, rating=None)
    return acting


@transaction.atomic
def seed_transfer_demo(*, stdout=None) -> None:
    year, quarter = current_quarter()
    cycle = quarterly_cycle(year, closed_through=quarter - 1)
    current = cycle.periods.get(kind="quarterly", number=quarter)
    previous = previous_period()
    seed_transfer(cycle, current, previous)
    seed_acting_head(cycle, current)
    if stdout:
        stdout.write("  mutasi, Plt dan penilai yang ditunjuk: siap")
