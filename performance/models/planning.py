"""Planning: the cycle and its reporting periods (the SKP and its parts: `performance.models.skp`)."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .common import today

# --- cycles and periods ----------------------------------------------------------------------


class CycleQuerySet(models.QuerySet):
    def current(self) -> Cycle | None:
        year = today().year
        return self.filter(year=year).first() or self.order_by("-year").first()


class Cycle(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", _("Terbuka")
        CLOSED = "closed", _("Ditutup")

    year = models.PositiveIntegerField(_("tahun"), unique=True)
    status = models.CharField(_("status"), max_length=10, choices=Status, default=Status.OPEN)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = CycleQuerySet.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = _("siklus kinerja")
        ordering = ["-year"]
        constraints = [
            models.CheckConstraint(
                condition=Q(year__gte=2022, year__lte=2100), name="cycle_year_range"
            )
        ]

    def __str__(self) -> str:
        return str(self.year)

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.OPEN


class ReportingPeriodQuerySet(models.QuerySet):
    def current(self, cycle: Cycle | None = None) -> ReportingPeriod | None:
        """The period containing today, else the last one that has started, else the first."""
        day = today()
        qs = self.filter(cycle=cycle) if cycle else self
        return (
            qs.filter(start__lte=day, end__gte=day).order_by("start").first()
            or qs.filter(start__lte=day).order_by("-start").first()
            or qs.order_by("start").first()
        )


class ReportingPeriod(models.Model):
    class Kind(models.TextChoices):
        MONTHLY = "monthly", _("Bulanan")
        QUARTERLY = "quarterly", _("Triwulanan")

    cycle = models.ForeignKey(
        Cycle, verbose_name=_("siklus"), on_delete=models.CASCADE, related_name="periods"
    )
    kind = models.CharField(_("jenis periode"), max_length=10, choices=Kind)
    number = models.PositiveSmallIntegerField(_("nomor"))
    start = models.DateField(_("mulai"))
    end = models.DateField(_("selesai"))
    due_date = models.DateField(_("batas waktu laporan"))
    is_closed = models.BooleanField(
        _("ditutup"), default=False, help_text=_("Laporan tidak bisa diajukan lagi.")
    )

    objects = ReportingPeriodQuerySet.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = _("periode pelaporan")
        ordering = ["cycle", "start"]
        constraints = [
            models.UniqueConstraint(
                fields=["cycle", "kind", "number"], name="period_unique_number"
            ),
            models.CheckConstraint(condition=Q(end__gte=models.F("start")), name="period_end"),
            models.CheckConstraint(
                condition=Q(due_date__gte=models.F("end")), name="period_due_after_end"
            ),
            models.CheckConstraint(
                condition=Q(number__gte=1)
                & (Q(kind="monthly", number__lte=12) | Q(kind="quarterly", number__lte=4)),
                name="period_number_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.label} {self.cycle.year}"

    @property
    def label(self) -> str:
        if self.kind == self.Kind.QUARTERLY:
            return _("Triwulan %(n)s") % {"n": ["I", "II", "III", "IV"][self.number - 1]}
        return _("Bulan %(n)s") % {"n": self.number}

    @property
    def accepts_reports(self) -> bool:
        return not self.is_closed and self.cycle.is_open

    @property
    def is_overdue(self) -> bool:
        return today() > self.due_date

    def is_overdue_for(self, report: models.Model | None) -> bool:
        """`report` (a PeriodicReport of this period, or None: not started) is not submitted and
        the due date has passed (Asia/Jakarta). Typed loosely: reports build on this module."""
        submitted = report is not None and report.submitted_at is not None
        return not submitted and self.is_overdue
