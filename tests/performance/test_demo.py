"""The demo is built relative to today: in any month of any year, `make run` meets a portal with a
current period to report in, the previous one closed and rated, last year's cycle closed."""

import datetime as dt
import zoneinfo

import pytest
from django.urls import reverse
from django.utils import timezone

from performance.demo import seed_performance_demo
from performance.evaluation_demo import seed_evaluation_demo
from performance.models import (
    AnnualRating,
    Cycle,
    PeriodicReport,
    ReportingPeriod,
    Skp,
    SkpEvent,
    UnitEvaluation,
)
from portal.demo import demo_user, seed_people

pytestmark = pytest.mark.django_db

JAKARTA = zoneinfo.ZoneInfo("Asia/Jakarta")


@pytest.fixture
def frozen_today(monkeypatch):
    """Freeze the server's clock (timezone.now, hence timezone.localdate) at a given moment."""

    def freeze(moment: dt.datetime) -> dt.date:
        monkeypatch.setattr(timezone, "now", lambda: moment.astimezone(dt.UTC))
        return timezone.localdate()

    return freeze


@pytest.mark.parametrize(
    "moment",
    [
        dt.datetime(2027, 1, 4, 8, 0, tzinfo=JAKARTA),  # first working days of a new year
        dt.datetime(2027, 4, 2, 7, 0, tzinfo=JAKARTA),  # a new quarter, before its first due date
        dt.datetime(2026, 12, 15, 14, 0, tzinfo=JAKARTA),  # the last quarter of the year
        dt.datetime(2031, 8, 20, 9, 0, tzinfo=JAKARTA),  # years after the code was written
    ],
    ids=["january", "april", "december", "years-later"],
)
def test_seed_demo_opens_the_current_period_whatever_today_is(frozen_today, client, moment):
    today = frozen_today(moment)
    seed_people()
    seed_performance_demo()
    seed_evaluation_demo()

    cycle = Cycle.objects.current()
    assert cycle.year == today.year and cycle.is_open
    current = ReportingPeriod.objects.current(cycle)
    assert current.start <= today <= current.end and current.accepts_reports
    pegawai, fajar = demo_user("pegawai"), demo_user("fajar")

    # The current period: nothing from pegawai yet (the tour's "Isi laporan"), Fajar's waiting.
    assert not PeriodicReport.objects.filter(skp__employee=pegawai, period=current).exists()
    waiting = PeriodicReport.objects.waiting_for(demo_user("atasan"))
    assert [r.skp.employee for r in waiting.filter(period=current)] == [fajar]
    client.force_login(pegawai)
    body = client.get(reverse("performance:home")).content.decode()
    assert f"Kinerja saya · {today.year}" in body and "Isi laporan" in body

    # The previous quarter is closed and pegawai's report in it rated.
    previous = ReportingPeriod.objects.filter(end__lt=current.start).order_by("-end").first()
    assert previous.end == current.start - dt.timedelta(days=1) and previous.is_closed
    rated = PeriodicReport.objects.get(skp__employee=pegawai, period=previous)
    assert rated.status == PeriodicReport.Status.DINILAI and rated.predikat

    # Last year's cycle is closed and rated for the year; monitoring has on-time reports.
    last = Cycle.objects.get(year=today.year - 1)
    assert not last.is_open and not last.periods.filter(is_closed=False).exists()
    # Aptika (6), its Kepala Dinas and the Coblong team (4); the Camat waits for Admin BKPSDM.
    assert AnnualRating.objects.filter(skp__cycle=last).count() == 11
    assert PeriodicReport.objects.filter(period=previous, on_time=True).count() >= 4

    # A demo has no future: nothing was submitted, approved or rated after "now".
    now = timezone.now()
    assert all(r.submitted_at <= now for r in PeriodicReport.objects.all())
    assert all(r.rated_at <= now for r in PeriodicReport.objects.exclude(rated_at=None))
    assert all(s.approved_at <= now for s in Skp.objects.all())

    # Idempotent.
    counts = (Skp.objects.count(), PeriodicReport.objects.count())
    seed_performance_demo()
    seed_evaluation_demo()
    assert (Skp.objects.count(), PeriodicReport.objects.count()) == counts


def test_seeding_again_in_a_new_year_closes_what_ended(frozen_today):
    frozen_today(dt.datetime(2026, 11, 10, 9, 0, tzinfo=JAKARTA))
    seed_people()
    seed_performance_demo()
    seed_evaluation_demo()
    today = frozen_today(dt.datetime(2027, 2, 1, 9, 0, tzinfo=JAKARTA))
    seed_performance_demo()
    seed_evaluation_demo()
    assert Cycle.objects.current().year == today.year
    old = Cycle.objects.get(year=2026)
    assert not old.is_open and not old.periods.filter(is_closed=False).exists()
    assert ReportingPeriod.objects.current(Cycle.objects.current()).accepts_reports


def test_demo_capaian_is_recorded_by_bkpsdm_not_set_by_the_head(client):
    """Issue 17: no Sekda account in the demo, so Admin BKPSDM records Diskominfo's capaian on
    his decision, with the document; the Kepala Dinas still finalises, and cannot change it."""
    seed_people()
    seed_performance_demo()
    seed_evaluation_demo()
    kadis = demo_user("kadis.kominfo")
    state = UnitEvaluation.objects.get(org_unit=kadis.org_unit)
    assert (state.capaian, state.capaian_capacity) == ("baik", "bkpsdm")
    assert state.capaian_set_by == demo_user("bkpsdm") and state.capaian_document_ref
    assert state.capaian_penetap == "Sekretaris Daerah Kota Bandung"
    client.force_login(kadis)
    url = reverse("performance:unit_detail", args=[state.cycle.year, kadis.org_unit.pk])
    html = client.get(url).content.decode()
    assert "atas penetapan Sekretaris Daerah Kota Bandung" in html
    assert "Tetapkan predikat" in html and 'name="capaian"' not in html
    response = client.post(
        reverse("performance:unit_capaian", args=[state.cycle.year, kadis.org_unit.pk]),
        {"capaian": "istimewa"},
    )
    assert response.status_code == 403
    # a seed from before issue 17 (set by the Kepala Dinas himself) is recorded properly
    UnitEvaluation.objects.filter(pk=state.pk).update(
        capaian_set_by=kadis, capaian_capacity="", capaian_penetap="", capaian_document_ref=""
    )
    seed_evaluation_demo()
    assert UnitEvaluation.objects.get(pk=state.pk).capaian_capacity == "bkpsdm"


def test_no_demo_skp_is_approved_by_its_own_employee():
    """Issue 17: a head without a pejabat penilai in the portal is approved by Admin BKPSDM on
    behalf of the designated rater (the Wali Kota), with the designation's document."""
    seed_people()
    seed_performance_demo()
    seed_evaluation_demo()
    approvals = SkpEvent.objects.filter(to_status="disetujui").select_related("skp")
    assert approvals.exists()
    assert not [e for e in approvals if e.actor_id == e.skp.employee_id]
    head = approvals.filter(skp__employee=demo_user("kadis.kominfo")).first()
    assert head.actor == demo_user("bkpsdm")
    assert "atas nama Wali Kota Bandung" in head.note
