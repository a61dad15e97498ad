"""The periodic report page: start, read, save the draft, submit."""

from __future__ import annotations

from collections import defaultdict

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from leaderboard.models import Recognition
from performance import rights, services
from performance.forms import (
    EvidenceForm,
    FeedbackForm,
    RatingForm,
    ReportForm,
    ReturnForm,
)
from performance.models import (
    ExpectationKhusus,
    FeedbackMessage,
    Indicator,
    PeriodicReport,
    ReportingPeriod,
    value_choices,
)
from portal.models import User

from .common import apply_errors, error_text, flash_errors, visible_or_404
from .planning import get_skp

# --- periodic reports ---------------------------------------------------------------------


@login_required
@require_POST
def report_start(request: HttpRequest, pk: int, period_pk: int) -> HttpResponse:
    skp = get_skp(request, pk)
    period = get_object_or_404(ReportingPeriod.objects.select_related("cycle"), pk=period_pk)
    try:
        report = services.start_report(actor=request.user, skp=skp, period=period)
    except ValidationError as exc:
        messages.error(request, error_text(exc))
        return redirect("performance:home")
    return redirect(report)


def get_report(request: HttpRequest, pk: int) -> PeriodicReport:
    """The report as its page shows it, if the user may see it (404 otherwise)."""
    return visible_or_404(request, PeriodicReport.objects.for_page(), pk)


def get_report_for_submission(request: HttpRequest, pk: int) -> PeriodicReport:
    """The report as the owner's POSTs read it (save, submit, bukti dukung), if the user may
    see it (404 otherwise)."""
    return visible_or_404(request, PeriodicReport.objects.for_submission(), pk)


def recognition_evidence(user: User, start, end) -> dict[str, list]:
    """Recognition the employee received in the period, grouped by BerAKHLAK value code."""
    grouped: dict[str, list] = defaultdict(list)
    for recognition in Recognition.objects.received_between(user, start, end):
        grouped[recognition.value].append(recognition)
    return grouped


