"""The pejabat penilai's answers on a report: return, rate, feedback threads."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from performance import rules, services
from performance.forms import (
    FeedbackForm,
    RatingForm,
    ReturnForm,
)
from performance.models import (
    PeriodicReport,
    rating_choices,
)

from .common import apply_errors, confirmed, form_post
from .reports import get_report, render_report, render_thread


@login_required
@require_POST
def report_return(request: HttpRequest, pk: int) -> HttpResponse:
    report = get_report(request, pk)
    form = ReturnForm(request.POST)
    done = form_post(
        request,
        form,
        lambda data: services.return_report(actor=request.user, report=report, note=data["note"]),
        success=_("Laporan dikembalikan untuk diperbaiki."),
        then=report,
        general_errors="message",
    )
    return done or render_report(request, report, return_form=form)


def _rating_preview(data: dict) -> dict:
    """What "Simpan penilaian" will record: the predikat from the same rule the service uses."""
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
    report = get_report(request, pk)
    form = RatingForm(request.POST)
    # Rating locks the report for good: the first POST shows the predikat that follows and
    # asks; only a POST carrying the confirmation saves. "Ubah" goes back with the choices kept.
    if not confirmed(request):
        preview = None
        if (
            "ubah" not in request.POST
            and report.status == PeriodicReport.Status.DIAJUKAN
            and report.skp.is_penilai(request.user)
            and form.is_valid()
        ):
            preview = _rating_preview(form.cleaned_data)
        return render_report(request, report, rating_form=form, rating_preview=preview)
    done = form_post(
        request,
        form,
        lambda data: services.rate_report(actor=request.user, report=report, **data),
        success=_("Laporan dinilai; predikat ditetapkan."),
        then=report,
        general_errors="message",
    )
    return done or render_report(request, report, rating_form=form)


@login_required
@require_POST
def report_feedback(request: HttpRequest, pk: int) -> HttpResponse:
    report = get_report(request, pk)
    form = FeedbackForm(request.POST, skp=report.skp)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.add_feedback(
                actor=request.user,
                report=report,
                body=data["body"],
                rhk=data["rhk"],
                value_code=data["value_code"],
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            if request.htmx:
                return render_thread(request, get_report(request, pk), data["thread"])
            messages.success(request, _("Umpan balik terkirim."))
            return redirect(f"{report.get_absolute_url()}#{data['thread']}")
    form.auto_id = f"id_{form.data.get('thread', 'x')}_%s"
    if request.htmx:
        return render_thread(request, report, form.data.get("thread", ""), feedback_form=form)
    return render_report(request, report, feedback_form=form)
