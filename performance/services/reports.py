"""Periodic report writes: start, save, submit, return, rate, feedback."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import BooleanField, Case, Exists, OuterRef, QuerySet, Value, When
from django.utils import timezone
from django.utils.translation import gettext as _

from leaderboard.models import PointEntry
from leaderboard.services import award_points
from performance import rights, rules
from performance.models import (
    Evidence,
    FeedbackMessage,
    Indicator,
    PeriodicReport,
    Realisasi,
    ReportingPeriod,
    Rhk,
    Skp,
    value_choices,
    value_name,
)
from portal.models import User
from portal.notifications import notify
from portal.sql import Compiled
from training.models import Certificate

from .common import (
    report_event,
    require_ratings,
    require_report_owner_editable,
    skp_for_update,
)
from .evidence import EvidenceRefused, NewEvidence, attach_evidence
from .transfer import new_report_refusal, period_elsewhere

TRAINING_URL = "/pelatihan/"


# --- the training gate -------------------------------------------------------------------


def _submission_facts(report: int, employee: int) -> QuerySet:
    """(the report has a bukti dukung, it waits for the training): an employee's first report
    waits for the mandatory training (the training module's query, which CASE asks only when
    none of the employee's other reports was submitted before).
    `settings.PERFORMANCE_TRAINING_GATE = False` switches the gate off."""
    submitted_before = Exists(
        PeriodicReport.objects.filter(
            skp__employee_id=employee, submitted_at__isnull=False
        ).exclude(pk=report)
    )
    gate = settings.PERFORMANCE_TRAINING_GATE
    return PeriodicReport.objects.filter(pk=report).values(
        has_evidence=Exists(Evidence.objects.filter(report=OuterRef("pk"))),
        waits_for_training=Case(
            When(submitted_before, then=Value(False)),
            default=Exists(Certificate.objects.missing_mandatory(employee)) if gate else False,
            output_field=BooleanField(),
        ),
    )


# Built and compiled once per process (the training subqueries cost more to build than to
# run on the deadline-hour path: benchmarks/bench_submission.py).
SUBMISSION_FACTS = Compiled(_submission_facts, key=lambda: settings.PERFORMANCE_TRAINING_GATE)


# --- periodic reports -----------------------------------------------------------------------


@transaction.atomic
def start_report(*, actor: User, skp: Skp, period: ReportingPeriod) -> PeriodicReport:
    """The employee's draft report for a period (created once)."""
    skp = skp_for_update(skp)
    if not skp.is_owner(actor):
        raise PermissionDenied(_("Hanya pemilik SKP yang membuat laporannya."))
    if not skp.is_approved:
        raise ValidationError(_("Laporan periodik dibuat setelah SKP disetujui."))
    if period.cycle_id != skp.cycle_id:
        raise ValidationError(_("Periode ini bukan bagian dari siklus SKP."))
    existing = PeriodicReport.objects.filter(skp=skp, period=period).first()
    if existing:
        return existing
    refusal = new_report_refusal(skp, period)  # after a transfer: the SKP that takes it
    if refusal:
        raise ValidationError(refusal)
    if not period.accepts_reports:
        raise ValidationError(_("Periode %(period)s sudah ditutup.") % {"period": period})
    report = PeriodicReport.objects.create(skp=skp, period=period)
    return report


REALISASI_LIMIT = Decimal(10) ** 12

RealisasiValue = Decimal | str | None
"""What was typed for one indicator: a number, a description (kualitatif SKP only) or nothing."""


def check_realisasi(indicator: Indicator, value: RealisasiValue, *, kuantitatif: bool) -> None:
    """The rules of one realisasi: an SKP with the kuantitatif pendekatan takes numbers only,
    and a number fits `Realisasi.value` (14 digits, 2 of them decimals). ValidationError says
    which indicator and why, in the words the report form shows beside it."""
    if kuantitatif and isinstance(value, str) and value.strip():
        raise ValidationError(
            _("Realisasi “%(indicator)s” harus berupa angka (satuan: %(unit)s).")
            % {"indicator": indicator.text, "unit": indicator.unit},
            code="not_a_number",
        )
    if isinstance(value, Decimal) and abs(value) >= REALISASI_LIMIT:
        raise ValidationError(
            _("Realisasi “%(indicator)s” terlalu besar: paling banyak 12 angka sebelum koma.")
            % {"indicator": indicator.text},
            code="too_large",
        )


def _realisasi_rows(
    report: PeriodicReport, realisasi: Mapping[Indicator, RealisasiValue]
) -> list[Realisasi]:
    """One row per indicator to store; ValidationError lists every indicator that is wrong."""
    kuantitatif = report.skp.is_kuantitatif
    rows, errors = [], {}
    for indicator, value in realisasi.items():
        if indicator.rhk.skp_id != report.skp_id:
            raise ValueError(f"indicator {indicator.pk} is not of the SKP of report {report.pk}")
        try:
            check_realisasi(indicator, value, kuantitatif=kuantitatif)
        except ValidationError as refused:
            errors[f"realisasi_{indicator.pk}"] = refused.messages
            continue
        text = value.strip() if isinstance(value, str) else ""
        number = value if isinstance(value, Decimal) else None
        rows.append(Realisasi(report=report, indicator=indicator, value=number, text=text))
    if errors:
        raise ValidationError(errors)
    return rows


class SubmissionRefused(ValidationError):
    """A rule of submitting a report failed (closed period, a realisasi or the evidence missing,
    the training gate). Nothing of the submission is saved; a draft saved with it stays saved."""


@transaction.atomic
def _save_draft(
    *,
    actor: User,
    report: PeriodicReport,
    narrative: str,
    realisasi: Mapping[Indicator, RealisasiValue],
    submit: bool,
    evidence: NewEvidence | None = None,
) -> tuple[PeriodicReport, ValidationError | None]:
    report = PeriodicReport.objects.for_submission_update().get(pk=report.pk)
    require_report_owner_editable(actor, report)
    rows = _realisasi_rows(report, realisasi)
    report.narrative = narrative.strip()
    # One upsert for every indicator (the unique (report, indicator) pair is the conflict).
    Realisasi.objects.bulk_create(
        rows,
        update_conflicts=True,
        unique_fields=["report", "indicator"],
        update_fields=["value", "text"],
    )
    if evidence:
        try:
            with transaction.atomic():
                attach_evidence(actor=actor, report=report, new=evidence)
        except ValidationError as refused:
            report.save(update_fields=["narrative", "updated_at"])
            return report, EvidenceRefused(" ".join(refused.messages), code=refused.code)
    if submit:
        filled = {row.indicator_id for row in rows if row.is_filled}
        try:
            _submit_locked(actor=actor, report=report, indicators=list(realisasi), filled=filled)
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
    realisasi: Mapping[Indicator, RealisasiValue],
    submit: bool = False,
    evidence: NewEvidence | None = None,
) -> PeriodicReport:
    """Save the draft: narrative and realisasi per indicator (all or nothing).

    `realisasi` maps every indicator of the report (`Indicator.objects.for_report(report)`, as
    the report form does) to what was typed, already parsed (`ReportForm.realisasi()`); the
    rules of `check_realisasi` apply. An indicator of another SKP is a programming error
    (ValueError).

    With `evidence` the bukti dukung is attached after the draft is saved (so nothing typed is
    lost when a file is added); when it is refused the draft stays saved, nothing is submitted
    and `EvidenceRefused` is raised after the commit.

    With `submit` the saved draft is then submitted under the same lock and in the same
    transaction (the rules and effects of `submit_report`). When a submission rule fails, the
    draft is still saved and `SubmissionRefused` is raised after the commit.
    """
    report, refused = _save_draft(
        actor=actor,
        report=report,
        narrative=narrative,
        realisasi=realisasi,
        submit=submit,
        evidence=evidence,
    )
    if refused is not None:
        raise refused
    return report


