"""Write a generated Bandung (`benchmarks.city_plan`) and a whole year of its work into the
database: the tree below the 63 OPDs, the people with their assignments and designated raters,
a cycle of monthly periods, approved SKPs whose RHK cascade from the atasan's, periodic reports
(on time, late and missing in realistic shares) with realisasi, link evidence, feedback and
ratings, annual ratings and each OPD's capaian, recognitions with their ledger entries and
scores, and training enrolments and certificates on the modules the demo publishes.

A benchmark fixture, never a production command: `make city`, or
`DJANGO_SETTINGS_MODULE=benchmarks.settings python manage.py generate_city --people 16000`.
Rows go in with bulk INSERTs shaped as the services write them (the services' own checks are
what the tests cover; here they would take hours). It expects a database without an earlier
city (`generate_city` refuses otherwise: drop and migrate the database to start again).
"""

from __future__ import annotations

import datetime as dt
import random
import time
from collections import defaultdict

from django.contrib.auth.hashers import make_password
from django.db import connection, transaction
from django.utils import timezone

from leaderboard.models import PointEntry, Recognition, season_of
from performance.models import (
    Cycle,
    Indicator,
    ReportingPeriod,
    Rhk,
    Skp,
)
from portal.domain import berakhlak_values
from portal.models import OrgUnit, User
from portal.staffing import Assignment, DesignatedRater
from training.models import Certificate, Enrollment, TrainingModulePage

from .city_plan import CityPlan, plan_city
from .city_year import BATCH, YearWriter, at_nine
from .rows import issued_certificate, save_scores, season_totals

DOMAIN = "kota.bench.local"
PASSWORD = "kota-bench-123"  # generated accounts only, never in production data
RECOGNITIONS_PER_STAFF, ENROLLED_SHARE, COMPLETED_SHARE = 2, 0.6, 0.7


class CityError(Exception):
    pass


def generate(
    *, people: int = 16000, seed: int = 1, today: dt.date | None = None, stdout=None
) -> dict:
    """Generate the city: last year complete (closed, with annual ratings) and this year up to
    `today` (default: today), whose current period is open with a third of the reports in.
    Returns the row counts (and the plan's digest)."""
    today = today or timezone.localdate()
    if User.objects.filter(email__endswith=f"@{DOMAIN}").exists():
        raise CityError("this database already holds a generated city: drop and migrate it")
    plan = plan_city(people=people, seed=seed, year=today.year)
    writer = _Writer(plan, random.Random(seed), today, stdout)
    with transaction.atomic():
        writer.run()
    writer.analyze()
    return {"digest": plan.digest(), **writer.counts}


