"""Planning writes: cycles and periods (Admin BKPSDM), the SKP, its RHK, indicators and expectations."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from performance.models import (
    Cycle,
    ExpectationKhusus,
    Indicator,
    Realisasi,
    ReportingPeriod,
    Rhk,
    Skp,
    cycle_day,
    perspektif_choices,
    today,
    value_choices,
)
from portal import authority
from portal.models import User

from .common import (
    rating_chain,
    require_skp_owner_editable,
    skp_for_update,
)
from .history import ChangedBy, Kind, Via, expectation_state, record_skp_version

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
    """Start the employee's SKP for their post: from 1 January, or from the start of the post
    when it began later in the cycle's year (or the day after their last SKP of the year
    ended). The rating chain is a snapshot of the post's atasan on that day (`rating_chain`).
    Refuses a closed cycle and a second SKP while one is open."""
    if not cycle.is_open:
        raise ValidationError(_("Siklus %(year)s sudah ditutup.") % {"year": cycle.year})
    skps = list(Skp.objects.filter(employee=employee, cycle=cycle).order_by("starts_on"))
    if any(skp.ends_on is None for skp in skps):
        raise ValidationError(_("SKP Anda untuk tahun %(year)s sudah ada.") % {"year": cycle.year})
    day = cycle_day(cycle.year, today())
    post = authority.assignment_on(employee, day)
    starts_on = dt.date(cycle.year, 1, 1)
    if post is not None and post.start.year == cycle.year:
        starts_on = post.start
    if skps:
        starts_on = max(starts_on, skps[-1].ends_on + dt.timedelta(days=1))
    if starts_on.year != cycle.year:
        raise ValidationError(
            _("SKP Anda untuk tahun %(year)s sudah berakhir.") % {"year": cycle.year}
        )
    skp = Skp(
        employee=employee,
        cycle=cycle,
        assignment=post if post is not None and post.pk else None,
        starts_on=starts_on,
        pendekatan=pendekatan,
        employee_jabatan=post.jabatan if post is not None else employee.jabatan,
        employee_unit=str(post.org_unit if post is not None else employee.org_unit or ""),
        **rating_chain(employee, post if post is not None and post.pk else None, starts_on),
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
    *,
    actor: User,
    skp: Skp,
    jenis: str,
    text: str,
    parent_rhk: Rhk | None = None,
    perspektif: str = "",
) -> Rhk:
    skp = skp_for_update(skp)
    require_skp_owner_editable(actor, skp)
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
    skp = skp_for_update(rhk.skp)
    require_skp_owner_editable(actor, skp)
    if rhk.intervened_by.exists():
        raise ValidationError(_("RHK ini sudah diintervensi bawahan Anda; tidak bisa dihapus."))
    if Realisasi.objects.filter(indicator__rhk=rhk).exists():
        raise ValidationError(_("RHK ini sudah punya realisasi; tidak bisa dihapus."))
    rhk.delete()


@transaction.atomic
def add_indicator(
    *, actor: User, rhk: Rhk, aspek: str, text: str, target: Decimal | None, unit: str
) -> Indicator:
    skp = skp_for_update(rhk.skp)
    require_skp_owner_editable(actor, skp)
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
    skp = skp_for_update(indicator.rhk.skp)
    require_skp_owner_editable(actor, skp)
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
    skp = skp_for_update(skp)
    require_skp_owner_editable(actor, skp)
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
    skp = skp_for_update(skp)
    if not skp.is_penilai(actor):
        raise PermissionDenied(_("Hanya pejabat penilai yang menulis ekspektasi khusus."))
    if skp.is_approved:
        raise ValidationError(_("SKP sudah disetujui; ekspektasi tidak bisa diubah."))
    if value_code not in dict(value_choices()):
        raise ValidationError({"value_code": _("Nilai BerAKHLAK tidak dikenal.")})
    if not text.strip():
        raise ValidationError({"text": _("Tulis ekspektasi khusus untuk nilai ini.")})
    old = expectation_state(skp.expectations.filter(value_code=value_code).first())
    expectation, _created = ExpectationKhusus.objects.update_or_create(
        skp=skp, value_code=value_code, defaults={"text": text.strip(), "written_by": actor}
    )
    new = expectation_state(expectation)
    record_skp_version(
        Kind.EXPECTATION, expectation.pk, skp, ChangedBy(actor, Via.PENILAIAN), old=old, new=new
    )
    return expectation
