"""Monitoring and exports for Admin BKPSDM and the unit heads."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _

from performance import ekinerja
from performance.exports import (
    StreamedDownload,
    monitoring_headers,
    monitoring_values,
    names_headers,
    period_slug,
    predikat_headers,
    predikat_values_annual,
    predikat_values_period,
    private_download,
    report_names_values,
    training_names_values,
    xlsx_response,
    xlsx_workbook_response,
)
from performance.models import (
    AnnualRating,
    Cycle,
    PeriodicReport,
    ReportingPeriod,
    Skp,
    UnitEvaluation,
)
from performance.monitoring import (
    monitoring_rows,
    opd_unit_ids,
    reports_behind,
    sort_rows,
    training_behind,
)
from performance.services import evaluation
from portal.models import OrgUnit

from .annual_rating import get_evaluated_skp
from .common import paginate

# --- monitoring and exports ----------------------------------------------------------------


def _monitoring_scope(request: HttpRequest) -> list[OrgUnit]:
    units = list(evaluation.managed_units(request.user))
    if not units:
        raise Http404
    return units


def _period(request: HttpRequest):
    raw = request.GET.get("periode", "")
    if raw.isascii() and raw.isdigit():
        found = ReportingPeriod.objects.select_related("cycle").filter(pk=int(raw)).first()
        if found:
            return found
    cycle = Cycle.objects.current()
    return ReportingPeriod.objects.select_related("cycle").current(cycle) if cycle else None


def _period_or_404(request: HttpRequest) -> ReportingPeriod:
    period = _period(request)
    if period is None:
        raise Http404
    return period


def _only_opd(request: HttpRequest, opds: list[OrgUnit]) -> list[OrgUnit] | None:
    """The OPD of `?opd=` among `opds` (404 when it is not one of them); None without one."""
    raw = request.GET.get("opd", "")
    if not (raw.isascii() and raw.isdigit()):
        return None
    chosen = [opd for opd in opds if opd.pk == int(raw)]
    if not chosen:
        raise Http404
    return chosen


def _name_list(request: HttpRequest) -> str:
    """Which names: reports not in or late (default) or the mandatory training (`pelatihan`)."""
    kind = request.GET.get("daftar", "")
    return kind if kind in NAME_LISTS else "laporan"


def _orders() -> list[tuple[str, str]]:
    return [
        ("terburuk", _("Paling tertinggal dulu")),
        ("belum", _("Belum lapor terbanyak")),
        ("pelatihan", _("Pelatihan wajib terendah")),
        ("nama", _("Nama perangkat daerah")),
    ]


NAME_LISTS = ("laporan", "pelatihan")


@login_required
def monitoring(request: HttpRequest) -> HttpResponse:
    opds = _monitoring_scope(request)
    period = _period(request)
    order = request.GET.get("urut", "")
    order = order if order in dict(_orders()) else "terburuk"
    show_empty = request.GET.get("kosong") == "1"
    rows = monitoring_rows(period, opds) if period else []
    rows = sort_rows(rows, order, hide_empty=not show_empty)
    page = paginate(request, rows, 30)
    chart = {
        "labels": [row.opd.short_name or row.opd.name for row in page.object_list],
        "on_time": [row.on_time for row in page.object_list],
        "late": [row.late for row in page.object_list],
        "missing": [row.missing for row in page.object_list],
        "legend": {
            "on_time": _("Tepat waktu"),
            "late": _("Terlambat"),
            "missing": _("Belum lapor"),
        },
    }
    totals = {
        name: sum(getattr(row, name) for row in rows)
        for name in (
            "employees",
            "skp_approved",
            "on_time",
            "late",
            "missing",
            "rated",
            "recognitions",
        )
    }
    return render(
        request,
        "performance/monitoring.html",
        {
            "section": "monitoring",
            "period": period,
            "periods": [
                (p.pk, p)
                for p in ReportingPeriod.objects.select_related("cycle").order_by(
                    "-cycle__year", "start"
                )
            ],
            "page": page,
            "chart": chart,
            "chart_height": 60 + 32 * len(page.object_list),
            "totals": totals,
            "city_wide": request.user.is_bkpsdm_admin,
            "orders": _orders(),
            "order": order,
            "show_empty": show_empty,
            "pager_query": (f"periode={period.pk}&" if period else "")
            + f"urut={order}"
            + ("&kosong=1" if show_empty else ""),
        },
    )


@login_required
def monitoring_late(request: HttpRequest, pk: int) -> HttpResponse:
    """Names behind the figures of one OPD: reports not in or late, or the mandatory training
    not finished (`?daftar=pelatihan`), for Admin BKPSDM and the OPD's head."""
    opd = get_object_or_404(OrgUnit.objects.perangkat_daerah(), pk=pk)
    if not evaluation.can_manage_unit(request.user, opd):
        raise Http404
    period = _period_or_404(request)
    kind = _name_list(request)
    unit_ids = opd_unit_ids([opd])
    if kind == "pelatihan":
        people = training_behind(period, unit_ids)
    else:
        people = reports_behind(period, unit_ids)
    return render(
        request,
        "performance/monitoring_late.html",
        {
            "section": "monitoring",
            "opd": opd,
            "period": period,
            "kind": kind,
            "page": paginate(request, people, 30),
            "pager_query": f"periode={period.pk}&daftar={kind}",
        },
    )


