from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem as AdminMenuItem

from .beranda import Card, MenuItem, cached_reverse


@hooks.register("portal_menu_items")
def beranda_menu_item(request: HttpRequest) -> MenuItem | None:
    if not request.user.is_authenticated:
        return None
    return MenuItem(
        _("Beranda"),
        cached_reverse("portal:beranda"),
        order=0,
        icon="house",
        active_prefix="/beranda/",
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


@hooks.register("personal_data_export")
def portal_personal_data(user) -> dict:
    from .privacy import profile_section

    return {"portal": profile_section(user)}


@hooks.register("register_admin_urls")
def register_import_url():
    from django.urls import path

    from .admin_views import employee_import

    return [path("pegawai/impor/", employee_import, name="portal_employee_import")]


class BkpsdmMenuItem(AdminMenuItem):
    def is_shown(self, request):
        return request.user.is_bkpsdm_admin


@hooks.register("register_admin_menu_item")
def register_import_menu_item():
    return BkpsdmMenuItem(
        _("Impor pegawai"), reverse("portal_employee_import"), icon_name="upload", order=260
    )


@hooks.register("register_admin_viewset")
def register_org_unit_viewset():
    from .viewsets import OrgUnitViewSet

    return OrgUnitViewSet("org_units")
