"""Who leads whom, for performance: who heads an OPD, who is above its head, whose rater is
outside the portal, which submitted SKPs a person may approve.

The one place these are answered. Today they read the staff register's snapshot on the User
(org_unit, jenis_jabatan, atasan) and the SKP's pejabat penilai; issue 17's portal.authority
answers the same questions with dates (head_of, atasan_on, designated_rater_on): switch these
functions to it, nothing else.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet

from performance.models import Skp, current_penilai_q
from portal import authority
from portal.models import OrgUnit, User


def is_unit_head(user: User, opd: OrgUnit) -> bool:
    """Holds the head's rights over the OPD (running its evaluation): holds the OPD's head post
    today, or acts in it as Plt/Plh (`portal.authority.head_rights`)."""
    return bool(user.is_authenticated and opd.pk in authority.head_rights(user))


def head_of_opd(opd: OrgUnit) -> User | None:
    """The head of the OPD: the active JPT placed at the OPD itself whose atasan is not another
    JPT there (a Sekretariat Daerah holds the Sekda and the Asisten who report to him)."""
    placed = list(
        User.objects.filter(org_unit=opd, jenis_jabatan="jpt", is_active=True).order_by("pk")
    )
    ids = {user.pk for user in placed}
    return next((user for user in placed if user.atasan_id not in ids), None)


def leader_above(opd: OrgUnit) -> User | None:
    """The leader above the OPD head in the portal (the head's atasan, e.g. the Sekretaris
    Daerah), who sets the OPD's capaian kinerja organisasi; None when outside the portal."""
    head = head_of_opd(opd)
    leader = head.atasan if head is not None and head.atasan_id else None
    return leader if leader is not None and leader.is_active else None


def opds_led_above(user: User) -> QuerySet[OrgUnit]:
    """The OPDs whose head has `user` as atasan: the ones whose capaian `user` sets."""
    if not user.is_authenticated:
        return OrgUnit.objects.none()
    heads = User.objects.filter(atasan=user, jenis_jabatan="jpt", is_active=True).exclude(
        org_unit_id=user.org_unit_id
    )
    return OrgUnit.objects.perangkat_daerah().filter(pk__in=heads.values("org_unit_id"))


def rater_outside_portal(skp: Skp) -> bool:
    """The SKP's pejabat penilai is not in the portal (the employee had no atasan in it): Admin
    BKPSDM acts on the rater's behalf."""
    return skp.pejabat_penilai_id is None


def awaiting_approval_by(user: User) -> QuerySet[Skp]:
    """The submitted SKPs `user` may approve: as their pejabat penilai, and for Admin BKPSDM
    those whose rater is outside the portal (the same rule as `rater_outside_portal`)."""
    if not user.is_authenticated:
        return Skp.objects.none()
    mine = current_penilai_q(user)
    if user.is_bkpsdm_admin:
        mine |= Q(pejabat_penilai__isnull=True)
    return Skp.objects.filter(mine, status=Skp.Status.DIAJUKAN)


def leads_own_opd(user: User) -> OrgUnit | None:
    """The OPD `user` is the head of, or None."""
    opd = user.org_unit.perangkat_daerah if user.org_unit_id else None
    head = head_of_opd(opd) if opd is not None else None
    return opd if head is not None and head.pk == user.pk else None
