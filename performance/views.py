"""HTTP glue for /kinerja/: form -> service -> render. Permissions are checked per object.

Someone who may not see an object gets 404 (its existence is not revealed); someone who may
see it but not do the action gets 403 with the reason.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST
from wagtail import hooks

from portal.models import User

from . import services
from .forms import (
    CycleForm,
    EvidenceForm,
    ExpectationForm,
    FeedbackForm,
    IndicatorForm,
    PeriodForm,
    RatingForm,
    ReportForm,
    ReturnForm,
    RhkForm,
    SkpCreateForm,
    SkpDetailsForm,
)
from .models import (
    Cycle,
    Evidence,
    ExpectationKhusus,
    FeedbackMessage,
    Indicator,
    PeriodicReport,
    ReportEvent,
    ReportingPeriod,
    Rhk,
    Skp,
    today,
    value_choices,
)

RECOGNITION_HOOK = "performance_recognition_evidence"


def _error_text(exc: ValidationError) -> str:
    return " ".join(exc.messages)


def _apply_errors(form, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            for error in errors:
                form.add_error(field if field in form.fields else None, error)
    else:
        for message in exc.messages:
            form.add_error(None, message)


def _form_post(
    request: HttpRequest,
    form,
    action: Callable[[dict], Any],
    *,
    success: str | Callable[[Any], str],
    then: Any,
    general_errors: str = "form",
) -> HttpResponse | None:
    """The POST half of a form view: form -> service -> message -> redirect.

    A valid form runs `action(form.cleaned_data)` (the service call), flashes `success` and
    redirects to `then` (both may be functions of what the service returned). A ValidationError
    goes onto the form; with `general_errors="message"` one without a field is flashed instead.
    Returns None when the view must render the form again (it carries the errors).
    """
    if not form.is_valid():
        return None
    try:
        result = action(form.cleaned_data)
    except ValidationError as exc:
        if general_errors == "message" and not hasattr(exc, "error_dict"):
            messages.error(request, _error_text(exc))
        else:
            _apply_errors(form, exc)
        return None
    messages.success(request, success(result) if callable(success) else success)
    return redirect(then(result) if callable(then) else then)


# --- workspace ---------------------------------------------------------------------------


def _chart_data(skp: Skp | None, reports: list[PeriodicReport]) -> dict:
    """Target vs realisasi per indicator: one dataset per period with a report."""
    if skp is None:
        return {}
    indicators = [i for rhk in skp.rhks.all() for i in rhk.indicators.all()]
    datasets = []
    for report in reports:
        values = {r.indicator_id: r.value for r in report.realisasi.all()}
        datasets.append(
            {
                "label": str(report.period.label),
                "data": [
                    float(values[i.pk]) if values.get(i.pk) is not None else None
                    for i in indicators
                ],
            }
        )
    return {
        "labels": [f"{i.text} ({i.unit})" for i in indicators],
        "target": [float(i.target) for i in indicators],
        "target_label": _("Target"),
        "datasets": datasets,
    }


@login_required
@require_GET
def home(request: HttpRequest) -> HttpResponse:
    user = request.user
    cycle = Cycle.objects.current()
    skp = None
    rows = []
    chart = {}
    if cycle:
        skp = (
            Skp.objects.filter(employee=user, cycle=cycle)
            .prefetch_related("rhks__indicators")
            .first()
        )
        periods = list(cycle.periods.order_by("start"))
        reports = (
            {
                r.period_id: r
                for r in PeriodicReport.objects.filter(skp=skp)
                .select_related("period__cycle")
                .prefetch_related("realisasi")
            }
            if skp
            else {}
        )
        current = ReportingPeriod.objects.current(cycle)
        for period in periods:
            report = reports.get(period.pk)
            rows.append(
                {
                    "period": period,
                    "report": report,
                    "current": current is not None and period.pk == current.pk,
                    "overdue": period.is_overdue_for(report),
                    "future": period.start > today(),
                }
            )
        chart = _chart_data(skp, [r for r in reports.values() if r.submitted_at])
    events = (
        ReportEvent.objects.filter(report__skp__employee=user)
        .select_related("actor", "report__period__cycle")
        .order_by("-at", "-pk")
    )
    page = Paginator(events, 10).get_page(request.GET.get("halaman"))
    return render(
        request,
        "performance/home.html",
        {
            "section": "mine",
            "cycle": cycle,
            "skp": skp,
            "rows": rows,
            "chart": chart,
            "events": page,
            "create_form": SkpCreateForm(),
            "other_skps": Skp.objects.filter(employee=user)
            .exclude(pk=skp.pk if skp else None)
            .select_related("cycle"),
            "is_supervisor": user.is_supervisor,
        },
    )


@login_required
@require_POST
def skp_create(request: HttpRequest) -> HttpResponse:
    cycle = Cycle.objects.current()
    if cycle is None:
        raise Http404
    form = SkpCreateForm(request.POST)
    if form.is_valid():
        try:
            skp = services.create_skp(
                employee=request.user, cycle=cycle, pendekatan=form.cleaned_data["pendekatan"]
            )
        except ValidationError as exc:
            messages.error(request, _error_text(exc))
            return redirect("performance:home")
        messages.success(request, _("SKP dibuat. Tambahkan RHK dan indikatornya."))
        return redirect(skp)
    return redirect("performance:home")


# --- SKP ----------------------------------------------------------------------------------


def _get_skp(request: HttpRequest, pk: int) -> Skp:
    skp = get_object_or_404(
        Skp.objects.select_related(
            "employee", "cycle", "pejabat_penilai", "atasan_pejabat_penilai"
        ),
        pk=pk,
    )
    if not skp.can_view(request.user):
        raise Http404
    return skp


def _render_skp(request: HttpRequest, skp: Skp, status: int = 200, **forms) -> HttpResponse:
    user = request.user
    rhks = list(
        skp.rhks.select_related("parent_rhk").prefetch_related(
            "indicators",
            Prefetch("intervened_by", queryset=Rhk.objects.select_related("skp__employee")),
        )
    )
    for rhk in rhks:
        rhk.indicator_form = (
            forms["indicator_form"]
            if forms.get("indicator_rhk") == rhk.pk
            else IndicatorForm(auto_id=f"id_ind{rhk.pk}_%s")
        )
    expectations = {e.value_code: e for e in skp.expectations.all()}
    values = [
        {"code": code, "name": name, "expectation": expectations.get(code)}
        for code, name in value_choices()
    ]
    owner_can_edit = skp.is_owner(user) and skp.is_editable
    context = {
        "section": "mine" if skp.is_owner(user) else "team",
        "skp": skp,
        "rhks": rhks,
        "values": values,
        "is_owner": skp.is_owner(user),
        "is_penilai": skp.is_penilai(user),
        "owner_can_edit": owner_can_edit,
        "events": skp.events.select_related("actor"),
        "rhk_form": forms.get("rhk_form") or (RhkForm(skp=skp) if owner_can_edit else None),
        "indicator_rhk": forms.get("indicator_rhk"),
        "details_form": forms.get("details_form") or SkpDetailsForm(instance=skp),
        "expectation_form": forms.get("expectation_form") or ExpectationForm(),
        "return_form": forms.get("return_form") or ReturnForm(),
        "reports": skp.reports.select_related("period__cycle"),
    }
    return render(request, "performance/skp_detail.html", context, status=status)


@login_required
@require_GET
def skp_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _render_skp(request, _get_skp(request, pk))


@login_required
@require_POST
def rhk_add(request: HttpRequest, pk: int) -> HttpResponse:
    skp = _get_skp(request, pk)
    form = RhkForm(request.POST, skp=skp)
    done = _form_post(
        request,
        form,
        lambda data: services.add_rhk(
            actor=request.user,
            skp=skp,
            jenis=data["jenis"],
            text=data["text"],
            parent_rhk=data.get("parent_rhk"),
            perspektif=data.get("perspektif") or "",
        ),
        success=_("RHK ditambahkan."),
        then=f"{skp.get_absolute_url()}#rhk",
    )
    return done or _render_skp(request, skp, rhk_form=form)


@login_required
@require_POST
def rhk_delete(request: HttpRequest, pk: int) -> HttpResponse:
    rhk = get_object_or_404(Rhk.objects.select_related("skp"), pk=pk)
    skp = _get_skp(request, rhk.skp_id)
    try:
        services.delete_rhk(actor=request.user, rhk=rhk)
    except ValidationError as exc:
        messages.error(request, _error_text(exc))
    else:
        messages.success(request, _("RHK dihapus."))
    return redirect(f"{skp.get_absolute_url()}#rhk")


@login_required
@require_POST
def indicator_add(request: HttpRequest, pk: int) -> HttpResponse:
    rhk = get_object_or_404(Rhk.objects.select_related("skp"), pk=pk)
    skp = _get_skp(request, rhk.skp_id)
    form = IndicatorForm(request.POST)
    done = _form_post(
        request,
        form,
        lambda data: services.add_indicator(actor=request.user, rhk=rhk, **data),
        success=_("Indikator ditambahkan."),
        then=f"{skp.get_absolute_url()}#rhk-{rhk.pk}",
    )
    if done:
        return done
    form.auto_id = f"id_ind{rhk.pk}_%s"
    return _render_skp(request, skp, indicator_form=form, indicator_rhk=rhk.pk)


@login_required
@require_POST
def indicator_delete(request: HttpRequest, pk: int) -> HttpResponse:
    indicator = get_object_or_404(Indicator.objects.select_related("rhk__skp"), pk=pk)
    skp = _get_skp(request, indicator.rhk.skp_id)
    try:
        services.delete_indicator(actor=request.user, indicator=indicator)
    except ValidationError as exc:
        messages.error(request, _error_text(exc))
    else:
        messages.success(request, _("Indikator dihapus."))
    return redirect(f"{skp.get_absolute_url()}#rhk")


@login_required
@require_POST
def skp_details(request: HttpRequest, pk: int) -> HttpResponse:
    skp = _get_skp(request, pk)
    form = SkpDetailsForm(request.POST, instance=Skp.objects.get(pk=skp.pk))
    done = _form_post(
        request,
        form,
        lambda data: services.update_skp_details(
            actor=request.user, skp=skp, **{f: data[f] for f in form.fields}
        ),
        success=_("Pendekatan dan lampiran SKP disimpan."),
        then=f"{skp.get_absolute_url()}#lampiran",
    )
    return done or _render_skp(request, skp, details_form=form)


@login_required
@require_POST
def skp_expectation(request: HttpRequest, pk: int) -> HttpResponse:
    skp = _get_skp(request, pk)
    form = ExpectationForm(request.POST)
    done = _form_post(
        request,
        form,
        lambda data: services.set_expectation(actor=request.user, skp=skp, **data),
        success=_("Ekspektasi khusus disimpan."),
        then=f"{skp.get_absolute_url()}#perilaku",
    )
    return done or _render_skp(request, skp, expectation_form=form)


def _skp_transition(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    skp = _get_skp(request, pk)
    form = ReturnForm(request.POST) if action == "return" else None
    try:
        if action == "submit":
            services.submit_skp(actor=request.user, skp=skp)
            messages.success(request, _("SKP diajukan kepada pejabat penilai."))
        elif action == "approve":
            services.approve_skp(actor=request.user, skp=skp)
            messages.success(request, _("SKP disetujui."))
        else:
            if not form.is_valid():
                return _render_skp(request, skp, return_form=form)
            services.return_skp(actor=request.user, skp=skp, note=form.cleaned_data["note"])
            messages.success(request, _("SKP dikembalikan dengan catatan."))
    except ValidationError as exc:
        if form is not None:
            _apply_errors(form, exc)
            return _render_skp(request, skp, return_form=form)
        messages.error(request, _error_text(exc))
    return redirect(skp)


@login_required
@require_POST
def skp_submit(request: HttpRequest, pk: int) -> HttpResponse:
    return _skp_transition(request, pk, "submit")


@login_required
@require_POST
def skp_approve(request: HttpRequest, pk: int) -> HttpResponse:
    return _skp_transition(request, pk, "approve")


@login_required
@require_POST
def skp_return(request: HttpRequest, pk: int) -> HttpResponse:
    return _skp_transition(request, pk, "return")


# --- periodic reports ---------------------------------------------------------------------


@login_required
@require_POST
def report_start(request: HttpRequest, pk: int, period_pk: int) -> HttpResponse:
    skp = _get_skp(request, pk)
    period = get_object_or_404(ReportingPeriod.objects.select_related("cycle"), pk=period_pk)
    try:
        report = services.start_report(actor=request.user, skp=skp, period=period)
    except ValidationError as exc:
        messages.error(request, _error_text(exc))
        return redirect("performance:home")
    return redirect(report)


REPORT_PAGE_RELATED = (
    "skp__employee",
    "skp__cycle",
    "skp__pejabat_penilai",
    "skp__atasan_pejabat_penilai",
    "period__cycle",
    "rated_by",
)


def _get_report(
    request: HttpRequest, pk: int, related: tuple[str, ...] = REPORT_PAGE_RELATED
) -> PeriodicReport:
    """The report if the user may see it (404 otherwise). A POST that redirects needs only the
    SKP (`related=("skp",)`): each join costs PostgreSQL planning time on every request."""
    report = get_object_or_404(PeriodicReport.objects.select_related(*related), pk=pk)
    if not report.can_view(request.user):
        raise Http404
    return report


def recognition_evidence(user: User, start, end) -> dict[str, list[dict]]:
    """Recognition the employee received in the period, grouped by BerAKHLAK value code.

    Contract of the hook "performance_recognition_evidence": each registered function is
    called as `fn(user, start_date, end_date)` (dates inclusive, Asia/Jakarta) and returns a
    list of dicts with keys `value_code` (a BerAKHLAK code), `giver_name`, `message` and
    `created_at` (a datetime). Results of all functions are shown together.
    """
    grouped: dict[str, list[dict]] = defaultdict(list)
    for fn in hooks.get_hooks(RECOGNITION_HOOK):
        for item in fn(user, start, end) or []:
            grouped[item.get("value_code", "")].append(item)
    return grouped


def _report_queue(user: User, report: PeriodicReport) -> dict:
    """Previous / next report of the same period for the pejabat penilai."""
    queue = list(
        PeriodicReport.objects.filter(period=report.period, skp__pejabat_penilai=user)
        .order_by("skp__employee__full_name", "pk")
        .values_list("pk", "status")
    )
    ids = [pk for pk, _status in queue]
    if report.pk not in ids:
        return {}
    index = ids.index(report.pk)
    waiting = [
        pk
        for pk, status in queue[index + 1 :] + queue[:index]
        if status == PeriodicReport.Status.DIAJUKAN
    ]
    return {
        "previous": ids[index - 1] if index > 0 else None,
        "next": ids[index + 1] if index + 1 < len(ids) else None,
        "next_waiting": waiting[0] if waiting else None,
        "position": index + 1,
        "total": len(ids),
    }


def _report_context(request: HttpRequest, report: PeriodicReport, **forms) -> dict:
    user = request.user
    skp = report.skp
    is_owner, is_penilai = skp.is_owner(user), skp.is_penilai(user)
    rhks = list(skp.rhks.prefetch_related("indicators"))
    realisasi = {r.indicator_id: r for r in report.realisasi.all()}
    indicators = [i for rhk in rhks for i in rhk.indicators.all()]
    can_edit = is_owner and report.is_editable
    report_form = forms.get("report_form") or (
        ReportForm(
            initial={"narrative": report.narrative}, indicators=indicators, realisasi=realisasi
        )
        if can_edit
        else None
    )
    threads: dict[str, list[FeedbackMessage]] = defaultdict(list)
    for message in report.feedback.select_related("author"):
        threads[message.thread_key].append(message)
    feedback_form = forms.get("feedback_form")
    rows = []
    for rhk in rhks:
        key = f"rhk-{rhk.pk}"
        rows.append(
            {
                "rhk": rhk,
                "title": rhk.text,
                "key": key,
                "thread": threads.get(key, []),
                "indicators": [
                    {
                        "indicator": i,
                        "realisasi": realisasi.get(i.pk),
                        "field": report_form[f"realisasi_{i.pk}"] if report_form else None,
                    }
                    for i in rhk.indicators.all()
                ],
            }
        )
    expectations = {e.value_code: e.text for e in ExpectationKhusus.objects.filter(skp=skp)}
    recognition = (
        recognition_evidence(skp.employee, report.period.start, report.period.end)
        if (is_penilai or not is_owner)
        else {}
    )
    values = [
        {
            "code": code,
            "name": name,
            "title": name,
            "key": f"nilai-{code}",
            "thread": threads.get(f"nilai-{code}", []),
            "expectation": expectations.get(code, ""),
            "recognition": recognition.get(code, []),
        }
        for code, name in value_choices()
    ]
    can_feedback = report.feedback_open and (is_penilai or is_owner)
    bound_thread = feedback_form["thread"].value() if feedback_form else ""
    for thread in [*rows, *values]:
        thread["form"] = None
        if can_feedback and (is_penilai or thread["thread"]):
            thread["form"] = (
                feedback_form
                if bound_thread == thread["key"]
                else FeedbackForm(
                    initial={"thread": thread["key"]}, auto_id=f"id_{thread['key']}_%s"
                )
            )
    if feedback_form is not None and not any(t["form"] is feedback_form for t in [*rows, *values]):
        for errors in feedback_form.errors.values():
            for error in errors:
                messages.error(request, error)
    can_add_evidence = is_owner and report.accepts_evidence
    # A form posted from a stale page (the report was submitted meanwhile) is not shown again:
    # say why in a message instead.
    for name in ("report_form", "evidence_form"):
        allowed = can_edit if name == "report_form" else can_add_evidence
        if not allowed and forms.get(name) is not None:
            for errors in forms[name].errors.values():
                for error in errors:
                    messages.error(request, error)
    context = {
        "section": "mine" if is_owner else "team",
        "report": report,
        "skp": skp,
        "rows": rows,
        "values": values,
        "is_owner": is_owner,
        "is_penilai": is_penilai,
        "can_edit": can_edit,
        "can_feedback": can_feedback,
        "feedback_thread": bound_thread,
        "report_form": report_form,
        "can_add_evidence": can_add_evidence,
        "evidence_form": forms.get("evidence_form") or EvidenceForm(),
        "rating_form": forms.get("rating_form") or RatingForm(),
        "rating_preview": forms.get("rating_preview"),
        "return_form": forms.get("return_form") or ReturnForm(),
        "evidence": report.evidence.all(),
        "events": report.events.select_related("actor"),
        "queue": _report_queue(user, report) if is_penilai else {},
        "submit_error": forms.get("submit_error"),
        "training_url": services.TRAINING_URL,
    }
    return context


def _render_report(
    request: HttpRequest, report: PeriodicReport, status: int = 200, **forms
) -> HttpResponse:
    context = _report_context(request, report, **forms)
    return render(request, "performance/report_detail.html", context, status=status)


def _render_thread(request: HttpRequest, report: PeriodicReport, key: str, **forms) -> HttpResponse:
    """One feedback thread, for htmx: the same include the report page uses."""
    context = _report_context(request, report, **forms)
    thread = next((t for t in [*context["rows"], *context["values"]] if t["key"] == key), None)
    if thread is None:
        return _render_report(request, report, **forms)
    return render(request, "performance/includes/thread.html", {**context, "t": thread})


@login_required
@require_GET
def report_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _render_report(request, _get_report(request, pk))


def _draft_form(request: HttpRequest, report: PeriodicReport, indicators) -> ReportForm | None:
    """The report's own fields when this POST carries them: the report page sends them with
    every button (save, submit, add or delete evidence), so nothing typed is lost. None when
    they are absent or the report is no longer the owner's draft."""
    if "narrative" not in request.POST:
        return None
    if not (report.skp.is_owner(request.user) and report.is_editable):
        return None
    # A bound form shows what was typed, so the stored realisasi (its initial values) are not read.
    return ReportForm(request.POST, indicators=indicators, realisasi={})


