"""Reports: the periodic report, its realisasi, evidence and feedback thread."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.files.storage import storages
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext_lazy as _

from performance import rights
from portal.fields import not_blank, user_fk

from .common import StatusEvent, predikat_choices, rating_choices, value_choices
from .planning import ReportingPeriod
from .skp import Indicator, Rhk, Skp

# --- periodic reports ---------------------------------------------------------------------


class PeriodicReportQuerySet(models.QuerySet):
    def visible_to(self, user) -> PeriodicReportQuerySet:
        shown = rights.visible_q(user, "skp__")
        if user.is_authenticated:
            shown |= Q(rated_by=user)  # a former pejabat penilai reads what they rated
        return self.filter(shown)

    def waiting_for(self, user) -> PeriodicReportQuerySet:
        """Reports submitted to `user` as a rater (performance.rights), not yet rated."""
        return self.filter(
            rights.rater_q(user, prefix="skp__"), status=PeriodicReport.Status.DIAJUKAN
        )

    # Join plans: each join costs PostgreSQL planning time on every request, so each kind of
    # request reads what it uses (benchmarks/bench_submission.py measures the busiest one).

    def for_page(self) -> PeriodicReportQuerySet:
        """What the report page shows: the SKP with its people and cycle, the period, the rater."""
        return self.select_related(
            "skp__employee",
            "skp__cycle",
            "skp__pejabat_penilai",
            "skp__atasan_pejabat_penilai",
            "skp__assignment",
            "period__cycle",
            "rated_by",
        )

    def for_submission(self) -> PeriodicReportQuerySet:
        """What the owner's POST of the report page (save, submit, bukti dukung) reads before the
        service locks the report: the SKP (its owner and pendekatan). The rest is read locked."""
        return self.select_related("skp")

    def for_update(self) -> PeriodicReportQuerySet:
        """The report's row locked for a write, with what the rules check and the notifications
        name: the SKP's employee, pejabat penilai and cycle, the period."""
        return self.select_for_update(of=("self",)).select_related(
            "skp__employee", "skp__cycle", "skp__pejabat_penilai", "period__cycle"
        )

    def for_submission_update(self) -> PeriodicReportQuerySet:
        """The report's row locked for saving and submitting the draft: the pejabat penilai (told
        of the submission) and the period with its cycle (whether it takes reports)."""
        return self.select_for_update(of=("self",)).select_related(
            "skp__pejabat_penilai", "period__cycle"
        )


class PeriodicReport(models.Model):
    class Status(models.TextChoices):
        DRAF = "draf", _("Draf")
        DIAJUKAN = "diajukan", _("Diajukan")
        DINILAI = "dinilai", _("Dinilai")
        DIKEMBALIKAN = "dikembalikan", _("Dikembalikan")

    skp = models.ForeignKey(Skp, on_delete=models.PROTECT, related_name="reports")
    period = models.ForeignKey(ReportingPeriod, on_delete=models.PROTECT, related_name="reports")
    status = models.CharField(_("status"), max_length=12, choices=Status, default=Status.DRAF)
    narrative = models.TextField(_("narasi capaian"), blank=True)
    submitted_at = models.DateTimeField(_("diajukan pada"), null=True, blank=True)
    on_time = models.BooleanField(_("tepat waktu"), null=True, blank=True)
    return_note = models.TextField(_("catatan pengembalian"), blank=True)
    rating_hasil_kerja = models.CharField(
        _("rating hasil kerja"), max_length=10, choices=rating_choices, blank=True
    )
    rating_perilaku_kerja = models.CharField(
        _("rating perilaku kerja"), max_length=10, choices=rating_choices, blank=True
    )
    predikat = models.CharField(_("predikat"), max_length=20, choices=predikat_choices, blank=True)
    rated_by = user_fk(related_name="+", optional=True)
    rated_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = PeriodicReportQuerySet.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = _("laporan periodik")
        ordering = ["period__start", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["skp", "period"], name="report_unique_per_period"),
            models.CheckConstraint(
                condition=Q(status__in=["draf", "diajukan", "dinilai", "dikembalikan"]),
                name="report_status_valid",
            ),
            models.CheckConstraint(
                condition=~Q(status__in=["diajukan", "dinilai"])
                | Q(submitted_at__isnull=False, on_time__isnull=False),
                name="report_submitted_has_time",
            ),
            models.CheckConstraint(
                condition=~Q(status="dikembalikan") | ~Q(return_note=""),
                name="report_returned_has_note",
            ),
            # Rated <=> both ratings, the predikat, the rater and the time are set.
            models.CheckConstraint(
                condition=(
                    Q(status="dinilai", rated_by__isnull=False, rated_at__isnull=False)
                    & ~Q(rating_hasil_kerja="")
                    & ~Q(rating_perilaku_kerja="")
                    & ~Q(predikat="")
                )
                | (
                    ~Q(status="dinilai")
                    & Q(
                        rating_hasil_kerja="",
                        rating_perilaku_kerja="",
                        predikat="",
                        rated_by__isnull=True,
                        rated_at__isnull=True,
                    )
                ),
                name="report_rated_consistent",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.period} · {self.skp.employee.full_name}"

    def get_absolute_url(self) -> str:
        return reverse("performance:report_detail", args=[self.pk])

    @property
    def is_locked(self) -> bool:
        return self.status == self.Status.DINILAI

    @property
    def is_editable(self) -> bool:
        """The employee may change realisasi, narrative and evidence."""
        return self.status in (self.Status.DRAF, self.Status.DIKEMBALIKAN)

    @property
    def accepts_evidence(self) -> bool:
        """The employee may add bukti dukung: while editable, and once submitted until it is
        rated (the pejabat penilai asked for a document; nothing else of the report changes)."""
        return self.is_editable or self.status == self.Status.DIAJUKAN

    @property
    def feedback_open(self) -> bool:
        """The threads take messages until the report is rated, and after rating for as long as
        the period takes reports: until Admin BKPSDM closes the period or the cycle."""
        return not self.is_locked or self.period.accepts_reports

    def can_view(self, user) -> bool:
        # A former pejabat penilai keeps reading the reports they rated, nothing else.
        return self.skp.can_view(user) or (
            user.is_authenticated and self.is_locked and self.rated_by_id == user.pk
        )


