"""The only writers of the points ledger, recognitions, badges and levels."""

from __future__ import annotations

import time
import uuid

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, Sum
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.domain import berakhlak_value
from portal.models import User
from portal.notifications import notify
from portal.sockets import close_kiosk_sockets

from . import board
from .broadcast import publish_entry
from .models import (
    ALL_TIME,
    Badge,
    BadgeAward,
    KioskLink,
    PointEntry,
    Recognition,
    Score,
    season_of,
)
from .rules import can_give_points, can_thank, level_index


# Atomic on its own; inside a caller's transaction it adds no savepoint (two round trips on
# the deadline-hour path): a failure here fails the caller's whole transaction.
@transaction.atomic(savepoint=False)
def award_points(
    *, user: User, points: int, reason: str, key: str, created_by: User | None = None
) -> PointEntry:
    """Record `points` for `user` once per `key`, and add them to the season and all-time scores.

    Idempotent: a second call with the same key returns the first entry and changes nothing.
    In the same transaction the user's level is raised (never lowered) and any badge whose
    rule is now met is awarded (once). Boards hear of a new entry after the transaction
    commits (never of a rolled-back one). Three statements in the usual case: the entry,
    the scores, the badge check.
    """
    entry = PointEntry(user=user, points=points, reason=reason, key=key, created_by=created_by)
    entry.pk = PointEntry.objects.insert_once(entry)
    if entry.pk is None:
        return PointEntry.objects.get(key=key)  # recorded before (or concurrently)
    entry._state.adding = False
    totals = Score.objects.add_points(
        user_id=user.pk, seasons=(season_of(entry.created_at), ALL_TIME), points=points
    )
    all_total, level = totals[ALL_TIME]
    reached = level_index(all_total)
    if reached > level:
        Score.objects.filter(user_id=user.pk, season=ALL_TIME, level__lt=reached).update(
            level=reached
        )
        totals[ALL_TIME] = (all_total, reached)
    award_badges(user=user, entry=entry, total=all_total)
    transaction.on_commit(lambda: publish_entry(entry, totals=totals))
    return entry


def award_badges(
    *, user: User, entry: PointEntry | None = None, total: int | None = None
) -> list[BadgeAward]:
    """Award every active badge whose rule `user` now meets and has not earned yet (once).
    `total`: the user's all-time points when the caller has just computed them."""
    awarded: list[BadgeAward] = []
    for badge_id in Badge.objects.due_for(user.pk, total=total):
        try:
            with transaction.atomic():
                awarded.append(BadgeAward.objects.create(badge_id=badge_id, user=user, entry=entry))
        except IntegrityError:
            continue  # earned concurrently: once is once
    if awarded:  # rare: the names are read only then
        names = Badge.objects.in_bulk([award.badge_id for award in awarded])
        for award in awarded:
            notify(
                recipient=user,
                message=_("Selamat! Anda meraih lencana %(badge)s.")
                % {"badge": names[award.badge_id].name},
                url=reverse("leaderboard:mine"),
            )
    return awarded


def _error(field: str, message: str) -> ValidationError:
    return ValidationError({field: [message]})


