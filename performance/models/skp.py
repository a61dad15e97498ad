"""The SKP of one employee for one post, with its RHK, indicators, expectations and events."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from performance import rights
from portal.fields import (
    end_not_before_start,
    foreign_key,
    not_blank,
    not_same,
    nullable_fk,
    user_fk,
)
from portal.sql import among

from .common import StatusEvent, perspektif_choices, today, value_choices
from .planning import Cycle, ReportingPeriod


def report_day(period: ReportingPeriod) -> dt.date:
    """The day whose SKP a period's reports belong to (settings.PERFORMANCE_TRANSFER_PERIOD_RULE,
    a local choice): the period's last day ("akhir") or its first ("awal"). Without a transfer
    in the year every period is the one SKP's either way."""
    return period.start if settings.PERFORMANCE_TRANSFER_PERIOD_RULE == "awal" else period.end


def cycle_day(year: int, day: dt.date) -> dt.date:
    """`day` brought inside the year `year` (its first or last day when outside)."""
    return min(max(day, dt.date(year, 1, 1)), dt.date(year, 12, 31))


def skp_on(skps: Iterable[Skp], day: dt.date) -> Skp | None:
    """Of one employee's SKPs of one cycle, the one that counts on `day`: the last one begun
    by then (the one in force, or the last before a gap), else the first."""
    ordered = sorted(skps, key=lambda skp: skp.starts_on)
    begun = [skp for skp in ordered if skp.starts_on <= day]
    return begun[-1] if begun else (ordered[0] if ordered else None)


def current_penilai_q(user, prefix: str = "") -> Q:
    """SKPs `user` may act on today as their pejabat penilai, Plt/Plh, delegate or designated
    rater (`performance.rights.rater_q`; the name is older than the rule file)."""
    return rights.rater_q(user, prefix=prefix)


class SkpQuerySet(models.QuerySet):
    def visible_to(self, user) -> SkpQuerySet:
        return self.filter(rights.visible_q(user))

    def rated_by(self, user) -> SkpQuerySet:
        """SKPs `user` may act on today as a rater (performance.rights)."""
        return self.filter(rights.rater_q(user))

    def in_force(self, day: dt.date) -> SkpQuerySet:
        """The SKPs in force on `day`: begun by then in that year, not ended before it."""
        return self.filter(starts_on__gte=dt.date(day.year, 1, 1), starts_on__lte=day).filter(
            Q(ends_on__isnull=True) | Q(ends_on__gte=day)
        )

    def taking(self, period: ReportingPeriod) -> SkpQuerySet:
        """The SKPs whose employees report `period` on them (one per employee: `report_day`)."""
        return self.filter(cycle_id=period.cycle_id).in_force(report_day(period))

    def last_of_cycle(self) -> SkpQuerySet:
        """Each employee's last SKP of its cycle, the one the annual rating is given on."""
        later = Skp.objects.filter(
            employee_id=OuterRef("employee_id"),
            cycle_id=OuterRef("cycle_id"),
            starts_on__gt=OuterRef("starts_on"),
        )
        return self.filter(~Exists(later))

    def with_post_unit(self) -> SkpQuerySet:
        """Each SKP with `post_unit_id`: the unit of the post it belongs to (its assignment's;
        the employee's own unit for an SKP made before assignments had dates)."""
        return self.annotate(
            post_unit_id=Coalesce("assignment__org_unit_id", "employee__org_unit_id")
        )

    def in_units(self, unit_ids: Iterable[int]) -> SkpQuerySet:
        """The SKPs of posts in these units (the unit `with_post_unit` names). Two semi-joins on
        the post's and the employee's unit, one array parameter each, not a filter on that
        annotation: the SKPs are not joined to every assignment and person of the city first,
        and a count joins nothing (one OPD of a 16,000-person city read twice as fast)."""
        people = self.model._meta.get_field("employee").related_model
        posts = self.model._meta.get_field("assignment").related_model
        units = among(people, "org_unit", unit_ids)
        return self.filter(
            Q(assignment__in=posts.objects.filter(org_unit_id__in=units).values("pk"))
            | Q(
                assignment__isnull=True,
                employee__in=people.objects.filter(org_unit_id__in=units).values("pk"),
            )
        )

    def current_for(self, employee, *, cycle: Cycle | None = None, day: dt.date | None = None):
        """The employee's SKP that counts on `day` (today), of `cycle` when given (`day`
        brought inside its year): "my SKP" (`skp_on`). One query."""
        day = day or today()
        skps = self.filter(employee=employee)
        if cycle is not None:
            skps = skps.filter(cycle=cycle)
            day = cycle_day(cycle.year, day)
        else:
            skps = skps.filter(starts_on__year=day.year)
        return skp_on(skps, day)

    def penilai_lapsed(self) -> SkpQuerySet:
        """Open SKPs whose recorded pejabat penilai no longer matches the atasan of their post
        (`rights.penilai_is_current`)."""
        # A post without an atasan (a head) has a designated rater instead: nothing to lapse.
        linked = self.filter(assignment__isnull=False, assignment__atasan__isnull=False).exclude(
            register_atasan=models.F("assignment__atasan")
        )
        unlinked = (
            self.filter(assignment__isnull=True)
            .exclude(register_atasan=models.F("employee__atasan"))
            .exclude(register_atasan__isnull=True, employee__atasan__isnull=True)
        )
        return self.filter(
            Q(pk__in=linked.values("pk")) | Q(pk__in=unlinked.values("pk")),
            Q(ends_on__isnull=True) | Q(ends_on__gte=today()),
        )


