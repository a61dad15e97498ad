"""Planning writes: cycles and periods (Admin BKPSDM), the SKP, its RHK, indicators and expectations."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from performance import rights
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
from portal.notifications import notify

from .common import (
    rating_chain,
    require_skp_owner_editable,
    skp_event,
    skp_for_update,
)
from .history import Kind, Via, expectation_state, record_skp_version
from .leaders import rater_outside_portal

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
    *, actor: User, skp: Skp, jenis: str, text: str, parent_rhk: Rhk | None, perspektif: str = ""
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
    record_skp_version(
        kind=Kind.EXPECTATION,
        object_id=expectation.pk,
        skp=skp,
        actor=actor,
        via=Via.PENILAIAN,
        old=old,
        new=expectation_state(expectation),
    )
    return expectation


@transaction.atomic
def submit_skp(*, actor: User, skp: Skp) -> Skp:
    skp = skp_for_update(skp)
    require_skp_owner_editable(actor, skp)
    rhks = list(skp.rhks.prefetch_related("indicators"))
    if not any(r.jenis == Rhk.Jenis.UTAMA for r in rhks):
        raise ValidationError(_("Tambahkan minimal satu RHK utama sebelum mengajukan SKP."))
    missing = [r.text for r in rhks if not r.indicators.all()]
    if missing:
        raise ValidationError(
            _("Setiap RHK perlu minimal satu indikator. Belum ada indikator untuk: %(rhk)s")
            % {"rhk": "; ".join(missing)}
        )
    old = skp.status
    skp.status = Skp.Status.DIAJUKAN
    skp.submitted_at = timezone.now()
    note = ""
    if skp.pejabat_penilai_id is None:
        # The top of the tree has no pejabat penilai in the portal: the SKP stands as submitted.
        skp.status = Skp.Status.DISETUJUI
        skp.approved_at = skp.submitted_at
        note = _("Disetujui otomatis: pegawai di puncak struktur tanpa pejabat penilai.")
    skp.save()
    skp_event(skp, actor, old, note)
    notify(
        recipient=skp.pejabat_penilai,
        actor=actor,
        message=_("%(name)s mengajukan SKP %(year)s untuk disetujui.")
        % {"name": skp.employee.full_name, "year": skp.cycle.year},
        url=skp.get_absolute_url(),
    )
    return skp


def check_approve_skp(*, actor: User, skp: Skp) -> str | None:
    """The rules of `approve_skp`, without writing (the bulk confirmation shows them): whoever
    may act on the SKP today (`rights.capacity`: the pejabat penilai, Plt/Plh, delegate,
    designated rater), or Admin BKPSDM for an SKP whose rater is outside the portal; a submitted
    SKP only. Returns the capacity (None: Admin BKPSDM on behalf of a rater outside the portal);
    raises PermissionDenied or ValidationError."""
    kind = rights.capacity(actor, skp)
    on_behalf = (
        actor.is_authenticated
        and actor.is_bkpsdm_admin
        and rater_outside_portal(skp)
        and skp.employee_id != actor.pk  # never one's own SKP
    )
    if kind is None and not on_behalf:
        raise PermissionDenied(_("Hanya pejabat penilai yang dapat menyetujui SKP ini."))
    if skp.status != Skp.Status.DIAJUKAN:
        raise ValidationError(_("Hanya SKP yang diajukan yang bisa disetujui."))
    return kind


@transaction.atomic
def approve_skp(*, actor: User, skp: Skp) -> Skp:
    skp = skp_for_update(skp)
    kind = check_approve_skp(actor=actor, skp=skp)
    old = skp.status
    skp.status = Skp.Status.DISETUJUI
    skp.approved_at = timezone.now()
    skp.save()
    if kind is None:
        note = _("Disetujui Admin BKPSDM atas nama pejabat penilai di luar portal.")
    else:
        note = rights.act_note(actor, skp, kind)
    skp_event(skp, actor, old, note)
    notify(
        recipient=skp.employee,
        actor=actor,
        message=_("SKP %(year)s Anda disetujui.") % {"year": skp.cycle.year},
        url=skp.get_absolute_url(),
    )
    return skp


@dataclass
class BulkApproval:
    """What `approve_skps` did: the SKPs approved, and the ones refused with the reason."""

    approved: list[Skp] = field(default_factory=list)
    refused: list[tuple[Skp, str]] = field(default_factory=list)


def _reason(exc: PermissionDenied | ValidationError) -> str:
    return " ".join(exc.messages) if isinstance(exc, ValidationError) else str(exc)


def approval_refusal(*, actor: User, skp: Skp) -> str:
    """Why `approve_skp` would refuse this SKP now ("" when it would approve it)."""
    try:
        check_approve_skp(actor=actor, skp=skp)
    except (PermissionDenied, ValidationError) as exc:
        return _reason(exc)
    return ""


def approve_skps(*, actor: User, skps: Iterable[Skp]) -> BulkApproval:
    """Approve many SKPs, each through `approve_skp` (the same checks, in its own transaction:
    one refused SKP undoes nothing of the others). Returns what was approved and refused."""
    result = BulkApproval()
    for skp in skps:
        try:
            result.approved.append(approve_skp(actor=actor, skp=skp))
        except (PermissionDenied, ValidationError) as exc:
            result.refused.append((skp, _reason(exc)))
    return result


def _submitted_skp_of(
    actor: User, skp: Skp, *, not_penilai: str, not_submitted: str
) -> tuple[Skp, str]:
    """The SKP locked, once `actor` may act on it (`rights.capacity`, returned with it) and it
    waits for their answer."""
    skp = skp_for_update(skp)
    kind = rights.capacity(actor, skp)
    if kind is None:
        raise PermissionDenied(not_penilai)
    if skp.status != Skp.Status.DIAJUKAN:
        raise ValidationError(not_submitted)
    return skp, kind


def _answer_skp(actor: User, skp: Skp, status: str, *, message: str, note: str = "") -> Skp:
    """The pejabat penilai's answer: the new status saved, recorded and told to the employee."""
    old = skp.status
    skp.status = status
    skp.save()
    skp_event(skp, actor, old, note)
    notify(recipient=skp.employee, actor=actor, message=message, url=skp.get_absolute_url())
    return skp


@transaction.atomic
def return_skp(*, actor: User, skp: Skp, note: str) -> Skp:
    skp, kind = _submitted_skp_of(
        actor,
        skp,
        not_penilai=_("Hanya pejabat penilai yang dapat mengembalikan SKP ini."),
        not_submitted=_("Hanya SKP yang diajukan yang bisa dikembalikan."),
    )
    if not note.strip():
        raise ValidationError({"note": _("Tulis catatan: apa yang perlu diperbaiki.")})
    skp.return_note = note.strip()
    return _answer_skp(
        actor,
        skp,
        Skp.Status.DIKEMBALIKAN,
        message=_("SKP %(year)s Anda dikembalikan untuk diperbaiki.") % {"year": skp.cycle.year},
        note=rights.with_note(skp.return_note, rights.act_note(actor, skp, kind)),
    )
