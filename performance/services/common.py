"""Every rule-bearing write of performance management.

Functions are keyword-only and atomic; side effects run after commit, and e-mail waits in the
outbox (`performance.outbox`). A broken rule raises `ValidationError` (a message for the form), a
wrong person raises `PermissionDenied` (with a message the view shows). Either way nothing is saved.
"""

from __future__ import annotations

import logging
from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _

from performance import rules
from performance.models import (
    PeriodicReport,
    ReportEvent,
    Skp,
    SkpEvent,
)
from portal.models import User

logger = logging.getLogger(__name__)

# --- helpers ------------------------------------------------------------------------------


def skp_for_update(skp: Skp) -> Skp:
    return (
        Skp.objects.select_for_update(of=("self",))
        .select_related("employee", "cycle")
        .get(pk=skp.pk)
    )


REPORT_RELATED = ("skp__employee", "skp__cycle", "skp__pejabat_penilai", "period__cycle")
# What saving and submitting read: fewer joins, as each one costs PostgreSQL planning time.
SUBMIT_RELATED = ("skp__pejabat_penilai", "period__cycle")


def report_for_update(
    report: PeriodicReport, related: tuple[str, ...] = REPORT_RELATED
) -> PeriodicReport:
    return (
        PeriodicReport.objects.select_for_update(of=("self",))
        .select_related(*related)
        .get(pk=report.pk)
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


def require_ratings(hasil_kerja: str, perilaku_kerja: str) -> None:
    """Both ratings are codes of the rating scale, or a ValidationError naming each field."""
    codes = rules.rating_codes()
    errors = {}
    if hasil_kerja not in codes:
        errors["hasil_kerja"] = _("Pilih rating hasil kerja.")
    if perilaku_kerja not in codes:
        errors["perilaku_kerja"] = _("Pilih rating perilaku kerja.")
    if errors:
        raise ValidationError(errors)


def skp_event(skp: Skp, actor: User, old: str, note: str = "") -> None:
    SkpEvent.objects.create(skp=skp, actor=actor, from_status=old, to_status=skp.status, note=note)


def report_event(report: PeriodicReport, actor: User, old: str, note: str = "") -> None:
    ReportEvent.objects.create(
        report=report, actor=actor, from_status=old, to_status=report.status, note=note
    )


def parse_decimal(raw: str) -> Decimal:
    """'1.234,5' / '1234.5' / '12,5' -> Decimal; ValueError when it is not a number."""
    text = raw.strip().replace(" ", "")
    if "," in text:
        text = text.replace(".", "").replace(",", ".")
    try:
        value = Decimal(text)
    except InvalidOperation:
        raise ValueError(raw) from None
    if not value.is_finite():
        raise ValueError(raw)
    return value