class Skp(models.Model):
    """Sasaran Kinerja Pegawai of one employee for one post (assignment) within one cycle.

    Usually one per employee and cycle, from 1 January on. A transfer or promotion on day D
    (`performance.services.transfer`) closes the SKP of the old post on D - 1 (`ends_on`) and
    drafts the next one from D (`starts_on`); who may act on each is `performance.rights`.
    """

    class Pendekatan(models.TextChoices):
        KUANTITATIF = "kuantitatif", _("Kuantitatif")
        KUALITATIF = "kualitatif", _("Kualitatif")

    class Status(models.TextChoices):
        DRAF = "draf", _("Draf")
        DIAJUKAN = "diajukan", _("Diajukan")
        DISETUJUI = "disetujui", _("Disetujui")
        DIKEMBALIKAN = "dikembalikan", _("Dikembalikan")

    employee = user_fk(_("pegawai"), related_name="skps")
    cycle = models.ForeignKey(
        Cycle, verbose_name=_("siklus"), on_delete=models.PROTECT, related_name="skps"
    )
    assignment = nullable_fk("portal.Assignment", _("penempatan"), related_name="skps")
    # Filled in on save when left empty: 1 January of the cycle's year.
    starts_on = models.DateField(_("berlaku mulai"), blank=True)
    ends_on = models.DateField(
        _("berlaku sampai"), null=True, blank=True, help_text=_("Kosong: sampai akhir siklus.")
    )
    pendekatan = models.CharField(
        _("pendekatan"), max_length=12, choices=Pendekatan, default=Pendekatan.KUANTITATIF
    )
    # Snapshots taken when the SKP is created: the rating chain does not move with later
    # changes in the staff register.
    pejabat_penilai = user_fk(_("pejabat penilai"), related_name="skps_dinilai", optional=True)
    pejabat_penilai_name = models.CharField(max_length=150, blank=True)
    pejabat_penilai_jabatan = models.CharField(max_length=200, blank=True)
    atasan_pejabat_penilai = user_fk(
        _("atasan pejabat penilai"), related_name="skps_diawasi", optional=True
    )
    atasan_pejabat_penilai_name = models.CharField(max_length=150, blank=True)
    # The employee's atasan in the staff register when the pejabat penilai was set. When the
    # register changes (Wagtail user form, bulk action, staff import, anything that writes
    # User.atasan) the two differ and the pejabat penilai lapses: they can no longer rate or
    # open the open reports until Admin BKPSDM re-assigns (`services.reassign_penilai`).
    register_atasan = user_fk(related_name="+", on_delete=models.SET_NULL, optional=True)
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
        verbose_name = verbose_name_plural = _("SKP")
        ordering = ["-cycle__year", "employee__full_name", "starts_on"]
        constraints = [
            models.UniqueConstraint(
                fields=["employee", "cycle", "starts_on"], name="skp_unique_per_start"
            ),
            models.UniqueConstraint(
                fields=["employee", "cycle"],
                condition=Q(ends_on__isnull=True),
                name="skp_one_open_per_cycle",
            ),
            end_not_before_start("skp_ends_after_start", start="starts_on", end="ends_on"),
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
            not_same("pejabat_penilai", "employee", "skp_not_own_penilai"),
        ]

    def __str__(self) -> str:
        return f"SKP {self.cycle.year} · {self.employee.full_name}"

    def save(self, *args, **kwargs) -> None:
        if self.starts_on is None:
            self.starts_on = dt.date(self.cycle.year, 1, 1)
        if self._state.adding and self.register_atasan_id is None:
            # Every creation path (service, transfer, demo, import) snapshots the atasan of the
            # post as the pejabat penilai, so that atasan is the register's one at this moment.
            self.register_atasan_id = self.pejabat_penilai_id
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("performance:skp_detail", args=[self.pk])

    def clean(self) -> None:
        year = self.cycle.year if self.cycle_id else None
        for name in ("starts_on", "ends_on"):
            day = getattr(self, name)
            if year and day and day.year != year:
                raise ValidationError(
                    {
                        name: _("Tanggal SKP harus di dalam tahun siklusnya (%(year)s).")
                        % {"year": year}
                    }
                )

    @property
    def last_day(self) -> dt.date:
        """The SKP's last day: `ends_on`, else the end of its cycle's year."""
        return self.ends_on or dt.date(self.starts_on.year, 12, 31)

    @property
    def is_closed(self) -> bool:
        """Ended before today (a transfer, promotion or the end of the post)."""
        return self.ends_on is not None and self.ends_on < today()

    def in_force_on(self, day: dt.date) -> bool:
        return self.starts_on <= day <= self.last_day

    def takes_period(self, period: ReportingPeriod) -> bool:
        """The period's reports are made on this SKP (`report_day`)."""
        return self.in_force_on(report_day(period))

    @property
    def is_editable(self) -> bool:
        """The employee may change RHK, indicators and lampiran."""
        return self.status in (self.Status.DRAF, self.Status.DIKEMBALIKAN)

    @property
    def is_approved(self) -> bool:
        return self.status == self.Status.DISETUJUI

    @property
    def is_kuantitatif(self) -> bool:
        """Realisasi are numbers (kualitatif: a number or a description)."""
        return self.pendekatan == self.Pendekatan.KUANTITATIF

    def is_owner(self, user) -> bool:
        return user.is_authenticated and self.employee_id == user.pk

    @property
    def penilai_is_current(self) -> bool:
        """False once the atasan of the SKP's post differs from the one recorded with the
        pejabat penilai (`rights.penilai_is_current`)."""
        return rights.penilai_is_current(self)

    def is_penilai(self, user) -> bool:
        """`user` may rate, return, approve and give feedback today (`rights.can_act`)."""
        return rights.can_act(user, self)

    def can_view(self, user) -> bool:
        return rights.can_view_skp(user, self)

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
    parent_rhk = foreign_key(
        "self", _("RHK atasan yang diintervensi"), related_name="intervened_by", optional=True
    )
    perspektif = models.CharField(
        _("perspektif"), max_length=40, choices=perspektif_choices, blank=True
    )
    order = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = verbose_name_plural = _("RHK")
        ordering = ["skp", "-jenis", "order", "pk"]
        constraints = [
            not_blank("text", "rhk_text_required"),
            not_same("parent_rhk", "pk", "rhk_not_own_parent"),
        ]

    def __str__(self) -> str:
        return self.text


