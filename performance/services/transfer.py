"""Transfers and promotions mid-year (issue 17): what a new assignment does to the SKPs.

`portal.staffing.services` sends two signals (portal imports no performance code; see
`portal.signals`), connected in `PerformanceConfig.ready`:
- `pre_assign`, before anything is saved: `check_transfer` refuses, with an Indonesian message,
  a change dated inside (or before the end of) a closed reporting period that the person's SKPs
  report, a change from the first day of an SKP already submitted or approved, and a change
  recorded late, dated before reports of the old post submitted since.
- `assignment_changed`, after commit: `transfer_skps` closes the SKP of the old post on D - 1
  (an SkpEvent "ditutup karena mutasi/promosi: old -> new") and drafts the SKP of the new post
  from D, with the new post's rating chain (`rating_chain`: the new atasan as pejabat penilai);
  the employee and the new pejabat penilai are notified. A same-day correction of a post
  re-records the rating chain of the SKPs of that post instead.

Which SKP a period's report is made on: `Skp.takes_period` (PERFORMANCE_TRANSFER_PERIOD_RULE);
a report submitted before the change stays where it was made (its period is then reported, once,
on the old post's SKP). Who may act on each SKP afterwards: `performance.rights`.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from performance.models import (
    Cycle,
    PeriodicReport,
    ReportingPeriod,
    Skp,
    report_day,
)
from portal.models import User
from portal.notifications import notify
from portal.staffing import Assignment

from .common import rating_chain, skp_event

ONE_DAY = dt.timedelta(days=1)


def _date(day: dt.date) -> str:
    return day.strftime("%d-%m-%Y")


def _post(assignment: Assignment | None) -> str:
    return str(assignment) if assignment is not None else _("tanpa penempatan")


def _is_correction(old: Assignment | None, new: Assignment | None) -> bool:
    return old is not None and new is not None and old.pk is not None and old.pk == new.pk


# --- which SKP a period is reported on ---------------------------------------------------------


def period_elsewhere(skp: Skp, period: ReportingPeriod) -> str:
    return _(
        "Laporan %(period)s dibuat pada SKP yang berlaku pada %(date)s; SKP ini berlaku "
        "%(start)s sampai %(end)s (mutasi/promosi)."
    ) % {
        "period": period,
        "date": _date(report_day(period)),
        "start": _date(skp.starts_on),
        "end": _date(skp.last_day),
    }


def new_report_refusal(skp: Skp, period: ReportingPeriod) -> str | None:
    """Why a new report of `period` may not be made on `skp` (None: it may): the period is
    another SKP's (`Skp.takes_period`), or its report was submitted on the SKP before a
    transfer, where it stays."""
    if not skp.takes_period(period):
        return period_elsewhere(skp, period)
    earlier = (
        PeriodicReport.objects.filter(
            skp__employee_id=skp.employee_id, period=period, submitted_at__isnull=False
        )
        .select_related("skp")
        .first()
    )
    if earlier is not None:
        return _("Laporan %(period)s sudah diajukan pada SKP jabatan sebelumnya (%(post)s).") % {
            "period": period,
            "post": earlier.skp.employee_jabatan or "-",
        }
    return None


# --- the validator (pre_assign) --------------------------------------------------------------


def check_transfer(
    sender, *, person: User, old: Assignment | None, new: Assignment | None, day: dt.date, **kw
) -> None:
    """Refuse a change of post from `day` that would rewrite what is settled (ValidationError,
    nothing saved): a closed reporting period on or after `day` that one of the person's SKPs
    reports; an SKP submitted or approved for the old post that begins on or after `day`; a
    report of the old post submitted after `day` for a period from `day` on."""
    refusals = check_transfers(sender, changes=[(person, old, new)], day=day)
    if refusals:
        raise ValidationError({"start": refusals[person.pk]})


def check_transfers(sender, *, changes: list, day: dt.date, **kw) -> dict[int, list[str]]:
    """`check_transfer` for many people at once (`pre_assign_many`), in three queries:
    {person pk: [why]} for those refused."""
    people = [
        person.pk for person, old, new in changes if person.pk and not _is_correction(old, new)
    ]
    skps: dict[int, list[Skp]] = {}
    for skp in (
        Skp.objects.filter(employee_id__in=people)
        .filter(Q(ends_on__isnull=True) | Q(ends_on__gte=day))
        .select_related("cycle")
    ):
        skps.setdefault(skp.employee_id, []).append(skp)
    if not skps:
        return {}
    closed = list(
        ReportingPeriod.objects.filter(
            cycle__in={skp.cycle_id for mine in skps.values() for skp in mine}, end__gte=day
        )
        .filter(Q(is_closed=True) | Q(cycle__status=Cycle.Status.CLOSED))
        .select_related("cycle")
        .order_by("start")
    )
    # A report submitted before the change stays on the old post's SKP, with its pejabat
    # penilai; one submitted after it (a change recorded late) would leave them work of the new
    # post to rate.
    after: dict[int, list[PeriodicReport]] = {}
    for report in (
        PeriodicReport.objects.filter(
            skp__in=[skp for mine in skps.values() for skp in mine],
            submitted_at__gte=start_of(day + ONE_DAY),
        )
        .select_related("period__cycle", "skp")
        .order_by("submitted_at")
    ):
        after.setdefault(report.skp.employee_id, []).append(report)
    refusals = {}
    for person_id, mine in skps.items():
        cycles = {skp.cycle_id for skp in mine}
        why = _refusal(
            mine, [p for p in closed if p.cycle_id in cycles], after.get(person_id, []), day
        )
        if why:
            refusals[person_id] = [why]
    return refusals


def _refusal(skps: list[Skp], closed: list, after: list, day: dt.date) -> str | None:
    for skp in skps:
        if skp.starts_on >= day and not skp.is_editable:
            return _(
                "SKP %(year)s pegawai ini untuk jabatan lamanya berlaku mulai %(date)s "
                "dan sudah diajukan atau disetujui; mutasi/promosi tidak boleh berlaku "
                "sejak awal SKP itu. Pakai tanggal sesudah %(date)s."
            ) % {"year": skp.cycle.year, "date": _date(skp.starts_on)}
    for period in closed:
        first = max(day, period.start)
        if any(skp.starts_on <= period.end and skp.last_day >= first for skp in skps):
            return _(
                "Tanggal %(date)s jatuh pada atau sebelum periode pelaporan %(period)s "
                "(%(start)s sampai %(end)s) yang sudah ditutup; mutasi/promosi tidak "
                "boleh mengubah periode yang terkunci. Pakai tanggal sesudah "
                "%(end)s, atau minta Admin BKPSDM membuka periode itu dulu."
            ) % {
                "date": _date(day),
                "period": period,
                "start": _date(period.start),
                "end": _date(period.end),
            }
    for report in after:
        if report_day(report.period) >= day:
            return _(
                "Laporan %(period)s pegawai ini diajukan pada %(submitted)s pada SKP "
                "jabatan lamanya, sesudah tanggal mutasi/promosi %(date)s; pejabat "
                "penilai lama tidak menilai pekerjaan sesudah mutasi. Pakai tanggal "
                "sesudah %(submitted)s."
            ) % {
                "period": report.period,
                "submitted": _date(timezone.localdate(report.submitted_at)),
                "date": _date(day),
            }
    return None


def start_of(day: dt.date) -> dt.datetime:
    """The first moment of `day` in the portal's time zone."""
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