class _Writer(YearWriter):
    def __init__(self, plan: CityPlan, rng: random.Random, today: dt.date, stdout):
        self.plan, self.rng, self.today, self.stdout = plan, rng, today, stdout
        self.year = today.year - 1
        self.counts: dict[str, int] = {}
        self.started = time.monotonic()
        self.since = self.jan1 = dt.date(self.year, 1, 1)  # every post since last year

    def log(self, what: str, n: int) -> None:
        self.counts[what] = n
        if self.stdout is not None:
            self.stdout.write(f"  {what}: {n} ({time.monotonic() - self.started:.1f}s)\n")

    def run(self) -> None:
        self.units()
        self.people()
        self.posts()
        for year in (self.today.year - 1, self.today.year):
            self.year = year
            self.jan1 = dt.date(self.year, 1, 1)
            self.cycle()
            self.skps()
            self.reports()
            if self.year < self.today.year:
                self.annual()
        self.recognitions()
        self.training()

    # --- organisation ---------------------------------------------------------------------------

    def units(self) -> None:
        self.unit_ids = dict(OrgUnit.objects.filter(parent=None).values_list("code", "pk"))
        pending = list(self.plan.units)
        while pending:  # a depth of the tree per INSERT: a parent is written before its children
            ready = [u for u in pending if u.parent in self.unit_ids]
            made = OrgUnit.objects.bulk_create(
                [
                    OrgUnit(
                        name=unit.name[:200],
                        kind=unit.kind,
                        code=f"kota-{unit.key.replace('/', '-')}"[:120],
                        parent_id=self.unit_ids[unit.parent],
                    )
                    for unit in ready
                ],
                batch_size=BATCH,
            )
            self.unit_ids.update(zip((u.key for u in ready), (m.pk for m in made), strict=True))
            pending = [u for u in pending if u.key not in self.unit_ids]
        self.log("units", len(self.plan.units))

    def people(self) -> None:
        password = make_password(PASSWORD)
        self.user_ids: dict[int, int] = {}
        for level in self.plan.levels():  # atasan first
            made = User.objects.bulk_create(
                [
                    User(
                        nip=p.nip,
                        email=p.email,
                        full_name=p.full_name,
                        jabatan=p.jabatan,
                        jenis_jabatan=p.jenis,
                        org_unit_id=self.unit_ids[p.unit],
                        atasan_id=self.user_ids.get(p.atasan) if p.atasan is not None else None,
                        password=password,
                        board_opt_out=self.rng.random() < 0.05,
                    )
                    for p in level
                ],
                batch_size=BATCH,
            )
            self.user_ids.update(zip((p.index for p in level), (u.pk for u in made), strict=True))
        self.by_index = {p.index: p for p in self.plan.people}
        self.log("people", len(self.user_ids))

    def posts(self) -> None:
        made = Assignment.objects.bulk_create(
            [
                Assignment(
                    person_id=self.user_ids[p.index],
                    org_unit_id=self.unit_ids[p.unit],
                    jabatan=p.jabatan,
                    jenis_jabatan=p.jenis,
                    atasan_id=self.user_ids.get(p.atasan) if p.atasan is not None else None,
                    is_head=p.is_head,
                    start=self.since,
                    source=Assignment.Source.IMPOR,
                )
                for p in self.plan.people
            ],
            batch_size=BATCH,
        )
        self.assignment_ids = {a.person_id: a.pk for a in made}
        self.log("assignments", len(made))
        heads = [p for p in self.plan.people if p.level == 0]
        sekda = next((p for p in heads if p.jabatan == "Sekretaris Daerah"), None)
        self.raters: dict[int, int | None] = {}  # head's user id: designated rater's user id
        rows = []
        for head in heads:
            uid = self.user_ids[head.index]
            rater = None if head is sekda or sekda is None else self.user_ids[sekda.index]
            self.raters[uid] = rater
            rows.append(
                DesignatedRater(
                    person_id=uid,
                    rater_id=rater,
                    external_rater="" if rater else "Wali Kota Bandung",
                    document_ref=f"SK-KOTA/{self.year}/{head.index:05d}",
                    start=self.since,
                )
            )
        DesignatedRater.objects.bulk_create(rows)
        self.log("designated_raters", len(rows))

    # --- the year -------------------------------------------------------------------------------

    def cycle(self) -> None:
        done = self.year < self.today.year
        self.cycle_obj, created = Cycle.objects.get_or_create(
            year=self.year, defaults={"status": Cycle.Status.CLOSED if done else Cycle.Status.OPEN}
        )
        if created:
            ReportingPeriod.objects.bulk_create(
                [
                    ReportingPeriod(
                        cycle=self.cycle_obj,
                        kind=ReportingPeriod.Kind.MONTHLY,
                        number=m,
                        start=dt.date(self.year, m, 1),
                        end=_month_end(self.year, m),
                        due_date=_month_end(self.year, m) + dt.timedelta(days=10),
                        is_closed=_month_end(self.year, m) + dt.timedelta(days=40) < self.today,
                    )
                    for m in range(1, 13)
                ]
            )
        self.periods = list(self.cycle_obj.periods.order_by("start"))
        self.log(f"{self.year}:periods", len(self.periods))

    def skps(self) -> None:
        """One approved SKP a person; two utama RHK cascading from the atasan's, one tambahan
        for a third of them; two indicators an RHK."""
        self.skp_ids: dict[int, int] = {}
        self.rhk_ids: dict[int, list[int]] = {}  # user id: their RHK ids
        approved = timezone.make_aware(dt.datetime(self.year, 1, 20, 9))
        n_rhk = n_ind = 0
        for level in self.plan.levels():
            skps = []
            for p in level:
                uid = self.user_ids[p.index]
                rater = self.user_ids.get(p.atasan) if p.atasan is not None else self.raters[uid]
                rater_p = self.by_index.get(p.atasan) if p.atasan is not None else None
                skps.append(
                    Skp(
                        employee_id=uid,
                        cycle=self.cycle_obj,
                        assignment_id=self.assignment_ids[uid],
                        starts_on=self.jan1,
                        pendekatan=Skp.Pendekatan.KUANTITATIF,
                        pejabat_penilai_id=rater,
                        register_atasan_id=self.user_ids.get(p.atasan)
                        if p.atasan is not None
                        else None,
                        atasan_pejabat_penilai_id=(
                            self.user_ids.get(rater_p.atasan)
                            if rater_p and rater_p.atasan is not None
                            else None
                        ),
                        pejabat_penilai_name=rater_p.full_name if rater_p else "",
                        pejabat_penilai_jabatan=rater_p.jabatan if rater_p else "",
                        employee_jabatan=p.jabatan,
                        employee_unit=p.unit,
                        status=Skp.Status.DISETUJUI,
                        submitted_at=approved - dt.timedelta(days=5),
                        approved_at=approved,
                    )
                )
            made = Skp.objects.bulk_create(skps, batch_size=BATCH)
            rhks = []
            for p, skp in zip(level, made, strict=True):
                self.skp_ids[self.user_ids[p.index]] = skp.pk
                parents = (
                    self.rhk_ids.get(self.user_ids[p.atasan], []) if p.atasan is not None else []
                )
                for order in range(3 if self.rng.random() < 0.33 else 2):
                    utama = order < 2
                    rhks.append(
                        Rhk(
                            skp_id=skp.pk,
                            jenis=Rhk.Jenis.UTAMA if utama else Rhk.Jenis.TAMBAHAN,
                            text=f"Hasil kerja {order + 1}: {p.jabatan} {p.unit}",
                            parent_rhk_id=self.rng.choice(parents) if utama and parents else None,
                            order=order,
                        )
                    )
            made_rhks = Rhk.objects.bulk_create(rhks, batch_size=BATCH)
            owner = {skp.pk: skp.employee_id for skp in made}
            for rhk in made_rhks:
                self.rhk_ids.setdefault(owner[rhk.skp_id], []).append(rhk.pk)
            n_rhk += len(made_rhks)
            indicators = [
                Indicator(rhk_id=rhk.pk, aspek=aspek, text=text, target=target, unit=unit)
                for rhk in made_rhks
                for aspek, text, target, unit in (
                    ("kuantitas", "Jumlah dokumen yang diselesaikan", 12, "dokumen"),
                    ("waktu", "Ketepatan waktu penyelesaian", 100, "persen"),
                )
            ]
            n_ind += len(Indicator.objects.bulk_create(indicators, batch_size=BATCH))
        self.indicators: dict[int, list[int]] = defaultdict(list)  # skp id: indicator ids
        for ind_id, skp_id in Indicator.objects.filter(rhk__skp__cycle=self.cycle_obj).values_list(
            "pk", "rhk__skp_id"
        ):
            self.indicators[skp_id].append(ind_id)
        self.log(f"{self.year}:skps", len(self.skp_ids))
        self.log(f"{self.year}:rhk", n_rhk)
        self.log(f"{self.year}:indicators", n_ind)

    def recognitions(self) -> None:
        """Supervisors recognise their staff through the year; each recognition with its ledger
        entry; scores summed from the entries (checked)."""
        values = [v["code"] for v in berakhlak_values()]
        staff = [p for p in self.plan.people if p.atasan is not None]
        count = len(staff) * RECOGNITIONS_PER_STAFF
        chosen = [staff[self.rng.randrange(len(staff))] for _ in range(count)]
        moments = [
            at_nine(self.since)
            + dt.timedelta(seconds=self.rng.randrange(0, (self.today - self.since).days * 86400))
            for _ in chosen
        ]
        points = [self.rng.choice([0, 5, 10, 10, 25]) for _ in chosen]
        entries = PointEntry.objects.bulk_create(
            [
                PointEntry(
                    user_id=self.user_ids[p.index],
                    points=n,
                    reason=PointEntry.Reason.RECOGNITION,
                    key=f"kota-recognition:{i}",
                    created_by_id=self.user_ids[p.atasan],
                    created_at=at,
                )
                for i, (p, n, at) in enumerate(zip(chosen, points, moments, strict=True))
                if n
            ],
            batch_size=BATCH,
        )
        entry_of = {e.key: e.pk for e in entries}
        Recognition.objects.bulk_create(
            [
                Recognition(
                    giver_id=self.user_ids[p.atasan],
                    receiver_id=self.user_ids[p.index],
                    value=self.rng.choice(values),
                    message="Terima kasih atas kerja kerasnya bulan ini.",
                    points=n,
                    season=season_of(at),
                    key=f"kota:{i}",
                    entry_id=entry_of.get(f"kota-recognition:{i}"),
                    created_at=at,
                )
                for i, (p, n, at) in enumerate(zip(chosen, points, moments, strict=True))
            ],
            batch_size=BATCH,
        )
        totals = season_totals((e.user_id, e.points, e.created_at) for e in entries)
        save_scores(totals, batch_size=BATCH)
        self.log("recognitions", len(chosen))
        self.log("point_entries", len(entries))

    def training(self) -> None:
        modules = list(TrainingModulePage.objects.live().order_by("pk"))
        if not modules:
            self.log("enrollments", 0)  # no published module (run seed_demo first for some)
            return
        enrollments, certificates = [], []
        for p in self.plan.people:
            if self.rng.random() >= ENROLLED_SHARE:
                continue
            uid = self.user_ids[p.index]
            for module in self.rng.sample(modules, k=min(len(modules), self.rng.randint(1, 3))):
                start = at_nine(self.since) + dt.timedelta(
                    days=self.rng.randrange(0, (self.today - self.since).days)
                )
                done = self.rng.random() < COMPLETED_SHARE
                end = start + dt.timedelta(days=self.rng.randint(1, 30)) if done else None
                enrollments.append(
                    Enrollment(user_id=uid, module=module, created_at=start, completed_at=end)
                )
                if done:
                    certificates.append(
                        issued_certificate(
                            module,
                            p,
                            code=f"K{self.rng.getrandbits(64):016X}"[:20],
                            user_id=uid,
                            score=self.rng.randint(70, 100),
                            issued_at=end,
                        )
                    )
        self.log("enrollments", len(Enrollment.objects.bulk_create(enrollments, batch_size=BATCH)))
        self.log(
            "certificates", len(Certificate.objects.bulk_create(certificates, batch_size=BATCH))
        )

    def analyze(self) -> None:
        """Statistics for the planner, as autovacuum would gather soon after a bulk load."""
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")


def _month_end(year: int, month: int) -> dt.date:
    if month == 12:
        return dt.date(year, 12, 31)
    return dt.date(year, month + 1, 1) - dt.timedelta(days=1)
