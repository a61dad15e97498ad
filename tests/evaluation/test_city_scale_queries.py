"""The pages of issue 19's city benchmark read as many queries for a large, deep OPD as for a
small, flat one: an OPD's evaluation page and the monitoring (city and one OPD) with a
mandatory module live and its certificates held. Counts, never timings (those are
`benchmarks/bench_city_pages.py`)."""

import datetime as dt
from http import HTTPStatus

import pytest
from django.apps import apps as django_apps
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from performance.monitoring import monitoring_rows
from performance.services import evaluation
from portal.models import OrgUnit
from tests.factories import OrgUnitFactory, UserFactory
from tests.performance.factories import make_cycle, make_report, make_skp
from tests.training.factories import certify, make_module
from training.editorial import ensure_training_index

from .conftest import make_unit

pytestmark = pytest.mark.django_db


def queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == HTTPStatus.OK
    return len(captured)


def deepen(unit, cycle, people: int) -> None:
    """`people` more staff two levels below the unit's bidang (a seksi and a sub-unit), each
    with an approved SKP: the city's trees are deeper than the demo's."""
    seksi = OrgUnitFactory(parent=unit.bidang, kind=OrgUnit.Kind.SEKSI)
    below = OrgUnitFactory(parent=seksi, kind=OrgUnit.Kind.SEKSI)
    for _ in range(people):
        person = UserFactory(org_unit=below, atasan=unit.penilai)
        unit.staff.append(person)
        unit.skps.append(make_skp(person, cycle))


def rate(unit, count: int) -> None:
    for skp in unit.skps[:count]:
        evaluation.rate_annual(
            actor=unit.penilai, skp=skp, hasil_kerja="sesuai", perilaku_kerja="sesuai"
        )


def test_evaluation_page_reads_the_same_queries_for_a_large_deep_opd(
    closed_cycle, bkpsdm_admin, client_for
):
    small = make_unit(closed_cycle, n_staff=2)
    deepen(small, closed_cycle, people=1)  # the same shape (a rater map reads the acting
    large = make_unit(closed_cycle, n_staff=6)  # Plt/Plh of the units above when there are)
    deepen(large, closed_cycle, people=8)
    rate(small, 1)
    rate(large, 9)
    client = client_for(bkpsdm_admin)

    def page(unit) -> str:
        return reverse("performance:unit_detail", args=[closed_cycle.year, unit.opd.pk])

    queries(client, page(small))  # warm the per-process caches (site, menus)
    assert queries(client, page(small)) == queries(client, page(large))
    html = client.get(page(large)).content.decode()
    assert large.staff[-1].full_name in html or "halaman=2" in html  # the deep staff listed


def test_monitoring_reads_the_same_queries_with_more_people_and_certificates(
    cycle_with_period, bkpsdm_admin, client_for
):
    cycle, period = cycle_with_period
    module = make_module(ensure_training_index(django_apps), lessons=1, mandatory=True)
    issued = dt.datetime.combine(period.start, dt.time(9), tzinfo=timezone.get_current_timezone())

    def fill(unit) -> None:
        for skp in unit.skps[::2]:
            make_report(skp, period, status="diajukan")
        for person in unit.staff[::3]:
            certify(person, module, issued)

    small = make_unit(cycle, n_staff=2)
    fill(small)
    client = client_for(bkpsdm_admin)
    city = reverse("performance:monitoring") + f"?periode={period.pk}"
    queries(client, city)  # warm
    before = queries(client, city)
    large = make_unit(cycle, n_staff=9)
    deepen(large, cycle, people=6)
    fill(large)
    assert queries(client, city) == before
    head_page = reverse("performance:monitoring") + f"?periode={period.pk}"
    assert queries(client_for(small.head), head_page) == queries(client_for(large.head), head_page)
    [row] = monitoring_rows(period, [large.opd])
    assert (row.employees, row.skp_approved, row.on_time) == (2 + 15, 15, 8)
    assert row.training == (5, 17)  # every third of the 15 staff holds the module


@pytest.fixture
def cycle_with_period(db):
    cycle = make_cycle()
    return cycle, cycle.periods.order_by("start").first()
