from django.conf import settings
from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from .beranda import menu_groups, menu_items


def portal(request: HttpRequest) -> dict:
    menu = SimpleLazyObject(lambda: menu_items(request))
    groups = SimpleLazyObject(lambda: menu_groups(menu))
    return {
        "portal_menu": menu,
        # the navbar: items on the bar, and the administration items in its "Kelola" dropdown
        "portal_menu_bar": SimpleLazyObject(lambda: groups[0]),
        "portal_menu_kelola": SimpleLazyObject(lambda: groups[1]),
        "portal_site_name": settings.WAGTAIL_SITE_NAME,
    }
