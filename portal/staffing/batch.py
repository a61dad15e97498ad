"""Writers built on `portal.staffing.services.assign` / `end_assignment`: `set_post` (the post a
source without dates gives: the register import, the user form, the demo) and `reassign_team`
(a departing supervisor's team to a successor, each person checked on their own)."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from portal import authority
from portal.audit import Kind, Source, describe, record_change
from portal.models import OrgUnit, User
from portal.outcome import Outcome

from .checks import (
    ONE_DAY,
    check_active,
    check_admin,
    check_may_act,
    check_not_below,
    check_not_self,
    headed_unit_ids,
    may_manage_staffing,
    require,
)
from .models import Assignment
from .services import AUDIT_SOURCE, assign, end_assignment


def set_post(
    *,
    actor: User | None,
    person: User,
    org_unit: OrgUnit | None,
    atasan: User | None,
    jabatan: str,
    jenis_jabatan: str,
    source: str,
    day: dt.date | None = None,
) -> Assignment | None:
    """The post a source without dates or head posts gives (the register import, the user
    form, the demo): from `day` (today) on, `person` holds this. The head post is kept while
    the unit stays, else `head_post_default`. Through `assign`; with no unit the assignment in
    effect ends (the day before, or `day` when it began on `day`), and a person with no
    assignment row keeps only the snapshot (recorded in the audit all the same)."""
    day = day or authority.today()
    if org_unit is not None:
        return assign(
            actor=actor,
            person=person,
            org_unit=org_unit,
            jabatan=jabatan,
            jenis_jabatan=jenis_jabatan,
            atasan=atasan,
            is_head=None,
            start=day,
            source=source,
        )
    with transaction.atomic():
        return _clear_post(
            actor=actor,
            person=person,
            atasan=atasan,
            jabatan=jabatan,
            jenis_jabatan=jenis_jabatan,
            source=source,
            day=day,
        )


def _clear_post(
    *,
    actor: User | None,
    person: User,
    atasan: User | None,
    jabatan: str,
    jenis_jabatan: str,
    source: str,
    day: dt.date,
) -> None:
    """`set_post` without a unit: the assignment in effect ends; the rest is the snapshot."""
    check_not_self(actor, person, atasan)
    check_active(atasan, field="atasan", role=_("atasan"))
    if atasan is not None:
        check_not_below(person=person, rater=atasan, day=day, field="atasan")
    stored = User.objects.select_related("org_unit", "atasan").get(pk=person.pk)
    current = authority.assignment_on(person, day)
    if current is not None and current.pk is not None:
        end_assignment(
            actor=actor,
            person=person,
            end=max(day - ONE_DAY, current.start),
            reason=_("Unit kerja dikosongkan."),
            source=source,
        )
    for kind, old, new in (
        (Kind.ORG_UNIT, stored.org_unit, None),
        (Kind.ATASAN, stored.atasan, atasan),
    ):
        if describe(old) != describe(new):
            record_change(
                actor=actor,
                subject=person,
                kind=kind,
                old=old,
                new=new,
                source=AUDIT_SOURCE.get(source, Source.SYSTEM),
            )
    person.org_unit, person.atasan = None, atasan
    person.jabatan, person.jenis_jabatan = jabatan, jenis_jabatan
    User.objects.filter(pk=person.pk).update(
        org_unit=None,
        atasan=atasan,
        jabatan=jabatan,
        jenis_jabatan=jenis_jabatan,
        updated_at=timezone.now(),
    )
    return None


class TeamMove(Outcome[User]):
    """What `reassign_team` did: who moved, and who was refused with the reason."""

    @property
    def moved(self) -> list[User]:
        return self.done


def may_reassign_team(actor: User, departing: User, day: dt.date | None = None) -> bool:
    """Admin BKPSDM, or the head (or Plt/Plh) of a unit the departing supervisor works in."""
    if may_manage_staffing(actor):
        return True
    post = authority.assignment_on(departing, day)
    return post is not None and post.org_unit_id in headed_unit_ids(actor, day)


def team_on(supervisor: User, day: dt.date | None = None) -> list[Assignment]:
    """The assignments on `day` naming `supervisor` as atasan (unit and person loaded), by name."""
    posts = authority.assignments_on(authority.bawahan_ids_on(supervisor, day), day, related=True)
    people = User.objects.in_bulk(list(posts))
    for person_id, post in posts.items():
        post.person = people[person_id]
    return sorted(posts.values(), key=lambda post: post.person.full_name)


@transaction.atomic
def reassign_team(
    *,
    actor: User,
    departing: User,
    successor: User,
    start: dt.date,
    sk_number: str,
    note: str = "",
    people: list[int] | None = None,
    dry_run: bool = False,
) -> TeamMove:
    """Give every bawahan of `departing` on `start` the same post under `successor` from
    `start` on (one `assign` each, source "sk"). `people`: the ids the actor confirmed; anyone
    no longer in the team is refused, and nobody else is moved. Each person is checked on their
    own: one refused (an atasan cycle, a later assignment, a closed period...) is listed with
    the reason and the others still move. Refuses the whole call: no rights
    (`may_reassign_team`), no SK number, the successor being the departing supervisor.
    `dry_run`: the same checks and the same answer, nothing kept (the confirmation step)."""
    if not may_reassign_team(actor, departing, start):
        check_admin(actor)
    require(sk_number, "sk_number", _("Nomor SK wajib diisi untuk penempatan berdasarkan SK."))
    if successor.pk == departing.pk:
        raise ValidationError(
            {"successor": _("Pengganti tidak boleh atasan yang sama dengan yang pindah.")}
        )
    check_may_act(successor, start=start, end=None, field="successor", role=_("atasan pengganti"))
    team = team_on(departing, start)
    in_team = {post.person_id for post in team}
    move = TeamMove()
    wanted = in_team if people is None else set(people)
    for person in User.objects.filter(pk__in=wanted - in_team).order_by("full_name"):
        move.refuse(person, _("Bukan lagi bawahan %(name)s.") % {"name": departing.full_name})
    for post in team:
        if post.person_id not in wanted:
            continue
        try:
            with transaction.atomic():
                assign(
                    actor=actor,
                    person=post.person,
                    org_unit=post.org_unit,
                    jabatan=post.jabatan,
                    jenis_jabatan=post.jenis_jabatan,
                    atasan=successor,
                    is_head=post.is_head,
                    start=start,
                    source=Assignment.Source.SK,
                    sk_number=sk_number,
                    note=note,
                )
        except (ValidationError, PermissionDenied) as exc:
            move.refuse(post.person, exc)
        else:
            move.done.append(post.person)
    if dry_run:
        transaction.set_rollback(True)
    return move
