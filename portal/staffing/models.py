"""Who holds which post, on which dates (issue 17): the effective-dated staffing records.

- `Assignment`: one person's post (unit, jabatan, atasan, head post or not) over a date range.
  Rows are never overwritten, only ended; the User fields `org_unit`, `atasan`, `jabatan`,
  `jenis_jabatan` are the snapshot of today's assignment.
- `ActingAppointment`: a Plt/Plh holding the head post of a unit for a while (SK required).
- `RatingDelegation`: a supervisor on leave hands rating to their own atasan for a while.
- `DesignatedRater`: the rater of a person who has no atasan in the portal (an OPD head).

Every date range is inclusive; `end` None means open. Reads go through `portal.authority`,
writes through `portal.staffing.services` (the one writer, which also keeps the snapshot and the
audit record). The models are imported at the bottom of `portal.models`, so they belong to the
app `portal`.
"""

from __future__ import annotations

import datetime as dt

from django.apps import apps
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from portal.fields import (
    date_range,
    end_not_before_start,
    not_blank,
    not_same,
    org_unit_fk,
    recorded_by_fk,
    user_fk,
)


def jenis_jabatan_choices() -> list[tuple[str, str]]:
    # User.JenisJabatan, read through the app registry: portal.models imports this module.
    return apps.get_model("portal", "User").JenisJabatan.choices


class DatedQuerySet(models.QuerySet):
    """Rows with an inclusive `start`..`end` range (`end` None = open)."""

    def on(self, day: dt.date) -> DatedQuerySet:
        """The rows in effect on `day`."""
        return self.filter(Q(end__isnull=True) | Q(end__gte=day), start__lte=day)

    def overlapping(self, start: dt.date, end: dt.date | None) -> DatedQuerySet:
        """The rows whose range shares at least one day with `start`..`end` (None = open)."""
        rows = self.filter(Q(end__isnull=True) | Q(end__gte=start))
        return rows if end is None else rows.filter(start__lte=end)


class DatedRecord(models.Model):
    """A staffing row in effect over an inclusive range of days, with when it was written.
    Each model declares its own `start, end` (`date_range`) and its end-not-before-start
    constraint."""

    created_at = models.DateTimeField(auto_now_add=True)

    objects = DatedQuerySet.as_manager()

    class Meta:
        abstract = True


class RecordedDatedRecord(DatedRecord):
    """A dated row with who recorded it."""

    recorded_by = recorded_by_fk()

    class Meta:
        abstract = True


