"""Certificates: look a code up, verify it publicly, download the PDF."""

from http import HTTPStatus

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from ..certificates import display_nip, issued_on, render_pdf
from ..models import Certificate
from .common import no_store


@require_GET
def certificate_lookup(request: HttpRequest) -> HttpResponse:
    """/sertifikat/: type or paste a certificate code, go to its verification page."""
    typed = request.GET.get("kode", "")[:200]
    code = "".join(ch for ch in typed.upper() if ch.isalnum())
    error = ""
    if "kode" in request.GET:
        if not code:
            error = _("Tuliskan kode sertifikat (16 karakter, huruf A–Z dan angka 2–7).")
        elif Certificate.objects.filter(code=code).exists():
            return redirect("training:certificate", code=code)
        else:
            error = _(
                "Tidak ada sertifikat dengan kode “%(code)s”. Periksa lagi kodenya: huruf A–Z "
                "dan angka 2–7, tanpa spasi (angka 0, 1, 8 dan 9 tidak dipakai; mungkin yang "
                "dimaksud huruf O, I atau B). Atau pindai kode QR pada sertifikat."
            ) % {"code": typed.strip()}
    return render(
        request,
        "training/certificate_lookup.html",
        {"typed": typed, "error": error},
        status=HTTPStatus.NOT_FOUND if error and code else HTTPStatus.OK,
    )


@require_GET
def certificate_check(request: HttpRequest, code: str) -> HttpResponse:
    certificate = Certificate.objects.filter(code=code.strip().upper()).first()
    if certificate is None:
        return render(
            request,
            "training/certificate_unknown.html",
            {"code": code},
            status=HTTPStatus.NOT_FOUND,
        )
    return render(
        request,
        "training/certificate_check.html",
        {
            "certificate": certificate,
            "issued_on": issued_on(certificate),
            "nip": display_nip(certificate.holder_nip),
            "is_owner": request.user.is_authenticated and request.user.pk == certificate.user_id,
        },
    )


@login_required
@require_GET
def certificate_pdf(request: HttpRequest, code: str) -> HttpResponse:
    certificate = Certificate.objects.filter(code=code).first()
    if certificate is None or not (
        certificate.user_id == request.user.pk or request.user.is_bkpsdm_admin
    ):
        raise Http404
    response = HttpResponse(render_pdf(certificate), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="sertifikat-{certificate.code}.pdf"'
    return no_store(response)
