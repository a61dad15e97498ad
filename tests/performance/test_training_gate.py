"""The first periodic report waits for the mandatory training: the real training module's query."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from performance import services
from training.models import Certificate
from training.services import complete_lesson, complete_module

pytestmark = pytest.mark.django_db


def test_first_report_waits_for_the_mandatory_module_then_goes_through(
    employee, report, mandatory_module
):
    services.add_evidence_link(actor=employee, report=report, url="https://contoh.go.id/bukti")
    assert Certificate.objects.has_completed_mandatory(employee) is False
    with pytest.raises((ValidationError, PermissionDenied)) as excinfo:
        services.submit_report(actor=employee, report=report)
    assert "pelatihan" in str(excinfo.value).lower()
    report.refresh_from_db()
    assert report.status == "draf"

    for lesson in mandatory_module.lessons():
        complete_lesson(user=employee, lesson=lesson)
    complete_module(user=employee, module=mandatory_module)
    assert Certificate.objects.has_completed_mandatory(employee) is True
    assert services.submit_report(actor=employee, report=report).status == "diajukan"