@login_required
def monitoring_names_xlsx(request: HttpRequest) -> HttpResponse:
    """The names behind the monitoring, per OPD, as XLSX: every OPD the user manages, or one
    (`?opd=`); reports (default) or mandatory training (`?daftar=pelatihan`)."""
    opds = _monitoring_scope(request)
    opds = _only_opd(request, opds) or opds
    period = _period_or_404(request)
    kind = _name_list(request)
    units = OrgUnit.objects.unit_map()
    unit_ids = sorted(units.units_of_opds(opd.pk for opd in opds))
    opd_names = {opd.pk: opd.name for opd in opds}
    opd_of = {unit: opd_names[units.opd_of(unit)] for unit in unit_ids}
    if kind == "pelatihan":
        values = training_names_values(training_behind(period, unit_ids), opd_of)
        title = _("Pelatihan wajib")
    else:
        values = report_names_values(reports_behind(period, unit_ids), opd_of, period)
        title = _("Belum lapor")
    scope = (opds[0].code or opds[0].pk) if len(opds) == 1 else "kota"
    word = "belum-pelatihan" if kind == "pelatihan" else "belum-lapor"
    return xlsx_response(
        f"{word}-{period.cycle.year}-{period_slug(period)}-{scope}.xlsx",
        title,
        names_headers(kind),
        values,
    )


@login_required
def monitoring_xlsx(request: HttpRequest) -> HttpResponse:
    opds = _monitoring_scope(request)
    period = _period_or_404(request)
    rows = monitoring_rows(period, opds)
    return xlsx_response(
        f"pemantauan-{period.cycle.year}-{period_slug(period)}.xlsx",
        _("Pemantauan"),
        monitoring_headers(),
        monitoring_values(rows),
    )


@login_required
def predikat_xlsx(request: HttpRequest, year: int) -> HttpResponse:
    """Predikat list for e-Kinerja: annual (default) or one period (?periode=), per OPD or city."""
    cycle = get_object_or_404(Cycle, year=year)
    opds = _monitoring_scope(request)
    opds = _only_opd(request, opds) or (opds if request.user.is_bkpsdm_admin else opds[:1])
    skps = Skp.objects.filter(cycle=cycle).in_units(opd_unit_ids(opds))
    scope = opds[0].code or opds[0].pk if len(opds) == 1 else "kota"
    raw_period = request.GET.get("periode", "")
    if raw_period.isascii() and raw_period.isdigit():
        period = get_object_or_404(ReportingPeriod, pk=int(raw_period), cycle=cycle)
        values = predikat_values_period(
            PeriodicReport.objects.filter(skp__in=skps, period=period), period
        )
        name = f"predikat-{year}-{period_slug(period)}-{scope}.xlsx"
    else:
        values = predikat_values_annual(AnnualRating.objects.filter(skp__in=skps), year)
        name = f"predikat-{year}-tahunan-{scope}.xlsx"
    return xlsx_response(name, _("Predikat"), predikat_headers(), values)