class Assignment(RecordedDatedRecord):
    """One person's post over a date range (`end` inclusive, None = open)."""

    class Source(models.TextChoices):
        IMPOR = "impor", _("Impor register")
        ADMIN = "admin", _("Admin BKPSDM")
        SK = "sk", _("Surat keputusan (SK)")
        API = "api", _("API")
        DEMO = "demo", _("Data demo")
        MIGRASI = "migrasi", _("Migrasi data")

    person = user_fk(_("pegawai"), related_name="assignments", on_delete=models.CASCADE)
    org_unit = org_unit_fk(_("unit kerja"), related_name="assignments")
    jabatan = models.CharField(_("jabatan"), max_length=200, blank=True)
    jenis_jabatan = models.CharField(
        _("jenis jabatan"),
        max_length=20,
        choices=jenis_jabatan_choices,
        default="pelaksana",
    )
    atasan = user_fk(
        _("atasan langsung"),
        related_name="assignments_as_atasan",
        on_delete=models.SET_NULL,
        optional=True,
    )
    is_head = models.BooleanField(
        _("kepala unit"),
        default=False,
        help_text=_("Memegang jabatan kepala unit ini (Kepala Dinas, Camat, Kepala Bagian, ...)."),
    )
    start, end = date_range(open_end=True)
    source = models.CharField(_("sumber"), max_length=10, choices=Source)
    sk_number = models.CharField(_("nomor SK"), max_length=120, blank=True)
    note = models.CharField(_("catatan"), max_length=500, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = _("penempatan")
        ordering = ["person_id", "start"]
        constraints = [
            end_not_before_start("assignment_end_not_before_start"),
            models.UniqueConstraint(
                fields=["person"],
                condition=Q(end__isnull=True),
                name="assignment_one_open_per_person",
            ),
            models.UniqueConstraint(fields=["person", "start"], name="assignment_person_start"),
            not_same("atasan", "person", "assignment_not_own_atasan"),
        ]
        indexes = [
            models.Index(
                fields=["org_unit", "start"], condition=Q(is_head=True), name="assignment_head_idx"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.jabatan or self.get_jenis_jabatan_display()}, {self.org_unit}"

    @property
    def post(self) -> tuple:
        """What the person holds, without the dates and the paperwork (to compare two rows)."""
        return (self.org_unit_id, self.jabatan, self.jenis_jabatan, self.atasan_id, self.is_head)


class ActingAppointment(RecordedDatedRecord):
    """A Plt (vacant head post) or Plh (holder away) acting in the head post of `org_unit`."""

    class Kind(models.TextChoices):
        PLT = "plt", _("Pelaksana Tugas (Plt)")
        PLH = "plh", _("Pelaksana Harian (Plh)")

    person = user_fk(
        _("pejabat Plt/Plh"), related_name="acting_appointments", on_delete=models.CASCADE
    )
    kind = models.CharField(_("jenis"), max_length=3, choices=Kind)
    org_unit = org_unit_fk(_("unit (jabatan kepala)"), related_name="acting_appointments")
    start, end = date_range(open_end=False)
    sk_number = models.CharField(_("nomor SK"), max_length=120)

    class Meta:
        verbose_name = verbose_name_plural = _("Plt/Plh")
        ordering = ["org_unit_id", "start"]
        constraints = [
            end_not_before_start("acting_end_not_before_start"),
            not_blank("sk_number", "acting_sk_required"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.org_unit} ({self.start} – {self.end})"


class RatingDelegation(DatedRecord):
    """A supervisor on leave lets their own atasan rate in their place from `start` to `end`."""

    delegator = user_fk(
        _("pemberi delegasi"), related_name="rating_delegations_given", on_delete=models.CASCADE
    )
    delegate = user_fk(
        _("penerima delegasi"), related_name="rating_delegations_received", on_delete=models.CASCADE
    )
    start, end = date_range(open_end=False)
    reason = models.CharField(_("alasan"), max_length=500)

    class Meta:
        verbose_name = verbose_name_plural = _("delegasi penilaian")
        ordering = ["delegator_id", "start"]
        constraints = [
            end_not_before_start("delegation_end_not_before_start"),
            not_same("delegate", "delegator", "delegation_not_to_self"),
        ]

    def __str__(self) -> str:
        return f"{self.delegator} → {self.delegate} ({self.start} – {self.end})"


class DesignatedRater(RecordedDatedRecord):
    """Who rates a person without an atasan in the portal: a portal user (`rater`) or, when
    `rater` is None, someone outside it (`external_rater`, e.g. "Wali Kota Bandung"), on whose
    behalf Admin BKPSDM records the rating."""

    person = user_fk(_("pegawai"), related_name="designated_raters", on_delete=models.CASCADE)
    rater = user_fk(_("penilai"), related_name="designated_for", optional=True)
    external_rater = models.CharField(_("penilai di luar portal"), max_length=200, blank=True)
    document_ref = models.CharField(_("dasar penunjukan (dokumen)"), max_length=200)
    start, end = date_range(open_end=True)

    class Meta:
        verbose_name = verbose_name_plural = _("penilai yang ditunjuk")
        ordering = ["person_id", "start"]
        constraints = [
            end_not_before_start("designated_end_not_before_start"),
            not_same("rater", "person", "designated_not_own_rater"),
            models.CheckConstraint(
                condition=Q(rater__isnull=False) | ~Q(external_rater=""),
                name="designated_rater_named",
            ),
            not_blank("document_ref", "designated_document_required"),
        ]

    def __str__(self) -> str:
        return f"{self.person}: {self.rater_label}"

    @property
    def rater_label(self) -> str:
        return self.rater.full_name if self.rater_id else self.external_rater
