"""Evidence (bukti dukung) writes: attach a file or a link under the caps, delete."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import partial

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Count, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from performance.models import (
    Evidence,
    PeriodicReport,
)
from performance.uploads import check_evidence_file
from portal.models import User
from portal.notifications import notify

from .common import (
    report_event,
    require_report_owner_editable,
)


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
        "per_report": settings.PERFORMANCE_EVIDENCE_MAX_PER_REPORT,
        "mb_per_report": settings.PERFORMANCE_EVIDENCE_MAX_MB_PER_REPORT,
        "files_per_day": settings.PERFORMANCE_EVIDENCE_MAX_FILES_PER_DAY,
        "mb_per_day": settings.PERFORMANCE_EVIDENCE_MAX_MB_PER_DAY,
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


def attach_evidence(*, actor: User, report: PeriodicReport, new: NewEvidence) -> list[Evidence]:
    """Attach `new` to `report` (locked, owner checked): the file is typed from its content and
    counted against the caps before it is stored. After submission (the report waits for its
    rating) the addition is recorded in the report's history and the pejabat penilai told."""
    _require_evidence_allowed(actor, report)
    if not new:
        raise ValidationError(_("Pilih berkas atau isi tautan bukti dukung."), code="required")
    description = new.description.strip()[:255]
    checked = check_evidence_file(new.upload) if new.upload is not None else None
    url = new.url.strip()
    evidence_row = partial(Evidence, report=report, description=description, uploaded_by=actor)
    rows = []
    if url:
        rows.append(evidence_row(url=url))
        rows[-1].full_clean()
    _check_evidence_caps(
        actor=actor,
        report=report,
        items=len(rows) + (1 if checked else 0),
        size=checked.size if checked else 0,
    )
    stored = None
    if checked is not None:
        evidence = evidence_row(
            original_name=checked.name,
            content_type=checked.content_type,
            size=checked.size,
            sha256=checked.sha256,
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
        report_event(
            report,
            actor,
            report.status,
            _("Bukti dukung ditambahkan setelah pengajuan: %(names)s") % {"names": names},
        )
        notify(
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
    report = PeriodicReport.objects.for_update().get(pk=report.pk)
    return attach_evidence(actor=actor, report=report, new=new)


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
    report = PeriodicReport.objects.for_update().get(pk=evidence.report_id)
    require_report_owner_editable(actor, report)
    name = evidence.file.name if evidence.file else ""
    storage = evidence.file.storage if evidence.file else None
    evidence.delete()
    if name:
        transaction.on_commit(lambda: storage.delete(name))
