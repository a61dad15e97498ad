"""Who may recognise whom, levels, and what a board shows of a person."""

from __future__ import annotations

from django.conf import settings
from django.db.models import Q
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext

from portal.models import OrgUnit, User, UserQuerySet


def level_index(total: int) -> int:
    """The index in LEADERBOARD_LEVELS that `total` all-time points reach."""
    reached = 0
    for index, (minimum, _name) in enumerate(settings.LEADERBOARD_LEVELS):
        if total >= minimum:
            reached = index
    return reached


def level_name(index: int) -> str:
    levels = settings.LEADERBOARD_LEVELS
    return str(levels[max(0, min(index, len(levels) - 1))][1])


def next_level(index: int) -> tuple[int, str] | None:
    levels = settings.LEADERBOARD_LEVELS
    if index + 1 >= len(levels):
        return None
    minimum, name = levels[index + 1]
    return minimum, str(name)


def opd_id_of(user: User) -> int | None:
    return user.org_unit.perangkat_daerah.pk if user.org_unit_id else None


def can_give_points(giver: User, receiver: User) -> bool:
    if giver.pk == receiver.pk or not receiver.is_active:
        return False
    return giver.is_bkpsdm_admin or receiver.pk in User.objects.subordinate_ids(giver)


def can_thank(giver: User, receiver: User) -> bool:
    if giver.pk == receiver.pk or not receiver.is_active:
        return False
    if can_give_points(giver, receiver):
        return True
    mine = opd_id_of(giver)
    return mine is not None and mine == opd_id_of(receiver)


def recipients(giver: User, *, with_points: bool) -> UserQuerySet:
    """The people `giver` may recognise (with points, or with a thank-you)."""
    users = User.objects.active().exclude(pk=giver.pk)
    if giver.is_bkpsdm_admin:
        return users
    subtree = Q(pk__in=User.objects.subordinate_ids(giver))
    if with_points:
        return users.filter(subtree)
    opd = opd_id_of(giver)
    colleagues = (
        Q(org_unit_id__in=OrgUnit.objects.descendant_ids(OrgUnit(pk=opd))) if opd else Q(pk=None)
    )
    return users.filter(subtree | colleagues)


def anonymous_label() -> str:
    return gettext("Pegawai anonim")


def display_name(user: User, viewer: User | None = None) -> str:
    """The name a board shows: opted-out employees are anonymous to everyone but themselves."""
    if user.board_opt_out and (viewer is None or viewer.pk != user.pk):
        return anonymous_label()
    return user.full_name


# Issue 14.4: what a board shows of someone who opted out. Their row and events must not be
# linkable to what the board showed while their name was on it:
# - the row key comes from another HMAC salt (`row_key(..., anonymous=True)`): without the
#   SECRET_KEY nobody can tell which named key it follows. (It is stable while they stay
#   opted out, so the live board can update their row; two opted-out spells of one person
#   share it, but neither is linked to the name.)
# - no unit (id or name): a bidang or UPT can have two or three people on the board, so the
#   unit alone could name them. The OPD stays (rows are ranked and filtered by OPD, and
#   Bandung's OPDs have dozens to thousands of staff); `user` is null in events.
# - the total stays: a ranking without totals is no ranking. Someone watching the very
#   minute a person opts out can still match the total until it next changes; that is the
#   limit of an anonymous row on a public ranking (docs: the privacy page says "anonim").


def row_key(user_id: int, *, anonymous: bool = False) -> str:
    """An opaque key for a person's row on every board (reveals no user id); a different,
    unlinkable key while the person is shown anonymously."""
    salt = "leaderboard.row.anonim" if anonymous else "leaderboard.row"
    return salted_hmac(salt, str(user_id)).hexdigest()[:16]


def board_row_key(user: User) -> str:
    return row_key(user.pk, anonymous=user.board_opt_out)


def shown_unit(user: User) -> int | None:
    """The unit a board may show beside this person: none when they opted out."""
    return None if user.board_opt_out else user.org_unit_id
