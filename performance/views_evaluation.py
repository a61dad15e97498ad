"""HTTP glue for the annual evaluation (/kinerja/evaluasi/): units, annual ratings, keberatan."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from portal.models import OrgUnit

from . import rules
from .forms import AnnualRatingForm, CapaianForm, DecisionForm, FinaliseForm, KeberatanForm
from .models import AnnualRating, Cycle, Keberatan, PeriodicReport, Skp, UnitEvaluation
from .services import evaluation
from .views import _apply_errors, _form_post


def _cycle(request: HttpRequest, year: int | None = None) -> Cycle | None:
    if year is not None:
        return get_object_or_404(Cycle, year=year)
    raw = request.GET.get("tahun", "")
    if raw.isascii() and raw.isdigit():
        found = Cycle.objects.filter(year=int(raw)).first()
        if found:
            return found
    return Cycle.objects.current()


@login_required
def annual_home(request: HttpRequest) -> HttpResponse:
    user = request.user
    cycle = _cycle(request)
    units, to_rate, keberatan, mine = [], [], [], None
    if cycle:
        managed = list(evaluation.managed_units(user))
        states = {
            e.org_unit_id: e
            for e in UnitEvaluation.objects.filter(cycle=cycle, org_unit__in=managed)
        }
        units = [(unit, states.get(unit.pk)) for unit in managed]
        to_rate = list(
            Skp.objects.rated_by(user)
            .filter(cycle=cycle, status=Skp.Status.DISETUJUI)
            .select_related("employee", "annual_rating")
            .order_by("employee__full_name")
        )
        keberatan = list(
            Keberatan.objects.filter(
                rating__skp__cycle=cycle, rating__skp__atasan_pejabat_penilai=user
            ).select_related("rating__skp__employee")
        )
        mine = Skp.objects.filter(cycle=cycle, employee=user).first()
    page = Paginator(units, 20).get_page(request.GET.get("halaman"))
    return render(
        request,
        "performance/annual_home.html",
        {
            "section": "annual",
            "cycle": cycle,
            "cycles": Cycle.objects.all(),
            "page": page,
            "to_rate": to_rate,
            "keberatan": keberatan,
            "mine": mine,
            "extra_query": f"&tahun={cycle.year}" if cycle else "",
        },
    )


def _unit_context(request, cycle: Cycle, opd: OrgUnit, **forms) -> dict:
    # Unsaved when nothing is set yet: reading the page writes nothing.
    state = UnitEvaluation.objects.filter(cycle=cycle, org_unit=opd).first() or UnitEvaluation(
        cycle=cycle, org_unit=opd
    )
    counts = evaluation.unit_counts(cycle, opd)
    total = sum(counts.values())
    violations = rules.check_distribution(state.capaian, counts) if state.capaian else []
    skps = (
        evaluation.unit_skps(cycle, opd)
        .select_related("employee__org_unit", "annual_rating", "pejabat_penilai")
        .order_by("employee__full_name")
    )
    pattern = evaluation.expected_pattern(state.capaian, total)
    chart = {
        "labels": [row["label"] for row in pattern],
        "actual": [counts.get(row["code"], 0) for row in pattern],
        "min": [row["min"] for row in pattern],
        "max": [row["max"] for row in pattern],
        "legend": {
            "actual": _("Jumlah pegawai"),
            "min": _("Batas bawah pola"),
            "max": _("Batas atas pola"),
        },
    }
    rows = [{"label": row["label"], "count": counts.get(row["code"], 0), **row} for row in pattern]
    return {
        "section": "annual",
        "cycle": cycle,
        "opd": opd,
        "state": state,
        "counts_rows": rows,
        "total": total,
        "violations": violations,
        "quotas": [
            rules._explain_quota(state.capaian, quota) for quota in rules.quotas_for(state.capaian)
        ]
        if state.capaian
        else [],
        "chart": chart,
        "page": Paginator(skps, 25).get_page(request.GET.get("halaman")),
        "unrated": skps.filter(annual_rating__isnull=True).count(),
        "capaian_form": forms.get("capaian_form")
        or CapaianForm(initial={"capaian": state.capaian or None}),
        "finalise_form": forms.get("finalise_form") or FinaliseForm(),
    }


def _get_unit(request: HttpRequest, year: int, pk: int) -> tuple[Cycle, OrgUnit]:
    cycle = get_object_or_404(Cycle, year=year)
    opd = get_object_or_404(OrgUnit.objects.perangkat_daerah(), pk=pk)
    if not evaluation.can_manage_unit(request.user, opd):
        raise Http404
    return cycle, opd


@login_required
def unit_detail(request: HttpRequest, year: int, pk: int) -> HttpResponse:
    cycle, opd = _get_unit(request, year, pk)
    return render(request, "performance/annual_unit.html", _unit_context(request, cycle, opd))


@login_required
@require_POST
def unit_capaian(request: HttpRequest, year: int, pk: int) -> HttpResponse:
    cycle, opd = _get_unit(request, year, pk)
    form = CapaianForm(request.POST)
    done = _form_post(
        request,
        form,
        lambda data: evaluation.set_capaian(
            actor=request.user, cycle=cycle, opd=opd, capaian=data["capaian"]
        ),
        success=_("Capaian kinerja organisasi disimpan."),
        then=reverse("performance:unit_detail", kwargs={"year": year, "pk": pk}),
        general_errors="message",
    )
    if done:
        return done
    context = _unit_context(request, cycle, opd, capaian_form=form)
    return render(request, "performance/annual_unit.html", context, status=400)


@login_required
@require_POST
def unit_finalise(request: HttpRequest, year: int, pk: int) -> HttpResponse:
    cycle, opd = _get_unit(request, year, pk)
    form = FinaliseForm(request.POST)
    # Locking a whole OPD is final: the first POST checks the same rules and shows the counts
    # per predikat; only a POST carrying the confirmation locks. "Ubah" goes back, text kept.
    if request.POST.get("konfirmasi") != "ya" or "ubah" in request.POST:
        status, preview = 200, False
        if "ubah" not in request.POST and form.is_valid():
            state = UnitEvaluation.objects.filter(
                cycle=cycle, org_unit=opd
            ).first() or UnitEvaluation(cycle=cycle, org_unit=opd)
            try:
                evaluation.check_finalise(
                    cycle=cycle,
                    opd=opd,
                    evaluation=state,
                    justification=form.cleaned_data["justification"],
                )
                preview = True
            except ValidationError as exc:
                _apply_errors(form, exc)
                status = 400
        context = _unit_context(request, cycle, opd, finalise_form=form)
        context["finalise_preview"] = preview
        return render(request, "performance/annual_unit.html", context, status=status)
    done = _form_post(
        request,
        form,
        lambda data: evaluation.finalise_unit(
            actor=request.user, cycle=cycle, opd=opd, justification=data["justification"]
        ),
        success=_("Predikat unit ditetapkan dan dikunci."),
        then=reverse("performance:unit_detail", kwargs={"year": year, "pk": pk}),
    )
    if done:
        return done
    context = _unit_context(request, cycle, opd, finalise_form=form)
    return render(request, "performance/annual_unit.html", context, status=400)


def _get_skp(request: HttpRequest, pk: int) -> Skp:
    skp = get_object_or_404(
        Skp.objects.select_related(
            "employee__org_unit", "cycle", "pejabat_penilai", "atasan_pejabat_penilai"
        ),
        pk=pk,
    )
    if not skp.can_view(request.user):
        raise Http404
    return skp


def _annual_context(request, skp: Skp, **forms) -> dict:
    rating = AnnualRating.objects.filter(skp=skp).first()
    objection = Keberatan.objects.filter(rating=rating).first() if rating else None
    opd = evaluation.opd_of(skp.employee)
    state = UnitEvaluation.objects.filter(cycle=skp.cycle, org_unit=opd).first() if opd else None
    deadline = evaluation.keberatan_deadline(skp)
    user = request.user
    return {
        "section": "annual",
        "skp": skp,
        "rating": rating,
        "objection": objection,
        "state": state,
        "deadline": deadline,
        "history": PeriodicReport.objects.filter(skp=skp)
        .select_related("period")
        .order_by("period__start"),
        "can_rate": skp.is_penilai(user)
        and not skp.cycle.is_open
        and not (state and state.is_final),
        "can_object": skp.is_owner(user)
        and rating is not None
        and objection is None
        and deadline is not None
        and evaluation.today() <= deadline,
        "can_decide": objection is not None
        and objection.status == Keberatan.Status.DIAJUKAN
        and skp.atasan_pejabat_penilai_id == user.pk,
        "rating_form": forms.get("rating_form")
        or AnnualRatingForm(
            initial={
                "hasil_kerja": rating.rating_hasil_kerja,
                "perilaku_kerja": rating.rating_perilaku_kerja,
                "note": rating.note,
            }
            if rating
            else None
        ),
        "keberatan_form": forms.get("keberatan_form") or KeberatanForm(),
        "decision_form": forms.get("decision_form") or DecisionForm(),
    }


@login_required
def annual_detail(request: HttpRequest, pk: int) -> HttpResponse:
    skp = _get_skp(request, pk)
    return render(request, "performance/annual_detail.html", _annual_context(request, skp))


def _post(request, skp, form, form_name, action, success) -> HttpResponse:
    then = reverse("performance:annual_detail", args=[skp.pk])
    done = _form_post(request, form, action, success=success, then=then)
    if done:
        return done
    context = _annual_context(request, skp, **{form_name: form})
    return render(request, "performance/annual_detail.html", context, status=400)


@login_required
@require_POST
def annual_rate(request: HttpRequest, pk: int) -> HttpResponse:
    skp = _get_skp(request, pk)
    return _post(
        request,
        skp,
        AnnualRatingForm(request.POST),
        "rating_form",
        lambda data: evaluation.rate_annual(
            actor=request.user,
            skp=skp,
            hasil_kerja=data["hasil_kerja"],
            perilaku_kerja=data["perilaku_kerja"],
            note=data["note"],
        ),
        _("Penilaian tahunan disimpan; predikat mengikuti kuadran kinerja."),
    )


@login_required
@require_POST
def keberatan_lodge(request: HttpRequest, pk: int) -> HttpResponse:
    skp = _get_skp(request, pk)
    rating = get_object_or_404(AnnualRating, skp=skp)
    return _post(
        request,
        skp,
        KeberatanForm(request.POST),
        "keberatan_form",
        lambda data: evaluation.lodge_keberatan(
            actor=request.user, rating=rating, reasons=data["reasons"]
        ),
        _("Keberatan diajukan kepada atasan pejabat penilai."),
    )


@login_required
@require_POST
def keberatan_decide(request: HttpRequest, pk: int) -> HttpResponse:
    skp = _get_skp(request, pk)
    objection = get_object_or_404(Keberatan, rating__skp=skp)
    return _post(
        request,
        skp,
        DecisionForm(request.POST),
        "decision_form",
        lambda data: evaluation.decide_keberatan(actor=request.user, keberatan=objection, **data),
        _("Keputusan atas keberatan disimpan."),
    )


# --- monitoring and exports ----------------------------------------------------------------


def _monitoring_scope(request: HttpRequest) -> list[OrgUnit]:
    units = list(evaluation.managed_units(request.user))
    if not units:
        raise Http404
    return units


def _period(request: HttpRequest):
    from .models import ReportingPeriod

    raw = request.GET.get("periode", "")
    if raw.isascii() and raw.isdigit():
        found = ReportingPeriod.objects.select_related("cycle").filter(pk=int(raw)).first()
        if found:
            return found
    cycle = Cycle.objects.current()
    return ReportingPeriod.objects.select_related("cycle").current(cycle) if cycle else None


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
    from .models import ReportingPeriod
    from .monitoring import monitoring_rows, sort_rows

    opds = _monitoring_scope(request)
    period = _period(request)
    order = request.GET.get("urut", "")
    order = order if order in dict(_orders()) else "terburuk"
    show_empty = request.GET.get("kosong") == "1"
    rows = monitoring_rows(period, opds) if period else []
    rows = sort_rows(rows, order, hide_empty=not show_empty)
    page = Paginator(rows, 30).get_page(request.GET.get("halaman"))
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
            "periods": ReportingPeriod.objects.select_related("cycle").order_by(
                "-cycle__year", "start"
            ),
            "page": page,
            "chart": chart,
            "chart_height": 60 + 32 * len(page.object_list),
            "totals": totals,
            "city_wide": request.user.is_bkpsdm_admin,
            "orders": _orders(),
            "order": order,
            "show_empty": show_empty,
            "extra_query": (f"&periode={period.pk}" if period else "")
            + f"&urut={order}"
            + ("&kosong=1" if show_empty else ""),
        },
    )


@login_required
def monitoring_late(request: HttpRequest, pk: int) -> HttpResponse:
    """Names behind the figures of one OPD: reports not in or late, or the mandatory training
    not finished (`?daftar=pelatihan`), for Admin BKPSDM and the OPD's head."""
    from .monitoring import opd_unit_ids, reports_behind, training_behind

    opd = get_object_or_404(OrgUnit.objects.perangkat_daerah(), pk=pk)
    if not evaluation.can_manage_unit(request.user, opd):
        raise Http404
    period = _period(request)
    if period is None:
        raise Http404
    kind = request.GET.get("daftar", "")
    kind = kind if kind in NAME_LISTS else "laporan"
    unit_ids = opd_unit_ids([opd])
    if kind == "pelatihan":
        people = training_behind(period, unit_ids)
    else:
        people = reports_behind(period, unit_ids)
    page = Paginator(people, 30).get_page(request.GET.get("halaman"))
    return render(
        request,
        "performance/monitoring_late.html",
        {
            "section": "monitoring",
            "opd": opd,
            "period": period,
            "kind": kind,
            "page": page,
            "extra_query": f"&periode={period.pk}&daftar={kind}",
        },
    )