# --- the transfer (assignment_changed) -------------------------------------------------------


def on_assignment_changed(
    sender, *, person: User, old: Assignment | None, new: Assignment | None, day: dt.date, **kw
) -> None:
    if _is_correction(old, new):
        correct_skps(assignment=new, old=old)
    else:
        transfer_skps(person=person, old=old, new=new, day=day)


def on_assignments_changed(sender, *, changes: list, day: dt.date, **kw) -> None:
    """`on_assignment_changed` for many people at once (`assignments_changed`): only the people
    with an SKP have anything to move (one query to find them)."""
    with_skp = set(
        Skp.objects.filter(employee_id__in=[person.pk for person, _old, _new in changes])
        .values_list("employee_id", flat=True)
        .distinct()
    )
    for person, old, new in changes:
        if person.pk in with_skp:
            on_assignment_changed(sender, person=person, old=old, new=new, day=day)


def _actor(person: User, new: Assignment | None) -> User:
    """Who the history names for a change the staffing records made: whoever recorded the
    post, else (an import, a command) the employee."""
    return new.recorded_by if new is not None and new.recorded_by_id else person


@transaction.atomic
def transfer_skps(
    *, person: User, old: Assignment | None, new: Assignment | None, day: dt.date
) -> tuple[Skp | None, Skp | None]:
    """The SKPs of a change of post on `day` (`new` None: the post ended on `day - 1`).

    Closes the person's SKP in force on `day - 1` on that day and, when the person had one and
    `day`'s cycle is open, drafts the SKP of `new` from `day` (pendekatan kept; RHK to be
    written, cascading from the new pejabat penilai's SKP). An SKP made in advance for the old
    post from `day` on is re-pointed to `new` instead, while still a draft. Idempotent: a second
    run finds the SKP closed and the new one made. Returns (closed, new), either None."""
    actor = _actor(person, new)
    change = _("%(old)s → %(new)s") % {"old": _post(old), "new": _post(new)}
    closed = None
    before = (
        Skp.objects.select_for_update(of=("self",))
        .in_force(day - ONE_DAY)
        .filter(employee=person)
        .first()
    )
    if before is not None and before.ends_on != day - ONE_DAY:
        before.ends_on = day - ONE_DAY
        before.full_clean()
        before.save(update_fields=["ends_on", "updated_at"])
        skp_event(
            before,
            actor,
            before.status,
            note=_("Ditutup karena mutasi/promosi: %(change)s (berlaku %(date)s).")
            % {"change": change, "date": _date(day)},
        )
        closed = before
        if before.pejabat_penilai_id and before.reports.filter(status="diajukan").exists():
            notify(
                recipient=before.pejabat_penilai,
                actor=actor,
                message=_(
                    "SKP %(name)s untuk jabatan lamanya ditutup karena mutasi/promosi; "
                    "selesaikan penilaian laporan yang sudah diajukan kepada Anda."
                )
                % {"name": person.full_name},
                url=before.get_absolute_url(),
            )
    if new is None:
        return closed, None
    cycle = Cycle.objects.filter(year=day.year, status=Cycle.Status.OPEN).first()
    if cycle is None:
        return closed, None
    fields = {"assignment": new, **_post_fields(person, new, day)}
    ahead = Skp.objects.filter(employee=person, cycle=cycle, starts_on=day).first()
    if ahead is not None:
        if ahead.assignment_id != new.pk and ahead.is_editable:
            _rechain(ahead, fields, actor, change)
        return closed, None
    if before is None:  # no SKP for the old post: the employee makes theirs as usual
        return closed, None
    skp = Skp(
        employee=person,
        cycle=cycle,
        starts_on=day,
        pendekatan=before.pendekatan,
        **fields,
    )
    skp.full_clean()
    skp.save()
    skp_event(
        skp,
        actor,
        Skp.Status.DRAF,
        note=_("Dibuat karena mutasi/promosi: %(change)s (berlaku %(date)s).")
        % {"change": change, "date": _date(day)},
    )
    notify(
        recipient=person,
        actor=actor if actor.pk != person.pk else None,  # told even when nobody recorded it
        message=_(
            "Mulai %(date)s Anda menjabat %(post)s. SKP lama ditutup; lengkapi SKP baru dan "
            "ajukan kepada %(penilai)s."
        )
        % {
            "date": _date(day),
            "post": _post(new),
            "penilai": skp.pejabat_penilai_name or _("pejabat penilai"),
        },
        url=skp.get_absolute_url(),
    )
    notify(
        recipient=skp.pejabat_penilai,
        actor=actor,
        message=_("Mulai %(date)s Anda pejabat penilai %(name)s (%(post)s); SKP barunya dibuat.")
        % {"date": _date(day), "name": person.full_name, "post": _post(new)},
        url=skp.get_absolute_url(),
    )
    return closed, skp


