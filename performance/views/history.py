"""Corrections on the record, for Admin BKPSDM: the correction page of one SKP (annual rating,
pejabat penilai, perubahan SKP), the audit view of every kept version with its filters, and
its XLSX export (for Inspektorat)."""

from __future__ import annotations

from collections.abc import Iterable
from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from performance.exports import xlsx_response
from performance.forms import (
    CorrectionForm,
    HistoryFilterForm,
    PenilaiCorrectionForm,
    RatingCorrectionForm,
)
from performance.models import AnnualRating, RecordVersion, Skp
from performance.services import corrections
from portal.decorators import bkpsdm_admin_required

from .common import form_post, paginate

PAGE_SIZE = 50

# --- the correction page of one SKP -----------------------------------------------------------

FORMS = {
    "rating_form": (RatingCorrectionForm, "nilai"),
    "penilai_form": (PenilaiCorrectionForm, "penilai"),
    "reopen_form": (CorrectionForm, "perubahan"),
}


def _correction_skp(pk: int) -> Skp:
    return get_object_or_404(
        Skp.objects.select_related("employee__org_unit", "cycle", "pejabat_penilai"), pk=pk
    )


def _correction_page(request: HttpRequest, skp: Skp, **bound) -> HttpResponse:
    rating = AnnualRating.objects.filter(skp=skp).first()
    context = {
        "section": "riwayat",
        "skp": skp,
        "rating": rating,
        "versions": RecordVersion.objects.filter(skp=skp).for_listing(),
    }
    for name, (form_class, prefix) in FORMS.items():
        initial = None
        if name == "rating_form" and rating:
            initial = {
                "hasil_kerja": rating.rating_hasil_kerja,
                "perilaku_kerja": rating.rating_perilaku_kerja,
            }
        context[name] = bound.get(name) or form_class(prefix=prefix, initial=initial)
    return render(
        request, "performance/admin_correction.html", context, status=400 if bound else 200
    )


@bkpsdm_admin_required
@require_GET
def admin_correction(request: HttpRequest, pk: int) -> HttpResponse:
    return _correction_page(request, _correction_skp(pk))


def _correct(request: HttpRequest, pk: int, name: str, action, success) -> HttpResponse:
    skp = _correction_skp(pk)
    form_class, prefix = FORMS[name]
    form = form_class(request.POST, prefix=prefix)
    done = form_post(
        request,
        form,
        lambda data: action(skp, data),
        success=success,
        then=reverse("performance:admin_correction", args=[skp.pk]),
    )
    return done or _correction_page(request, skp, **{name: form})


@bkpsdm_admin_required
@require_POST
def correct_rating(request: HttpRequest, pk: int) -> HttpResponse:
    return _correct(
        request,
        pk,
        "rating_form",
        lambda skp, data: corrections.correct_annual_rating(actor=request.user, skp=skp, **data),
        _("Penilaian tahunan dikoreksi; versi sebelumnya tetap tercatat."),
    )


@bkpsdm_admin_required
@require_POST
def correct_penilai(request: HttpRequest, pk: int) -> HttpResponse:
    return _correct(
        request,
        pk,
        "penilai_form",
        lambda skp, data: corrections.correct_penilai(
            actor=request.user,
            skp=skp,
            penilai=data["penilai_nip"],
            reason=data["reason"],
            document_ref=data["document_ref"],
        ),
        _("Pejabat penilai dikoreksi; versi sebelumnya tetap tercatat."),
    )


@bkpsdm_admin_required
@require_POST
def reopen_skp(request: HttpRequest, pk: int) -> HttpResponse:
    return _correct(
        request,
        pk,
        "reopen_form",
        lambda skp, data: corrections.reopen_skp(actor=request.user, skp=skp, **data),
        _("SKP dibuka kembali untuk perubahan; isi yang disetujui tetap tercatat."),
    )


# --- the audit view and its export -----------------------------------------------------------


def _filtered(request: HttpRequest) -> tuple[HistoryFilterForm, dict]:
    form = HistoryFilterForm(request.GET or None)
    data = {}
    if form.is_bound:
        form.is_valid()  # the valid filters apply; a wrong one is shown on the form
        data = form.cleaned_data
    return form, {
        "person": data.get("q") or "",
        "org_unit": data.get("opd"),
        "year": data.get("tahun"),
        "kind": data.get("jenis") or "",
    }


@bkpsdm_admin_required
@require_GET
def admin_history(request: HttpRequest) -> HttpResponse:
    """Every kept version, newest first, by person, OPD, year and kind."""
    form, filters = _filtered(request)
    versions = RecordVersion.objects.matching(**filters).for_listing()
    query = urlencode({k: v for k, v in request.GET.items() if k != "halaman" and v})
    return render(
        request,
        "performance/admin_history.html",
        {
            "section": "riwayat",
            "form": form,
            "page": paginate(request, versions, PAGE_SIZE),
            "query": query,
        },
    )


def history_headers() -> list[str]:
    return [
        _("Waktu"),
        _("NIP"),
        _("Pegawai"),
        _("Perangkat daerah"),
        _("Tahun"),
        _("Jenis perubahan"),
        _("Melalui"),
        _("Sebelumnya"),
        _("Sesudahnya"),
        _("Diubah oleh"),
        _("Alasan"),
        _("Dokumen dasar"),
    ]


def history_values(versions) -> Iterable[list]:
    for version in versions.iterator(chunk_size=2000):
        employee = version.employee
        yield [
            timezone.localtime(version.at).replace(tzinfo=None),
            employee.nip if employee else "",
            employee.full_name if employee else "",
            version.org_unit.name if version.org_unit else "",
            version.cycle.year,
            version.get_kind_display(),
            version.get_via_display(),
            version.old_text,
            version.new_text,
            version.actor.full_name,
            version.reason,
            version.document_ref,
        ]


@bkpsdm_admin_required
@require_GET
def admin_history_xlsx(request: HttpRequest) -> HttpResponse:
    """The audit view's rows (same filters) as XLSX, for Inspektorat."""
    _form, filters = _filtered(request)
    versions = RecordVersion.objects.matching(**filters).for_listing()
    opd = filters["org_unit"]
    scope = slugify(str(opd.code or opd.pk)) if opd else "kota"
    name = f"riwayat-perubahan-{scope}-{filters['year'] or 'semua'}.xlsx"
    return xlsx_response(name, _("Riwayat perubahan"), history_headers(), history_values(versions))