@login_required
def monitoring_names_xlsx(request: HttpRequest) -> HttpResponse:
    """The names behind the monitoring, per OPD, as XLSX: every OPD the user manages, or one
    (`?opd=`); reports (default) or mandatory training (`?daftar=pelatihan`)."""
    from .exports import (
        names_headers,
        period_slug,
        report_names_values,
        training_names_values,
        xlsx_response,
    )
    from .monitoring import opd_unit_ids, reports_behind, training_behind, unit_to_opd

    opds = _monitoring_scope(request)
    raw = request.GET.get("opd", "")
    if raw.isascii() and raw.isdigit():
        opds = [opd for opd in opds if opd.pk == int(raw)]
        if not opds:
            raise Http404
    period = _period(request)
    if period is None:
        raise Http404
    kind = request.GET.get("daftar", "")
    kind = kind if kind in NAME_LISTS else "laporan"
    unit_ids = opd_unit_ids(opds)
    opd_names = {opd.pk: opd.name for opd in opds}
    opd_of = {unit: opd_names.get(opd, "") for unit, opd in unit_to_opd().items()}
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
    from .exports import monitoring_headers, monitoring_values, period_slug, xlsx_response
    from .monitoring import monitoring_rows

    opds = _monitoring_scope(request)
    period = _period(request)
    if period is None:
        raise Http404
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
    from .exports import (
        period_slug,
        predikat_headers,
        predikat_values_annual,
        predikat_values_period,
        xlsx_response,
    )
    from .models import ReportingPeriod

    cycle = get_object_or_404(Cycle, year=year)
    opds = _monitoring_scope(request)
    raw = request.GET.get("opd", "")
    if raw.isascii() and raw.isdigit():
        opds = [opd for opd in opds if opd.pk == int(raw)]
        if not opds:
            raise Http404
    elif not request.user.is_bkpsdm_admin:
        opds = opds[:1]
    from .monitoring import unit_to_opd

    wanted = {opd.pk for opd in opds}
    unit_ids = [unit for unit, opd in unit_to_opd().items() if opd in wanted]  # one query
    skps = Skp.objects.filter(cycle=cycle, employee__org_unit_id__in=unit_ids)
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
    from django.http import HttpResponse as Response

    from .exports import evaluation_pdf as build
    from .exports import period_slug, private_download

    skp = _get_skp(request, pk)
    raw = request.GET.get("periode", "")
    opd = evaluation.opd_of(skp.employee)
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
    response = Response(content, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return private_download(response)


# --- pejabat penilai after the register moves (issue 14.8) ---------------------------------


def _penilai_page(request: HttpRequest, forms: dict | None = None) -> HttpResponse:
    from .forms import ReassignPenilaiForm
    from .services.penilai import lapsed_skps

    page = Paginator(lapsed_skps(), 25).get_page(request.GET.get("halaman"))
    forms = forms or {}
    rows = [
        (skp, forms.get(skp.employee_id) or ReassignPenilaiForm(prefix=f"u{skp.employee_id}"))
        for skp in page.object_list
    ]
    return render(
        request,
        "performance/admin_penilai.html",
        {"section": "penilai", "page": page, "rows": rows},
        status=400 if forms else 200,
    )


@login_required
def admin_penilai(request: HttpRequest) -> HttpResponse:
    """Admin BKPSDM: open SKPs whose pejabat penilai lapsed because the atasan changed."""
    if not request.user.is_bkpsdm_admin:
        raise Http404
    return _penilai_page(request)


@login_required
@require_POST
def penilai_reassign(request: HttpRequest, user_pk: int) -> HttpResponse:

    from portal.models import User

    from .forms import ReassignPenilaiForm
    from .services.penilai import reassign_penilai

    if not request.user.is_bkpsdm_admin:
        raise Http404
    employee = get_object_or_404(User, pk=user_pk)
    form = ReassignPenilaiForm(request.POST, prefix=f"u{employee.pk}")
    done = _form_post(
        request,
        form,
        lambda data: reassign_penilai(
            actor=request.user, employee=employee, penilai=data["penilai_nip"]
        ),
        success=lambda skps: (
            _("Pejabat penilai %(name)s kini %(penilai)s (%(n)s SKP).")
            % {"name": employee.full_name, "penilai": skps[0].pejabat_penilai_name, "n": len(skps)}
        ),
        then=reverse("performance:admin_penilai"),
        general_errors="message",
    )
    return done or _penilai_page(request, {employee.pk: form})