def _post_fields(person: User, post: Assignment, day: dt.date) -> dict:
    """What an SKP records of its post from `day`: jabatan, unit, rating chain."""
    return {
        "employee_jabatan": post.jabatan,
        "employee_unit": str(post.org_unit),
        **rating_chain(person, post, day),
    }


def _rechain(skp: Skp, fields: dict, actor: User, change: str) -> None:
    """Record another post and rating chain on `skp`, with an SkpEvent."""
    old_name = skp.pejabat_penilai_name or "-"
    for name, value in fields.items():
        setattr(skp, name, value)
    skp.register_atasan = fields["pejabat_penilai"]
    skp.full_clean()
    skp.save()
    skp_event(
        skp,
        actor,
        skp.status,
        note=_("Penempatan dikoreksi: %(change)s; pejabat penilai %(old)s -> %(new)s.")
        % {"change": change, "old": old_name, "new": skp.pejabat_penilai_name or "-"},
    )


@transaction.atomic
def correct_skps(*, assignment: Assignment, old: Assignment) -> list[Skp]:
    """A post corrected on its first day (`old` the row as it was): its SKPs record the
    corrected post and rating chain."""
    if old.post == assignment.post:
        return []
    actor = _actor(assignment.person, assignment)
    change = _("%(old)s → %(new)s") % {"old": _post(old), "new": _post(assignment)}
    changed = []
    for skp in Skp.objects.select_for_update(of=("self",)).filter(assignment=assignment):
        fields = _post_fields(skp.employee, assignment, skp.starts_on)
        _rechain(skp, fields, actor, change)
        changed.append(skp)
    return changed
