"""Capaian kinerja organisasi: who may set an OPD's capaian, and the special rule it brings.

The leader above the OPD head sets it (the reference, §5.3: "Pimpinan di atasnya menetapkan
capaian kinerja organisasi"); for a leader outside the portal Admin BKPSDM records it with the
document; the head never sets their own. The head's rating of hasil kerja is the one the capaian
gives (predikat_matrix.special_rule; the mapping is a local choice,
settings.PERFORMANCE_HEAD_CAPAIAN_RATING). Reads only: the write is `evaluation.set_capaian`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext as _

from performance import rights, rules
from performance.models import Skp, UnitEvaluation, cycle_day, rating_choices
from portal import authority
from portal.models import OrgUnit, User

from .leaders import is_unit_head, leader_above, leads_own_opd


def capaian_setter_text(opd: OrgUnit, leader: User | None = None) -> str:
    """Who sets this OPD's capaian, in words (for messages and the unit page)."""
    leader = leader if leader is not None else leader_above(opd)
    if leader is not None:
        return _("%(name)s (%(jabatan)s), pimpinan di atas kepala perangkat daerah") % {
            "name": leader.full_name,
            "jabatan": leader.jabatan,
        }
    return _(
        "pimpinan di atas kepala perangkat daerah yang tidak ada di portal; "
        "Admin BKPSDM mencatat penetapannya dengan nomor dokumen"
    )


def capaian_capacity(user: User, opd: OrgUnit) -> str | None:
    """The capacity in which `user` may set the OPD's capaian: "pimpinan" (the leader above the
    head), "bkpsdm" (Admin BKPSDM recording a leader outside the portal), or None."""
    return capaian_capacity_with_reason(user, opd, leader_above(opd))[0]


def capaian_capacity_with_reason(
    user: User, opd: OrgUnit, leader: User | None
) -> tuple[str | None, str]:
    """`capaian_capacity` given the OPD's `leader_above`: (capacity, "") or (None, why not)."""
    capacity = UnitEvaluation.CapaianCapacity
    if not user.is_authenticated:
        return None, ""
    if is_unit_head(user, opd):  # the head, or a Plt/Plh acting in the head post
        return None, _(
            "Kepala perangkat daerah tidak menetapkan capaian kinerja organisasinya sendiri; "
            "capaian %(opd)s ditetapkan oleh %(who)s."
        ) % {"opd": opd.name, "who": capaian_setter_text(opd, leader)}
    if leader is not None and leader.pk == user.pk:
        return capacity.PIMPINAN, ""
    own_opd = user.org_unit.perangkat_daerah if user.org_unit_id else None
    if user.is_bkpsdm_admin and own_opd is not None and own_opd.pk == opd.pk:
        return None, _(
            "Admin BKPSDM tidak mencatat capaian kinerja organisasi perangkat daerahnya sendiri "
            "(%(opd)s); mintalah Admin BKPSDM lain."
        ) % {"opd": opd.name}
    if user.is_bkpsdm_admin:
        if leader is None:
            return capacity.BKPSDM, ""
        return None, _(
            "Pimpinan di atas kepala %(opd)s ada di portal (%(name)s) dan menetapkan sendiri "
            "capaiannya; Admin BKPSDM hanya mencatat penetapan pimpinan di luar portal."
        ) % {"opd": opd.name, "name": leader.full_name}
    return None, _("Capaian kinerja organisasi %(opd)s ditetapkan oleh %(who)s.") % {
        "opd": opd.name,
        "who": capaian_setter_text(opd, leader),
    }


# --- the special rule: the head's rating of hasil kerja follows the capaian ---------------------


@dataclass(frozen=True)
class HeadRule:
    """The rated employee heads `opd`: their rating hasil kerja is `rating`, from `capaian`
    (both empty while the capaian is not set)."""

    opd: OrgUnit
    capaian: str
    rating: str

    @property
    def capaian_label(self) -> str:
        return dict(rules.capaian_choices()).get(self.capaian, self.capaian)

    @property
    def rating_label(self) -> str:
        return dict(rating_choices()).get(self.rating, self.rating)


def head_rating_for(capaian: str) -> str:
    """The rating hasil kerja a unit head gets for the unit's capaian (a local choice:
    settings.PERFORMANCE_HEAD_CAPAIAN_RATING; the reference gives no mapping)."""
    mapping = settings.PERFORMANCE_HEAD_CAPAIAN_RATING
    rating = mapping.get(capaian)
    if rating not in rules.rating_codes():
        raise ImproperlyConfigured(
            f"PERFORMANCE_HEAD_CAPAIAN_RATING maps {capaian!r} to {rating!r}, "
            f"not one of {rules.rating_codes()}"
        )
    return rating


def skp_day(skp: Skp, day: dt.date | None = None) -> dt.date:
    """The day whose posts count for `skp` when asked on `day` (today): the day itself while the
    SKP is in force, its last day once closed (a transfer), within the cycle's year."""
    return cycle_day(skp.cycle.year, rights.reference_day(skp, day or authority.today()))


def head_rule(skp: Skp, state: UnitEvaluation | None = None) -> HeadRule | None:
    """The special rule for this SKP, or None when its employee did not hold the head post of
    their OPD on the SKP's day (`skp_day`; a Plt/Plh acting as head does not hold it).
    `state` is the OPD's UnitEvaluation when the caller has read it already."""
    opd = leads_own_opd(skp.employee, skp_day(skp))
    if opd is None:
        return None
    if state is None or state.org_unit_id != opd.pk:
        state = UnitEvaluation.objects.filter(cycle_id=skp.cycle_id, org_unit=opd).first()
    capaian = state.capaian if state is not None else ""
    return HeadRule(opd, capaian, head_rating_for(capaian) if capaian else "")
