"""Every rule-bearing write of performance management.

Functions are keyword-only and atomic; side effects run after commit, and e-mail waits in the
outbox (`performance.outbox`). A broken rule raises `ValidationError` (a message for the form), a
wrong person raises `PermissionDenied` (with a message the view shows). Either way nothing is saved.
"""

from __future__ import annotations

import datetime as dt
import logging

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _

from performance import rules
from performance.models import (
    PeriodicReport,
    ReportEvent,
    Skp,
    SkpEvent,
)
from portal import authority
from portal.models import User
from portal.staffing import Assignment

logger = logging.getLogger(__name__)

# --- helpers ------------------------------------------------------------------------------


def skp_for_update(skp: Skp) -> Skp:
    return (
        Skp.objects.select_for_update(of=("self",))
        .select_related("employee", "cycle")
        .get(pk=skp.pk)
    )


def require_skp_owner_editable(actor: User, skp: Skp) -> None:
    if not skp.is_owner(actor):
        raise PermissionDenied(_("Hanya pemilik SKP yang dapat mengubahnya."))
    if not skp.is_editable:
        raise ValidationError(
            _("SKP berstatus %(status)s dan tidak bisa diubah.")
            % {"status": skp.get_status_display()}
        )


def require_report_owner_editable(actor: User, report: PeriodicReport) -> None:
    if not report.skp.is_owner(actor):
        raise PermissionDenied(_("Hanya pemilik laporan yang dapat mengubahnya."))
    if report.is_locked:
        raise ValidationError(_("Laporan sudah dinilai dan terkunci; tidak ada yang bisa diubah."))
    if not report.is_editable:
        raise ValidationError(
            _("Laporan berstatus %(status)s dan tidak bisa diubah.")
            % {"status": report.get_status_display()}
        )


def rating_chain(employee: User, post: Assignment | None, day: dt.date) -> dict:
    """The SKP fields that record who rates the employee in `post` from `day`: the pejabat
    penilai (the post's atasan; for a post without one, the rater designated on `day`, by name
    when outside the portal), their jabatan, and the atasan pejabat penilai (the pejabat
    penilai's own atasan that day). `post` None: the employee's User snapshot."""
    penilai = employee.atasan if post is None else (post.atasan if post.atasan_id else None)
    outside = ""
    if penilai is None:
        designated = authority.designated_rater_on(employee, day)
        if designated is not None:
            penilai, outside = designated.rater, designated.external_rater
    above = authority.atasan_on(penilai, day) if penilai is not None else None
    if above is not None and above.pk == employee.pk:
        above = None
    return {
        "pejabat_penilai": penilai,
        "pejabat_penilai_name": penilai.full_name if penilai else outside,
        "pejabat_penilai_jabatan": penilai.jabatan if penilai else "",
        "atasan_pejabat_penilai": above,
        "atasan_pejabat_penilai_name": above.full_name if above else "",
    }


def require_ratings(hasil_kerja: str, perilaku_kerja: str) -> None:
    """Both ratings are codes of the rating scale, or a ValidationError naming each field."""
    errors = rules.rating_errors(hasil_kerja, perilaku_kerja)
    if errors:
        raise ValidationError(errors)


def skp_event(skp: Skp, actor: User, old: str, note: str = "") -> None:
    SkpEvent.objects.create(skp=skp, actor=actor, from_status=old, to_status=skp.status, note=note)


def report_event(report: PeriodicReport, actor: User, old: str, note: str = "") -> None:
    ReportEvent.objects.create(
        report=report, actor=actor, from_status=old, to_status=report.status, note=note
    )
