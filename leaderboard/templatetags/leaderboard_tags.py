"""Template tags other apps may use without importing leaderboard code.

`{% load leaderboard_tags %}{% public_recognitions limit=6 %}` renders this month's
recognitions that may be shown publicly (not revoked; the receiver's name anonymised when
they opted out of the board; givers are not named). Used by the cms HomePage template.
"""

from django import template
from django.utils import timezone

from ..models import Recognition, season_of
from ..rules import anonymous_label

register = template.Library()


@register.inclusion_tag("leaderboard/tags/public_recognitions.html")
def public_recognitions(limit: int = 6) -> dict:
    recognitions = Recognition.objects.public().in_season(season_of(timezone.now()))[
        : max(1, min(int(limit), 24))
    ]
    items = []
    for recognition in recognitions:
        receiver = recognition.receiver
        hidden = receiver.board_opt_out
        items.append(
            {
                "receiver": anonymous_label() if hidden else receiver.full_name,
                "unit": "" if hidden or not receiver.org_unit else receiver.org_unit.display_name,
                "value": recognition.value_name,
                "message": recognition.message,
            }
        )
    return {"items": items}