@transaction.atomic
def submit_report(*, actor: User, report: PeriodicReport) -> PeriodicReport:
    """Submit the saved draft to the pejabat penilai (see `_submit_locked` for the rules)."""
    report = PeriodicReport.objects.for_submission_update().get(pk=report.pk)
    require_report_owner_editable(actor, report)
    indicators = list(Indicator.objects.for_report(report))
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
    # A report submitted once (then returned) stays on its SKP; a new one only on the SKP
    # that takes the period (a draft left on the old post's SKP by a transfer is not sent).
    if report.submitted_at is None and not report.skp.takes_period(period):
        raise SubmissionRefused(period_elsewhere(report.skp, period), code="period_elsewhere")
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
    # The facts in one query, read after the report's lock (evidence is added and deleted
    # under the same lock, so what is read here stays true until commit).
    has_evidence, waits_for_training = SUBMISSION_FACTS.fetchone(
        report=report.pk, employee=actor.pk
    )
    if not has_evidence:
        raise SubmissionRefused(
            _("Lampirkan minimal satu bukti dukung (berkas atau tautan) sebelum mengajukan."),
            code="evidence_missing",
        )
    # THE TRAINING GATE: the first report waits for the mandatory training.
    if waits_for_training:
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
    report_event(report, actor, old)
    if report.on_time:
        award_points(
            user=actor,
            points=settings.PERFORMANCE_ON_TIME_POINTS,
            reason=PointEntry.Reason.REPORT_ON_TIME,
            key=f"report:{report.pk}:on_time",
        )
    notify(
        recipient=report.skp.pejabat_penilai,
        actor=actor,
        message=_("%(name)s mengajukan laporan %(period)s untuk dinilai.")
        % {"name": actor.full_name, "period": period},  # the actor is the owner (checked)
        url=report.get_absolute_url(),
    )


