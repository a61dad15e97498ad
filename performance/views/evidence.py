"""Bukti dukung on a report: add a file or a link, delete, download."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from performance import services
from performance.exports import FileDownload
from performance.models import (
    Evidence,
)

from .common import apply_errors, post_and_redirect
from .reports import draft_form, render_report, report_post


@login_required
@require_POST
def evidence_upload(request: HttpRequest, pk: int) -> HttpResponse:
    """Add a file or a link; the draft typed on the page is saved with it."""
    return report_post(request, pk, need="any", submit=False)


@login_required
@require_POST
def evidence_link(request: HttpRequest, pk: int) -> HttpResponse:
    return report_post(request, pk, need="url", submit=False)


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
    report_form = draft_form(request, report)
    if report_form is not None:  # what was typed on the page is saved first
        try:
            if report_form.is_valid():
                services.save_report(
                    actor=request.user,
                    report=report,
                    narrative=report_form.cleaned_data["narrative"],
                    realisasi=report_form.realisasi(),
                )
        except ValidationError as exc:
            apply_errors(report_form, exc)
        if report_form.errors:
            return render_report(request, report, report_form=report_form)
    return post_and_redirect(
        request,
        lambda: services.delete_evidence(actor=request.user, evidence=evidence),
        success=_("Bukti dukung dihapus."),
        then=f"{report.get_absolute_url()}#bukti",
    )


@login_required
@require_GET
def evidence_download(request: HttpRequest, pk: int) -> HttpResponse:
    evidence = _get_evidence(request, pk)
    if not evidence.is_file:
        raise Http404
    response = FileDownload(  # a chunk at a time under daphne too
        evidence.file.open("rb"),
        as_attachment=True,
        filename=evidence.original_name,
        content_type=evidence.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response
