"""The generated city (`benchmarks.city_plan`, `benchmarks.city`): deterministic, valid, and
shaped like Bandung: every chain of atasan ends at an OPD head, every head has a designated
rater, reports come in the stated shares, the ledger sums to the scores."""

import datetime as dt

import pytest
from django.db.models import Count, F, Sum

from benchmarks.city import DOMAIN, CityError, generate
from benchmarks.city_plan import opds, plan_city
from leaderboard.models import ALL_TIME, PointEntry, Recognition, Score
from performance import rights
from performance.models import AnnualRating, PeriodicReport, Realisasi, Rhk, Skp
from portal.models import OrgUnit, User
from portal.staffing import Assignment, DesignatedRater
from portal.validators import validate_nip


def test_the_plan_is_deterministic_by_seed_and_covers_the_63_opds():
    first, again, other = (plan_city(people=2000, seed=s) for s in (7, 7, 8))
    assert first.digest() == again.digest() != other.digest()
    assert len(first.people) == 2000
    assert len({p.nip for p in first.people}) == 2000
    heads = [p for p in first.people if p.atasan is None]
    assert len(heads) == len(opds()) == 63
    by_index = {p.index: p for p in first.people}
    for person in first.people:
        validate_nip(person.nip, status="PNS")
        steps, boss = 0, person
        while boss.atasan is not None:  # every chain ends at an OPD head, without a cycle
            boss, steps = by_index[boss.atasan], steps + 1
            assert steps <= 4
        assert boss.unit.split("/")[0] == person.unit.split("/")[0]  # within the same OPD


def test_the_city_scale_shares():
    plan = plan_city(people=16000, seed=1)
    assert len(plan.people) == 16000
    per_opd = {}
    for person in plan.people:
        per_opd[person.unit.split("/")[0]] = per_opd.get(person.unit.split("/")[0], 0) + 1
    assert per_opd["dinas-pendidikan"] > 5000  # teachers are the largest group
    assert min(per_opd.values()) >= 8
    assert sum(1 for u in plan.units if u.kind == "kelurahan") == 150


@pytest.mark.django_db
def test_generate_writes_a_consistent_year():
    counts = generate(people=300, seed=3, today=dt.date(2024, 6, 15))
    people = User.objects.filter(email__endswith=f"@{DOMAIN}")
    assert people.count() == counts["people"] == 300
    assert Assignment.objects.filter(person__in=people, end=None).count() == 300
    # one post each; heads without atasan get a designated rater
    assert not Assignment.objects.values("person").annotate(n=Count("pk")).filter(n__gt=1)
    heads = people.filter(atasan=None)
    assert DesignatedRater.objects.filter(person__in=heads).count() == heads.count()
    assert Skp.objects.filter(employee__in=people, cycle__year=2024).count() == 300
    skps = Skp.objects.filter(employee__in=people, cycle__year=2023)
    assert skps.count() == 300
    assert not skps.exclude(status=Skp.Status.DISETUJUI).exists()
    # the recorded pejabat penilai stands: the atasan may rate (performance.rights)
    staff_skp = skps.filter(employee__atasan__isnull=False).select_related("employee").first()
    boss = staff_skp.employee.atasan
    assert Skp.objects.filter(rights.rater_q(boss), pk=staff_skp.pk).exists()
    cascaded = Rhk.objects.filter(skp__in=skps, jenis="utama", parent_rhk__isnull=False)
    assert cascaded.count() > 0
    assert not cascaded.exclude(parent_rhk__skp__employee=F("skp__employee__atasan")).exists()
    reports = PeriodicReport.objects.filter(skp__in=skps)
    total = reports.count()
    last = {k.removeprefix("2023:"): n for k, n in counts.items() if k.startswith("2023:")}
    assert total == last["reports_on_time"] + last["reports_late"] + last["reports_returned"]
    assert 0.7 < last["reports_on_time"] / (300 * 12) < 0.9
    assert 0.02 < last["reports_missing"] / (300 * 12) < 0.12
    assert Realisasi.objects.filter(report__in=reports).count() == last["reports_realisasi"]
    # this year: January to May in, June (due 10 July) open with about a third in, none rated
    june = PeriodicReport.objects.filter(skp__cycle__year=2024, period__number=6)
    assert 0.2 < june.count() / 300 < 0.5
    assert not june.exclude(status="diajukan").exists()
    assert not PeriodicReport.objects.filter(skp__cycle__year=2024, period__number__gt=6)
    assert PeriodicReport.objects.filter(skp__cycle__year=2024, period__number=5).count() > 250
    rated = reports.filter(status="dinilai")
    assert not rated.filter(predikat="").exists()
    assert AnnualRating.objects.filter(skp__in=skps).count() == last["annual_ratings"] > 0
    assert not AnnualRating.objects.filter(skp__cycle__year=2024).exists()
    ledger = PointEntry.objects.filter(user__in=people).aggregate(s=Sum("points"))["s"]
    scored = Score.objects.filter(user__in=people, season=ALL_TIME).aggregate(s=Sum("total"))["s"]
    assert ledger == scored
    assert Recognition.objects.filter(receiver__in=people).count() == counts["recognitions"]
    assert OrgUnit.objects.filter(code__startswith="kota-").count() == counts["units"]
    with pytest.raises(CityError):
        generate(people=300, seed=3, today=dt.date(2024, 6, 15))
