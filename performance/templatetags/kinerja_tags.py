"""The performance menu's entries that depend on what the viewer holds today (issue 17)."""

from django import template

from performance import rights
from performance.services import evaluation

register = template.Library()


@register.simple_tag(takes_context=True)
def kinerja_menu(context) -> dict:
    """{"team": rates someone today (bawahan, or as Plt/Plh, delegate, designated rater),
    "monitoring": Admin BKPSDM or the head (holder, Plt/Plh) of an OPD today}."""
    user = context["request"].user
    if not user.is_authenticated:
        return {"team": False, "monitoring": False}
    return {
        "team": user.is_supervisor or bool(rights.standing(user).stand_ins),
        "monitoring": user.is_bkpsdm_admin or evaluation.managed_units(user).exists(),
    }
