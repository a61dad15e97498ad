"""Every version of the records that are otherwise changed in place, with who, when and why.

An annual rating, the capaian kinerja organisasi, an ekspektasi khusus and the pejabat penilai
of an SKP are overwritten by their services; before each change the service writes one
`RecordVersion` (old -> new) through `performance.services.history.record_version`, the only
writer. Corrections by Admin BKPSDM carry a reason and a document reference. Rows are never
changed or deleted by the portal.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from portal.fields import org_unit_fk, user_fk

from .common import predikat_choices, rating_choices, value_choices
from .evaluation import capaian_choices
from .planning import Cycle
from .skp import Skp

# Which kinds each page lists (the values of RecordVersion.Kind).
ANNUAL_PAGE_KINDS = ("penilaian_tahunan",)
SKP_PAGE_KINDS = ("pejabat_penilai", "perubahan_skp", "ekspektasi_khusus")
UNIT_PAGE_KINDS = ("capaian_organisasi", "rekap_unit")


class RecordVersionQuerySet(models.QuerySet):
    def for_listing(self) -> RecordVersionQuerySet:
        """With everything a listing row shows (one query per page, however many rows)."""
        return self.select_related("employee", "org_unit", "cycle", "actor").order_by("-at", "-pk")

    def _on_page(self, kinds: tuple[str, ...], **where) -> RecordVersionQuerySet:
        return self.filter(kind__in=kinds, **where).select_related("actor").order_by("-at", "-pk")

    def on_annual_page(self, skp: Skp) -> RecordVersionQuerySet:
        return self._on_page(ANNUAL_PAGE_KINDS, skp=skp)

    def on_skp_page(self, skp: Skp) -> RecordVersionQuerySet:
        return self._on_page(SKP_PAGE_KINDS, skp=skp)

    def on_unit_page(self, cycle: Cycle, opd) -> RecordVersionQuerySet:
        return self._on_page(UNIT_PAGE_KINDS, cycle=cycle, org_unit=opd)

    def matching(
        self, *, person: str = "", org_unit=None, year: int | None = None, kind: str = ""
    ) -> RecordVersionQuerySet:
        """The audit view's filters: a NIP (or its start) or part of a name, an OPD, a year, a
        kind; each left out when empty."""
        person = person.strip()
        qs = self
        if person:
            nip = "".join(person.split())
            qs = (
                qs.filter(employee__nip__startswith=nip)
                if nip.isdigit()
                else qs.filter(employee__full_name__icontains=person)
            )
        if org_unit is not None:
            qs = qs.filter(org_unit=org_unit)
        if year:
            qs = qs.filter(cycle__year=year)
        if kind:
            qs = qs.filter(kind=kind)
        return qs


class RecordVersion(models.Model):
    """One change of a kept record: its value before and after, who made it, when, why."""

    class Kind(models.TextChoices):
        ANNUAL_RATING = "penilaian_tahunan", _("Penilaian tahunan")
        CAPAIAN = "capaian_organisasi", _("Capaian kinerja organisasi")
        EXPECTATION = "ekspektasi_khusus", _("Ekspektasi khusus pimpinan")
        PENILAI = "pejabat_penilai", _("Pejabat penilai")
        SKP_CHANGE = "perubahan_skp", _("Perubahan SKP")
        UNIT_COUNTS = "rekap_unit", _("Rekap predikat unit")

    class Via(models.TextChoices):
        PENILAIAN = "penilaian", _("Penilaian")
        KOREKSI = "koreksi", _("Koreksi Admin BKPSDM")
        KEBERATAN = "keberatan", _("Keputusan keberatan")
        PENGALIHAN = "pengalihan", _("Pengalihan pejabat penilai")

    kind = models.CharField(_("jenis"), max_length=24, choices=Kind)
    # The changed row: an AnnualRating, UnitEvaluation, ExpectationKhusus or Skp (by kind).
    object_id = models.PositiveBigIntegerField()
    # Where it belongs, for the filters of the audit view and the employee's pages.
    skp = models.ForeignKey(
        Skp, null=True, blank=True, on_delete=models.PROTECT, related_name="versions"
    )
    employee = user_fk(_("pegawai"), related_name="record_versions", optional=True)
    org_unit = org_unit_fk(_("perangkat daerah"), related_name="record_versions", optional=True)
    cycle = models.ForeignKey(
        Cycle, verbose_name=_("siklus"), on_delete=models.PROTECT, related_name="record_versions"
    )
    old = models.JSONField(_("sebelumnya"), null=True, blank=True)
    new = models.JSONField(_("sesudahnya"), null=True, blank=True)
    actor = user_fk(_("oleh"), related_name="+")
    at = models.DateTimeField(_("waktu"), default=timezone.now, db_index=True)
    via = models.CharField(_("melalui"), max_length=12, choices=Via)
    reason = models.TextField(_("alasan"), blank=True)
    document_ref = models.CharField(_("dokumen"), max_length=200, blank=True)

    objects = RecordVersionQuerySet.as_manager()

    class Meta:
        verbose_name = _("versi catatan")
        verbose_name_plural = _("riwayat perubahan")
        ordering = ["-at", "-pk"]
        indexes = [
            models.Index(fields=["skp", "-at"], name="version_skp_idx"),
            models.Index(fields=["employee", "-at"], name="version_employee_idx"),
            models.Index(fields=["org_unit", "cycle", "-at"], name="version_unit_idx"),
            models.Index(fields=["kind", "object_id"], name="version_object_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(via="koreksi") | (~Q(reason="") & ~Q(document_ref="")),
                name="version_correction_documented",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} #{self.object_id}: {self.old_text} -> {self.new_text}"

    @property
    def old_text(self) -> str:
        return describe(self.kind, self.old)

    @property
    def new_text(self) -> str:
        return describe(self.kind, self.new)


def _rating_text(value: dict) -> str:
    ratings, predikat = dict(rating_choices()), dict(predikat_choices())
    text = gettext(
        "Hasil kerja %(hasil)s · perilaku kerja %(perilaku)s · predikat %(predikat)s"
    ) % {
        "hasil": ratings.get(value.get("hasil_kerja"), value.get("hasil_kerja")),
        "perilaku": ratings.get(value.get("perilaku_kerja"), value.get("perilaku_kerja")),
        "predikat": predikat.get(value.get("predikat"), value.get("predikat")),
    }
    return f"{text} ({value['note']})" if value.get("note") else text


def _skp_text(value: dict) -> str:
    status = dict(Skp.Status.choices).get(value.get("status"), value.get("status", ""))
    rhks = value.get("rhks")
    if rhks is None:
        return str(status)
    items = []
    for rhk in rhks:
        indicators = ", ".join(
            f"{i['text']} {i['target']} {i['unit']}" for i in rhk.get("indicators", [])
        )
        items.append(f"{rhk['text']}" + (f" [{indicators}]" if indicators else ""))
    return f"{status} · " + (
        gettext("%(n)s RHK: %(items)s") % {"n": len(rhks), "items": "; ".join(items)}
    )


def describe(kind: str, value) -> str:
    """A stored value as a person reads it (no queries: the value carries its names)."""
    if not value:
        return "—"
    K = RecordVersion.Kind
    if kind == K.ANNUAL_RATING:
        return _rating_text(value)
    if kind == K.CAPAIAN:
        return str(dict(capaian_choices()).get(value.get("capaian"), value.get("capaian")))
    if kind == K.EXPECTATION:
        name = dict(value_choices()).get(value.get("value_code"), value.get("value_code"))
        return f"{name}: {value.get('text', '')}"
    if kind == K.PENILAI:
        return f"{value.get('name') or '—'}" + (f" ({value['nip']})" if value.get("nip") else "")
    if kind == K.SKP_CHANGE:
        return _skp_text(value)
    if kind == K.UNIT_COUNTS:
        predikat = dict(predikat_choices())
        counts = value.get("counts", {})
        return ", ".join(f"{predikat.get(code, code)} {n}" for code, n in counts.items()) or "—"
    return str(value)
