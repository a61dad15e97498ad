"""The report page's input is parsed by its forms (typed, localised realisasi; the feedback thread
key); the services receive typed values. The join plans of a report are QuerySet methods."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from performance import services
from performance.forms import FeedbackForm, RealisasiNumberField, ReportForm
from performance.models import Indicator, PeriodicReport, Realisasi

from .factories import make_skp

pytestmark = pytest.mark.django_db


def report_form(report, *values, kuantitatif=True):
    indicators = Indicator.objects.for_report(report)
    data = {f"realisasi_{i.pk}": v for i, v in zip(indicators, values, strict=True)}
    return ReportForm(
        {"narrative": "Narasi", **data},
        indicators=indicators,
        kuantitatif=kuantitatif,
        realisasi={},
    )


@pytest.mark.parametrize(
    ("typed", "parsed"),
    [
        ("12,5", Decimal("12.5")),
        (" 1.234,5 ", Decimal("1234.5")),
        ("1234.5", Decimal("1234.5")),
        ("1 000", Decimal("1000")),
        ("0", Decimal("0")),
        ("", None),
        ("   ", None),
    ],
)
def test_a_kuantitatif_realisasi_is_parsed_to_a_decimal(report, typed, parsed):
    form = report_form(report, typed, "7")
    assert form.is_valid(), form.errors
    first, second = form.realisasi().items()
    assert first[1] == parsed and second[1] == Decimal("7")
    assert isinstance(first[0], Indicator)


def test_indonesian_numbers_are_read_whatever_the_language(report):
    with translation.override("en"):
        form = report_form(report, "12,5", "3.5")
        assert form.is_valid(), form.errors
    assert list(form.realisasi().values()) == [Decimal("12.5"), Decimal("3.5")]


def test_a_kuantitatif_field_is_localised_text_not_a_browser_number(report):
    form = report_form(report, "", "")
    field = form.fields[f"realisasi_{Indicator.objects.for_report(report)[0].pk}"]
    assert isinstance(field, RealisasiNumberField) and field.localize
    assert 'type="text"' in str(form[f"realisasi_{field.indicator.pk}"])


@pytest.mark.parametrize("typed", ["abc", "12,5 dokumen", "NaN", "1,2,3"])
def test_text_where_a_number_is_due_is_refused_in_indonesian_and_kept(report, typed):
    form = report_form(report, typed, "7")
    assert not form.is_valid()
    indicator = Indicator.objects.for_report(report)[0]
    name = f"realisasi_{indicator.pk}"
    assert form.errors[name] == [
        f"Realisasi “{indicator.text}” harus berupa angka (satuan: {indicator.unit})."
    ]
    assert f'value="{typed}"' in str(form[name])  # what was typed is shown again


@pytest.mark.parametrize("typed", ["1000000000000", "1.000.000.000.000,0", "-1e12"])
def test_a_number_too_large_for_the_column_is_refused(report, typed):
    form = report_form(report, typed, "7")
    assert not form.is_valid()
    [message] = next(iter(form.errors.values()))
    assert message == (
        "Realisasi “Indikator 1” terlalu besar: paling banyak 12 angka sebelum koma."
    )


def test_a_kualitatif_realisasi_is_a_number_or_a_description(employee, cycle, period):
    skp = make_skp(employee, cycle, pendekatan="kualitatif", indicators=2)
    report = PeriodicReport.objects.create(skp=skp, period=period)
    form = report_form(report, "Sangat memuaskan", "4,5", kuantitatif=False)
    assert form.is_valid(), form.errors
    assert list(form.realisasi().values()) == ["Sangat memuaskan", Decimal("4.5")]


def test_the_stored_realisasi_is_shown_as_people_write_it(report):
    indicators = Indicator.objects.for_report(report)
    Realisasi.objects.filter(report=report).update(value=Decimal("8.50"))
    stored = {r.indicator_id: r for r in report.realisasi.all()}
    form = ReportForm(indicators=indicators, kuantitatif=True, realisasi=stored)
    assert 'value="8,5"' in str(form[f"realisasi_{indicators[0].pk}"])


# --- the service's rules on typed values ------------------------------------------------------


def test_the_service_refuses_a_description_for_a_kuantitatif_skp(employee, report):
    first, second = Indicator.objects.for_report(report)
    with pytest.raises(ValidationError) as refused:
        services.save_report(
            actor=employee,
            report=report,
            narrative="",
            realisasi={first: "tujuh", second: Decimal("10") ** 12},
        )
    assert set(refused.value.message_dict) == {f"realisasi_{first.pk}", f"realisasi_{second.pk}"}
    assert set(report.realisasi.values_list("value", flat=True)) == {Decimal("3")}  # unchanged


def test_the_service_refuses_an_indicator_of_another_skp(employee, supervisor_skp, report):
    foreign = supervisor_skp.rhks.get().indicators.first()
    with pytest.raises(ValueError, match="not of the SKP"):
        services.save_report(
            actor=employee, report=report, narrative="", realisasi={foreign: Decimal("1")}
        )


# --- the feedback thread key ------------------------------------------------------------------


def test_the_feedback_form_parses_the_thread_key(submitted_report, supervisor_rhk):
    skp = submitted_report.skp
    rhk = skp.rhks.get()
    form = FeedbackForm({"thread": f"rhk-{rhk.pk}", "body": "Bagus"}, skp=skp)
    assert form.is_valid()
    assert (form.cleaned_data["rhk"], form.cleaned_data["value_code"]) == (rhk, "")
    form = FeedbackForm({"thread": "nilai-akuntabel", "body": "Bagus"}, skp=skp)
    assert form.is_valid()
    assert (form.cleaned_data["rhk"], form.cleaned_data["value_code"]) == (None, "akuntabel")
    for key in ("rhk-\u00b2", "rhk-", "lain"):  # neither shape: the service refuses it
        form = FeedbackForm({"thread": key, "body": "Bagus"}, skp=skp)
        assert form.is_valid()
        assert (form.cleaned_data["rhk"], form.cleaned_data["value_code"]) == (None, "")


def test_the_feedback_form_refuses_an_rhk_of_another_skp(submitted_report, supervisor_rhk):
    form = FeedbackForm(
        {"thread": f"rhk-{supervisor_rhk.pk}", "body": "Bagus"}, skp=submitted_report.skp
    )
    assert not form.is_valid()
    assert form.non_field_errors() == ["RHK ini bukan bagian dari SKP laporan ini."]


# --- join plans -------------------------------------------------------------------------------


def test_for_submission_reads_the_report_with_its_skp_in_one_query(
    report, django_assert_num_queries
):
    with django_assert_num_queries(1):
        found = PeriodicReport.objects.for_submission().get(pk=report.pk)
        assert found.skp.is_owner(report.skp.employee) and found.skp.is_kuantitatif


def test_for_page_reads_what_the_page_shows_in_one_query(
    submitted_report, django_assert_num_queries
):
    with django_assert_num_queries(1):
        found = PeriodicReport.objects.for_page().get(pk=submitted_report.pk)
        skp = found.skp
        names = (skp.employee.full_name, skp.pejabat_penilai.full_name)
        assert all(names) and skp.atasan_pejabat_penilai and found.period.cycle.year
        assert found.rated_by is None


def test_for_report_gives_the_indicators_in_form_order_with_their_rhk(
    report, django_assert_num_queries
):
    with django_assert_num_queries(1):
        indicators = list(Indicator.objects.for_report(report))
        assert {i.rhk.skp_id for i in indicators} == {report.skp_id}
    assert [i.text for i in indicators] == ["Indikator 1", "Indikator 2"]