@transaction.atomic
def give_recognition(
    *,
    giver: User,
    receiver: User,
    value: str,
    message: str,
    points: int,
    token: str | None = None,
) -> Recognition:
    """`giver` recognises `receiver` for the BerAKHLAK `value`; `points` 0 is a thank-you.

    Rules: no self-recognition; points only from LEADERBOARD_POINT_LEVELS, to someone in the
    giver's subtree (Admin BKPSDM: anyone), within the giver's monthly budget; a thank-you to
    a colleague of the same OPD within the monthly quota. The giver's row is locked for the
    transaction, so budgets hold under parallel requests. With a `token` (from the form) a
    repeated submission returns the first recognition and awards nothing more.
    Raises ValidationError keyed by form field; nothing is written then.
    """
    message = (message or "").strip()
    # Serialise this giver's recognitions: budget checks and the idempotency check below
    # read what the previous one committed.
    User.objects.select_for_update().filter(pk=giver.pk).values_list("pk").first()
    key = f"recognition:{giver.pk}:{token}" if token else None
    if key:
        existing = Recognition.objects.filter(key=key).first()
        if existing is not None:
            return existing
    if receiver.pk == giver.pk:
        raise _error("receiver", _("Anda tidak dapat memberi apresiasi kepada diri sendiri."))
    if not receiver.is_active:
        raise _error("receiver", _("Pegawai ini tidak aktif."))
    if berakhlak_value(value) is None:
        raise _error("value", _("Pilih salah satu nilai BerAKHLAK."))
    if not message:
        raise _error("message", _("Tulis pesan apresiasi Anda."))
    if len(message) > 1000:
        raise _error("message", _("Pesan paling banyak 1000 karakter."))
    try:
        points = int(points)
    except (TypeError, ValueError):
        raise _error("points", _("Pilih salah satu tingkat poin yang tersedia.")) from None
    season = season_of(timezone.now())
    if points == 0:
        if not can_thank(giver, receiver):
            raise _error(
                "receiver", _("Ucapan terima kasih hanya untuk rekan di perangkat daerah Anda.")
            )
        quota = settings.LEADERBOARD_MONTHLY_THANKS
        if Recognition.objects.monthly_giving(giver, season=season).thanks >= quota:
            raise _error(
                "points",
                _("Kuota ucapan terima kasih bulan ini (%(quota)s) sudah habis.")
                % {"quota": quota},
            )
    else:
        if points not in settings.LEADERBOARD_POINT_LEVELS:
            raise _error("points", _("Pilih salah satu tingkat poin yang tersedia."))
        if not can_give_points(giver, receiver):
            raise _error(
                "receiver",
                _("Anda hanya dapat memberi poin kepada pegawai di bawah kepemimpinan Anda."),
            )
        budget = settings.LEADERBOARD_MONTHLY_BUDGET
        given = Recognition.objects.monthly_giving(giver, season=season)
        if given.points + points > budget:
            raise _error(
                "points",
                _("Anggaran poin bulan ini tidak cukup: tersisa %(left)s dari %(budget)s.")
                % {"left": given.points_left, "budget": budget},
            )
    recognition = Recognition(
        giver=giver,
        receiver=receiver,
        value=value,
        message=message,
        points=points,
        season=season,
        key=key or f"recognition:{giver.pk}:{uuid.uuid4().hex}",
    )
    recognition.full_clean()
    recognition.save()
    if points:
        recognition.entry = award_points(
            user=receiver,
            points=points,
            reason=PointEntry.Reason.RECOGNITION,
            key=f"recognition:{recognition.pk}",
            created_by=giver,
        )
        recognition.save(update_fields=["entry"])
    else:
        award_badges(user=receiver)
    award_badges(user=giver)
    notify(
        recipient=receiver,
        actor=giver,
        message=(
            _("%(giver)s memberi Anda apresiasi %(value)s (+%(points)s poin).")
            if points
            else _("%(giver)s mengucapkan terima kasih kepada Anda (%(value)s).")
        )
        % {"giver": giver.full_name, "value": recognition.value_name, "points": points},
        url=f"{reverse('leaderboard:mine')}?tab=diterima",
    )
    return recognition


@transaction.atomic
def revoke_recognition(*, recognition: Recognition, by: User, reason: str) -> Recognition:
    """Admin BKPSDM withdraws a recognition: a negative ledger entry (broadcast like any
    other), never twice. Badges and levels already reached stay."""
    if not by.is_bkpsdm_admin:
        raise _error("reason", _("Hanya Admin BKPSDM yang dapat mencabut apresiasi."))
    reason = (reason or "").strip()
    if not reason:
        raise _error("reason", _("Tulis alasan pencabutan."))
    locked = Recognition.objects.select_for_update().get(pk=recognition.pk)
    if locked.revoked_at is not None:
        raise _error("reason", _("Apresiasi ini sudah dicabut."))
    if locked.points:
        locked.revoke_entry = award_points(
            user=locked.receiver,
            points=-locked.points,
            reason=PointEntry.Reason.RECOGNITION_REVOKED,
            key=f"recognition:{locked.pk}:revoke",
            created_by=by,
        )
    locked.revoked_at = timezone.now()
    locked.revoked_by = by
    locked.revoke_reason = reason
    locked.save(update_fields=["revoke_entry", "revoked_at", "revoked_by", "revoke_reason"])
    if not locked.points:
        # No ledger entry, so no new seq replaces the cached feed that shows this thank-you.
        board.forget_board()
    return locked


