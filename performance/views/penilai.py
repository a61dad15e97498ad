"""Admin BKPSDM re-points the open SKPs whose pejabat penilai lapsed after the register moved."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from performance.forms import (
    ReassignPenilaiForm,
)
from performance.services.penilai import lapsed_skps, reassign_penilai
from portal.decorators import bkpsdm_admin_required
from portal.models import User

from .common import form_post, paginate


def _penilai_page(request: HttpRequest, forms: dict | None = None) -> HttpResponse:
    page = paginate(request, lapsed_skps(), 25)
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


@bkpsdm_admin_required
def admin_penilai(request: HttpRequest) -> HttpResponse:
    """Admin BKPSDM: open SKPs whose pejabat penilai lapsed because the atasan changed."""
    return _penilai_page(request)


@bkpsdm_admin_required
@require_POST
def penilai_reassign(request: HttpRequest, user_pk: int) -> HttpResponse:
    employee = get_object_or_404(User, pk=user_pk)
    form = ReassignPenilaiForm(request.POST, prefix=f"u{employee.pk}")
    done = form_post(
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