def _put_errors(exc: ValidationError, *forms) -> None:
    """A field error on the form that has the field, the rest on the first form."""
    forms = [f for f in forms if f is not None]
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            form = next((f for f in forms if field in f.fields), forms[0])
            for error in errors:
                form.add_error(field if field in form.fields else None, error)
    else:
        for message in exc.messages:
            forms[0].add_error(None, message)


def _report_post(request: HttpRequest, pk: int, *, need: str, submit: bool) -> HttpResponse:
    """One POST of the report page: the draft (when its fields came), a new bukti dukung
    (`need`: see EvidenceForm), then the submission. A refused draft saves nothing; a refused
    bukti dukung or submission leaves the draft saved and says so."""
    report = _get_report(request, pk, related=("skp",))
    saving = need == "none"  # "Simpan draf" / "Simpan dan ajukan": the draft is the point
    indicators = (
        services.report_indicators(report) if saving or "narrative" in request.POST else None
    )
    if saving:  # the service says who may save what
        report_form = ReportForm(request.POST, indicators=indicators, realisasi={})
    else:
        report_form = _draft_form(request, report, indicators)
        if (
            report_form is None
            and "narrative" in request.POST
            and report.skp.is_owner(request.user)
        ):
            messages.warning(
                request,
                _(
                    "Laporan ini sudah diajukan, jadi realisasi dan narasi yang diketik "
                    "tidak disimpan."
                ),
            )
    evidence_form = EvidenceForm(request.POST, request.FILES, need=need)
    valid = evidence_form.is_valid()
    valid = (report_form is None or report_form.is_valid()) and valid
    if not valid:
        if report_form is not None and report_form.is_bound and evidence_form.files:
            messages.info(request, _("Pilih berkasnya lagi: berkas tidak ikut tersimpan."))
        return _render_report(request, report, report_form=report_form, evidence_form=evidence_form)
    new = evidence_form.new_evidence()
    try:
        if report_form is not None:
            services.save_report(
                actor=request.user,
                report=report,
                narrative=report_form.cleaned_data["narrative"],
                values=report_form.values(),
                submit=submit,
                indicators=indicators,
                evidence=new or None,
            )
        else:
            services.add_evidence(actor=request.user, report=report, new=new)
    except services.EvidenceRefused as exc:  # the draft is saved; the evidence is not
        report.refresh_from_db()
        evidence_form.add_error("file" if new.upload is not None else "url", exc.messages[0])
        messages.info(
            request, _("Draf laporan disimpan; bukti dukung belum ditambahkan (lihat di bawah).")
        )
        return _render_report(request, report, report_form=report_form, evidence_form=evidence_form)
    except services.SubmissionRefused as exc:  # the draft is saved; the submission is not
        return _submission_refused(request, report, exc)
    except ValidationError as exc:
        if report_form is not None and hasattr(exc, "error_dict"):
            _put_errors(exc, report_form, evidence_form)
        else:
            _put_errors(exc, evidence_form if new else report_form or evidence_form)
        return _render_report(request, report, report_form=report_form, evidence_form=evidence_form)
    if submit:
        messages.success(request, _("Laporan diajukan kepada pejabat penilai."))
        return redirect(report)
    if new and report_form is not None:
        messages.success(request, _("Draf laporan disimpan dan bukti dukung ditambahkan."))
    elif new:
        messages.success(
            request,
            _("Bukti dukung ditambahkan.")
            if report.is_editable
            else _("Bukti dukung ditambahkan; pejabat penilai diberi tahu."),
        )
    else:
        messages.success(request, _("Draf laporan disimpan."))
    return redirect(f"{report.get_absolute_url()}#bukti" if new else report.get_absolute_url())


