"""Recognition endpoints: a person's points and badges, as the board would show them.

Someone who opted out of the board (`User.board_opt_out`) is shown to nobody but themselves:
a machine client or a colleague gets `tampil: false` and no points or badges.
"""

from __future__ import annotations

import datetime as dt

from django.http import HttpRequest
from django.utils import timezone
from ninja import Schema

from leaderboard.models import ALL_TIME, BadgeAward, Score, season_of
from leaderboard.rules import level_name

from .auth import ApiRouter, Caller
from .models import Scope
from .register import person_for

router = ApiRouter(tags=["recognition"])


class BadgeOut(Schema):
    kode: str
    nama: str
    deskripsi: str
    diraih: dt.datetime


class RecognitionOut(Schema):
    nip: str
    tampil: bool
    poin_bulan_ini: int | None
    poin_total: int | None
    level: str | None
    lencana: list[BadgeOut]


@router.reads(
    "/employees/{nip}", RecognitionOut, Scope.READ_RECOGNITION, "Poin dan lencana seorang pegawai"
)
def employee_recognition(request: HttpRequest, nip: str):
    caller: Caller = request.auth
    # The board shows everyone to every signed-in person: no narrower right here.
    person = person_for(Caller(user=caller.user, token=caller.token, everyone=True), nip)
    own = not caller.is_machine and person.pk == caller.user.pk
    shown = own or not person.board_opt_out
    if not shown:
        return {
            "nip": person.nip,
            "tampil": False,
            "poin_bulan_ini": None,
            "poin_total": None,
            "level": None,
            "lencana": [],
        }
    season = season_of(timezone.now())
    scores = {s.season: s for s in Score.objects.filter(user=person, season__in=(season, ALL_TIME))}
    total = scores.get(ALL_TIME)
    awards = BadgeAward.objects.filter(user=person).select_related("badge")
    return {
        "nip": person.nip,
        "tampil": True,
        "poin_bulan_ini": scores[season].total if season in scores else 0,
        "poin_total": total.total if total else 0,
        "level": level_name(total.level if total else 0),
        "lencana": [
            {
                "kode": a.badge.slug,
                "nama": a.badge.name,
                "deskripsi": a.badge.description,
                "diraih": a.awarded_at,
            }
            for a in awards
        ],
    }