class Realisasi(models.Model):
    report = models.ForeignKey(PeriodicReport, on_delete=models.CASCADE, related_name="realisasi")
    indicator = models.ForeignKey(Indicator, on_delete=models.PROTECT, related_name="realisasi")
    value = models.DecimalField(_("realisasi"), max_digits=14, decimal_places=2, null=True)
    text = models.TextField(_("realisasi (uraian)"), blank=True)

    class Meta:
        verbose_name = verbose_name_plural = _("realisasi")
        constraints = [
            models.UniqueConstraint(fields=["report", "indicator"], name="realisasi_unique"),
        ]

    def __str__(self) -> str:
        return self.display

    @property
    def display(self) -> str:
        """The value as people write it in the active language (2,5 in Indonesian)."""
        if self.value is not None:
            return number_format(f"{self.value.normalize():f}")
        return self.text

    @property
    def is_filled(self) -> bool:
        return self.value is not None or bool(self.text.strip())


def evidence_path(instance: Evidence, filename: str) -> str:
    return f"evidence/{instance.report.skp.cycle.year}/{instance.report_id}/{instance.sha256}"


def private_storage():
    return storages["private"]


class Evidence(models.Model):
    """Bukti dukung: an uploaded file (type checked by content) or a link."""

    report = models.ForeignKey(PeriodicReport, on_delete=models.CASCADE, related_name="evidence")
    file = models.FileField(upload_to=evidence_path, storage=private_storage, blank=True)
    original_name = models.CharField(_("nama berkas"), max_length=255, blank=True)
    content_type = models.CharField(max_length=120, blank=True)
    size = models.PositiveIntegerField(default=0)
    sha256 = models.CharField(max_length=64, blank=True)
    url = models.URLField(_("tautan"), max_length=500, blank=True)
    description = models.CharField(_("keterangan"), max_length=255, blank=True)
    uploaded_by = user_fk(related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = _("bukti dukung")
        ordering = ["pk"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(url="") & ~Q(file="") & Q(size__gt=0) & ~Q(sha256=""))
                | (~Q(url="") & Q(file="")),
                name="evidence_file_xor_link",
            )
        ]

    def __str__(self) -> str:
        return self.original_name or self.url

    def clean(self) -> None:
        if self._state.adding and not self.report.accepts_evidence:
            raise ValidationError(
                _("Laporan sudah dinilai dan terkunci; bukti dukung tidak bisa ditambah.")
            )

    @property
    def is_file(self) -> bool:
        return bool(self.file)


class FeedbackMessage(models.Model):
    """Umpan balik berkelanjutan: a message in the thread of one RHK or one BerAKHLAK value."""

    report = models.ForeignKey(PeriodicReport, on_delete=models.CASCADE, related_name="feedback")
    rhk = models.ForeignKey(
        Rhk, null=True, blank=True, on_delete=models.CASCADE, related_name="feedback"
    )
    value_code = models.CharField(max_length=40, choices=value_choices, blank=True)
    author = user_fk(related_name="+")
    body = models.TextField(_("pesan"))
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = verbose_name_plural = _("umpan balik")
        ordering = ["created_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(rhk__isnull=False) & Q(value_code=""))
                | (Q(rhk__isnull=True) & ~Q(value_code="")),
                name="feedback_rhk_xor_value",
            ),
            not_blank("body", "feedback_body_required"),
        ]

    def __str__(self) -> str:
        return self.body[:60]

    @property
    def thread_key(self) -> str:
        return f"rhk-{self.rhk_id}" if self.rhk_id else f"nilai-{self.value_code}"


class ReportEvent(StatusEvent):
    """One transition of a report; the employee reads the whole history."""

    report = models.ForeignKey(PeriodicReport, on_delete=models.CASCADE, related_name="events")
    from_status = models.CharField(max_length=12, choices=PeriodicReport.Status)
    to_status = models.CharField(max_length=12, choices=PeriodicReport.Status)
