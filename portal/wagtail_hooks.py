from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks

from .beranda import Card, MenuItem


@hooks.register("portal_menu_items")
def beranda_menu_item(request: HttpRequest) -> MenuItem | None:
    if not request.user.is_authenticated:
        return None
    return MenuItem(
        _("Beranda"), reverse("portal:beranda"), order=0, icon="house", active_prefix="/beranda/"
    )


@hooks.register("beranda_cards")
def profile_card(request: HttpRequest) -> Card:
    user = request.user
    return Card(
        title=_("Profil saya"),
        template="portal/cards/profile.html",
        context={"profile": user, "bawahan_count": user.bawahan.count()},
        order=0,
        icon="person-badge",
    )