@login_required
@require_POST
def report_save(request: HttpRequest, pk: int) -> HttpResponse:
    """Save the draft (and a bukti dukung chosen on the page); with `ajukan`, then submit."""
    return _report_post(request, pk, need="none", submit="ajukan" in request.POST)


def _submission_refused(
    request: HttpRequest, report: PeriodicReport, exc: ValidationError
) -> HttpResponse:
    report.refresh_from_db()
    return _render_report(
        request,
        report,
        submit_error={"message": _error_text(exc), "code": exc.code or ""},
    )


@login_required
@require_POST
def report_submit(request: HttpRequest, pk: int) -> HttpResponse:
    report = _get_report(request, pk, related=("skp",))
    try:
        report = services.submit_report(actor=request.user, report=report)
    except ValidationError as exc:
        return _submission_refused(request, report, exc)
    messages.success(request, _("Laporan diajukan kepada pejabat penilai."))
    return redirect(report)


@login_required
@require_POST
def evidence_upload(request: HttpRequest, pk: int) -> HttpResponse:
    """Add a file or a link; the draft typed on the page is saved with it."""
    return _report_post(request, pk, need="any", submit=False)


@login_required
@require_POST
def evidence_link(request: HttpRequest, pk: int) -> HttpResponse:
    return _report_post(request, pk, need="url", submit=False)


