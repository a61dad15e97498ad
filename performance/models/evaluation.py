"""Evaluation: the annual rating, the unit evaluation, the kurva distribution rules, keberatan."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from performance.rules import Quota, default_quotas
from performance.rules import capaian_choices as rule_capaian_choices
from portal.fields import not_blank, org_unit_fk, user_fk

from .common import predikat_choices, rating_choices
from .planning import Cycle
from .skp import Skp


def capaian_choices() -> list[tuple[str, str]]:
    return rule_capaian_choices()


class DistributionRuleQuerySet(models.QuerySet):
    def quotas(self, capaian: str) -> tuple[Quota, ...]:
        """The quotas stored for `capaian` (empty when Admin BKPSDM removed them all)."""
        return tuple(
            Quota(rule.kind, tuple(rule.predikat_codes), rule.pct)
            for rule in self.filter(capaian=capaian).order_by("pk")
        )

    def quotas_for(self, capaian: str) -> tuple[Quota, ...]:
        """The quotas the kurva rules apply to `capaian` (one query): the stored ones or, when
        none are stored, the defaults of the domain data. An unknown capaian has none."""
        return self.quotas(capaian) or default_quotas().get(capaian, ())


class DistributionRule(models.Model):
    """One editable quota of the kurva distribusi (defaults: domain data, a secondary source)."""

    class Kind(models.TextChoices):
        MIN_PCT = "min_pct", _("Paling sedikit (%)")
        MAX_PCT = "max_pct", _("Paling banyak (%)")
        MUST_EXIST = "must_exist", _("Harus ada")

    capaian = models.CharField(
        _("capaian kinerja organisasi"), max_length=20, choices=capaian_choices
    )
    kind = models.CharField(_("jenis aturan"), max_length=12, choices=Kind)
    predikat = models.CharField(
        _("predikat"),
        max_length=120,
        help_text=_(
            "Kode predikat dipisah koma: sangat_baik, baik, butuh_perbaikan, "
            "kurang_misconduct, sangat_kurang."
        ),
    )
    pct = models.PositiveSmallIntegerField(
        _("persentase"), null=True, blank=True, help_text=_("Kosongkan untuk aturan 'harus ada'.")
    )

    objects = DistributionRuleQuerySet.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = _("aturan kurva distribusi")
        ordering = ["capaian", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(kind="must_exist") & Q(pct__isnull=True))
                | (~Q(kind="must_exist") & Q(pct__isnull=False, pct__lte=100)),
                name="distribution_rule_pct",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_capaian_display()}: {self.get_kind_display()} {self.predikat} {self.pct or ''}"

    @property
    def predikat_codes(self) -> list[str]:
        return [code.strip() for code in self.predikat.split(",") if code.strip()]

    def clean(self) -> None:
        known = {code for code, _label in predikat_choices()}
        codes = self.predikat_codes
        if not codes or set(codes) - known:
            raise ValidationError(
                {"predikat": _("Gunakan kode predikat yang dikenal, dipisah koma.")}
            )
        if self.kind == self.Kind.MUST_EXIST and self.pct is not None:
            raise ValidationError({"pct": _("Aturan 'harus ada' tidak memakai persentase.")})
        if self.kind != self.Kind.MUST_EXIST and self.pct is None:
            raise ValidationError({"pct": _("Isi persentase 0 sampai 100.")})


class UnitEvaluation(models.Model):
    """Penetapan predikat of one OPD for one cycle: capaian kinerja organisasi and finalisation.

    The capaian is set by the leader above the OPD head (`capaian_capacity` "pimpinan"), or
    recorded by Admin BKPSDM for a leader outside the portal ("bkpsdm", with the document);
    `capaian_penetap` is the name and position of the leader who decided it.
    """

    class CapaianCapacity(models.TextChoices):
        PIMPINAN = "pimpinan", _("pimpinan di atas kepala perangkat daerah")
        BKPSDM = "bkpsdm", _("dicatat Admin BKPSDM atas penetapan pimpinan di luar portal")

    cycle = models.ForeignKey(Cycle, on_delete=models.PROTECT, related_name="unit_evaluations")
    org_unit = org_unit_fk(related_name="unit_evaluations")
    capaian = models.CharField(
        _("capaian kinerja organisasi"), max_length=20, choices=capaian_choices, blank=True
    )
    capaian_set_by = user_fk(related_name="+", optional=True)
    capaian_set_at = models.DateTimeField(null=True, blank=True)
    capaian_capacity = models.CharField(
        _("kapasitas penetap capaian"), max_length=10, choices=CapaianCapacity, blank=True
    )
    capaian_penetap = models.CharField(
        _("pimpinan yang menetapkan capaian"), max_length=200, blank=True
    )
    capaian_document_ref = models.CharField(
        _("nomor dokumen penetapan capaian"), max_length=200, blank=True
    )
    finalised_by = user_fk(related_name="+", optional=True)
    finalised_at = models.DateTimeField(_("ditetapkan pada"), null=True, blank=True)
    justification = models.TextField(_("alasan penetapan"), blank=True)
    violations = models.JSONField(default=list, blank=True)
    counts = models.JSONField(default=dict, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = _("penetapan predikat unit")
        constraints = [
            models.UniqueConstraint(fields=["cycle", "org_unit"], name="unit_evaluation_unique"),
            models.CheckConstraint(
                condition=Q(finalised_at__isnull=True) | ~Q(capaian=""),
                name="unit_evaluation_final_has_capaian",
            ),
            models.CheckConstraint(
                condition=~Q(capaian_capacity="bkpsdm")
                | (~Q(capaian_document_ref="") & ~Q(capaian_penetap="")),
                name="unit_evaluation_recorded_capaian_documented",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.org_unit} {self.cycle}"

    @property
    def is_final(self) -> bool:
        return self.finalised_at is not None

    def keberatan_deadline(self) -> dt.date | None:
        if not self.finalised_at:
            return None
        days = settings.PERFORMANCE_KEBERATAN_DAYS
        return timezone.localdate(self.finalised_at) + dt.timedelta(days=days)


class AnnualRating(models.Model):
    """The annual ratings of one SKP (employee and cycle) and the predikat that follows."""

    skp = models.OneToOneField(Skp, on_delete=models.PROTECT, related_name="annual_rating")
    rating_hasil_kerja = models.CharField(
        _("rating hasil kerja"), max_length=10, choices=rating_choices
    )
    rating_perilaku_kerja = models.CharField(
        _("rating perilaku kerja"), max_length=10, choices=rating_choices
    )
    predikat = models.CharField(_("predikat"), max_length=20, choices=predikat_choices)
    note = models.TextField(_("catatan"), blank=True)
    rated_by = user_fk(related_name="+")
    rated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = verbose_name_plural = _("penilaian tahunan")

    def __str__(self) -> str:
        return f"{self.skp}: {self.predikat}"


class Keberatan(models.Model):
    """An objection to an annual predikat, decided by the atasan pejabat penilai."""

    class Status(models.TextChoices):
        DIAJUKAN = "diajukan", _("Diajukan")
        DITOLAK = "ditolak", _("Penilaian dipertahankan")
        DIUBAH = "diubah", _("Penilaian diubah")

    rating = models.OneToOneField(AnnualRating, on_delete=models.PROTECT, related_name="keberatan")
    reasons = models.TextField(_("alasan keberatan"))
    status = models.CharField(max_length=10, choices=Status, default=Status.DIAJUKAN)
    decision_note = models.TextField(_("alasan keputusan"), blank=True)
    decided_by = user_fk(related_name="+", optional=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    old_predikat = models.CharField(max_length=20, choices=predikat_choices, blank=True)
    new_predikat = models.CharField(max_length=20, choices=predikat_choices, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = verbose_name_plural = _("keberatan")
        constraints = [
            not_blank("reasons", "keberatan_reasons_required"),
            models.CheckConstraint(
                condition=Q(status="diajukan")
                | (~Q(decision_note="") & Q(decided_at__isnull=False)),
                name="keberatan_decided_has_note",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.rating}: {self.status}"
