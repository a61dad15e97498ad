"""Who leads whom, for performance: who heads an OPD, who is above its head, which submitted
SKPs a person may approve.

The one place these are answered, each on a day (today by default, Asia/Jakarta), through
`portal.authority` (effective-dated assignments, Plt/Plh, designated raters), so a transfer or
an acting appointment counts from its first day and stops counting after its last:
- the head of an OPD is the holder of the OPD's head post on the day (`authority.head_of`);
  a Plt/Plh acting in it has the head's rights (`is_unit_head`) during the appointment only,
  and is not "the head" whose rating follows the capaian (`leads_own_opd`);
- the leader above is the head's atasan on the day, else the rater designated for the head in
  the portal (`authority.atasan_on`), while active and holding a post that day. A vacant head
  post, or a leader who has left, gives None: Admin BKPSDM records the capaian with a document.
Every function reads a fixed number of queries, whatever the number of assignments.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import Exists, OuterRef, Q, QuerySet

from performance.models import Skp, current_penilai_q
from portal import authority
from portal.models import OrgUnit, User
from portal.staffing import DesignatedRater


def is_unit_head(user: User, opd: OrgUnit, day: dt.date | None = None) -> bool:
    """Holds the head's rights over the OPD (running its evaluation) on `day`: holds the OPD's
    head post, or acts in it as Plt/Plh (`portal.authority.head_rights`)."""
    return bool(user.is_authenticated and opd.pk in authority.head_rights(user, day))


def unit_head_rights(opd: OrgUnit, day: dt.date | None = None) -> list[tuple[User, str]]:
    """Who holds the head's rights over the OPD on `day` (`is_unit_head`), for the pages: the
    holder of the head post ("kepala"), then each Plt/Plh acting in it ("plt"/"plh"). Two
    queries."""
    day = day or authority.today()
    found: list[tuple[User, str]] = []
    head = head_of_opd(opd, day)
    if head is not None:
        found.append((head, "kepala"))
    for acting in authority.acting_heads(opd, day):
        if acting.person.is_active and all(acting.person.pk != user.pk for user, _k in found):
            found.append((acting.person, acting.kind))
    return found


def head_of_opd(opd: OrgUnit, day: dt.date | None = None) -> User | None:
    """The holder of the OPD's head post on `day` (not an acting official), while active."""
    head = authority.head_of(opd, day)
    return head if head is not None and head.is_active else None


def leader_above(opd: OrgUnit, day: dt.date | None = None) -> User | None:
    """The leader above the OPD head in the portal on `day` (the head's atasan, e.g. the
    Sekretaris Daerah, or the rater designated for the head), who sets the OPD's capaian
    kinerja organisasi; None when the head post is vacant or the leader is outside the portal,
    inactive or holds no post that day."""
    day = day or authority.today()
    head = head_of_opd(opd, day)
    leader = authority.atasan_on(head, day) if head is not None else None
    if leader is None or not leader.is_active or leader.pk == head.pk:
        return None
    return leader if authority.assignments_on([leader], day) else None


def opds_led_above(user: User, day: dt.date | None = None) -> QuerySet[OrgUnit]:
    """The OPDs whose head on `day` has `user` as atasan or designated rater: the ones whose
    capaian `user` sets, while `user` holds a post that day. Never an OPD where `user` has the
    head's rights themselves, nor their own."""
    if not user.is_authenticated:
        return OrgUnit.objects.none()
    day = day or authority.today()
    own = authority.assignments_on([user], day).get(user.pk)
    if own is None:  # holds no post that day (left, retired): leads nobody
        return OrgUnit.objects.none()
    led = authority.bawahan_ids_on(user, day)
    led |= set(
        DesignatedRater.objects.on(day).filter(rater_id=user.pk).values_list("person_id", flat=True)
    )
    posts = authority.assignments_on(led, day)
    units = {
        post.org_unit_id for post in posts.values() if post.is_head and not post.unit_parent_id
    }
    units -= authority.head_rights(user, day)
    units.discard(own.org_unit_id)
    active = User.objects.filter(
        pk__in=[pk for pk, post in posts.items() if post.org_unit_id in units], is_active=True
    )
    active_units = {posts[pk].org_unit_id for pk in active.values_list("pk", flat=True)}
    return OrgUnit.objects.perangkat_daerah().filter(pk__in=active_units)


def awaiting_approval_by(user: User) -> QuerySet[Skp]:
    """The submitted SKPs `user` may approve: as whoever may act on them (`rights.rater_q`),
    and for Admin BKPSDM those without a pejabat penilai or a rater designated in the portal
    (a rater designated outside it, or none yet: `services.approval.answered_by`). Never the
    user's own SKP, in any capacity (`services.approval.check_approve_skp` refuses it too)."""
    if not user.is_authenticated:
        return Skp.objects.none()
    mine = current_penilai_q(user)
    if user.is_bkpsdm_admin:
        designated = DesignatedRater.objects.on(authority.today()).filter(
            person_id=OuterRef("employee_id"), rater__isnull=False, rater__is_active=True
        )
        mine |= Q(pejabat_penilai__isnull=True) & ~Exists(designated)
    return Skp.objects.filter(mine, status=Skp.Status.DIAJUKAN).exclude(employee_id=user.pk)


def leads_own_opd(user: User, day: dt.date | None = None) -> OrgUnit | None:
    """The OPD whose head post `user` holds on `day` (an acting Plt/Plh does not hold it), or
    None."""
    day = day or authority.today()
    post = authority.assignment_on(user, day)
    if post is None or post.unit_parent_id or not post.is_head:
        return None
    head = head_of_opd(post.org_unit, day)
    return post.org_unit if head is not None and head.pk == user.pk else None