@login_required
def evaluation_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    """Dokumen Evaluasi Kinerja Pegawai: annual (default) or for one period (?periode=)."""
    # local: reportlab takes a quarter of a second to import and only this view draws PDFs
    from performance.pdf import evaluation_pdf as build

    skp = get_evaluated_skp(request, pk)
    raw = request.GET.get("periode", "")
    opd = evaluation.post_opd(skp)
    state = UnitEvaluation.objects.filter(cycle=skp.cycle, org_unit=opd).first() if opd else None
    capaian = state.get_capaian_display() if state and state.capaian else ""
    if raw.isascii() and raw.isdigit() and len(raw) <= 18:  # beyond 64 bits SQLite overflows
        report = get_object_or_404(
            PeriodicReport.objects.select_related("period__cycle"), skp=skp, period_id=int(raw)
        )
        content = build(skp=skp, report=report, capaian=capaian)
        name = f"evaluasi-{skp.employee.nip}-{skp.cycle.year}-{period_slug(report.period)}.pdf"
    else:
        annual = get_object_or_404(AnnualRating, skp=skp)
        content = build(skp=skp, annual=annual, capaian=capaian)
        name = f"evaluasi-{skp.employee.nip}-{skp.cycle.year}-tahunan.pdf"
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return private_download(response)


# --- the e-Kinerja-shaped export (issue 18) ------------------------------------------------


def _ekinerja_response(
    name: str, fmt: str, skps, about: dict
) -> HttpResponse | StreamingHttpResponse:
    """The SKPs as a workbook (`xlsx`) or a streamed JSON document (`json`)."""
    if fmt == "xlsx":
        rows = ekinerja.workbook_rows(ekinerja.export_skps(skps))
        return xlsx_workbook_response(f"{name}.xlsx", ekinerja.workbook_sheets(), rows)
    chunks = ekinerja.json_chunks(about, ekinerja.export_skps(skps), ekinerja.Labels())
    response = StreamedDownload(chunks, content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{name}.json"'
    return private_download(response)


@login_required
def ekinerja_opd(request: HttpRequest, year: int, fmt: str) -> HttpResponse:
    """Every SKP of the year in an OPD (`?opd=`; Admin BKPSDM without it: the whole city), in
    full, for whoever keys e-Kinerja: Admin BKPSDM for any OPD, the head (or Plt/Plh) of an OPD
    for their own."""
    cycle = get_object_or_404(Cycle, year=year)
    opds = _monitoring_scope(request)
    opds = _only_opd(request, opds) or (opds if request.user.is_bkpsdm_admin else opds[:1])
    skps = Skp.objects.filter(cycle=cycle).in_units(opd_unit_ids(opds))
    scope = (opds[0].code or opds[0].pk) if len(opds) == 1 else "kota"
    about = {"tahun": year, "perangkat_daerah": [opd.name for opd in opds]}
    return _ekinerja_response(f"skp-ekinerja-{year}-{scope}", fmt, skps, about)


@login_required
def ekinerja_skp(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    """One person's SKP in full, for whoever may see it (the employee, the raters, the head of
    the OPD, Admin BKPSDM)."""
    skp = get_evaluated_skp(request, pk)
    about = {"tahun": skp.cycle.year, "nip": skp.employee.nip}
    name = f"skp-ekinerja-{skp.cycle.year}-{skp.employee.nip}"
    return _ekinerja_response(name, fmt, Skp.objects.filter(pk=skp.pk), about)
