from django.http import HttpRequest
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem as AdminMenuItem
from wagtail.users.views.bulk_actions.assign_role import AssignRoleBulkAction
from wagtail.users.views.bulk_actions.set_active_state import SetActiveStateBulkAction

from . import authority
from .admin_views import audit_log, employee_import
from .beranda import beranda_card, register_menu_item
from .people import assign_role, may_edit, may_manage_powers, set_active
from .privacy import profile_section
from .staffing import ActingAppointment
from .staffing.team_views import staffing_card_context
from .viewsets import OrgUnitViewSet

register_menu_item(_("Beranda"), "portal:beranda", order=0, icon="house")
register_menu_item(
    _("Kepegawaian"),
    "portal:staffing_home",
    admin_only=True,
    order=70,
    icon="person-vcard",
    group="kelola",
)


@beranda_card(
    _("Delegasi penilaian"), "portal/cards/staffing.html", order=5, icon="arrow-left-right"
)
def staffing_card(request: HttpRequest) -> dict | None:
    """Delegations received (the banner), and for a supervisor the way to delegate; for a
    unit head the team reassignment."""
    return staffing_card_context(request.user)


@beranda_card(_("Profil saya"), "portal/cards/profile.html", order=0, icon="person-badge")
def profile_card(request: HttpRequest) -> dict:
    user = request.user
    return {
        "profile": user,
        # whose post names me as atasan today (the dated register, not the User snapshot);
        # everyone I rate (designated rater, Plt/Plh too) is on the Kinerja card
        "bawahan_count": len(authority.bawahan_ids_on(user)),
        # a Plt/Plh reads the post they act in, and until when (issue 17)
        "acting": list(
            ActingAppointment.objects.on(authority.today())
            .filter(person=user)
            .select_related("org_unit")
            .order_by("start")
        ),
    }


@hooks.register("personal_data_export")
def portal_personal_data(user) -> dict:
    return {"portal": profile_section(user)}


@hooks.register("register_admin_urls")
def register_import_url():
    return [
        path("pegawai/impor/", employee_import, name="portal_employee_import"),
        path("pegawai/riwayat/", audit_log, name="portal_audit_log"),
    ]


class BkpsdmMenuItem(AdminMenuItem):
    def is_shown(self, request):
        return request.user.is_bkpsdm_admin


@hooks.register("register_admin_menu_item")
def register_import_menu_item():
    return BkpsdmMenuItem(
        _("Impor pegawai"), reverse("portal_employee_import"), icon_name="upload", order=260
    )


@hooks.register("register_admin_menu_item")
def register_audit_menu_item():
    return BkpsdmMenuItem(
        _("Riwayat perubahan pegawai"),
        reverse("portal_audit_log"),
        icon_name="history",
        order=270,
    )


@hooks.register("register_admin_viewset")
def register_org_unit_viewset():
    return OrgUnitViewSet("org_units")


# --- People: Wagtail's user bulk actions through portal.people (issue 14) ----------------------
# Registered after wagtail.users' own (order=1), so these replace "Assign role" and "Set active
# state": the same rules and the same audit record as the user forms.


@hooks.register("register_bulk_action", order=1)
class PortalAssignRoleBulkAction(AssignRoleBulkAction):
    def check_perm(self, obj):
        return may_manage_powers(self.request.user) and super().check_perm(obj)

    def get_execution_context(self):
        return {**super().get_execution_context(), "actor": self.request.user}

    @classmethod
    def execute_action(cls, objects, role=None, actor=None, **kwargs):
        if role is None or actor is None:
            return 0, 0
        return assign_role(actor=actor, users=objects, group=role), 0


@hooks.register("register_bulk_action", order=1)
class PortalSetActiveStateBulkAction(SetActiveStateBulkAction):
    def check_perm(self, obj):
        return may_edit(self.request.user, obj) and super().check_perm(obj)

    @classmethod
    def execute_action(cls, objects, mark_as_active=False, user=None, **kwargs):
        if user is None:
            return 0, 0
        return set_active(actor=user, users=objects, active=mark_as_active), 0