def _get_evidence(request: HttpRequest, pk: int) -> Evidence:
    evidence = get_object_or_404(
        Evidence.objects.select_related(
            "report__skp__employee", "report__skp__pejabat_penilai", "report__period__cycle"
        ),
        pk=pk,
    )
    if not evidence.report.can_view(request.user):
        raise Http404
    return evidence


@login_required
@require_POST
def evidence_delete(request: HttpRequest, pk: int) -> HttpResponse:
    evidence = _get_evidence(request, pk)
    report = evidence.report
    indicators = services.report_indicators(report) if "narrative" in request.POST else None
    report_form = _draft_form(request, report, indicators)
    if report_form is not None:  # what was typed on the page is saved first
        try:
            if report_form.is_valid():
                services.save_report(
                    actor=request.user,
                    report=report,
                    narrative=report_form.cleaned_data["narrative"],
                    values=report_form.values(),
                    indicators=indicators,
                )
        except ValidationError as exc:
            _apply_errors(report_form, exc)
        if report_form.errors:
            return _render_report(request, report, report_form=report_form)
    try:
        services.delete_evidence(actor=request.user, evidence=evidence)
    except ValidationError as exc:
        messages.error(request, _error_text(exc))
    else:
        messages.success(request, _("Bukti dukung dihapus."))
    return redirect(f"{evidence.report.get_absolute_url()}#bukti")


