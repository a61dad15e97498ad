"""The issue 17 demo (performance.transfer_demo and the heads in the performance and evaluation
demos), whatever today is: a transfer between two OPDs with reports before and after, a Plt
Kepala Dinas, a Camat with his kecamatan, heads rated by the designated rater."""

import datetime as dt
import zoneinfo

import pytest
from django.utils import timezone

from performance import rights
from performance.demo import seed_performance_demo
from performance.evaluation_demo import last_year, seed_evaluation_demo
from performance.models import Cycle, PeriodicReport, ReportingPeriod, Skp
from performance.services import evaluation
from performance.transfer_demo import seed_transfer_demo
from portal.demo import demo_user, seed_people
from portal.staffing import ActingAppointment, DesignatedRater

pytestmark = pytest.mark.django_db

JAKARTA = zoneinfo.ZoneInfo("Asia/Jakarta")


def seed_all():
    seed_people()
    seed_performance_demo()
    seed_evaluation_demo()
    seed_transfer_demo()


@pytest.mark.parametrize(
    "moment",
    [
        dt.datetime(2027, 1, 4, 8, 0, tzinfo=JAKARTA),
        dt.datetime(2026, 8, 20, 9, 0, tzinfo=JAKARTA),
        dt.datetime(2026, 10, 1, 7, 0, tzinfo=JAKARTA),  # the first day of a quarter
    ],
    ids=["january", "august", "quarter-start"],
)
def test_the_demo_has_each_flow_of_a_changing_year(monkeypatch, moment):
    monkeypatch.setattr(timezone, "now", lambda: moment.astimezone(dt.UTC))
    today = timezone.localdate()
    seed_all()
    cycle = Cycle.objects.current()
    current = ReportingPeriod.objects.current(cycle)

    # The transfer on the first day of the quarter: the old SKP closed the day before, its
    # report rated by Rina; the new SKP's report waiting for Bambang, who reads the old one.
    rudi, rina, bambang = demo_user("mutasi"), demo_user("atasan"), demo_user("bambang")
    old, new = Skp.objects.filter(employee=rudi).order_by("starts_on")
    assert new.starts_on == current.start and old.ends_on == current.start - dt.timedelta(days=1)
    assert old.pejabat_penilai == rina and new.pejabat_penilai == bambang
    before = PeriodicReport.objects.get(skp=old)
    assert before.status == "dinilai" and before.rated_by == rina
    after = PeriodicReport.objects.get(skp=new)
    assert after.period == current and after in PeriodicReport.objects.waiting_for(bambang)
    # (the earlier SKPs of the same year; in January the old one is last year's)
    assert rights.can_view_skp(bambang, old) == (old.cycle_id == new.cycle_id)
    assert not rights.can_act(bambang, old)
    assert not rights.can_view_skp(rina, new)
    assert after not in PeriodicReport.objects.waiting_for(rina)

    # The Plt Kepala Dinas (an administrator) rates the Kepala Bidang and runs Dishub.
    plt = demo_user("plt.dishub")
    acting = ActingAppointment.objects.get(person=plt)
    assert acting.start <= today <= acting.end and acting.kind == "plt"
    assert [r.skp.employee for r in PeriodicReport.objects.waiting_for(plt)] == [
        demo_user("kabid.lalin")
    ]
    assert [u.code for u in evaluation.managed_units(plt)] == ["dinas-perhubungan"]

    # The Camat runs his kecamatan; the heads are rated by the Wali Kota through Admin BKPSDM.
    camat = demo_user("camat.coblong")
    assert [u.code for u in evaluation.managed_units(camat)] == ["kecamatan-coblong"]
    assert DesignatedRater.objects.filter(rater__isnull=True).count() == 4
    last = Cycle.objects.get(year=last_year())
    admin = demo_user("bkpsdm")
    camat_skp = Skp.objects.get(employee=camat, cycle=last)
    assert rights.capacity(admin, camat_skp) == "bkpsdm"
    assert rights.annual_refusal(admin, camat_skp) is None
    kominfo = demo_user("kadis.kominfo").org_unit
    evaluation.check_finalise(
        cycle=last,
        opd=kominfo,
        evaluation=evaluation.unit_evaluation(last, kominfo),
        justification="Demo",
    )  # Diskominfo can be finalised: its head was rated on the Wali Kota's behalf

    # A demo has no future.
    now = timezone.now()
    assert all(r.submitted_at <= now for r in PeriodicReport.objects.all())
    assert all(s.approved_at <= now for s in Skp.objects.exclude(approved_at=None))

    # Idempotent.
    counts = (Skp.objects.count(), PeriodicReport.objects.count())
    seed_all()
    assert (Skp.objects.count(), PeriodicReport.objects.count()) == counts
