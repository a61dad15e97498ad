"""The training, performance and stories parts of /beranda/data-saya/."""

import pytest
from django.apps import apps as django_apps
from django.db import connection
from django.test.utils import CaptureQueriesContext

from performance import services
from portal.privacy import personal_data
from tests.performance.factories import current_period, make_cycle, make_report, make_skp
from tests.training.factories import make_module
from training.editorial import ensure_training_index
from training.services import complete_lesson, complete_module

pytestmark = pytest.mark.django_db


def test_my_reports_feedback_and_certificates_are_in_my_file(employee, supervisor):
    cycle = make_cycle()
    skp = make_skp(employee, cycle)
    report = make_report(skp, current_period(cycle))
    services.add_evidence_link(actor=employee, report=report, url="https://contoh.go.id/bukti")
    module = make_module(ensure_training_index(django_apps), lessons=1, mandatory=True)
    for lesson in module.lessons():
        complete_lesson(user=employee, lesson=lesson)
    complete_module(user=employee, module=module)

    sections = personal_data(employee)["sections"]
    [my_skp] = sections["performance"]["skp"]
    assert my_skp["year"] == cycle.year
    assert my_skp["rhk"][0]["indicators"][0]["unit"]
    [my_report] = my_skp["reports"]
    assert my_report["evidence"][0]["url"] == "https://contoh.go.id/bukti"
    assert [c["module_title"] for c in sections["training"]["certificates"]] == [module.title]
    assert sections["training"]["lessons_completed"]
    assert sections["stories"] == {"consent_requests": []}
    # nothing of the supervisor's own
    assert personal_data(supervisor)["sections"]["performance"]["skp"] == []


def test_export_query_count_does_not_grow_with_reports(employee):
    cycle = make_cycle()
    skp = make_skp(employee, cycle, indicators=2)
    periods = list(cycle.periods.order_by("number"))
    make_report(skp, periods[0])
    with CaptureQueriesContext(connection) as few:
        personal_data(employee)
    for period in periods[1:]:
        make_report(skp, period)
    with CaptureQueriesContext(connection) as many:
        data = personal_data(employee)
    assert len(data["sections"]["performance"]["skp"][0]["reports"]) == len(periods)
    assert len(many) == len(few)