def _require_penilai(actor: User, report: PeriodicReport, action: str) -> str:
    """The capacity in which `actor` acts on the report (performance.rights), or refuse."""
    kind = rights.capacity(actor, report.skp)
    if kind is None:
        raise PermissionDenied(
            _("Hanya pejabat penilai pegawai ini (%(name)s) yang dapat %(action)s laporan ini.")
            % {"name": report.skp.pejabat_penilai_name or "-", "action": action}
        )
    return kind


@transaction.atomic
def return_report(*, actor: User, report: PeriodicReport, note: str) -> PeriodicReport:
    report = PeriodicReport.objects.for_update().get(pk=report.pk)
    kind = _require_penilai(actor, report, _("mengembalikan"))
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
    report_event(
        report,
        actor,
        old,
        rights.with_note(report.return_note, rights.act_note(actor, report.skp, kind)),
    )
    notify(
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
    report = PeriodicReport.objects.for_update().get(pk=report.pk)
    kind = _require_penilai(actor, report, _("menilai"))
    if report.is_locked:
        raise ValidationError(
            _("Laporan ini sudah dinilai (predikat %(predikat)s); penilaian tidak bisa diubah.")
            % {"predikat": report.get_predikat_display()},
            code="already_rated",
        )
    if report.status != PeriodicReport.Status.DIAJUKAN:
        raise ValidationError(_("Hanya laporan yang sudah diajukan yang bisa dinilai."))
    require_ratings(hasil_kerja, perilaku_kerja)
    old = report.status
    report.rating_hasil_kerja = hasil_kerja
    report.rating_perilaku_kerja = perilaku_kerja
    report.predikat = rules.predikat(hasil_kerja, perilaku_kerja)
    report.rated_by = actor
    report.rated_at = timezone.now()
    report.status = PeriodicReport.Status.DINILAI
    report.save()
    report_event(
        report,
        actor,
        old,
        rights.with_note(report.get_predikat_display(), rights.act_note(actor, report.skp, kind)),
    )
    notify(
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
    report = PeriodicReport.objects.for_update().get(pk=report.pk)
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
    notify(
        recipient=recipient,
        actor=actor,
        message=_("Umpan balik baru dari %(name)s tentang “%(topic)s” (%(period)s).")
        % {"name": actor.full_name, "topic": topic[:80], "period": report.period},
        url=f"{report.get_absolute_url()}#{message.thread_key}",
    )
    return message