def _report_queue(user: User, report: PeriodicReport) -> dict:
    """Previous / next report of the same period among those `user` may rate."""
    queue = list(
        PeriodicReport.objects.filter(rights.rater_q(user, prefix="skp__"), period=report.period)
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
            initial={"narrative": report.narrative},
            indicators=indicators,
            kuantitatif=skp.is_kuantitatif,
            realisasi=realisasi,
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
        flash_errors(request, feedback_form)
    can_add_evidence = is_owner and report.accepts_evidence
    # A form posted from a stale page (the report was submitted meanwhile) is not shown again:
    # say why in a message instead.
    for name in ("report_form", "evidence_form"):
        allowed = can_edit if name == "report_form" else can_add_evidence
        if not allowed and forms.get(name) is not None:
            flash_errors(request, forms[name])
    context = {
        "section": "mine" if is_owner else "team",
        "report": report,
        "skp": skp,
        "rows": rows,
        "values": values,
        "is_owner": is_owner,
        "is_penilai": is_penilai,
        "read_only": not (is_owner or is_penilai),
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


def render_report(
    request: HttpRequest, report: PeriodicReport, status: int = 200, **forms
) -> HttpResponse:
    context = _report_context(request, report, **forms)
    return render(request, "performance/report_detail.html", context, status=status)


def render_thread(request: HttpRequest, report: PeriodicReport, key: str, **forms) -> HttpResponse:
    """One feedback thread, for htmx: the report page's own `thread` partial."""
    context = _report_context(request, report, **forms)
    thread = next((t for t in [*context["rows"], *context["values"]] if t["key"] == key), None)
    if thread is None:
        return render_report(request, report, **forms)
    return render(request, "performance/report_detail.html#thread", {**context, "t": thread})


@login_required
@require_GET
def report_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return render_report(request, get_report(request, pk))


def bound_report_form(request: HttpRequest, report: PeriodicReport, indicators=None) -> ReportForm:
    """The report's own fields as this POST sent them, one typed field per indicator."""
    # A bound form shows what was typed, so the stored realisasi (its initial values) are not read.
    return ReportForm(
        request.POST,
        indicators=Indicator.objects.for_report(report) if indicators is None else indicators,
        kuantitatif=report.skp.is_kuantitatif,
        realisasi={},
    )


def saved_draft_form(request: HttpRequest, pk: int) -> tuple[PeriodicReport, ReportForm]:
    """The report and its bound form for "Simpan draf" / "Simpan dan ajukan". The owner's POST
    reads the SKP with the indicators (one query) and the report only as its id: the service
    reads it locked (`save_report`), and a page shown after a refusal reads it again. Anyone
    else's POST reads the report first (404 when it is hidden from them)."""
    indicators = list(Indicator.objects.of_report(pk))
    skp = indicators[0].rhk.skp if indicators else None
    if skp is not None and skp.is_owner(request.user):  # the owner sees their report
        report = PeriodicReport(pk=pk, skp=skp)  # its id; refreshed before a page shows it
        return report, bound_report_form(request, report, indicators)
    report = get_report_for_submission(request, pk)
    return report, bound_report_form(request, report)


def draft_form(request: HttpRequest, report: PeriodicReport) -> ReportForm | None:
    """The report's own fields when this POST carries them: the report page sends them with
    every button (save, submit, add or delete evidence), so nothing typed is lost. None when
    they are absent or the report is no longer the owner's draft."""
    if "narrative" not in request.POST:
        return None
    if not (report.skp.is_owner(request.user) and report.is_editable):
        return None
    return bound_report_form(request, report)


def report_post(request: HttpRequest, pk: int, *, need: str, submit: bool) -> HttpResponse:
    """One POST of the report page: the draft (when its fields came), a new bukti dukung
    (`need`: see EvidenceForm), then the submission. A refused draft saves nothing; a refused
    bukti dukung or submission leaves the draft saved and says so."""
    if need == "none":  # "Simpan draf" / "Simpan dan ajukan": the draft is the point
        report, report_form = saved_draft_form(request, pk)  # the service says who may save
    else:
        report = get_report_for_submission(request, pk)
        report_form = draft_form(request, report)
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
        report.refresh_from_db()
        return render_report(request, report, report_form=report_form, evidence_form=evidence_form)
    new = evidence_form.new_evidence()
    try:
        if report_form is not None:
            services.save_report(
                actor=request.user,
                report=report,
                narrative=report_form.cleaned_data["narrative"],
                realisasi=report_form.realisasi(),
                submit=submit,
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
        return render_report(request, report, report_form=report_form, evidence_form=evidence_form)
    except services.SubmissionRefused as exc:  # the draft is saved; the submission is not
        return _submission_refused(request, report, exc)
    except ValidationError as exc:
        if report_form is not None and hasattr(exc, "error_dict"):
            apply_errors(report_form, exc, evidence_form)
        else:
            apply_errors(evidence_form if new else report_form or evidence_form, exc)
        report.refresh_from_db()
        return render_report(request, report, report_form=report_form, evidence_form=evidence_form)
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
    return report_post(request, pk, need="none", submit="ajukan" in request.POST)


def _submission_refused(
    request: HttpRequest, report: PeriodicReport, exc: ValidationError
) -> HttpResponse:
    report.refresh_from_db()
    return render_report(
        request,
        report,
        submit_error={"message": error_text(exc), "code": exc.code or ""},
    )


@login_required
@require_POST
def report_submit(request: HttpRequest, pk: int) -> HttpResponse:
    report = get_report_for_submission(request, pk)
    try:
        report = services.submit_report(actor=request.user, report=report)
    except ValidationError as exc:
        return _submission_refused(request, report, exc)
    messages.success(request, _("Laporan diajukan kepada pejabat penilai."))
    return redirect(report)