class IndicatorQuerySet(models.QuerySet):
    FORM_ORDER = ("-rhk__jenis", "rhk__order", "rhk_id", "pk")

    def for_report(self, report: models.Model) -> IndicatorQuerySet:
        """The indicators of a PeriodicReport's SKP in form order, each with its RHK (one query,
        one join). They are fixed once the SKP is approved, as every SKP with reports is.

        Rhk's own ordering is spelled out: ordering by "rhk" would also join the SKP, its cycle
        and its employee (Skp's ordering), all constant here."""
        return (
            self.filter(rhk__skp_id=report.skp_id).select_related("rhk").order_by(*self.FORM_ORDER)
        )

    def of_report(self, pk: int) -> IndicatorQuerySet:
        """`for_report` from the report's id, each indicator with its RHK and the SKP: what the
        owner's save of the report page reads before the service locks the report (one query
        for the SKP and the form's fields)."""
        return (
            self.filter(rhk__skp__reports__pk=pk)
            .select_related("rhk__skp")
            .order_by(*self.FORM_ORDER)
        )


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

    objects = IndicatorQuerySet.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = _("indikator")
        ordering = ["rhk", "pk"]
        constraints = [
            not_blank("unit", "indicator_unit_required"),
            not_blank("text", "indicator_text_required"),
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
    written_by = user_fk(related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = verbose_name_plural = _("ekspektasi khusus pimpinan")
        constraints = [
            models.UniqueConstraint(fields=["skp", "value_code"], name="expectation_unique_value")
        ]

    def __str__(self) -> str:
        return f"{self.value_code}: {self.text[:40]}"


class SkpEvent(StatusEvent):
    skp = models.ForeignKey(Skp, on_delete=models.CASCADE, related_name="events")
    from_status = models.CharField(max_length=12, choices=Skp.Status)
    to_status = models.CharField(max_length=12, choices=Skp.Status)
