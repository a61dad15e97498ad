"""Who may act on one SKP (and so on its periodic reports) on a day, and who may read it: the
rule on one object (`capacity`, `can_act`, `can_view_skp`, `annual_refusal`); the rule and its
capacities are told in `performance.rights`. `performance.rights.queries` says the same as a `Q`
for lists."""

from __future__ import annotations

import datetime as dt

from django.utils.translation import gettext as _

from portal import authority
from portal.staffing import Assignment, DesignatedRater

from .capacities import ATASAN, BKPSDM, DELEGASI, PENILAI_DITUNJUK, PLH, PLT


def today() -> dt.date:
    return authority.today()


# --- one SKP -------------------------------------------------------------------------------


def _post_atasan_id(skp) -> int | None:
    """The atasan of the SKP's post: its assignment's (one query unless loaded), else, for an
    SKP made before assignments had dates, the employee's atasan today."""
    if skp.assignment_id is None:
        return skp.employee.atasan_id
    if type(skp).assignment.is_cached(skp):
        return skp.assignment.atasan_id
    return Assignment.objects.filter(pk=skp.assignment_id).values_list("atasan_id", flat=True)[0]


def penilai_is_current(skp) -> bool:
    """The pejabat penilai recorded on the SKP still stands: the atasan of its post is the one
    recorded with it (`Skp.register_atasan`). False after the register moved the employee to
    another atasan without a dated transfer, until Admin BKPSDM re-assigns."""
    return skp.register_atasan_id == _post_atasan_id(skp)


def reference_day(skp, day: dt.date) -> dt.date:
    """The day whose raters act on `skp` when asked on `day`: `day` while the SKP is in force,
    its last day once it has closed, its first day before it begins."""
    if skp.ends_on is not None and skp.ends_on < day:
        return skp.ends_on
    return max(day, skp.starts_on)


def is_current(skp, day: dt.date) -> bool:
    """In force on `day` for the stand-ins: begun and not closed (an SKP of a past year whose
    post goes on stays current for its annual rating)."""
    return skp.starts_on <= day and (skp.ends_on is None or skp.ends_on >= day)


def external_rater(skp, day: dt.date | None = None) -> DesignatedRater | None:
    """The designation naming a rater outside the portal for the SKP's employee on the SKP's
    reference day; None when there is none or the SKP has a pejabat penilai in the portal."""
    if skp.pejabat_penilai_id is not None:
        return None
    at = reference_day(skp, day or today())
    return (
        DesignatedRater.objects.on(at)
        .filter(person_id=skp.employee_id, rater__isnull=True)
        .order_by("-start")
        .first()
    )


def capacity(user, skp, day: dt.date | None = None) -> str | None:
    """The capacity in which `user` may act on `skp` on `day` (today), or None."""
    if not user.is_authenticated or skp.employee_id == user.pk:
        return None
    day = day or today()
    if skp.pejabat_penilai_id == user.pk and penilai_is_current(skp):
        return ATASAN
    if is_current(skp, day):
        found = authority.rater_ids_for(skp.employee_id, day).get(user.pk)
        if found is not None and found != ATASAN:
            return found
    elif (
        DesignatedRater.objects.on(reference_day(skp, day))
        .filter(person_id=skp.employee_id, rater_id=user.pk)
        .exists()
    ):
        return PENILAI_DITUNJUK
    if user.is_bkpsdm_admin and external_rater(skp, day) is not None:
        return BKPSDM
    return None


def can_act(user, skp, day: dt.date | None = None) -> bool:
    return capacity(user, skp, day) is not None


def can_view_skp(user, skp) -> bool:
    if not user.is_authenticated:
        return False
    if skp.employee_id == user.pk or user.is_bkpsdm_admin:
        return True
    if skp.atasan_pejabat_penilai_id == user.pk or can_act(user, skp):
        return True
    later = (
        type(skp)
        .objects.filter(
            employee_id=skp.employee_id, cycle_id=skp.cycle_id, starts_on__gt=skp.starts_on
        )
        .select_related("employee", "assignment")
    )
    return any(can_act(user, other) for other in later)


def later_skp(skp):
    """The next SKP of the same employee and cycle (after a transfer), or None."""
    return (
        type(skp)
        .objects.filter(
            employee_id=skp.employee_id, cycle_id=skp.cycle_id, starts_on__gt=skp.starts_on
        )
        .select_related("assignment__org_unit")
        .order_by("starts_on")
        .first()
    )


def annual_refusal(user, skp, day: dt.date | None = None) -> str | None:
    """Why `user` may not give `skp` its annual rating (None: they may). The annual rating is
    given on the employee's last SKP of the year, by whoever may act on it."""
    if capacity(user, skp, day) is None:
        return _("Hanya pejabat penilai pegawai ini yang memberi penilaian tahunan.")
    nxt = later_skp(skp)
    if nxt is not None:
        return _(
            "SKP ini ditutup karena mutasi/promosi; penilaian tahunan %(year)s diberikan pada "
            "SKP terakhir tahun itu (mulai %(date)s) oleh pejabat penilainya."
        ) % {"year": skp.starts_on.year, "date": nxt.starts_on.strftime("%d-%m-%Y")}
    return None


def act_note(user, skp, kind: str | None) -> str:
    """The history's words for an act in capacity `kind` ("" for the pejabat penilai)."""
    name = user.full_name
    if kind == PLT:
        return _("oleh Plt %(name)s") % {"name": name}
    if kind == PLH:
        return _("oleh Plh %(name)s") % {"name": name}
    if kind == DELEGASI:
        return _("oleh delegasi %(name)s") % {"name": name}
    if kind == PENILAI_DITUNJUK:
        return _("oleh penilai yang ditunjuk %(name)s") % {"name": name}
    if kind == BKPSDM:
        designated = external_rater(skp)
        return _("dicatat Admin BKPSDM %(name)s atas nama %(rater)s (%(document)s)") % {
            "name": name,
            "rater": designated.external_rater if designated else "-",
            "document": designated.document_ref if designated else "-",
        }
    return ""


def with_note(note: str, extra: str) -> str:
    return "; ".join(part for part in (note, extra) if part)
