"""The world of the year journey (tests/e2e/test_year_journey.py): a test clock that the test
process and its forked server share, and the start state, seeded the way the demo seeds.

The clock: `django.utils.timezone.now` (and the model fields given `default=timezone.now`) read
an offset kept in a file, so `set_clock(day)` moves both processes at once. Nothing in the portal
reads the date another way (no `date.today()`, no database `Now()` defaults).
"""

from __future__ import annotations

import datetime as dt
import os
import tempfile
from collections.abc import Callable
from pathlib import Path

from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.apps import apps
from django.utils import timezone

from performance.demo import quarterly_cycle, seed_report, seed_skp
from portal.models import ADMIN_BKPSDM, OrgUnit
from portal.staffing.services import designate_rater
from tests.factories import OrgUnitFactory, UserFactory
from tests.helpers import ensure_base_data
from tests.portal.staffing_world import post

YEAR = 2026

# --- the test clock ----------------------------------------------------------------------------

CLOCK_FILE = Path(tempfile.gettempdir()) / f"year-journey-clock-{os.getpid()}"
_real_now = timezone.now


def _clock_now() -> dt.datetime:
    try:
        offset = float(CLOCK_FILE.read_text())
    except (OSError, ValueError):
        offset = 0.0
    return _real_now() + dt.timedelta(seconds=offset)


def set_clock(day: dt.date, hour: int = 10) -> None:
    """Both this process and the server now live on `day` at `hour` (Asia/Jakarta)."""
    target = timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))
    CLOCK_FILE.write_text(str((target - _real_now()).total_seconds()))


def _fields_defaulting_to(function) -> list:
    """Model fields with `default=timezone.now`: they keep the function they were given."""
    return [
        field
        for model in apps.get_models()
        for field in model._meta.concrete_fields
        if field.default is function
    ]


def start_clock() -> Callable[[], None]:
    """Put the clock in place (now: the real time); returns what takes it away again."""
    CLOCK_FILE.write_text("0")
    timezone.now = _clock_now
    fields = _fields_defaulting_to(_real_now)
    for field in fields:
        field.default = _clock_now
        field.__dict__.pop("_get_default", None)  # Field caches its default's callable

    def stop() -> None:
        for field in fields:
            field.default = _real_now
            field.__dict__.pop("_get_default", None)
        timezone.now = _real_now
        CLOCK_FILE.unlink(missing_ok=True)

    return stop


# --- the start state ----------------------------------------------------------------------------


def plan(text: str, parent: int | None, indicator: str, target: str, unit: str) -> list:
    return [("utama", text, parent, "", [("kuantitas", indicator, target, unit)])]


def seed_year() -> dict:
    """Three OPDs and a Setda on 24 September: posts since last January, approved SKPs, the
    first half year's reports of Rudi rated, the Kabid Lalu Lintas's Triwulan III waiting."""
    ensure_base_data()
    unit = {
        "setda": OrgUnitFactory(name="Sekretariat Daerah Uji"),
        "asal": OrgUnitFactory(name="Dinas Asal Mutasi"),
        "tujuan": OrgUnitFactory(name="Dinas Tujuan Mutasi"),
        "plt": OrgUnitFactory(name="Dinas Tanpa Kepala"),
    }
    unit["aptika"] = OrgUnitFactory(
        name="Bidang Aplikasi Asal", kind=OrgUnit.Kind.BIDANG, parent=unit["asal"]
    )
    unit["yankes"] = OrgUnitFactory(
        name="Bidang Layanan Tujuan", kind=OrgUnit.Kind.BIDANG, parent=unit["tujuan"]
    )
    unit["sekretariat"] = OrgUnitFactory(
        name="Sekretariat Dinas Tanpa Kepala", kind=OrgUnit.Kind.BAGIAN, parent=unit["plt"]
    )
    unit["lalin"] = OrgUnitFactory(
        name="Bidang Lalu Lintas Uji", kind=OrgUnit.Kind.BIDANG, parent=unit["plt"]
    )
    names = {
        "sekda": "Sekda Kota Uji",
        "kadis_a": "Kadis Asal",
        "kabid_a": "Kabid Asal",
        "rudi": "Rudi Pindah",
        "kadis_b": "Kadis Tujuan",
        "kabid_b": "Kabid Tujuan",
        "plt": "Yayah Plt",
        "kabid_c": "Kabid Lalin",
    }
    p = {key: UserFactory(org_unit=None, full_name=name) for key, name in names.items()}
    post(p["sekda"], unit["setda"], None, head=True, jenis="jpt")
    post(p["kadis_a"], unit["asal"], None, head=True, jenis="jpt")  # a head at the top
    post(p["kabid_a"], unit["aptika"], p["kadis_a"], head=True, jenis="administrator")
    post(p["rudi"], unit["aptika"], p["kabid_a"], jenis="fungsional")
    post(p["kadis_b"], unit["tujuan"], p["sekda"], head=True, jenis="jpt")
    post(p["kabid_b"], unit["yankes"], p["kadis_b"], head=True, jenis="administrator")
    post(p["plt"], unit["sekretariat"], None, head=True, jenis="administrator")
    post(p["kabid_c"], unit["lalin"], None, head=True, jenis="administrator")  # head vacant
    admin = UserFactory(org_unit=None, full_name="Yudi Admin", groups=[ADMIN_BKPSDM])
    secret = generate_totp_secret()
    TOTP.activate(admin, secret)
    designate_rater(
        actor=admin,
        person=p["kadis_a"],
        rater=p["sekda"],
        document_ref="Keputusan Wali Kota 800/1/2026",
        start=dt.date(YEAR, 1, 1),
    )

    cycle = quarterly_cycle(YEAR, closed_through=2)
    periods = {q.number: q for q in cycle.periods.all()}
    _skp, rhk_a = seed_skp(
        p["kadis_a"],
        cycle,
        [],
        plan("Layanan digital kota", None, "Layanan daring", "30", "layanan"),
        admin=admin,
    )
    _skp, rhk_ab = seed_skp(
        p["kabid_a"],
        cycle,
        rhk_a,
        plan("Aplikasi terpelihara", 0, "Aplikasi", "12", "aplikasi"),
        admin=admin,
    )
    old, _ = seed_skp(
        p["rudi"],
        cycle,
        rhk_ab,
        plan("Server aplikasi terpelihara", 0, "Server", "8", "server"),
        admin=admin,
    )
    _skp, rhk_b = seed_skp(
        p["kadis_b"],
        cycle,
        [],
        plan("Layanan kesehatan bermutu", None, "Puskesmas", "20", "unit"),
        admin=admin,
    )
    seed_skp(
        p["kabid_b"],
        cycle,
        rhk_b,
        plan("Data puskesmas tersambung", 0, "Puskesmas", "20", "unit"),
        admin=admin,
    )
    lalin, _ = seed_skp(
        p["kabid_c"],
        cycle,
        [],
        plan("Simpang adaptif", None, "Simpang", "12", "simpang"),
        admin=admin,
    )
    for number in (1, 2):
        seed_report(old, periods[number], submitted=periods[number].end + dt.timedelta(days=5),
                    rating=("sesuai", "sesuai"))  # fmt: skip
    seed_report(lalin, periods[3], submitted=dt.date(YEAR, 9, 20), rating=None)
    return {**p, "admin": admin, "secret": secret, "unit": unit, "periods": periods}
