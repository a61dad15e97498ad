from django.conf import settings
from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from .beranda import menu_items


def portal(request: HttpRequest) -> dict:
    return {
        "portal_menu": SimpleLazyObject(lambda: menu_items(request)),
        "portal_site_name": settings.WAGTAIL_SITE_NAME,
    }
