"""Every rule-bearing write of performance management.

Functions are keyword-only and atomic; side effects run after commit, and e-mail waits in the
outbox (`performance.outbox`). A broken rule raises `ValidationError` (a message for the form), a
wrong person raises `PermissionDenied` (with a message the view shows). Either way nothing is saved.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Count, Exists, OuterRef, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.models import User
from portal.notifications import mark_all_read, notify

from . import rules
from .models import (
    Cycle,
    Evidence,
    ExpectationKhusus,
    FeedbackMessage,
    Indicator,
    PeriodicReport,
    Realisasi,
    ReportEvent,
    ReportingPeriod,
    Rhk,
    Skp,
    SkpEvent,
    perspektif_choices,
    value_choices,
    value_name,
)
from .uploads import check_evidence_file

logger = logging.getLogger(__name__)

TRAINING_URL = "/pelatihan/"


# --- the training gate -------------------------------------------------------------------


def training_gate_passed(user: User) -> bool:
    """True when `user` has completed the mandatory training (the training module's query).

    The first periodic report of an employee waits for it (called from `submit_report`).
    `settings.PERFORMANCE_TRAINING_GATE = False` switches the gate off.
    """
    if not getattr(settings, "PERFORMANCE_TRAINING_GATE", True):
        return True
    from training.models import Certificate

    return Certificate.objects.has_completed_mandatory(user)


# --- helpers ------------------------------------------------------------------------------


def _notify(*, recipient: User | None, actor: User, message: str, url: str) -> None:
    """A portal notification with its e-mail in the outbox: `portal.notifications.notify`
    (kept here so the performance services read as before)."""
    notify(recipient=recipient, actor=actor, message=message, url=url)


def _skp_for_update(skp: Skp) -> Skp:
    return (
        Skp.objects.select_for_update(of=("self",))
        .select_related("employee", "cycle")
        .get(pk=skp.pk)
    )


REPORT_RELATED = ("skp__employee", "skp__cycle", "skp__pejabat_penilai", "period__cycle")
# What saving and submitting read: fewer joins, as each one costs PostgreSQL planning time.
SUBMIT_RELATED = ("skp__pejabat_penilai", "period__cycle")


def _report_for_update(
    report: PeriodicReport, related: tuple[str, ...] = REPORT_RELATED
) -> PeriodicReport:
    return (
        PeriodicReport.objects.select_for_update(of=("self",))
        .select_related(*related)
        .get(pk=report.pk)
    )


def _require_skp_owner_editable(actor: User, skp: Skp) -> None:
    if not skp.is_owner(actor):
        raise PermissionDenied(_("Hanya pemilik SKP yang dapat mengubahnya."))
    if not skp.is_editable:
        raise ValidationError(
            _("SKP berstatus %(status)s dan tidak bisa diubah.")
            % {"status": skp.get_status_display()}
        )


def _require_report_owner_editable(actor: User, report: PeriodicReport) -> None:
    if not report.skp.is_owner(actor):
        raise PermissionDenied(_("Hanya pemilik laporan yang dapat mengubahnya."))
    if report.is_locked:
        raise ValidationError(_("Laporan sudah dinilai dan terkunci; tidak ada yang bisa diubah."))
    if not report.is_editable:
        raise ValidationError(
            _("Laporan berstatus %(status)s dan tidak bisa diubah.")
            % {"status": report.get_status_display()}
        )


def _skp_event(skp: Skp, actor: User, old: str, note: str = "") -> None:
    SkpEvent.objects.create(skp=skp, actor=actor, from_status=old, to_status=skp.status, note=note)


def _report_event(report: PeriodicReport, actor: User, old: str, note: str = "") -> None:
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


# --- cycles and periods (Admin BKPSDM) -----------------------------------------------------


def _require_admin(actor: User) -> None:
    if not actor.is_bkpsdm_admin:
        raise PermissionDenied(_("Hanya Admin BKPSDM yang dapat mengatur siklus dan periode."))


@transaction.atomic
def create_cycle(*, actor: User, year: int, kind: str, due_days: int = 10) -> Cycle:
    """A cycle with its monthly or quarterly periods; each due `due_days` after its end."""
    _require_admin(actor)
    if Cycle.objects.filter(year=year).exists():
        raise ValidationError({"year": _("Siklus tahun %(year)s sudah ada.") % {"year": year}})
    if kind not in ReportingPeriod.Kind.values:
        raise ValidationError({"kind": _("Jenis periode tidak dikenal.")})
    cycle = Cycle(year=year)
    cycle.full_clean()
    cycle.save()
    months = 1 if kind == ReportingPeriod.Kind.MONTHLY else 3
    for number in range(1, 12 // months + 1):
        start = dt.date(year, (number - 1) * months + 1, 1)
        last_month = number * months
        end = (
            dt.date(year, 12, 31)
            if last_month == 12
            else dt.date(year, last_month + 1, 1) - dt.timedelta(days=1)
        )
        ReportingPeriod.objects.create(
            cycle=cycle,
            kind=kind,
            number=number,
            start=start,
            end=end,
            due_date=end + dt.timedelta(days=due_days),
        )
    return cycle


@transaction.atomic
def update_period(
    *, actor: User, period: ReportingPeriod, due_date: dt.date, is_closed: bool
) -> ReportingPeriod:
    _require_admin(actor)
    period = ReportingPeriod.objects.select_for_update().get(pk=period.pk)
    period.due_date = due_date
    period.is_closed = is_closed
    period.full_clean()
    period.save()
    return period


@transaction.atomic
def set_cycle_status(*, actor: User, cycle: Cycle, status: str) -> Cycle:
    _require_admin(actor)
    cycle = Cycle.objects.select_for_update().get(pk=cycle.pk)
    cycle.status = status
    cycle.full_clean()
    cycle.save()
    return cycle


# --- SKP ----------------------------------------------------------------------------------


@transaction.atomic
def create_skp(*, employee: User, cycle: Cycle, pendekatan: str = "kuantitatif") -> Skp:
    """Start the employee's SKP; the rating chain is a snapshot of today's atasan."""
    if not cycle.is_open:
        raise ValidationError(_("Siklus %(year)s sudah ditutup.") % {"year": cycle.year})
    if Skp.objects.filter(employee=employee, cycle=cycle).exists():
        raise ValidationError(_("SKP Anda untuk tahun %(year)s sudah ada.") % {"year": cycle.year})
    penilai = employee.atasan
    atasan_penilai = penilai.atasan if penilai else None
    skp = Skp(
        employee=employee,
        cycle=cycle,
        pendekatan=pendekatan,
        pejabat_penilai=penilai,
        pejabat_penilai_name=penilai.full_name if penilai else "",
        pejabat_penilai_jabatan=penilai.jabatan if penilai else "",
        atasan_pejabat_penilai=atasan_penilai,
        atasan_pejabat_penilai_name=atasan_penilai.full_name if atasan_penilai else "",
        employee_jabatan=employee.jabatan,
        employee_unit=str(employee.org_unit or ""),
    )
    skp.full_clean()
    skp.save()
    return skp


def _check_parent_rhk(skp: Skp, parent: Rhk | None) -> None:
    if skp.pejabat_penilai_id is None:
        if parent is not None:
            raise ValidationError(
                {
                    "parent_rhk": _(
                        "Pegawai tanpa atasan berada di puncak; RHK tidak mengintervensi."
                    )
                }
            )
        return
    if parent is None:
        raise ValidationError(
            {"parent_rhk": _("Pilih RHK atasan (pejabat penilai) yang diintervensi RHK ini.")}
        )
    parent_skp = parent.skp
    if parent_skp.employee_id != skp.pejabat_penilai_id or parent_skp.cycle_id != skp.cycle_id:
        raise ValidationError(
            {
                "parent_rhk": _(
                    "RHK yang dipilih bukan milik atasan Anda (%(name)s) pada siklus ini."
                )
                % {"name": skp.pejabat_penilai_name}
            }
        )
    if not parent_skp.is_approved:
        raise ValidationError(
            {"parent_rhk": _("SKP atasan Anda belum disetujui; RHK-nya belum bisa diintervensi.")}
        )


def _check_perspektif(skp: Skp, perspektif: str) -> None:
    if skp.employee.jenis_jabatan == User.JenisJabatan.JPT:
        if perspektif not in dict(perspektif_choices()):
            raise ValidationError({"perspektif": _("Pejabat JPT wajib memilih perspektif RHK.")})
    elif perspektif:
        raise ValidationError({"perspektif": _("Perspektif hanya untuk RHK pejabat JPT.")})


@transaction.atomic
def add_rhk(
    *, actor: User, skp: Skp, jenis: str, text: str, parent_rhk: Rhk | None, perspektif: str = ""
) -> Rhk:
    skp = _skp_for_update(skp)
    _require_skp_owner_editable(actor, skp)
    _check_parent_rhk(skp, parent_rhk)
    _check_perspektif(skp, perspektif)
    rhk = Rhk(
        skp=skp,
        jenis=jenis,
        text=text.strip(),
        parent_rhk=parent_rhk,
        perspektif=perspektif,
        order=skp.rhks.count() + 1,
    )
    rhk.full_clean()
    rhk.save()
    return rhk


@transaction.atomic
def delete_rhk(*, actor: User, rhk: Rhk) -> None:
    skp = _skp_for_update(rhk.skp)
    _require_skp_owner_editable(actor, skp)
    if rhk.intervened_by.exists():
        raise ValidationError(_("RHK ini sudah diintervensi bawahan Anda; tidak bisa dihapus."))
    if Realisasi.objects.filter(indicator__rhk=rhk).exists():
        raise ValidationError(_("RHK ini sudah punya realisasi; tidak bisa dihapus."))
    rhk.delete()


@transaction.atomic
def add_indicator(
    *, actor: User, rhk: Rhk, aspek: str, text: str, target: Decimal | None, unit: str
) -> Indicator:
    skp = _skp_for_update(rhk.skp)
    _require_skp_owner_editable(actor, skp)
    errors = {}
    if target is None:
        errors["target"] = _("Isi target berupa angka.")
    if not (unit or "").strip():
        errors["unit"] = _("Isi satuan target (misalnya: dokumen, laporan, persen).")
    if errors:
        raise ValidationError(errors)
    indicator = Indicator(rhk=rhk, aspek=aspek, text=text.strip(), target=target, unit=unit.strip())
    indicator.full_clean()
    indicator.save()
    return indicator


@transaction.atomic
def delete_indicator(*, actor: User, indicator: Indicator) -> None:
    skp = _skp_for_update(indicator.rhk.skp)
    _require_skp_owner_editable(actor, skp)
    if indicator.realisasi.exists():
        raise ValidationError(_("Indikator ini sudah punya realisasi; tidak bisa dihapus."))
    indicator.delete()


@transaction.atomic
def update_skp_details(
    *,
    actor: User,
    skp: Skp,
    pendekatan: str,
    dukungan_sumber_daya: str,
    skema_pertanggungjawaban: str,
    konsekuensi: str,
) -> Skp:
    skp = _skp_for_update(skp)
    _require_skp_owner_editable(actor, skp)
    skp.pendekatan = pendekatan
    skp.dukungan_sumber_daya = dukungan_sumber_daya.strip()
    skp.skema_pertanggungjawaban = skema_pertanggungjawaban.strip()
    skp.konsekuensi = konsekuensi.strip()
    skp.full_clean()
    skp.save()
    return skp


@transaction.atomic
def set_expectation(*, actor: User, skp: Skp, value_code: str, text: str) -> ExpectationKhusus:
    """The pejabat penilai writes the ekspektasi khusus for one BerAKHLAK value."""
    skp = _skp_for_update(skp)
    if not skp.is_penilai(actor):
        raise PermissionDenied(_("Hanya pejabat penilai yang menulis ekspektasi khusus."))
    if skp.is_approved:
        raise ValidationError(_("SKP sudah disetujui; ekspektasi tidak bisa diubah."))
    if value_code not in dict(value_choices()):
        raise ValidationError({"value_code": _("Nilai BerAKHLAK tidak dikenal.")})
    if not text.strip():
        raise ValidationError({"text": _("Tulis ekspektasi khusus untuk nilai ini.")})
    expectation, _created = ExpectationKhusus.objects.update_or_create(
        skp=skp, value_code=value_code, defaults={"text": text.strip(), "written_by": actor}
    )
    return expectation


@transaction.atomic
def submit_skp(*, actor: User, skp: Skp) -> Skp:
    skp = _skp_for_update(skp)
    _require_skp_owner_editable(actor, skp)
    rhks = list(skp.rhks.prefetch_related("indicators"))
    if not any(r.jenis == Rhk.Jenis.UTAMA for r in rhks):
        raise ValidationError(_("Tambahkan minimal satu RHK utama sebelum mengajukan SKP."))
    missing = [r.text for r in rhks if not r.indicators.all()]
    if missing:
        raise ValidationError(
            _("Setiap RHK perlu minimal satu indikator. Belum ada indikator untuk: %(rhk)s")
            % {"rhk": "; ".join(missing)}
        )
    old = skp.status
    skp.status = Skp.Status.DIAJUKAN
    skp.submitted_at = timezone.now()
    note = ""
    if skp.pejabat_penilai_id is None:
        # The top of the tree has no pejabat penilai in the portal: the SKP stands as submitted.
        skp.status = Skp.Status.DISETUJUI
        skp.approved_at = skp.submitted_at
        note = _("Disetujui otomatis: pegawai di puncak struktur tanpa pejabat penilai.")
    skp.save()
    _skp_event(skp, actor, old, note)
    _notify(
        recipient=skp.pejabat_penilai,
        actor=actor,
        message=_("%(name)s mengajukan SKP %(year)s untuk disetujui.")
        % {"name": skp.employee.full_name, "year": skp.cycle.year},
        url=skp.get_absolute_url(),
    )
    return skp


@transaction.atomic
def approve_skp(*, actor: User, skp: Skp) -> Skp:
    skp = _skp_for_update(skp)
    if not skp.is_penilai(actor):
        raise PermissionDenied(_("Hanya pejabat penilai yang dapat menyetujui SKP ini."))
    if skp.status != Skp.Status.DIAJUKAN:
        raise ValidationError(_("Hanya SKP yang diajukan yang bisa disetujui."))
    old = skp.status
    skp.status = Skp.Status.DISETUJUI
    skp.approved_at = timezone.now()
    skp.save()
    _skp_event(skp, actor, old)
    _notify(
        recipient=skp.employee,
        actor=actor,
        message=_("SKP %(year)s Anda disetujui.") % {"year": skp.cycle.year},
        url=skp.get_absolute_url(),
    )
    return skp


@transaction.atomic
def return_skp(*, actor: User, skp: Skp, note: str) -> Skp:
    skp = _skp_for_update(skp)
    if not skp.is_penilai(actor):
        raise PermissionDenied(_("Hanya pejabat penilai yang dapat mengembalikan SKP ini."))
    if skp.status != Skp.Status.DIAJUKAN:
        raise ValidationError(_("Hanya SKP yang diajukan yang bisa dikembalikan."))
    if not note.strip():
        raise ValidationError({"note": _("Tulis catatan: apa yang perlu diperbaiki.")})
    old = skp.status
    skp.status = Skp.Status.DIKEMBALIKAN
    skp.return_note = note.strip()
    skp.save()
    _skp_event(skp, actor, old, skp.return_note)
    _notify(
        recipient=skp.employee,
        actor=actor,
        message=_("SKP %(year)s Anda dikembalikan untuk diperbaiki.") % {"year": skp.cycle.year},
        url=skp.get_absolute_url(),
    )
    return skp


# --- periodic reports -----------------------------------------------------------------------


@transaction.atomic
def start_report(*, actor: User, skp: Skp, period: ReportingPeriod) -> PeriodicReport:
    """The employee's draft report for a period (created once)."""
    skp = _skp_for_update(skp)
    if not skp.is_owner(actor):
        raise PermissionDenied(_("Hanya pemilik SKP yang membuat laporannya."))
    if not skp.is_approved:
        raise ValidationError(_("Laporan periodik dibuat setelah SKP disetujui."))
    if period.cycle_id != skp.cycle_id:
        raise ValidationError(_("Periode ini bukan bagian dari siklus SKP."))
    existing = PeriodicReport.objects.filter(skp=skp, period=period).first()
    if existing:
        return existing
    if not period.accepts_reports:
        raise ValidationError(_("Periode %(period)s sudah ditutup.") % {"period": period})
    report = PeriodicReport.objects.create(skp=skp, period=period)
    return report


REALISASI_LIMIT = Decimal(10) ** 12


def report_indicators(report: PeriodicReport) -> list[Indicator]:
    """The indicators of the report's SKP in form order (one query).

    They are fixed once the SKP is approved (indicators are added and deleted only while it is
    editable, and an approved SKP never becomes editable again), so a caller that has read them
    for the form may hand them to `save_report` instead of having them read twice.
    """
    # Rhk's own ordering spelled out: ordering by "rhk" would also join the SKP, its cycle and
    # its employee (Skp's ordering), all constant here.
    return list(
        Indicator.objects.filter(rhk__skp_id=report.skp_id).order_by(
            "-rhk__jenis", "rhk__order", "rhk_id", "pk"
        )
    )


def parse_realisasi(
    report: PeriodicReport,
    values: dict[int, str],
    indicators: list[Indicator] | None = None,
) -> dict[int, tuple[Decimal | None, str]]:
    """Check what was typed per indicator; ValidationError lists every indicator that is wrong."""
    kuantitatif = report.skp.pendekatan == Skp.Pendekatan.KUANTITATIF
    parsed, errors = {}, {}
    if indicators is None:
        indicators = report_indicators(report)
    for indicator in indicators:
        raw = (values.get(indicator.pk) or "").strip()
        if not raw:
            parsed[indicator.pk] = (None, "")
            continue
        try:
            parsed[indicator.pk] = (parse_decimal(raw), "")
        except ValueError:
            if kuantitatif:
                errors[f"realisasi_{indicator.pk}"] = _(
                    "Realisasi “%(indicator)s” harus berupa angka (satuan: %(unit)s)."
                ) % {"indicator": indicator.text, "unit": indicator.unit}
            else:
                parsed[indicator.pk] = (None, raw)
            continue
        # Realisasi.value holds 14 digits, 2 of them decimals
        if abs(parsed[indicator.pk][0]) >= REALISASI_LIMIT:
            errors[f"realisasi_{indicator.pk}"] = _(
                "Realisasi “%(indicator)s” terlalu besar: paling banyak 12 angka sebelum koma."
            ) % {"indicator": indicator.text}
    if errors:
        raise ValidationError(errors)
    return parsed


class SubmissionRefused(ValidationError):
    """A rule of submitting a report failed (closed period, a realisasi or the evidence missing,
    the training gate). Nothing of the submission is saved; a draft saved with it stays saved."""


@transaction.atomic
def _save_draft(
    *,
    actor: User,
    report: PeriodicReport,
    narrative: str,
    values: dict[int, str],
    submit: bool,
    indicators: list[Indicator] | None,
    evidence: NewEvidence | None = None,
) -> tuple[PeriodicReport, ValidationError | None]:
    report = _report_for_update(report, SUBMIT_RELATED)
    _require_report_owner_editable(actor, report)
    if indicators is None or not report.skp.is_approved:
        indicators = report_indicators(report)
    parsed = parse_realisasi(report, values, indicators)
    report.narrative = narrative.strip()
    # One upsert for every indicator (the unique (report, indicator) pair is the conflict).
    Realisasi.objects.bulk_create(
        [
            Realisasi(report=report, indicator_id=pk, value=value, text=text)
            for pk, (value, text) in parsed.items()
        ],
        update_conflicts=True,
        unique_fields=["report", "indicator"],
        update_fields=["value", "text"],
    )
    if evidence:
        try:
            with transaction.atomic():
                _attach_evidence(actor=actor, report=report, new=evidence)
        except ValidationError as refused:
            report.save(update_fields=["narrative", "updated_at"])
            return report, EvidenceRefused(" ".join(refused.messages), code=refused.code)
    if submit:
        filled = {pk for pk, (value, text) in parsed.items() if value is not None or text}
        try:
            _submit_locked(actor=actor, report=report, indicators=indicators, filled=filled)
        except SubmissionRefused as refused:
            report.save(update_fields=["narrative", "updated_at"])
            return report, refused
        return report, None
    report.save(update_fields=["narrative", "updated_at"])
    return report, None


def save_report(
    *,
    actor: User,
    report: PeriodicReport,
    narrative: str,
    values: dict[int, str],
    submit: bool = False,
    indicators: list[Indicator] | None = None,
    evidence: NewEvidence | None = None,
) -> PeriodicReport:
    """Save the draft: narrative and realisasi per indicator (all or nothing).

    With `evidence` the bukti dukung is attached after the draft is saved (so nothing typed is
    lost when a file is added); when it is refused the draft stays saved, nothing is submitted
    and `EvidenceRefused` is raised after the commit.

    With `submit` the saved draft is then submitted under the same lock and in the same
    transaction (the rules and effects of `submit_report`). When a submission rule fails, the
    draft is still saved and `SubmissionRefused` is raised after the commit. `indicators`: the
    report's indicators when the caller has read them already (`report_indicators`).
    """
    report, refused = _save_draft(
        actor=actor,
        report=report,
        narrative=narrative,
        values=values,
        submit=submit,
        indicators=indicators,
        evidence=evidence,
    )
    if refused is not None:
        raise refused
    return report


@dataclass(frozen=True)
class NewEvidence:
    """A bukti dukung to attach: an uploaded file, a link, or both, with one description."""

    upload: UploadedFile | None = None
    url: str = ""
    description: str = ""

    def __bool__(self) -> bool:
        return self.upload is not None or bool(self.url.strip())


class EvidenceRefused(ValidationError):
    """The bukti dukung sent with a draft was refused; the draft itself was saved."""


MB = 1024 * 1024


def _evidence_caps() -> dict[str, int]:
    return {
        "per_report": getattr(settings, "PERFORMANCE_EVIDENCE_MAX_PER_REPORT", 20),
        "mb_per_report": getattr(settings, "PERFORMANCE_EVIDENCE_MAX_MB_PER_REPORT", 50),
        "files_per_day": getattr(settings, "PERFORMANCE_EVIDENCE_MAX_FILES_PER_DAY", 30),
        "mb_per_day": getattr(settings, "PERFORMANCE_EVIDENCE_MAX_MB_PER_DAY", 100),
    }


def _check_evidence_caps(*, actor: User, report: PeriodicReport, items: int, size: int) -> None:
    """Per report (files and links, and bytes) and per person per Jakarta day (files and bytes).

    Called with the report locked; the person's row is locked too when a file comes, so two
    uploads of one person to two reports cannot both pass the daily check."""
    caps = _evidence_caps()
    stored = Evidence.objects.filter(report=report).aggregate(n=Count("pk"), size=Sum("size"))
    if stored["n"] + items > caps["per_report"]:
        raise ValidationError(
            _(
                "Laporan ini sudah punya %(n)s bukti dukung; paling banyak %(max)s per laporan. "
                "Hapus bukti yang tidak diperlukan atau gabungkan beberapa berkas menjadi satu PDF."
            )
            % {"n": stored["n"], "max": caps["per_report"]},
            code="evidence_report_count",
        )
    if size == 0:
        return
    total = (stored["size"] or 0) + size
    if total > caps["mb_per_report"] * MB:
        raise ValidationError(
            _(
                "Berkas bukti dukung laporan ini akan berjumlah %(total).1f MB; paling banyak "
                "%(max)s MB per laporan. Perkecil berkasnya (misalnya kompres PDF atau foto) "
                "atau tambahkan bukti berupa tautan."
            )
            % {"total": total / MB, "max": caps["mb_per_report"]},
            code="evidence_report_size",
        )
    list(User.objects.select_for_update().filter(pk=actor.pk).values_list("pk", flat=True))
    day_start = timezone.make_aware(
        dt.datetime.combine(timezone.localdate(), dt.time.min), timezone.get_current_timezone()
    )
    today = (
        Evidence.objects.filter(uploaded_by=actor, created_at__gte=day_start)
        .exclude(file="")
        .aggregate(n=Count("pk"), size=Sum("size"))
    )
    if today["n"] + 1 > caps["files_per_day"]:
        raise ValidationError(
            _(
                "Anda sudah mengunggah %(n)s berkas hari ini; paling banyak %(max)s berkas per "
                "hari. Lanjutkan besok, atau tambahkan bukti berupa tautan."
            )
            % {"n": today["n"], "max": caps["files_per_day"]},
            code="evidence_day_count",
        )
    if (today["size"] or 0) + size > caps["mb_per_day"] * MB:
        raise ValidationError(
            _(
                "Unggahan Anda hari ini akan berjumlah %(total).1f MB; paling banyak %(max)s MB "
                "per hari. Lanjutkan besok, atau tambahkan bukti berupa tautan."
            )
            % {"total": ((today["size"] or 0) + size) / MB, "max": caps["mb_per_day"]},
            code="evidence_day_size",
        )


def _require_evidence_allowed(actor: User, report: PeriodicReport) -> None:
    if not report.skp.is_owner(actor):
        raise PermissionDenied(_("Hanya pemilik laporan yang dapat menambah bukti dukung."))
    if not report.accepts_evidence:
        raise ValidationError(
            _("Laporan sudah dinilai dan terkunci; bukti dukung tidak bisa ditambah.")
        )


def _attach_evidence(*, actor: User, report: PeriodicReport, new: NewEvidence) -> list[Evidence]:
    """Attach `new` to `report` (locked, owner checked): the file is typed from its content and
    counted against the caps before it is stored. After submission (the report waits for its
    rating) the addition is recorded in the report's history and the pejabat penilai told."""
    _require_evidence_allowed(actor, report)
    if not new:
        raise ValidationError(_("Pilih berkas atau isi tautan bukti dukung."), code="required")
    description = new.description.strip()[:255]
    checked = check_evidence_file(new.upload) if new.upload is not None else None
    url = new.url.strip()
    rows = []
    if url:
        rows.append(Evidence(report=report, url=url, description=description, uploaded_by=actor))
        rows[-1].full_clean()
    _check_evidence_caps(
        actor=actor,
        report=report,
        items=len(rows) + (1 if checked else 0),
        size=checked.size if checked else 0,
    )
    stored = None
    if checked is not None:
        evidence = Evidence(
            report=report,
            original_name=checked.name,
            content_type=checked.content_type,
            size=checked.size,
            sha256=checked.sha256,
            description=description,
            uploaded_by=actor,
        )
        evidence.file.save(f"{checked.sha256}.{checked.extension}", new.upload, save=False)
        stored = evidence.file.name
        rows.insert(0, evidence)
    try:  # if a row fails, the stored file goes too
        for evidence in rows:
            if evidence.is_file:
                evidence.full_clean(exclude=["file"])
            evidence.save()
    except Exception:
        if stored:
            rows[0].file.storage.delete(stored)
        raise
    if report.status == PeriodicReport.Status.DIAJUKAN:
        names = ", ".join(str(e) for e in rows)
        _report_event(
            report,
            actor,
            report.status,
            _("Bukti dukung ditambahkan setelah pengajuan: %(names)s") % {"names": names},
        )
        _notify(
            recipient=report.skp.pejabat_penilai,
            actor=actor,
            message=_("%(name)s menambahkan bukti dukung pada laporan %(period)s: %(names)s")
            % {"name": actor.full_name, "period": report.period, "names": names},
            url=f"{report.get_absolute_url()}#bukti",
        )
    return rows


@transaction.atomic
def add_evidence(*, actor: User, report: PeriodicReport, new: NewEvidence) -> list[Evidence]:
    """Add bukti dukung to a draft, a returned report or a submitted one not yet rated (only
    the owner; a rated report is locked). Caps: `PERFORMANCE_EVIDENCE_MAX_*` settings."""
    report = _report_for_update(report)
    return _attach_evidence(actor=actor, report=report, new=new)


def add_evidence_file(
    *, actor: User, report: PeriodicReport, upload, description: str = ""
) -> Evidence:
    return add_evidence(
        actor=actor, report=report, new=NewEvidence(upload=upload, description=description)
    )[0]


def add_evidence_link(
    *, actor: User, report: PeriodicReport, url: str, description: str = ""
) -> Evidence:
    if not url.strip():
        raise ValidationError({"url": _("Isi tautannya.")})
    return add_evidence(
        actor=actor, report=report, new=NewEvidence(url=url, description=description)
    )[0]


@transaction.atomic
def delete_evidence(*, actor: User, evidence: Evidence) -> None:
    report = _report_for_update(evidence.report)
    _require_report_owner_editable(actor, report)
    name = evidence.file.name if evidence.file else ""
    storage = evidence.file.storage if evidence.file else None
    evidence.delete()
    if name:
        transaction.on_commit(lambda: storage.delete(name))


@transaction.atomic
def submit_report(*, actor: User, report: PeriodicReport) -> PeriodicReport:
    """Submit the saved draft to the pejabat penilai (see `_submit_locked` for the rules)."""
    report = _report_for_update(report, SUBMIT_RELATED)
    _require_report_owner_editable(actor, report)
    indicators = report_indicators(report)
    filled = {r.indicator_id for r in report.realisasi.all() if r.is_filled}
    _submit_locked(actor=actor, report=report, indicators=indicators, filled=filled)
    return report


def _submit_locked(
    *, actor: User, report: PeriodicReport, indicators: list[Indicator], filled: set[int]
) -> None:
    """Submit `report`, locked and editable by `actor`, whose indicators with a realisasi are
    `filled`. Rules: the period takes reports, every indicator has a realisasi, there is at
    least one bukti dukung, and the employee's first report waits for the mandatory training.
    Raises SubmissionRefused before writing anything. Then: the status, the event, the on-time
    points (once per report) and the pejabat penilai's notification (e-mail after commit)."""
    period = report.period
    if not period.accepts_reports:
        raise SubmissionRefused(
            _("Periode %(period)s sudah ditutup; laporan tidak bisa diajukan lagi.")
            % {"period": period},
            code="period_closed",
        )
    missing = [i.text for i in indicators if i.pk not in filled]
    if missing:
        raise SubmissionRefused(
            _("Isi realisasi semua indikator sebelum mengajukan. Belum diisi: %(list)s")
            % {"list": "; ".join(missing)},
            code="realisasi_missing",
        )
    # Both facts in one query, read after the report's lock (evidence is added and deleted
    # under the same lock, so what is read here stays true until commit).
    facts = (
        PeriodicReport.objects.filter(pk=report.pk)
        .values(
            has_evidence=Exists(Evidence.objects.filter(report=OuterRef("pk"))),
            submitted_before=Exists(
                PeriodicReport.objects.filter(
                    skp__employee_id=actor.pk, submitted_at__isnull=False
                ).exclude(pk=report.pk)
            ),
        )
        .get()
    )
    if not facts["has_evidence"]:
        raise SubmissionRefused(
            _("Lampirkan minimal satu bukti dukung (berkas atau tautan) sebelum mengajukan."),
            code="evidence_missing",
        )
    # THE TRAINING GATE: the first report waits for the mandatory training.
    if not facts["submitted_before"] and not training_gate_passed(actor):
        raise SubmissionRefused(
            _(
                "Laporan periodik pertama Anda baru bisa diajukan setelah pelatihan wajib "
                "selesai. Selesaikan pelatihan wajib di %(url)s lalu ajukan kembali; "
                "draf Anda tetap tersimpan."
            )
            % {"url": TRAINING_URL},
            code="training_required",
        )
    old = report.status
    now = timezone.now()
    report.status = PeriodicReport.Status.DIAJUKAN
    report.submitted_at = now
    report.on_time = timezone.localdate(now) <= period.due_date
    report.save(update_fields=["narrative", "status", "submitted_at", "on_time", "updated_at"])
    _report_event(report, actor, old)
    if report.on_time:
        from leaderboard.models import PointEntry
        from leaderboard.services import award_points

        award_points(
            user=actor,
            points=getattr(settings, "PERFORMANCE_ON_TIME_POINTS", 10),
            reason=PointEntry.Reason.REPORT_ON_TIME,
            key=f"report:{report.pk}:on_time",
        )
    _notify(
        recipient=report.skp.pejabat_penilai,
        actor=actor,
        message=_("%(name)s mengajukan laporan %(period)s untuk dinilai.")
        % {"name": actor.full_name, "period": period},  # the actor is the owner (checked)
        url=report.get_absolute_url(),
    )


def _require_penilai(actor: User, report: PeriodicReport, action: str) -> None:
    if not report.skp.is_penilai(actor):
        raise PermissionDenied(
            _("Hanya pejabat penilai pegawai ini (%(name)s) yang dapat %(action)s laporan ini.")
            % {"name": report.skp.pejabat_penilai_name or "-", "action": action}
        )


@transaction.atomic
def return_report(*, actor: User, report: PeriodicReport, note: str) -> PeriodicReport:
    report = _report_for_update(report)
    _require_penilai(actor, report, _("mengembalikan"))
    if report.is_locked:
        raise ValidationError(_("Laporan sudah dinilai dan terkunci; tidak bisa dikembalikan."))
    if report.status != PeriodicReport.Status.DIAJUKAN:
        raise ValidationError(_("Hanya laporan yang diajukan yang bisa dikembalikan."))
    if not note.strip():
        raise ValidationError({"note": _("Tulis catatan: apa yang perlu diperbaiki.")})
    old = report.status
    report.status = PeriodicReport.Status.DIKEMBALIKAN
    report.return_note = note.strip()
    report.save()
    _report_event(report, actor, old, report.return_note)
    _notify(
        recipient=report.skp.employee,
        actor=actor,
        message=_("Laporan %(period)s Anda dikembalikan untuk diperbaiki.")
        % {"period": report.period},
        url=report.get_absolute_url(),
    )
    return report


@transaction.atomic
def rate_report(
    *, actor: User, report: PeriodicReport, hasil_kerja: str, perilaku_kerja: str
) -> PeriodicReport:
    """The pejabat penilai rates once; the predikat follows from the matrix; the report locks."""
    report = _report_for_update(report)
    _require_penilai(actor, report, _("menilai"))
    if report.is_locked:
        raise ValidationError(
            _("Laporan ini sudah dinilai (predikat %(predikat)s); penilaian tidak bisa diubah.")
            % {"predikat": report.get_predikat_display()},
            code="already_rated",
        )
    if report.status != PeriodicReport.Status.DIAJUKAN:
        raise ValidationError(_("Hanya laporan yang sudah diajukan yang bisa dinilai."))
    errors = {}
    codes = rules.rating_codes()
    if hasil_kerja not in codes:
        errors["hasil_kerja"] = _("Pilih rating hasil kerja.")
    if perilaku_kerja not in codes:
        errors["perilaku_kerja"] = _("Pilih rating perilaku kerja.")
    if errors:
        raise ValidationError(errors)
    old = report.status
    report.rating_hasil_kerja = hasil_kerja
    report.rating_perilaku_kerja = perilaku_kerja
    report.predikat = rules.predikat(hasil_kerja, perilaku_kerja)
    report.rated_by = actor
    report.rated_at = timezone.now()
    report.status = PeriodicReport.Status.DINILAI
    report.save()
    _report_event(report, actor, old, report.get_predikat_display())
    _notify(
        recipient=report.skp.employee,
        actor=actor,
        message=_("Laporan %(period)s Anda sudah dinilai: %(predikat)s.")
        % {"period": report.period, "predikat": report.get_predikat_display()},
        url=report.get_absolute_url(),
    )
    return report


@transaction.atomic
def add_feedback(
    *,
    actor: User,
    report: PeriodicReport,
    body: str,
    rhk: Rhk | None = None,
    value_code: str = "",
) -> FeedbackMessage:
    """Umpan balik berkelanjutan: the atasan writes in a thread, the employee replies.

    The dialogue does not close at rating: it stays open until the period stops taking
    reports (Admin BKPSDM closes the period or the cycle), see `PeriodicReport.feedback_open`."""
    report = _report_for_update(report)
    skp = report.skp
    is_penilai, is_owner = skp.is_penilai(actor), skp.is_owner(actor)
    if not (is_penilai or is_owner):
        raise PermissionDenied(_("Hanya pegawai dan pejabat penilainya yang menulis umpan balik."))
    if not report.feedback_open:
        raise ValidationError(
            _(
                "Laporan sudah dinilai dan periode %(period)s sudah ditutup; umpan balik "
                "ditutup. Utas tetap bisa dibaca."
            )
            % {"period": report.period}
        )
    if (rhk is None) == (not value_code):
        raise ValidationError(_("Pilih satu RHK atau satu nilai BerAKHLAK."))
    if rhk is not None and rhk.skp_id != skp.pk:
        raise ValidationError(_("RHK ini bukan bagian dari SKP laporan ini."))
    if value_code and value_code not in dict(value_choices()):
        raise ValidationError(_("Nilai BerAKHLAK tidak dikenal."))
    if not body.strip():
        raise ValidationError({"body": _("Tulis pesan umpan balik.")})
    thread = FeedbackMessage.objects.filter(report=report, rhk=rhk, value_code=value_code)
    if is_owner and not thread.exists():
        raise ValidationError(
            _("Pejabat penilai memulai umpan balik; Anda dapat membalas setelah ada pesannya.")
        )
    message = FeedbackMessage.objects.create(
        report=report, rhk=rhk, value_code=value_code, author=actor, body=body.strip()
    )
    topic = rhk.text if rhk else value_name(value_code)
    recipient = skp.employee if is_penilai else skp.pejabat_penilai
    _notify(
        recipient=recipient,
        actor=actor,
        message=_("Umpan balik baru dari %(name)s tentang “%(topic)s” (%(period)s).")
        % {"name": actor.full_name, "topic": topic[:80], "period": report.period},
        url=f"{report.get_absolute_url()}#{message.thread_key}",
    )
    return message


@transaction.atomic
def mark_notifications_read(*, user: User) -> int:
    return mark_all_read(user=user)
