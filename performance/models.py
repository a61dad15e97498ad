"""Performance management (PermenPANRB 6/2022): SKP, periodic reports, feedback, ratings.

Writes with rules go through `performance.services`; these models hold the shape, the
invariants (DB constraints) and the object-level permission questions (`can_*`).
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal.domain import berakhlak_values, predikat_levels, rating_levels


def value_choices() -> list[tuple[str, str]]:
    return [(v["code"], v["name"]) for v in berakhlak_values()]


def rating_choices() -> list[tuple[str, str]]:
    return [(level["code"], level["label"]) for level in rating_levels()["scale"]]


def predikat_choices() -> list[tuple[str, str]]:
    return [(level["code"], level["label"]) for level in predikat_levels()]


def perspektif_choices() -> list[tuple[str, str]]:
    from django.utils.text import slugify

    return [
        (slugify(label).replace("-", "_"), label) for label in rating_levels()["perspektif_jpt"]
    ]


def value_name(code: str) -> str:
    return dict(value_choices()).get(code, code)


def today() -> dt.date:
    """Today in Asia/Jakarta (the portal's TIME_ZONE)."""
    return timezone.localdate()


def _is_admin(user) -> bool:
    return bool(user.is_authenticated and user.is_bkpsdm_admin)


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
        verbose_name = _("siklus kinerja")
        verbose_name_plural = _("siklus kinerja")
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
        verbose_name = _("periode pelaporan")
        verbose_name_plural = _("periode pelaporan")
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

    def is_overdue_for(self, report: PeriodicReport | None) -> bool:
        """Not submitted and past the due date (Asia/Jakarta)."""
        submitted = report is not None and report.submitted_at is not None
        return not submitted and self.is_overdue


# --- SKP -----------------------------------------------------------------------------------


def current_penilai_q(user, prefix: str = "") -> Q:
    """SKPs whose pejabat penilai is `user` and still valid: the employee's atasan in the
    register is the one recorded when the pejabat penilai was set (see `Skp.register_atasan`)."""
    return Q(**{f"{prefix}pejabat_penilai": user}) & (
        Q(**{f"{prefix}register_atasan": models.F(f"{prefix}employee__atasan")})
        | Q(**{f"{prefix}register_atasan__isnull": True, f"{prefix}employee__atasan__isnull": True})
    )


class SkpQuerySet(models.QuerySet):
    def visible_to(self, user) -> SkpQuerySet:
        if _is_admin(user):
            return self
        return self.filter(
            Q(employee=user) | current_penilai_q(user) | Q(atasan_pejabat_penilai=user)
        )

    def rated_by(self, user) -> SkpQuerySet:
        """SKPs `user` may rate now (a pejabat penilai whose appointment has not lapsed)."""
        return self.filter(current_penilai_q(user))

    def penilai_lapsed(self) -> SkpQuerySet:
        """SKPs whose employee's atasan changed after the pejabat penilai was set."""
        return self.exclude(register_atasan=models.F("employee__atasan")).exclude(
            register_atasan__isnull=True, employee__atasan__isnull=True
        )


class Skp(models.Model):
    """Sasaran Kinerja Pegawai of one employee for one cycle."""

    class Pendekatan(models.TextChoices):
        KUANTITATIF = "kuantitatif", _("Kuantitatif")
        KUALITATIF = "kualitatif", _("Kualitatif")

    class Status(models.TextChoices):
        DRAF = "draf", _("Draf")
        DIAJUKAN = "diajukan", _("Diajukan")
        DISETUJUI = "disetujui", _("Disetujui")
        DIKEMBALIKAN = "dikembalikan", _("Dikembalikan")

    employee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("pegawai"),
        on_delete=models.PROTECT,
        related_name="skps",
    )
    cycle = models.ForeignKey(
        Cycle, verbose_name=_("siklus"), on_delete=models.PROTECT, related_name="skps"
    )
    pendekatan = models.CharField(
        _("pendekatan"), max_length=12, choices=Pendekatan, default=Pendekatan.KUANTITATIF
    )
    # Snapshots taken when the SKP is created: the rating chain does not move with later
    # changes in the staff register.
    pejabat_penilai = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("pejabat penilai"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="skps_dinilai",
    )
    pejabat_penilai_name = models.CharField(max_length=150, blank=True)
    pejabat_penilai_jabatan = models.CharField(max_length=200, blank=True)
    atasan_pejabat_penilai = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("atasan pejabat penilai"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="skps_diawasi",
    )
    atasan_pejabat_penilai_name = models.CharField(max_length=150, blank=True)
    # The employee's atasan in the staff register when the pejabat penilai was set. When the
    # register changes (Wagtail user form, bulk action, staff import, anything that writes
    # User.atasan) the two differ and the pejabat penilai lapses: they can no longer rate or
    # open the open reports until Admin BKPSDM re-assigns (`services.reassign_penilai`).
    register_atasan = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    employee_jabatan = models.CharField(max_length=200, blank=True)
    employee_unit = models.CharField(max_length=200, blank=True)
    status = models.CharField(_("status"), max_length=12, choices=Status, default=Status.DRAF)
    return_note = models.TextField(_("catatan pengembalian"), blank=True)
    # Lampiran SKP: one item per line.
    dukungan_sumber_daya = models.TextField(_("dukungan sumber daya"), blank=True)
    skema_pertanggungjawaban = models.TextField(_("skema pertanggungjawaban"), blank=True)
    konsekuensi = models.TextField(_("konsekuensi"), blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    approved_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = SkpQuerySet.as_manager()

    class Meta:
        verbose_name = _("SKP")
        verbose_name_plural = _("SKP")
        ordering = ["-cycle__year", "employee__full_name"]
        constraints = [
            models.UniqueConstraint(fields=["employee", "cycle"], name="skp_unique_per_cycle"),
            models.CheckConstraint(
                condition=Q(status__in=["draf", "diajukan", "disetujui", "dikembalikan"]),
                name="skp_status_valid",
            ),
            models.CheckConstraint(
                condition=~Q(status__in=["diajukan", "disetujui"]) | Q(submitted_at__isnull=False),
                name="skp_submitted_has_time",
            ),
            models.CheckConstraint(
                condition=~Q(status="disetujui") | Q(approved_at__isnull=False),
                name="skp_approved_has_time",
            ),
            models.CheckConstraint(
                condition=~Q(status="dikembalikan") | ~Q(return_note=""),
                name="skp_returned_has_note",
            ),
            models.CheckConstraint(
                condition=~Q(pejabat_penilai=models.F("employee")), name="skp_not_own_penilai"
            ),
        ]

    def __str__(self) -> str:
        return f"SKP {self.cycle.year} · {self.employee.full_name}"

    def save(self, *args, **kwargs) -> None:
        if self._state.adding and self.register_atasan_id is None:
            # Every creation path (service, demo, import) snapshots today's atasan as the
            # pejabat penilai, so that atasan is the register's one at this moment.
            self.register_atasan_id = self.pejabat_penilai_id
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("performance:skp_detail", args=[self.pk])

    @property
    def is_editable(self) -> bool:
        """The employee may change RHK, indicators and lampiran."""
        return self.status in (self.Status.DRAF, self.Status.DIKEMBALIKAN)

    @property
    def is_approved(self) -> bool:
        return self.status == self.Status.DISETUJUI

    def is_owner(self, user) -> bool:
        return user.is_authenticated and self.employee_id == user.pk

    @property
    def penilai_is_current(self) -> bool:
        """False once the employee's atasan changed after the pejabat penilai was set."""
        return self.register_atasan_id == self.employee.atasan_id

    def is_penilai(self, user) -> bool:
        """`user` may rate, return, approve and give feedback: the one owner of that rule."""
        return (
            user.is_authenticated and self.pejabat_penilai_id == user.pk and self.penilai_is_current
        )

    def can_view(self, user) -> bool:
        return user.is_authenticated and (
            self.is_owner(user)
            or self.is_penilai(user)
            or self.atasan_pejabat_penilai_id == user.pk
            or _is_admin(user)
        )

    @staticmethod
    def lines(text: str) -> list[str]:
        return [line.strip() for line in text.splitlines() if line.strip()]


class Rhk(models.Model):
    """Rencana Hasil Kerja, intervening (cascading from) an RHK of the atasan."""

    class Jenis(models.TextChoices):
        UTAMA = "utama", _("Utama")
        TAMBAHAN = "tambahan", _("Tambahan")

    skp = models.ForeignKey(Skp, on_delete=models.CASCADE, related_name="rhks")
    jenis = models.CharField(_("jenis RHK"), max_length=10, choices=Jenis, default=Jenis.UTAMA)
    text = models.TextField(_("rencana hasil kerja"))
    parent_rhk = models.ForeignKey(
        "self",
        verbose_name=_("RHK atasan yang diintervensi"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="intervened_by",
    )
    perspektif = models.CharField(
        _("perspektif"), max_length=40, choices=perspektif_choices, blank=True
    )
    order = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("RHK")
        verbose_name_plural = _("RHK")
        ordering = ["skp", "-jenis", "order", "pk"]
        constraints = [
            models.CheckConstraint(condition=~Q(text=""), name="rhk_text_required"),
            models.CheckConstraint(
                condition=~Q(parent_rhk=models.F("pk")), name="rhk_not_own_parent"
            ),
        ]

    def __str__(self) -> str:
        return self.text


class Indicator(models.Model):
    class Aspek(models.TextChoices):
        KUANTITAS = "kuantitas", _("Kuantitas")
        KUALITAS = "kualitas", _("Kualitas")
        WAKTU = "waktu", _("Waktu")
        BIAYA = "biaya", _("Biaya")

    rhk = models.ForeignKey(Rhk, on_delete=models.CASCADE, related_name="indicators")
    aspek = models.CharField(_("aspek"), max_length=10, choices=Aspek)
    text = models.CharField(_("indikator kinerja individu"), max_length=500)
    target = models.DecimalField(_("target"), max_digits=14, decimal_places=2)
    unit = models.CharField(_("satuan"), max_length=60)

    class Meta:
        verbose_name = _("indikator")
        verbose_name_plural = _("indikator")
        ordering = ["rhk", "pk"]
        constraints = [
            models.CheckConstraint(condition=~Q(unit=""), name="indicator_unit_required"),
            models.CheckConstraint(condition=~Q(text=""), name="indicator_text_required"),
            models.CheckConstraint(
                condition=Q(target__gte=0), name="indicator_target_non_negative"
            ),
        ]

    def __str__(self) -> str:
        return self.text


class ExpectationKhusus(models.Model):
    """Ekspektasi khusus pimpinan for one BerAKHLAK value, written by the atasan."""

    skp = models.ForeignKey(Skp, on_delete=models.CASCADE, related_name="expectations")
    value_code = models.CharField(_("nilai BerAKHLAK"), max_length=40, choices=value_choices)
    text = models.TextField(_("ekspektasi khusus pimpinan"))
    written_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("ekspektasi khusus pimpinan")
        verbose_name_plural = _("ekspektasi khusus pimpinan")
        constraints = [
            models.UniqueConstraint(fields=["skp", "value_code"], name="expectation_unique_value")
        ]

    def __str__(self) -> str:
        return f"{self.value_code}: {self.text[:40]}"


class StatusEvent(models.Model):
    """One status transition: who moved it, when, with what note.

    Each subclass adds the object it belongs to and its own `from_status`/`to_status`
    fields, whose choices are that object's Status.
    """

    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    note = models.TextField(blank=True)
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        abstract = True
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.from_status} -> {self.to_status}"


class SkpEvent(StatusEvent):
    skp = models.ForeignKey(Skp, on_delete=models.CASCADE, related_name="events")
    from_status = models.CharField(max_length=12, choices=Skp.Status)
    to_status = models.CharField(max_length=12, choices=Skp.Status)


# --- periodic reports ---------------------------------------------------------------------


class PeriodicReportQuerySet(models.QuerySet):
    def visible_to(self, user) -> PeriodicReportQuerySet:
        if _is_admin(user):
            return self
        return self.filter(
            Q(skp__employee=user)
            | current_penilai_q(user, "skp__")
            | Q(skp__atasan_pejabat_penilai=user)
            | Q(rated_by=user)
        )

    def waiting_for(self, user) -> PeriodicReportQuerySet:
        """Reports submitted to `user` as pejabat penilai, not yet rated."""
        return self.filter(current_penilai_q(user, "skp__"), status=PeriodicReport.Status.DIAJUKAN)


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
    rated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    rated_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = PeriodicReportQuerySet.as_manager()

    class Meta:
        verbose_name = _("laporan periodik")
        verbose_name_plural = _("laporan periodik")
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
        verbose_name = _("realisasi")
        verbose_name_plural = _("realisasi")
        constraints = [
            models.UniqueConstraint(fields=["report", "indicator"], name="realisasi_unique"),
        ]

    def __str__(self) -> str:
        return self.display

    @property
    def display(self) -> str:
        """The value as people write it in the active language (2,5 in Indonesian)."""
        if self.value is not None:
            from django.utils.formats import number_format

            return number_format(f"{self.value.normalize():f}")
        return self.text

    @property
    def is_filled(self) -> bool:
        return self.value is not None or bool(self.text.strip())


def evidence_path(instance: Evidence, filename: str) -> str:
    return f"evidence/{instance.report.skp.cycle.year}/{instance.report_id}/{instance.sha256}"


def _private_storage():
    from django.core.files.storage import storages

    return storages["private"]


class Evidence(models.Model):
    """Bukti dukung: an uploaded file (type checked by content) or a link."""

    report = models.ForeignKey(PeriodicReport, on_delete=models.CASCADE, related_name="evidence")
    file = models.FileField(upload_to=evidence_path, storage=_private_storage, blank=True)
    original_name = models.CharField(_("nama berkas"), max_length=255, blank=True)
    content_type = models.CharField(max_length=120, blank=True)
    size = models.PositiveIntegerField(default=0)
    sha256 = models.CharField(max_length=64, blank=True)
    url = models.URLField(_("tautan"), max_length=500, blank=True)
    description = models.CharField(_("keterangan"), max_length=255, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("bukti dukung")
        verbose_name_plural = _("bukti dukung")
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
        from django.core.exceptions import ValidationError

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
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    body = models.TextField(_("pesan"))
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("umpan balik")
        verbose_name_plural = _("umpan balik")
        ordering = ["created_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(rhk__isnull=False) & Q(value_code=""))
                | (Q(rhk__isnull=True) & ~Q(value_code="")),
                name="feedback_rhk_xor_value",
            ),
            models.CheckConstraint(condition=~Q(body=""), name="feedback_body_required"),
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


# Notifications moved to portal (every app notifies; the table is unchanged):
# `portal.notifications`. The names stay importable from here for existing callers.
from portal.notifications import Notification, NotificationQuerySet  # noqa: E402, F401

# --- annual evaluation (issue 7) -------------------------------------------------------------


def capaian_choices() -> list[tuple[str, str]]:
    from .rules import capaian_choices as choices

    return choices()


class DistributionRuleQuerySet(models.QuerySet):
    def quotas(self, capaian: str) -> tuple:
        from .rules import Quota

        return tuple(
            Quota(rule.kind, tuple(rule.predikat_codes), rule.pct)
            for rule in self.filter(capaian=capaian).order_by("pk")
        )


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
        verbose_name = _("aturan kurva distribusi")
        verbose_name_plural = _("aturan kurva distribusi")
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
        from django.core.exceptions import ValidationError

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
    """Penetapan predikat of one OPD for one cycle: capaian kinerja organisasi and finalisation."""

    cycle = models.ForeignKey(Cycle, on_delete=models.PROTECT, related_name="unit_evaluations")
    org_unit = models.ForeignKey(
        "portal.OrgUnit", on_delete=models.PROTECT, related_name="unit_evaluations"
    )
    capaian = models.CharField(
        _("capaian kinerja organisasi"), max_length=20, choices=capaian_choices, blank=True
    )
    capaian_set_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    capaian_set_at = models.DateTimeField(null=True, blank=True)
    finalised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    finalised_at = models.DateTimeField(_("ditetapkan pada"), null=True, blank=True)
    justification = models.TextField(_("alasan penetapan"), blank=True)
    violations = models.JSONField(default=list, blank=True)
    counts = models.JSONField(default=dict, blank=True)

    class Meta:
        verbose_name = _("penetapan predikat unit")
        verbose_name_plural = _("penetapan predikat unit")
        constraints = [
            models.UniqueConstraint(fields=["cycle", "org_unit"], name="unit_evaluation_unique"),
            models.CheckConstraint(
                condition=Q(finalised_at__isnull=True) | ~Q(capaian=""),
                name="unit_evaluation_final_has_capaian",
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
        days = getattr(settings, "PERFORMANCE_KEBERATAN_DAYS", 14)
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
    rated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    rated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("penilaian tahunan")
        verbose_name_plural = _("penilaian tahunan")

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
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    old_predikat = models.CharField(max_length=20, choices=predikat_choices, blank=True)
    new_predikat = models.CharField(max_length=20, choices=predikat_choices, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("keberatan")
        verbose_name_plural = _("keberatan")
        constraints = [
            models.CheckConstraint(condition=~Q(reasons=""), name="keberatan_reasons_required"),
            models.CheckConstraint(
                condition=Q(status="diajukan")
                | (~Q(decision_note="") & Q(decided_at__isnull=False)),
                name="keberatan_decided_has_note",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.rating}: {self.status}"


class Reminder(models.Model):
    """One reminder sent for a person and period (the unique constraint makes it idempotent)."""

    class Kind(models.TextChoices):
        BEFORE = "before", _("Sebelum batas waktu")
        OVERDUE = "overdue", _("Terlambat")

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    period = models.ForeignKey(ReportingPeriod, on_delete=models.CASCADE, related_name="reminders")
    kind = models.CharField(max_length=10, choices=Kind)
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "period", "kind"], name="reminder_once")
        ]

    def __str__(self) -> str:
        return f"{self.user} {self.period} {self.kind}"
