"""The exports `bench_city_exports` measures, each with a signed-in session of the person entitled
to it, read from the database named by DATABASE_URL: the demo's (`seed_demo`) or the generated
city's (`generate_city`). Prints JSON {"exports": {name: [path, session key]},
"opd": {"name": ..., "people": n, "head": whether it has one}}. Run by bench_city_exports only:

    DATABASE_URL=... python -m benchmarks.export_targets demo|city [people]

Who: Admin BKPSDM for the city-wide exports (monitoring, names behind it, predikat) and the
evaluation PDF of one of the OPD's staff; the head of "the OPD" for its own exports (monitoring,
names, predikat, e-Kinerja XLSX and JSON); the supervisor of city_targets (the most staff in Dinas
Pendidikan) for their own personal data. The OPD: in the demo, the demo employee's; in the city,
the generated OPD whose head count is nearest to `NEAR` (issue 19: "a 1,500-person OPD") or to
the number given.
"""

from __future__ import annotations

import json
import sys

from . import common
from .city_targets import cast

NEAR = 1500


def _opd_near(people: int):
    """The OPD (top-level unit) whose active people are nearest `people` in number, and that
    number."""
    from django.db.models import Count  # local: Django is set up in __main__ first

    from portal.models import OrgUnit, User

    units = OrgUnit.objects.unit_map()
    sizes: dict[int, int] = {}
    for unit_id, n in (
        User.objects.filter(is_active=True, org_unit__isnull=False)
        .values_list("org_unit_id")
        .annotate(n=Count("pk"))
        .order_by()
    ):
        opd = units.opd_of(unit_id)
        sizes[opd] = sizes.get(opd, 0) + n
    best = min(sizes, key=lambda pk: (abs(sizes[pk] - people), pk))
    return OrgUnit.objects.get(pk=best), sizes[best]


def _opd_size(opd) -> int:
    from portal.models import OrgUnit, User  # local: Django is set up in __main__ first

    units = OrgUnit.objects.unit_map().units_of_opd(opd.pk)
    return User.objects.filter(is_active=True, org_unit__in=units).count()


def _head_of(opd, fallback):
    """Whoever holds the OPD's head post today (the head's rights: monitoring, predikat and
    e-Kinerja of the OPD, its people's evaluation documents); `fallback` when nobody does."""
    from portal.staffing import Assignment  # local: Django is set up in __main__ first

    post = (
        Assignment.objects.filter(org_unit=opd, is_head=True, end=None)
        .select_related("person")
        .order_by("-start", "pk")
        .first()
    )
    return post.person if post else fallback


def _document(opd, year) -> str:
    """The annual evaluation PDF of a staff member of the OPD, the one whose year has the most
    realisasi (the longest document); a rated period's PDF when the year has no annual rating
    there."""
    from django.db.models import Count  # local: Django is set up in __main__ first

    from performance.models import PeriodicReport, Skp
    from portal.models import OrgUnit

    units = OrgUnit.objects.unit_map().units_of_opd(opd.pk)
    skps = Skp.objects.filter(cycle=year).in_units(units)
    rated = (
        skps.filter(annual_rating__isnull=False)
        .annotate(n=Count("reports__realisasi"))
        .order_by("-n", "pk")
        .first()
    )
    if rated:
        return f"/kinerja/evaluasi/skp/{rated.pk}/dokumen.pdf"
    report = (
        PeriodicReport.objects.filter(skp__in=skps, status=PeriodicReport.Status.DINILAI)
        .order_by("pk")
        .first()
    )
    return f"/kinerja/evaluasi/skp/{report.skp_id}/dokumen.pdf?periode={report.period_id}"


def targets(kind: str, near: int = NEAR) -> dict:
    people = cast(kind)
    admin, boss = people["admin"], people["boss"]
    if kind == "demo":
        opd = people["opd"]
        size = _opd_size(opd)
    else:
        opd, size = _opd_near(near)
    head = _head_of(opd, admin)
    year = people["last_year"]
    sessions = {user.pk: common.session_cookie(user) for user in (head, boss)}
    sessions[admin.pk] = common.session_cookie(admin, mfa_totp_active=True)
    evaluasi = f"/kinerja/evaluasi/{year.year}"
    exports = {
        "monitoring-city": ("/kinerja/pemantauan/unduh.xlsx", admin),
        "monitoring-opd": ("/kinerja/pemantauan/unduh.xlsx", head),
        "names-city": ("/kinerja/pemantauan/nama.xlsx", admin),
        "names-opd": (f"/kinerja/pemantauan/nama.xlsx?opd={opd.pk}", head),
        "predikat-city": (f"{evaluasi}/predikat.xlsx", admin),
        "predikat-opd": (f"{evaluasi}/predikat.xlsx?opd={opd.pk}", head),
        "ekinerja-opd-xlsx": (f"{evaluasi}/skp-ekinerja.xlsx?opd={opd.pk}", head),
        "ekinerja-opd-json": (f"{evaluasi}/skp-ekinerja.json?opd={opd.pk}", head),
        "ekinerja-city-xlsx": (f"{evaluasi}/skp-ekinerja.xlsx", admin),
        "personal-data": ("/beranda/data-saya/", boss),
        # Admin BKPSDM may open anyone's (the head only their raters' staff's)
        "evaluation-pdf": (_document(opd, year), admin),
    }
    return {
        "exports": {name: [path, sessions[user.pk]] for name, (path, user) in exports.items()},
        "opd": {"name": opd.name, "people": size, "head": head != admin},
    }


if __name__ == "__main__":
    common.setup_django()
    sys.stdout.write(json.dumps(targets(*sys.argv[1:2], *map(int, sys.argv[2:3]))))
