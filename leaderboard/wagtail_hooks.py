from __future__ import annotations

from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.panels import FieldPanel
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from portal.beranda import beranda_card, register_menu_item
from portal.models import TIM_KOMUNIKASI

from .board import my_standing
from .demo import seed_leaderboard_demo
from .models import Badge, BadgeAward, Recognition
from .personal_data import leaderboard_personal_data


class BadgeViewSet(SnippetViewSet):
    model = Badge
    icon = "pick"
    menu_label = _("Lencana")
    menu_name = "lencana"
    add_to_admin_menu = True
    menu_order = 400
    list_display = ["name", "rule", "reason", "threshold", "active"]
    list_filter = ["rule", "active"]
    search_fields = ["name", "description"]
    panels = [
        FieldPanel("name"),
        FieldPanel("slug"),
        FieldPanel("description"),
        FieldPanel("criteria"),
        FieldPanel("icon"),
        FieldPanel("rule"),
        FieldPanel("reason"),
        FieldPanel("threshold"),
        FieldPanel("active"),
    ]


register_snippet(BadgeViewSet)


register_menu_item(_("Papan Apresiasi"), "leaderboard:board", order=30, icon="trophy")


@beranda_card(_("Apresiasi"), "leaderboard/cards/apresiasi.html", order=20, icon="trophy")
def apresiasi_card(request: HttpRequest) -> dict:
    user = request.user
    return {
        "standing": my_standing(user),
        "latest_badge": BadgeAward.objects.filter(user=user).select_related("badge").first(),
        "is_admin": user.is_bkpsdm_admin,  # finds the kiosk links here (issue 15.11)
    }


# --- cms "start a story from a recognition" (cms must not import leaderboard) ------------------


@hooks.register("cms_story_prefill")
def story_prefill(source: str, pk: int, user) -> dict | None:
    """Prefill a success story from a recognition, for Tim Komunikasi only.

    Returns {"title", "intro", "featured_user_ids": [receiver id], "berakhlak_values": [code],
    "org_unit_id": the receiver's OPD id (or None)}; None when the source is not ours, the
    user may not, or the recognition is missing or revoked.
    """
    if source != "recognition" or user is None or not user.is_authenticated:
        return None
    if not (user.is_superuser or user.in_group(TIM_KOMUNIKASI)):
        return None
    recognition = (
        Recognition.objects.active()
        .select_related("receiver", "receiver__org_unit")
        .filter(pk=pk)
        .first()
    )
    if recognition is None:
        return None
    receiver = recognition.receiver
    opd = receiver.org_unit.perangkat_daerah if receiver.org_unit_id else None
    return {
        "title": str(
            _("%(name)s: teladan %(value)s")
            % {"name": receiver.full_name, "value": recognition.value_name}
        ),
        "intro": recognition.message,
        "featured_user_ids": [receiver.pk],
        "berakhlak_values": [recognition.value],
        "org_unit_id": opd.pk if opd else None,
    }


@hooks.register("cms_story_created")
def story_created(source: str, pk: int, page) -> None:
    """Remember which story was written from a recognition (Recognition.story)."""
    if source != "recognition" or page is None:
        return
    Recognition.objects.filter(pk=pk).update(story_id=page.pk)


@hooks.register("seed_demo", order=10)
def seed_leaderboard(stdout=None) -> None:
    seed_leaderboard_demo(stdout=stdout)


# --- personal data export (issue 9, trust) -------------------------------------------------
hooks.register("personal_data_export", leaderboard_personal_data)


# --- end personal data export ---------------------------------------------------------------