@login_required
@require_GET
def evidence_download(request: HttpRequest, pk: int) -> HttpResponse:
    evidence = _get_evidence(request, pk)
    if not evidence.is_file:
        raise Http404
    response = FileResponse(
        evidence.file.open("rb"),
        as_attachment=True,
        filename=evidence.original_name,
        content_type=evidence.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


@login_required
@require_POST
def report_return(request: HttpRequest, pk: int) -> HttpResponse:
    report = _get_report(request, pk)
    form = ReturnForm(request.POST)
    done = _form_post(
        request,
        form,
        lambda data: services.return_report(actor=request.user, report=report, note=data["note"]),
        success=_("Laporan dikembalikan untuk diperbaiki."),
        then=report,
        general_errors="message",
    )
    return done or _render_report(request, report, return_form=form)


def _rating_preview(data: dict) -> dict:
    """What "Simpan penilaian" will record: the predikat from the same rule the service uses."""
    from . import rules
    from .models import rating_choices

    labels = dict(rating_choices())
    code = rules.predikat(data["hasil_kerja"], data["perilaku_kerja"])
    return {
        "hasil_kerja": data["hasil_kerja"],
        "perilaku_kerja": data["perilaku_kerja"],
        "hasil_label": labels.get(data["hasil_kerja"], data["hasil_kerja"]),
        "perilaku_label": labels.get(data["perilaku_kerja"], data["perilaku_kerja"]),
        "predikat": rules.predikat_label(code),
    }


@login_required
@require_POST
def report_rate(request: HttpRequest, pk: int) -> HttpResponse:
    report = _get_report(request, pk)
    form = RatingForm(request.POST)
    # Rating locks the report for good: the first POST shows the predikat that follows and
    # asks; only a POST carrying the confirmation saves. "Ubah" goes back with the choices kept.
    if request.POST.get("konfirmasi") != "ya" or "ubah" in request.POST:
        preview = None
        if (
            "ubah" not in request.POST
            and report.status == PeriodicReport.Status.DIAJUKAN
            and report.skp.is_penilai(request.user)
            and form.is_valid()
        ):
            preview = _rating_preview(form.cleaned_data)
        return _render_report(request, report, rating_form=form, rating_preview=preview)
    done = _form_post(
        request,
        form,
        lambda data: services.rate_report(actor=request.user, report=report, **data),
        success=_("Laporan dinilai; predikat ditetapkan."),
        then=report,
        general_errors="message",
    )
    return done or _render_report(request, report, rating_form=form)


@login_required
@require_POST
def report_feedback(request: HttpRequest, pk: int) -> HttpResponse:
    report = _get_report(request, pk)
    form = FeedbackForm(request.POST)
    if form.is_valid():
        thread = form.cleaned_data["thread"]
        rhk, value_code = None, ""
        if thread.startswith("rhk-") and thread[4:].isascii() and thread[4:].isdigit():
            rhk = Rhk.objects.filter(pk=int(thread[4:]), skp=report.skp).first()
            if rhk is None:
                form.add_error(None, _("RHK ini bukan bagian dari SKP laporan ini."))
        elif thread.startswith("nilai-"):
            value_code = thread[6:]
        if not form.errors:
            try:
                services.add_feedback(
                    actor=request.user,
                    report=report,
                    body=form.cleaned_data["body"],
                    rhk=rhk,
                    value_code=value_code,
                )
            except ValidationError as exc:
                _apply_errors(form, exc)
            else:
                if request.htmx:
                    return _render_thread(request, _get_report(request, pk), thread)
                messages.success(request, _("Umpan balik terkirim."))
                return redirect(f"{report.get_absolute_url()}#{thread}")
    form.auto_id = f"id_{form.data.get('thread', 'x')}_%s"
    if request.htmx:
        return _render_thread(request, report, form.data.get("thread", ""), feedback_form=form)
    return _render_report(request, report, feedback_form=form)


# --- supervisors ---------------------------------------------------------------------------


TEAM_ELSEWHERE_LIMIT = 50


@login_required
@require_GET
def team(request: HttpRequest) -> HttpResponse:
    user = request.user
    cycle = Cycle.objects.current()
    periods = list(cycle.periods.order_by("start")) if cycle else []
    period = None
    raw = request.GET.get("periode", "")
    if raw.isascii() and raw.isdigit():  # str.isdigit() alone lets "²" through to int()
        period = next((p for p in periods if p.pk == int(raw)), None)
    period = period or (ReportingPeriod.objects.current(cycle) if cycle else None)
    members = User.objects.filter(atasan=user, is_active=True).select_related("org_unit")
    page = Paginator(members.order_by("full_name", "pk"), 25).get_page(request.GET.get("halaman"))
    people = list(page.object_list)
    skps = {s.employee_id: s for s in Skp.objects.filter(cycle=cycle, employee__in=people)}
    reports = {
        r.skp.employee_id: r
        for r in PeriodicReport.objects.filter(period=period, skp__in=skps.values()).select_related(
            "skp"
        )
    }
    rows = []
    for person in people:
        report = reports.get(person.pk)
        rows.append(
            {
                "person": person,
                "skp": skps.get(person.pk),
                "report": report,
                "overdue": bool(period) and period.is_overdue_for(report),
            }
        )
    waiting = PeriodicReport.objects.waiting_for(user)
    # What the banner counts and the table above does not show (a late report of an earlier
    # period, someone no longer in the team): listed with the table, marked, so both agree.
    elsewhere = (
        waiting.exclude(period=period, skp__employee__in=members)
        .select_related("skp__employee", "period__cycle")
        .order_by("period__start", "skp__employee__full_name", "pk")
    )
    elsewhere_rows = list(elsewhere[:TEAM_ELSEWHERE_LIMIT])
    return render(
        request,
        "performance/team.html",
        {
            "section": "team",
            "cycle": cycle,
            "period": period,
            "periods": periods,
            "rows": rows,
            "page": page,
            "waiting": waiting.count(),
            "elsewhere": elsewhere_rows,
            "elsewhere_more": (
                elsewhere.count() - TEAM_ELSEWHERE_LIMIT
                if len(elsewhere_rows) == TEAM_ELSEWHERE_LIMIT
                else 0
            ),
        },
    )


@login_required
@require_GET
def cascade_matrix(request: HttpRequest, user_pk: int | None = None) -> HttpResponse:
    """Who intervenes which RHK: the atasan's RHK (rows) x the bawahan (columns)."""
    viewer = request.user
    head = viewer if user_pk is None else get_object_or_404(User, pk=user_pk)
    allowed = (
        head.pk == viewer.pk
        or viewer.atasan_id == head.pk
        or any(a.pk == viewer.pk for a in head.atasan_chain())
        or viewer.is_bkpsdm_admin
    )
    if not allowed:
        raise Http404
    cycle = Cycle.objects.current()
    skp = Skp.objects.filter(employee=head, cycle=cycle).first() if cycle else None
    parents = list(skp.rhks.all()) if skp else []
    children = (
        Rhk.objects.filter(parent_rhk__in=parents)
        .select_related("skp__employee")
        .order_by("skp__employee__full_name", "pk")
    )
    people: dict[int, User] = {}
    cells: dict[tuple[int, int], list[Rhk]] = defaultdict(list)
    for child in children:
        people.setdefault(child.skp.employee_id, child.skp.employee)
        cells[(child.parent_rhk_id, child.skp.employee_id)].append(child)
    columns = sorted(people.values(), key=lambda p: p.full_name)
    matrix = [
        {"rhk": parent, "cells": [cells.get((parent.pk, p.pk), []) for p in columns]}
        for parent in parents
    ]
    return render(
        request,
        "performance/matrix.html",
        {
            "section": "matrix",
            "head": head,
            "cycle": cycle,
            "skp": skp,
            "columns": columns,
            "matrix": matrix,
        },
    )


# --- notifications -------------------------------------------------------------------------


@login_required
def notifications(request: HttpRequest) -> HttpResponse:
    """Moved to /notifikasi/ (portal: every app notifies); kept for bookmarks and old forms."""
    if request.method == "POST":
        services.mark_notifications_read(user=request.user)
    return redirect("portal:notifications")


# --- Admin BKPSDM: cycles and periods ---------------------------------------------------------


def _require_admin(request: HttpRequest) -> None:
    if not request.user.is_bkpsdm_admin:
        raise Http404


@login_required
def admin_cycles(request: HttpRequest) -> HttpResponse:
    _require_admin(request)
    form = CycleForm(request.POST or None, initial={"year": today().year})
    if request.method == "POST":
        done = _form_post(
            request,
            form,
            lambda data: services.create_cycle(actor=request.user, **data),
            success=lambda cycle: _("Siklus %(year)s dibuat.") % {"year": cycle.year},
            then=lambda cycle: reverse("performance:admin_cycle", kwargs={"pk": cycle.pk}),
        )
        if done:
            return done
    page = Paginator(Cycle.objects.all(), 20).get_page(request.GET.get("halaman"))
    return render(
        request, "performance/admin_cycles.html", {"form": form, "page": page, "section": "admin"}
    )


@login_required
def admin_cycle(request: HttpRequest, pk: int) -> HttpResponse:
    _require_admin(request)
    cycle = get_object_or_404(Cycle, pk=pk)
    periods = list(cycle.periods.order_by("start"))
    forms = {p.pk: PeriodForm(instance=p, prefix=f"p{p.pk}") for p in periods}
    if request.method == "POST":
        if "status" in request.POST:
            try:
                services.set_cycle_status(
                    actor=request.user, cycle=cycle, status=request.POST["status"]
                )
            except ValidationError as exc:
                messages.error(request, _error_text(exc))
            else:
                messages.success(request, _("Status siklus diperbarui."))
            return redirect("performance:admin_cycle", pk=cycle.pk)
        raw = request.POST.get("period", "")
        period_pk = int(raw) if raw.isascii() and raw.isdigit() else 0
        period = next((p for p in periods if p.pk == period_pk), None)
        if period is None:
            raise Http404
        form = PeriodForm(request.POST, instance=period, prefix=f"p{period.pk}")
        forms[period.pk] = form
        done = _form_post(
            request,
            form,
            lambda data: services.update_period(
                actor=request.user,
                period=period,
                due_date=data["due_date"],
                is_closed=data["is_closed"],
            ),
            success=_("Periode %(p)s diperbarui.") % {"p": period.label},
            then=reverse("performance:admin_cycle", kwargs={"pk": cycle.pk}),
        )
        if done:
            return done
    rows = [{"period": p, "form": forms[p.pk]} for p in periods]
    return render(
        request, "performance/admin_cycle.html", {"cycle": cycle, "rows": rows, "section": "admin"}
    )
