"""Wagtail admin for people: the portal's own user forms (NIP, unit, atasan) in Wagtail's Users area."""

from django import forms
from django.utils.translation import gettext_lazy as _
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.users.forms import UserCreationForm, UserEditForm
from wagtail.users.views.users import UserViewSet as WagtailUserViewSet

from .models import OrgUnit

PORTAL_USER_FIELDS = [
    "nip",
    "email",
    "full_name",
    "jabatan",
    "jenis_jabatan",
    "pangkat_golongan",
    "status_kepegawaian",
    "org_unit",
    "atasan",
    "board_opt_out",
]


class PortalUserCreationForm(UserCreationForm):
    first_name = None
    last_name = None

    class Meta(UserCreationForm.Meta):
        fields = [*PORTAL_USER_FIELDS, "is_superuser", "groups"]
        widgets = {"groups": forms.CheckboxSelectMultiple}


class PortalUserEditForm(UserEditForm):
    first_name = None
    last_name = None

    class Meta(UserEditForm.Meta):
        fields = [*PORTAL_USER_FIELDS, "is_active", "is_superuser", "groups"]
        widgets = {"groups": forms.CheckboxSelectMultiple}


class UserViewSet(WagtailUserViewSet):
    create_template_name = "portal/admin/user_create.html"
    edit_template_name = "portal/admin/user_edit.html"

    def get_form_class(self, for_update=False):
        return PortalUserEditForm if for_update else PortalUserCreationForm


class OrgUnitViewSet(ModelViewSet):
    model = OrgUnit
    icon = "group"
    menu_label = _("Unit organisasi")
    menu_order = 250
    add_to_admin_menu = True
    list_display = ["name", "short_name", "kind", "parent"]
    list_filter = ["kind"]
    search_fields = ["name", "short_name", "code"]
    form_fields = ["name", "short_name", "kind", "code", "parent"]
    ordering = ["name"]
