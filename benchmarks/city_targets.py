"""The pages `bench_city_pages` measures, with a signed-in session for each, read from the
database named by DATABASE_URL: the demo's (`seed_demo`) or the generated city's
(`generate_city`). Prints JSON {page: [path, session key]}. Run by bench_city_pages only:

    DATABASE_URL=... python -m benchmarks.city_targets demo|city
"""

from __future__ import annotations

import json
import sys

from . import common

# The people whose pages are measured: in the demo, its accounts; in the city, the largest
# OPD (Dinas Pendidikan), a supervisor there with the most staff, and one of their staff.
CITY_OPD = "dinas-pendidikan"


def cast(kind: str) -> dict:
    """The people and years of a side: Admin BKPSDM, the staff member, their boss, the OPD, and
    the two latest cycles (`this_year`, `last_year`)."""
    from django.db.models import Count

    from performance.models import Cycle
    from portal.models import OrgUnit, User

    admin = User.objects.get(email="bkpsdm@demo.local")
    if kind == "demo":
        staff = User.objects.get(email="pegawai@demo.local")
        boss = staff.atasan
        opd = staff.org_unit
        while opd.parent_id:
            opd = opd.parent
    else:
        opd = OrgUnit.objects.get(code=CITY_OPD)
        boss = (
            User.objects.filter(email__endswith="@kota.bench.local", org_unit__parent__parent=opd)
            .annotate(n=Count("bawahan"))
            .order_by("-n", "pk")
            .first()
        )
        staff = boss.bawahan.order_by("pk").first()
    this_year = Cycle.objects.order_by("-year").first()
    last_year = Cycle.objects.filter(year__lt=this_year.year).order_by("-year").first()
    return {
        "admin": admin,
        "staff": staff,
        "boss": boss,
        "opd": opd,
        "this_year": this_year,
        "last_year": last_year,
    }


def targets(kind: str) -> dict[str, list[str]]:
    from performance.models import PeriodicReport
    from performance.services.leaders import head_of_opd  # local: Django is set up first

    people = cast(kind)
    admin, staff, boss, opd = (people[k] for k in ("admin", "staff", "boss", "opd"))
    last_year = people["last_year"]
    # The reviewer's job: a report of their staff waiting for a rating, the same state on
    # both sides (a rated report takes other rights checks).
    report = (
        PeriodicReport.objects.filter(skp__employee__atasan=boss, status="diajukan")
        .order_by("-period__start", "pk")
        .first()
    )
    # One OPD's monitoring is its head's page: the view reads no `?opd=` (Admin BKPSDM sees the
    # city), so signed in as Admin BKPSDM that line measured the city page a second time.
    head = head_of_opd(opd)
    if head is None:
        raise SystemExit(f"{opd.code}: nobody holds the head post")
    sessions = {user.pk: common.session_cookie(user) for user in (staff, boss, head)}
    sessions[admin.pk] = common.session_cookie(admin, mfa_totp_active=True)
    pages = {
        "beranda": ("/beranda/", staff),
        "my-performance": ("/kinerja/", staff),
        "team": ("/kinerja/tim/", boss),
        "report-review": (f"/kinerja/laporan/{report.pk}/", boss),
        "monitoring-city": ("/kinerja/pemantauan/", admin),
        "monitoring-opd": (f"/kinerja/pemantauan/?opd={opd.pk}", head),
        "evaluation-opd": (f"/kinerja/evaluasi/{last_year.year}/unit/{opd.pk}/", admin),
        "board": ("/papan/", staff),
        "training-monitoring": ("/pelatihan/pemantauan/", admin),
    }
    return {name: [path, sessions[user.pk]] for name, (path, user) in pages.items()}


if __name__ == "__main__":
    common.setup_django()
    sys.stdout.write(json.dumps(targets(sys.argv[1])))