def reciprocal_pairs(*, days: int = 90, minimum: int | None = None) -> list[dict]:
    """Pairs who recognised each other at least `minimum` times in each direction in the last
    `days` days, most frequent first (the review list for Admin BKPSDM). Two queries."""
    minimum = minimum or settings.LEADERBOARD_RECIPROCAL_MIN
    since = timezone.now() - timezone.timedelta(days=days)
    rows = (
        Recognition.objects.active()
        .filter(created_at__gte=since)
        .values("giver_id", "receiver_id")
        .annotate(n=Count("pk"), pts=Sum("points"))
    )
    by_pair = {(r["giver_id"], r["receiver_id"]): r for r in rows}
    pairs = []
    for (a, b), forward in by_pair.items():
        back = by_pair.get((b, a))
        if a < b and back and forward["n"] >= minimum and back["n"] >= minimum:
            pairs.append(
                {
                    "a": a,
                    "b": b,
                    "a_to_b": forward["n"],
                    "b_to_a": back["n"],
                    "points": (forward["pts"] or 0) + (back["pts"] or 0),
                }
            )
    people = User.objects.in_bulk({p["a"] for p in pairs} | {p["b"] for p in pairs})
    for pair in pairs:
        pair["user_a"], pair["user_b"] = people[pair["a"]], people[pair["b"]]
    return sorted(pairs, key=lambda p: -(p["a_to_b"] + p["b_to_a"]))


def create_kiosk_link(*, org_unit, by: User, label: str = "") -> KioskLink:
    if not by.is_bkpsdm_admin:
        raise _error("org_unit", _("Hanya Admin BKPSDM yang dapat membuat tautan layar."))
    return KioskLink.objects.create(org_unit=org_unit, label=label.strip(), created_by=by)


def revoke_kiosk_link(*, link: KioskLink, by: User) -> KioskLink:
    if not by.is_bkpsdm_admin:
        raise _error("org_unit", _("Hanya Admin BKPSDM yang dapat mencabut tautan layar."))
    KioskLink.objects.filter(pk=link.pk, revoked_at__isnull=True).update(revoked_at=timezone.now())
    link.refresh_from_db()
    # the screens already showing the board stop now, in every process (portal.sockets)
    link_id = link.pk
    transaction.on_commit(lambda: close_kiosk_sockets(link_id))
    return link


# --- burst guard ------------------------------------------------------------------------------

RATE_WINDOWS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


class GiveRateExceeded(ValidationError):
    """Too many recognitions from one giver in a short time (LEADERBOARD_GIVE_RATE)."""


def consume_give_rate(*, giver: User) -> None:
    """Count one "Beri Apresiasi" submission of `giver`; raise GiveRateExceeded beyond
    LEADERBOARD_GIVE_RATE ("10/m": a fixed window per giver in the cache). The monthly budget
    limits how much is given; this limits how fast, against scripts and runaway clients."""
    count, _slash, unit = settings.LEADERBOARD_GIVE_RATE.partition("/")
    limit, window = int(count), RATE_WINDOWS[unit or "m"]
    if limit <= 0:
        return
    key = f"leaderboard:give-rate:{giver.pk}:{int(time.time() // window)}"
    cache.add(key, 0, timeout=window + 1)
    try:
        used = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=window + 1)
        used = 1
    if used > limit:
        raise GiveRateExceeded(
            _(
                "Terlalu banyak apresiasi dalam waktu singkat. Tunggu sebentar, lalu kirim lagi; "
                "isian Anda tidak hilang."
            ),
            code="rate_limited",
        )
